import { phoneKey } from '../common/phone';

// R-P3: what replaces a customer's personal data. Identifying columns become null; in free text
// (descriptions, remarks, unit answers, event and escalation notes, ITSM notes) the customer's own
// identifiers, name, address and each word of the name (of 3 letters or more: "Budi" of "Budi
// Santoso") are replaced by ERASED wherever they appear. The pattern is one regular
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
  addresses: (string | null)[];
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

const byLengthDown = (a: string, b: string) => b.length - a.length;

/**
 * The names and addresses to look for, as both scrubs try them: whole names and addresses longest first
 * ("Budi Santoso" whole before "Budi"), then each word of a name of 3 letters or more, longest first
 * (agents write a first name alone). An address's single words are not looked for ("Kenanga" is a
 * street of many customers); under 3 letters in all, a text is left (too common to scrub).
 */
function wordSequences(subject: Subject): string[] {
  const names = present(subject.names);
  const whole = [...new Set([...names, ...present(subject.addresses)].map((t) => t.replace(/\s+/g, ' ')))].sort(byLengthDown);
  const words = [...new Set(names.flatMap((n) => n.split(/\s+/)))].filter((w) => w.length >= 3 && !whole.includes(w)).sort(byLengthDown);
  return [...whole, ...words].filter((t) => t.length >= 3);
}

/**
 * A name's letters with and without their accents, either way ("Dédé Ramírez" typed "Dede Ramirez", or
 * the other way round), as the look-up matches names (R-L1); both cases listed, whatever the database's
 * locale makes of the `i` flag beyond ASCII.
 */
const ACCENTED: Record<string, string> = {
  a: 'aàáâãäåāăą', e: 'eèéêëēěę', i: 'iìíîïī', o: 'oòóôõöøōő', u: 'uùúûüūůű', c: 'cçćč', n: 'nñńň', y: 'yýÿ',
  d: 'dđď', l: 'lłľĺ', s: 'sśšşș', z: 'zźżž', g: 'gğ', r: 'rřŕ', t: 'tťţț',
};
const BASE_LETTER = new Map<string, string>(Object.entries(ACCENTED).flatMap(([base, forms]) => [...forms, ...forms.toUpperCase()].map((ch) => [ch, base] as [string, string])));
/** A letter with its accent and case taken away (letters outside ACCENTED: their lower case). */
const baseLetter = (ch: string): string => BASE_LETTER.get(ch) ?? ch.toLowerCase();

function letterPattern(ch: string): string {
  const forms = ACCENTED[baseLetter(ch)];
  return forms ? `[${forms}${forms.toUpperCase()}]` : escape(ch);
}

/** Words separated by any white space, ignoring case and accents, with no letter or digit on either side (wordSequences leaves out the short ones). */
function namePattern(name: string): string {
  return `${NOT_LETTER_BEFORE}${name.split(' ').map((word) => [...word].map(letterPattern).join('')).join('\\s+')}${NOT_LETTER_AFTER}`;
}

/** One pattern matching any of the subject's identifiers and names in free text; null when there is nothing to look for. */
export function scrubPattern(subject: Subject): string | null {
  const parts = [
    ...present(subject.idPels).map((d) => `${NOT_DIGIT_BEFORE}${digitsAnyGrouping(d.replace(/\D/g, ''))}${NOT_DIGIT_AFTER}`),
    ...present(subject.meterNumbers).map((d) => `${NOT_DIGIT_BEFORE}${digitsAnyGrouping(d.replace(/\D/g, ''))}${NOT_DIGIT_AFTER}`),
    ...present(subject.phones).map(phonePattern),
    ...present(subject.emails).map((e) => `${NOT_LETTER_BEFORE}${escape(e)}${NOT_LETTER_AFTER}`),
    ...wordSequences(subject).map(namePattern),
  ].filter((p): p is string => p !== null);
  return parts.length ? parts.map((p) => `(?:${p})`).join('|') : null;
}

/**
 * The pattern of the subject's identifiers alone — phone, ID Pel, meter number and e-mail forms, no name or
 * address — for finding text that names no ticket (a request callback's note): a name is shared by other
 * customers, an identifier is not. Null when none is known.
 */
export const identifierPattern = (s: Pick<Subject, 'phones' | 'idPels' | 'meterNumbers' | 'emails'>): string | null =>
  scrubPattern({ names: [], addresses: [], phones: s.phones, idPels: s.idPels, meterNumbers: s.meterNumbers, emails: s.emails });

/** The text as the database's regexp_replace(text, pattern, ERASED, 'gi') leaves it (for tests and previews). */
export function scrub(text: string | null, pattern: string | null): string | null {
  if (text === null || pattern === null) return text;
  return text.replace(new RegExp(pattern, ERASED_NOTE_FLAGS), ERASED);
}

/**
 * The same scrub as `scrub(text, scrubPattern(subject))` without a regular expression per subject: a
 * pattern of a subject's own digits with a separator class between each and look-arounds at both ends
 * costs a few hundred microseconds to compile, in PostgreSQL and in V8 alike, and R-P4 erases ticket by
 * ticket, each with its own identifiers (100,000 tickets: tens of seconds of compiling alone). This
 * scanner walks the text once, trying at each position the subject's identifiers in the pattern's order
 * (ID Pel, meter, phone, e-mail, names and addresses, then a name's words), as the alternation does; scrub.rule.spec.ts holds
 * the two to the same answers over generated texts.
 */
export function scrubber(subject: Subject): ((text: string | null) => string | null) | null {
  const digitRuns = [
    ...present(subject.idPels).map((d) => ({ digits: d.replace(/\D/g, ''), prefixed: false })),
    ...present(subject.meterNumbers).map((d) => ({ digits: d.replace(/\D/g, ''), prefixed: false })),
    ...present(subject.phones).flatMap((phone) => {
      const key = phoneKey(phone);
      return key.length < 6 ? [] : [{ digits: key.startsWith('0') ? key.slice(1) : key, prefixed: true }];
    }),
  ].filter((r) => r.digits.length > 0);
  const literals = [
    ...present(subject.emails).map((e) => [e]),
    ...wordSequences(subject).map((text) => text.split(' ')),
  ];
  if (!digitRuns.length && !literals.length) return null;
  const matchAt = (text: string, at: number): number => {
    for (const run of digitRuns) {
      if (at > 0 && isDigit(text, at - 1)) break; // (?<![0-9]) holds for every digit alternative alike
      const end = run.prefixed ? phoneAt(text, at, run.digits) : digitsAt(text, at, run.digits);
      if (end > 0) return end;
    }
    for (const words of literals) {
      const end = wordsAt(text, at, words);
      if (end > 0) return end;
    }
    return -1;
  };
  return (text) => {
    if (text === null) return null;
    let out = '';
    let copied = 0;
    for (let at = 0; at < text.length; ) {
      const end = matchAt(text, at);
      if (end > at) {
        out += text.slice(copied, at) + ERASED;
        copied = at = end;
      } else at++;
    }
    return copied === 0 ? text : out + text.slice(copied);
  };
}

const SEPARATOR = /[\s.()-]/;
const SPACE = /\s/;
const isDigit = (text: string, at: number) => at < text.length && text.charCodeAt(at) >= 48 && text.charCodeAt(at) <= 57;
const isWordChar = (text: string, at: number) => at >= 0 && at < text.length && /[A-Za-z0-9]/.test(text[at]);
const sameLetter = (a: string, b: string) => a === b || a.toLowerCase() === b.toLowerCase() || a.toUpperCase() === b.toUpperCase() || (BASE_LETTER.has(b) && BASE_LETTER.get(a) === BASE_LETTER.get(b));

/** `digits` with any separators between them from `at`, not followed by a digit: the end, or -1. */
function digitsAt(text: string, at: number, digits: string): number {
  let i = at;
  for (let k = 0; k < digits.length; k++) {
    if (k > 0) while (i < text.length && SEPARATOR.test(text[i])) i++;
    if (text[i] !== digits[k]) return -1;
    i++;
  }
  return isDigit(text, i) ? -1 : i;
}

/** A phone's national digits after `+62`, `62` or `0` and separators, or bare (the pattern's optional prefix, tried in its order). */
function phoneAt(text: string, at: number, national: string): number {
  const starts: number[] = [];
  if (text[at] === '+') {
    if (text[at + 1] === '6' && text[at + 2] === '2') starts.push(at + 3);
  } else if (text[at] === '6' && text[at + 1] === '2') starts.push(at + 2);
  if (text[at] === '0') starts.push(at + 1);
  for (const start of starts) {
    let i = start;
    while (i < text.length && SEPARATOR.test(text[i])) i++;
    const end = digitsAt(text, i, national);
    if (end > 0) return end;
  }
  return digitsAt(text, at, national);
}

/** The words, case aside, separated by white space, from `at`, with no letter or digit on either side: the end, or -1. */
function wordsAt(text: string, at: number, words: string[]): number {
  if (isWordChar(text, at - 1)) return -1;
  let i = at;
  for (let w = 0; w < words.length; w++) {
    if (w > 0) {
      if (i >= text.length || !SPACE.test(text[i])) return -1;
      while (i < text.length && SPACE.test(text[i])) i++;
    }
    const word = words[w];
    for (let k = 0; k < word.length; k++, i++) if (i >= text.length || !sameLetter(text[i], word[k])) return -1;
  }
  return isWordChar(text, i) ? -1 : i;
}

/** The subject of one ticket alone (R-P4 erases ticket by ticket). */
export const subjectOfTicket = (t: { name: string | null; phone: string | null; idPel: string | null; meterNumber: string | null; address: string | null }): Subject => ({
  names: [t.name],
  phones: [t.phone],
  idPels: [t.idPel],
  meterNumbers: [t.meterNumber],
  emails: [],
  addresses: [t.address],
});
