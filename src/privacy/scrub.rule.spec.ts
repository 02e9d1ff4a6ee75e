import { ERASED, scrub, scrubPattern } from './scrub.rule';

describe('R-P3 scrubbing free text of the customer’s own identifiers and name', () => {
  const pattern = scrubPattern({
    names: ['Budi Santoso', 'budi'],
    phones: ['+62 812-3456-7890'],
    idPels: ['512345678901'],
    meterNumbers: ['14012345678'],
    emails: ['budi@example.com'],
  });

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
    ['ID PEL 5123456789012 lain', 'ID PEL 5123456789012 lain'],
    ['nomor lain 081234567891', 'nomor lain 081234567891'],
    ['Gangguan Berulang: G5422026000123 padam', 'Gangguan Berulang: G5422026000123 padam'],
  ])('%s → %s', (text, expected) => {
    expect(scrub(text, pattern)).toBe(expected);
  });

  it('has nothing to look for when nothing is known', () => {
    expect(scrubPattern({ names: [null], phones: [], idPels: [null], meterNumbers: [], emails: [] })).toBeNull();
    expect(scrub('apa saja', null)).toBe('apa saja');
  });

  it('leaves a two-letter name alone (too common to scrub)', () => {
    expect(scrub('Al datang', scrubPattern({ names: ['Al'], phones: [], idPels: [], meterNumbers: [], emails: [] }))).toBe('Al datang');
  });
});
