// R-M2: the unit report as CSV (RFC 4180), the same rows as the JSON answer: one line per UnitReport,
// one column per leaf of its shape, named by its path (`received.byChannel.CC123`), null as empty.

type Leaf = string | number | null;

function leaves(value: unknown, path: string, into: [string, Leaf][]): [string, Leaf][] {
  if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) leaves(inner, path ? `${path}.${key}` : key, into);
  } else {
    into.push([path, value as Leaf]);
  }
  return into;
}

/** A field quoted when it holds a comma, a quote or a line break; quotes doubled. */
export function csvField(value: Leaf): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Header (the paths of `shape`) and rows of objects of that shape; lines end CRLF as RFC 4180 says. */
export function toCsv(rows: object[], shape: object): string {
  const flat = rows.map((row) => leaves(row, '', []));
  const header = leaves(shape, '', []).map(([path]) => path);
  const lines = [header, ...flat.map((row) => row.map(([, value]) => csvField(value)))];
  return lines.map((line) => line.join(',')).join('\r\n') + '\r\n';
}
