import fc from 'fast-check';
import { ERASED, scrub, scrubber, scrubPattern, type Subject } from './scrub.rule';

describe('R-P3 scrubbing free text of the customer’s own identifiers and name', () => {
  const subject: Subject = {
    names: ['Budi Santoso', 'budi'],
    phones: ['+62 812-3456-7890'],
    idPels: ['512345678901'],
    meterNumbers: ['14012345678'],
    emails: ['budi@example.com'],
    addresses: ['Jl. Kenanga 7'],
  };
  const pattern = scrubPattern(subject);

  it.each([
    ['Pelanggan Budi Santoso minta ditelepon', `Pelanggan ${ERASED} minta ditelepon`],
    ['pelanggan BUDI   SANTOSO', `pelanggan ${ERASED}`],
    ['hubungi 081234567890 segera', `hubungi ${ERASED} segera`],
    ['hubungi +62 812-3456-7890', `hubungi ${ERASED}`],
    ['hubungi 6281234567890.', `hubungi ${ERASED}.`],
    ['hubungi 0812 3456 7890', `hubungi ${ERASED}`],
    ['ID PEL 512345678901. kompor', `ID PEL ${ERASED}. kompor`],
    ['meter 14012345678', `meter ${ERASED}`],
    ['email budi@example.com', `email ${ERASED}`],
    ['Budiman tetangga, bukan pelanggan', 'Budiman tetangga, bukan pelanggan'],
    // R-P3: the address, and a name's word alone (agents write a first name)
    ['petugas ke Jl. Kenanga 7 rumah kosong', `petugas ke ${ERASED} rumah kosong`],
    ['alamat JL.  KENANGA 7, RT 2', `alamat ${ERASED}, RT 2`],
    ['Jl. Kenanga 71 tetangga', 'Jl. Kenanga 71 tetangga'],
    ['gang Kenanga lain', 'gang Kenanga lain'],
    ['Santoso minta ditelepon', `${ERASED} minta ditelepon`],
    ['Pak Budi konfirmasi', `Pak ${ERASED} konfirmasi`],
    ['ID PEL 5123456789012 lain', 'ID PEL 5123456789012 lain'],
    ['nomor lain 081234567891', 'nomor lain 081234567891'],
    ['Gangguan Berulang: G5422026000123 padam', 'Gangguan Berulang: G5422026000123 padam'],
    // accents either way, as the look-up matches names (stop 54 audit)
    ['Pak Búdi Sàntoso datang', `Pak ${ERASED} datang`],
    ['SANTÖSO minta ditelepon', `${ERASED} minta ditelepon`],
  ])('%s → %s', (text, expected) => {
    expect(scrub(text, pattern)).toBe(expected);
    expect(scrubber(subject)!(text)).toBe(expected);
  });

  it('finds a name written without its accents, and with other ones', () => {
    const dede: Subject = { names: ['Dédé Ramírez'], phones: [], idPels: [], meterNumbers: [], emails: [], addresses: [] };
    for (const [text, expected] of [
      ['Dede Ramirez minta ditelepon', `${ERASED} minta ditelepon`],
      ['DEDE datang, Ramírez pergi', `${ERASED} datang, ${ERASED} pergi`],
      ['Dèdè juga', `${ERASED} juga`],
      ['Dedeh tetangga', 'Dedeh tetangga'],
    ]) {
      expect(scrub(text, scrubPattern(dede))).toBe(expected);
      expect(scrubber(dede)!(text)).toBe(expected);
    }
    // letters whose mark is part of the letter (Ł, Đ, Ş …), as a keyboard without them writes them
    const lukasz: Subject = { names: ['Łukasz Đorđe Şahin'], phones: [], idPels: [], meterNumbers: [], emails: [], addresses: [] };
    for (const [text, expected] of [
      ['lukasz dorde sahin datang', `${ERASED} datang`],
      ['Pak LUKASZ, Sahin', `Pak ${ERASED}, ${ERASED}`],
    ]) {
      expect(scrub(text, scrubPattern(lukasz))).toBe(expected);
      expect(scrubber(lukasz)!(text)).toBe(expected);
    }
  });

  it('has nothing to look for when nothing is known', () => {
    expect(scrubPattern({ names: [null], phones: [], idPels: [null], meterNumbers: [], emails: [], addresses: [null] })).toBeNull();
    expect(scrub('apa saja', null)).toBe('apa saja');
  });

  it('leaves a two-letter name alone (too common to scrub), whole or as a word of a longer name', () => {
    expect(scrub('Al datang', scrubPattern({ names: ['Al'], phones: [], idPels: [], meterNumbers: [], emails: [], addresses: [] }))).toBe('Al datang');
    expect(scrub('Al datang, Al Fajri juga', scrubPattern({ names: ['Al Fajri'], phones: [], idPels: [], meterNumbers: [], emails: [], addresses: [] }))).toBe(`Al datang, ${ERASED} juga`);
    expect(scrub('Fajri datang', scrubPattern({ names: ['Al Fajri'], phones: [], idPels: [], meterNumbers: [], emails: [], addresses: [] }))).toBe(`${ERASED} datang`);
  });

  it('scrubber (R-P4, no pattern compiled per subject) answers as the pattern does, over generated texts', () => {
    const digits = (min: number, max: number) => fc.stringMatching(new RegExp(`^[0-9]{${min},${max}}$`));
    const subjects = fc.record({
      names: fc.array(fc.oneof(fc.constantFrom('Budi Santoso', 'budi', 'Siti', 'Al', 'Nur Aini', 'Eko  Prasetyo', 'Dédé Ramírez', 'NÚR', 'Łukasz Đorđe'), fc.constant(null)), { maxLength: 3 }),
      phones: fc.array(fc.oneof(digits(8, 13).map((d) => `08${d}`), digits(8, 12).map((d) => `+62 8${d}`), fc.constant(null)), { maxLength: 2 }),
      idPels: fc.array(fc.oneof(digits(12, 12), fc.constant(null)), { maxLength: 2 }),
      meterNumbers: fc.array(digits(11, 11), { maxLength: 1 }),
      emails: fc.array(fc.constantFrom('budi@example.com', 'x.y@pln.co.id'), { maxLength: 1 }),
      addresses: fc.array(fc.oneof(fc.constantFrom('Jl. Kenanga 7', 'Gg. Mawar  III/12', 'Perum Griya (Blok C-3)'), fc.constant(null)), { maxLength: 2 }),
    });
    // texts made of the subject's own identifiers in their written forms, near misses, separators and words
    const textOf = (s: Subject) => {
      const own = [...s.names, ...s.phones, ...s.idPels, ...s.meterNumbers, ...s.emails, ...s.addresses, ...s.names.flatMap((n) => n?.split(/\s+/) ?? [])].filter((v): v is string => !!v);
      const bare = (v: string) => v.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
      const forms = own.flatMap((v) => [v, v.toUpperCase(), bare(v), bare(v).replace(/[aeiou]/g, 'é'), v.replace(/^0/, '62'), v.replace(/^0/, '+62 '), v.replace(/(\d{4})/g, '$1 '), v.replace(/(\d{3})/g, '$1-'), `${v}1`, `9${v}`, v.slice(1)]);
      return fc.array(fc.oneof(fc.constantFrom(...(forms.length ? forms : ['x'])), fc.constantFrom(' ', '  ', '.', '(', ')', '-', ', ', 'a', 'Budiman', '0', '62', '+', '\n'), digits(1, 4)), { maxLength: 12 }).map((parts) => parts.join(''));
    };
    fc.assert(
      fc.property(subjects.chain((s) => fc.tuple(fc.constant(s as Subject), textOf(s as Subject))), ([s, text]) => {
        const fast = scrubber(s);
        expect(fast === null).toBe(scrubPattern(s) === null);
        expect(fast ? fast(text) : text).toBe(scrub(text, scrubPattern(s)));
      }),
      { numRuns: 500, seed: 28 },
    );
  });
});
