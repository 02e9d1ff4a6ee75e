import { phoneKey } from '../common/phone';

// R-P3: what replaces a customer's personal data. Identifying columns become null; in free text
// (descriptions, remarks, unit answers, event and escalation notes, ITSM notes) the customer's own
// identifiers and name are replaced by ERASED wherever they appear. The pattern is one regular
// expression that PostgreSQL (ARE) and JavaScript read alike, so the same text runs set-based in SQL
// and in this module's tests.

export const ERASED = '[dihapus]';
export const ERASED_NOTE_FLAGS = 'gi';

/** What is known of one customer, from their tickets and ITSM references. */
export interface Subject {
  names: (string | null)[];
  phones: (string | null)[];
  idPels: (string | null)[];
  meterNumbers: (string | null)[];
  emails: (string | null)[];
}

const SEPARATORS = '[\\s.()-]*';
const NOT_DIGIT_BEFORE = '(?<![0-9])';
const NOT_DIGIT_AFTER = '(?![0-9])';
const NOT_LETTER_BEFORE = '(?<![A-Za-z0-9])';
const NOT_LETTER_AFTER = '(?![A-Za-z0-9])';

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const present = (values: (string | null)[]) => [...new Set(values.map((v) => v?.trim()).filter((v): v is string => !!v))];

/** Digits in any grouping: `5123 4567 8901`, `5123-4567-8901`. */
const digitsAnyGrouping = (digits: string) => digits.split('').join(SEPARATORS);

/** A phone in any of its written forms (R-L1): 0812…, 62812…, +62 812-…, 812…. */
function phonePattern(phone: string): string | null {
  const key = phoneKey(phone);
  if (key.length < 6) return null;
  const national = key.startsWith('0') ? key.slice(1) : key;
  return `${NOT_DIGIT_BEFORE}(?:\\+?62${SEPARATORS}|0${SEPARATORS})?${digitsAnyGrouping(national)}${NOT_DIGIT_AFTER}`;
}

/** A name as words separated by any white space, ignoring case; names under 3 letters are left (too common to scrub). */
function namePattern(name: string): string | null {
  const words = name.split(/\s+/).filter(Boolean);
  if (words.join(' ').length < 3) return null;
  return `${NOT_LETTER_BEFORE}${words.map(escape).join('\\s+')}${NOT_LETTER_AFTER}`;
}

/** One pattern matching any of the subject's identifiers and names in free text; null when there is nothing to look for. */
export function scrubPattern(subject: Subject): string | null {
  const parts = [
    ...present(subject.idPels).map((d) => `${NOT_DIGIT_BEFORE}${digitsAnyGrouping(d.replace(/\D/g, ''))}${NOT_DIGIT_AFTER}`),
    ...present(subject.meterNumbers).map((d) => `${NOT_DIGIT_BEFORE}${digitsAnyGrouping(d.replace(/\D/g, ''))}${NOT_DIGIT_AFTER}`),
    ...present(subject.phones).map(phonePattern),
    ...present(subject.emails).map((e) => `${NOT_LETTER_BEFORE}${escape(e)}${NOT_LETTER_AFTER}`),
    // longest first: "Budi Santoso" is replaced whole before "Budi" alone
    ...present(subject.names).sort((a, b) => b.length - a.length).map(namePattern),
  ].filter((p): p is string => p !== null);
  return parts.length ? parts.map((p) => `(?:${p})`).join('|') : null;
}

/** The text as the database's regexp_replace(text, pattern, ERASED, 'gi') leaves it (for tests and previews). */
export function scrub(text: string | null, pattern: string | null): string | null {
  if (text === null || pattern === null) return text;
  return text.replace(new RegExp(pattern, ERASED_NOTE_FLAGS), ERASED);
}

/** The subject of one ticket alone (R-P4 erases ticket by ticket). */
export const subjectOfTicket = (t: { name: string | null; phone: string | null; idPel: string | null; meterNumber: string | null }): Subject => ({
  names: [t.name],
  phones: [t.phone],
  idPels: [t.idPel],
  meterNumbers: [t.meterNumber],
  emails: [],
});
