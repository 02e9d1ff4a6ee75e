import { isKompor, komporWo, missingKomporFields } from './kompor-induksi.rule';

describe('R-K1 Classification', () => {
  it.each([
    ['KELUHAN', 'LAYANAN_KOMPOR_INDUKSI', true],
    ['KELUHAN', 'TAGIHAN', false],
    ['GANGGUAN', 'LAYANAN_KOMPOR_INDUKSI', false],
    ['KELUHAN', null, false],
  ])('%s / %s → %s', (kind, subType, expected) => expect(isKompor(kind as string, subType)).toBe(expected));
});

describe('R-K3 WO text', () => {
  it('installation works: the 001 §6 format with the ID Pel and the problem', () => {
    expect(komporWo('512345678901', 'Kompor tidak panas', { installationPowered: true })).toBe(
      'LAPORAN MENGENAI KOMPOR INDUKSI DENGAN ID PEL 512345678901. Kompor tidak panas. IB PELANGGAN TIDAK BERMASALAH, MOHON DI LAKUKAN PENANGANAN.',
    );
  });

  it('does not double the full stop after a problem that ends with one', () => {
    expect(komporWo('12345678901', 'Kompor mati. ', { installationPowered: true })).toContain('ID PEL 12345678901. Kompor mati. IB PELANGGAN');
  });

  it.each([
    ['PASCABAYAR', 'OFF', '2026-11-25', 'Listrik Paskabayar, MCB PLN (OFF), waktu kunjungan yang diinginkan tgl 25/11/26'],
    ['PRABAYAR', 'ON', '2027-01-05', 'Listrik Prabayar, MCB PLN (ON), waktu kunjungan yang diinginkan tgl 05/01/27'],
  ] as const)('cooking circuit dead, %s MCB %s visit %s: the 001 §3 text', (paymentType, mcbPln, preferredVisitDate, middle) => {
    expect(komporWo('512345678901', 'x', { installationPowered: false, paymentType, mcbPln, preferredVisitDate })).toBe(
      `Gangguan IML, jalur khusus memasak padam, mcb dalam/skring turun. ${middle}, Pelanggan adalah KPM program Konversi kompor LPG ke kompor Induksi`,
    );
  });

  it('requires payment type, MCB state and visit date only when the circuit is dead', () => {
    expect(missingKomporFields({ installationPowered: true })).toEqual([]);
    expect(missingKomporFields({ installationPowered: false, mcbPln: 'ON' })).toEqual(['paymentType', 'preferredVisitDate']);
  });
});
