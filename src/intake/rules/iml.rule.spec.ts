import { cancellationWo, correctionWo, esdmWo, nonListriquWo, reReportWo } from './iml.rule';

describe('R-I2 WO of a customer who will not pay', () => {
  it('prefixes LISTRIQU : once', () => {
    expect(nonListriquWo('GANGGUAN IML PADAM SEBAGIAN BANGUNAN')).toBe('LISTRIQU : GANGGUAN IML PADAM SEBAGIAN BANGUNAN');
    expect(nonListriquWo('LISTRIQU : GANGGUAN IML')).toBe('LISTRIQU : GANGGUAN IML');
  });
});

describe('R-I2 outside coverage: the WO ends with the ESDM text', () => {
  it.each([
    ['a bare problem', 'GANGGUAN IML, MCB DALAM TURUN', 'GANGGUAN IML, MCB DALAM TURUN, TELAH DIINFORMASIKAN MENGHUBUNGI CC ESDM DI 021-136'],
    ['a problem closed by a full stop', 'GANGGUAN IML, MCB DALAM TURUN. ', 'GANGGUAN IML, MCB DALAM TURUN, TELAH DIINFORMASIKAN MENGHUBUNGI CC ESDM DI 021-136'],
    ['a problem already ending so', 'PADAM, TELAH DIINFORMASIKAN MENGHUBUNGI CC ESDM DI 021-136.', 'PADAM, TELAH DIINFORMASIKAN MENGHUBUNGI CC ESDM DI 021-136'],
  ])('%s', (_, problem, wo) => {
    expect(esdmWo(problem)).toBe(wo);
    expect(wo.endsWith('TELAH DIINFORMASIKAN MENGHUBUNGI CC ESDM DI 021-136')).toBe(true);
  });
});

describe('R-I3 correction and cancellation WO', () => {
  it('EDIT', () => {
    expect(correctionWo('GANGGUAN IML, PADAM SEBAGIAN RUMAH, MCB DALAM/SEKRING TURUN', 'G5422026000001', 'TANGGAL KUNJUNGAN')).toBe(
      'GANGGUAN IML, PADAM SEBAGIAN RUMAH, MCB DALAM/SEKRING TURUN. KOREKSI TANGGAL KUNJUNGAN. NO. LAPOR SEBELUMNYA G5422026000001, TELAH DISESUAIKAN DI APLIKASI LISTRIQU.',
    );
  });

  it('EDIT never doubles a full stop', () => {
    expect(correctionWo('MCB TURUN.', 'G5422026000001', 'TANGGAL KUNJUNGAN.')).toBe(
      'MCB TURUN. KOREKSI TANGGAL KUNJUNGAN. NO. LAPOR SEBELUMNYA G5422026000001, TELAH DISESUAIKAN DI APLIKASI LISTRIQU.',
    );
  });

  it('CANCEL', () => {
    expect(cancellationWo('GANGGUAN IML, PADAM SEBAGIAN RUMAH', 'G5422026000001')).toBe(
      'GANGGUAN IML, PADAM SEBAGIAN RUMAH. PELANGGAN MEMBATALKAN LAPORANNYA. NO. LAPOR SEBELUMNYA G5422026000001, TELAH DISESUAIKAN DI APLIKASI LISTRIQU.',
    );
  });
});

describe('R-I4 WO of a re-report of a forwarded report', () => {
  it('names the problem and the previous number', () => {
    expect(reReportWo('PADAM SEBAGIAN BANGUNAN, MCB/SEKRING DALAM TURUN', 'G5422026000001')).toBe(
      'LAPOR ULANG GANGGUAN IML, PADAM SEBAGIAN BANGUNAN, MCB/SEKRING DALAM TURUN, TELAH DIARAHKAN MENGHUBUNGI CC LISTRIQU. NO. LAPOR SEBELUMNYA : G5422026000001',
    );
  });
});
