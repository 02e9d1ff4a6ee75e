// R-W7: the over-SLA digest's text (Indonesian), from plain lines; no I/O.

export interface DigestLine {
  number: string;
  kind: string;
  problemType: string;
  area: string;
  overMinutes: number;
  link: string;
}

/** An erased customer's area in a digest already made (R-P3; the same word as every erasure's). */
export const ERASED_AREA = '[dihapus]';

export const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** "2 jam 5 menit", "45 menit", "1 hari 3 jam". */
export function durationText(minutes: number): string {
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const parts = [days ? `${days} hari` : '', hours ? `${hours} jam` : '', mins || (!days && !hours) ? `${mins} menit` : ''].filter(Boolean);
  return parts.join(' ');
}

export function digestMail(unitCode: string, lines: readonly DigestLine[]): { subject: string; text: string; html: string } {
  const subject = `[APKT] ${lines.length} laporan melebihi SLA di unit ${unitCode}`;
  const intro = `Laporan berikut di unit ${unitCode} telah melebihi batas waktu SLA:`;
  const text = [
    intro,
    '',
    ...lines.map((l) => `- ${l.number} (${l.kind}, ${l.problemType}) — wilayah: ${l.area} — lewat SLA ${durationText(l.overMinutes)}\n  ${l.link}`),
    '',
    'Pesan ini dikirim otomatis oleh APKT.',
  ].join('\n');
  const rows = lines
    .map((l) => `<tr><td><a href="${esc(l.link)}">${esc(l.number)}</a></td><td>${esc(l.kind)}</td><td>${esc(l.problemType)}</td><td>${esc(l.area)}</td><td>${esc(durationText(l.overMinutes))}</td></tr>`)
    .join('');
  const html = `<p>${esc(intro)}</p><table><thead><tr><th>Nomor</th><th>Jenis</th><th>Masalah</th><th>Wilayah pelanggan</th><th>Lewat SLA</th></tr></thead><tbody>${rows}</tbody></table><p>Pesan ini dikirim otomatis oleh APKT.</p>`;
  return { subject, text, html };
}
