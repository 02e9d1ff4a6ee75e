import { csvField, toCsv } from './csv';

describe('R-M2 CSV of the unit report', () => {
  it.each<[string | number | null, string]>([
    ['UP3 Bandung', 'UP3 Bandung'],
    ['ULP Cimahi, Kota', '"ULP Cimahi, Kota"'],
    ['ULP "Selatan"', '"ULP ""Selatan"""'],
    ['two\nlines', '"two\nlines"'],
    [12.5, '12.5'],
    [null, ''],
  ])('%j → %s', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it('names each column by its path and writes one line per row', () => {
    const shape = { unitCode: '', received: { GANGGUAN: 0, byChannel: { CC123: 0 } }, mean: null };
    const rows = [{ unitCode: '542', received: { GANGGUAN: 3, byChannel: { CC123: 2 } }, mean: null }];
    expect(toCsv(rows, shape)).toBe('unitCode,received.GANGGUAN,received.byChannel.CC123,mean\r\n542,3,2,\r\n');
    expect(toCsv([], shape)).toBe('unitCode,received.GANGGUAN,received.byChannel.CC123,mean\r\n');
  });
});
