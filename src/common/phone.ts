// R-L1: one written form per phone number, so 0812…, 62812… and +62 812-… are one key. The database
// computes the stored key with apkt_phone_key (migration 20261130040000_customer_lookup); this is the
// same function for the values the service searches with (phone.spec.ts holds both to one table).

/** The phone number's key: digits only, country code 62 as trunk 0, a bare 8… given its 0. */
export function phoneKey(raw: string): string {
  const digits = raw.replace(/[^0-9]/g, '');
  if (digits.startsWith('62')) return `0${digits.slice(2)}`;
  if (digits.startsWith('8')) return `0${digits}`;
  return digits;
}

/** isSearchablePhone as one pattern: the document's (query and body) and a body's @Matches. */
export const SEARCHABLE_PHONE = /^\+?[ ()./-]*(\d[ ()./-]*){8,15}$/;

/** A searched phone: 8–15 digits once separators (spaces, dashes, dots, brackets, a leading +) are left out. */
export function isSearchablePhone(raw: string): boolean {
  return /^\+?[0-9 ()./-]+$/.test(raw) && /^\d{8,15}$/.test(raw.replace(/[^0-9]/g, ''));
}
