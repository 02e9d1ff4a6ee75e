// Induction-stove complaints (001, R-K1…R-K3): classification and the work-order text.
export const KOMPOR_SUBTYPE = 'LAYANAN_KOMPOR_INDUKSI';
export const KOMPOR_TYPE = 'INFORMASI';
export const NO_ID_PEL_WO = 'Laporan mengenai Kompor Induksi Pelanggan belum melengkapi ID PEL'; // R-K2

export interface KomporDetails {
  installationPowered: boolean;
  paymentType?: 'PRABAYAR' | 'PASCABAYAR';
  mcbPln?: 'ON' | 'OFF';
  preferredVisitDate?: string; // YYYY-MM-DD
}

export const isKompor = (kind: string, subType: string | null | undefined) => kind === 'KELUHAN' && subType === KOMPOR_SUBTYPE;

/** The fields R-K3 needs that are missing: all of them when the cooking circuit is dead. */
export function missingKomporFields(details: KomporDetails): string[] {
  if (details.installationPowered) return [];
  return (['paymentType', 'mcbPln', 'preferredVisitDate'] as const).filter((f) => details[f] === undefined);
}

const ddmmyy = (date: string) => `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(2, 4)}`;

/**
 * R-K3: the WO composed from the problem and the stove details. `id` is the ID Pel, else the meter
 * number written in its place. A dead cooking circuit is the installation's fault, so it takes the
 * 001 §3 text rather than "IB PELANGGAN TIDAK BERMASALAH" (DOMAIN.md's Reading).
 */
export function komporWo(id: string, problem: string, details: KomporDetails): string {
  if (details.installationPowered) {
    const text = problem.trim().replace(/\.+$/, '');
    return `LAPORAN MENGENAI KOMPOR INDUKSI DENGAN ID PEL ${id}. ${text}. IB PELANGGAN TIDAK BERMASALAH, MOHON DI LAKUKAN PENANGANAN.`;
  }
  const listrik = details.paymentType === 'PASCABAYAR' ? 'Paskabayar' : 'Prabayar'; // the seed's spelling
  return (
    `Gangguan IML, jalur khusus memasak padam, mcb dalam/skring turun. Listrik ${listrik}, MCB PLN (${details.mcbPln}), ` +
    `waktu kunjungan yang diinginkan tgl ${ddmmyy(details.preferredVisitDate as string)}, Pelanggan adalah KPM program Konversi kompor LPG ke kompor Induksi`
  );
}

/** R-K2: the keterangan of the no-ID-Pel ticket, R-K3's text with `-` for the ID Pel, so the complaint is kept. */
export const noIdPelKeterangan = (problem: string): string => komporWo('-', problem, { installationPowered: true });
