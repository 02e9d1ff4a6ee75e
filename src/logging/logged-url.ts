// R-P1, §18: request logs are not a copy of the customer's data. The values of the query parameters that
// carry personal data (a look-up by phone, name, ID Pel or meter number; an export; the access log's
// subject; a re-report preview's note) are written as "…": the log still shows which look-up was made,
// and the access log (src/personal-data-access) records whose data it answered with.
const PERSONAL = new Set(['phone', 'name', 'idpel', 'meternumber', 'note', 'email', 'address']);

/** The request's URL as logs may keep it. */
export function loggedUrl(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return url;
  const query = url
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const key = eq < 0 ? pair : pair.slice(0, eq);
      let name: string;
      try {
        name = decodeURIComponent(key.replace(/\+/g, ' '));
      } catch {
        name = key;
      }
      return eq >= 0 && PERSONAL.has(name.toLowerCase()) ? `${key}=…` : pair;
    });
  return `${url.slice(0, at)}?${query.join('&')}`;
}
