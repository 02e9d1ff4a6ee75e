// Realistic create bodies (the shapes of test/support/fixtures.ts, varied): mostly Gangguan, some
// Keluhan, Indonesian names and addresses, valid ID Pel and phone numbers. No IML, app-problem or
// induction-stove cases: those take other paths (R-I2, R-A1, R-K1).
const NAMES = ['Budi Santoso', 'Siti Rahayu', 'Agus Setiawan', 'Dewi Lestari', 'Eko Prasetyo', 'Rina Wulandari', 'Joko Susilo', 'Nur Aini', 'Hendra Gunawan', 'Sri Mulyani', 'Bambang Hartono', 'Yuni Astuti'];
const STREETS = ['Jl. Merdeka', 'Jl. Sudirman', 'Jl. Diponegoro', 'Jl. Gatot Subroto', 'Jl. Ahmad Yani', 'Jl. Pahlawan', 'Gg. Melati', 'Jl. Veteran'];
const PROVINCES = ['Jawa Barat', 'JAWA TENGAH', 'DKI Jakarta', 'Jawa Timur', 'BANTEN', 'Bali', 'Sumatera Utara', 'Sulawesi Selatan'];
const GANGGUAN = [
  ['PADAM_1_RUMAH', 'Listrik padam satu rumah sejak pagi, tetangga menyala'],
  ['PADAM_1_GARDU', 'Satu gang padam setelah terdengar ledakan di gardu'],
  ['TEGANGAN_TIDAK_STABIL', 'Lampu berkedip dan tegangan naik turun sejak sore'],
  ['KWH_METER_RUSAK', 'Layar kWh meter mati, token tidak bisa dimasukkan'],
  ['KABEL_PUTUS', 'Kabel SR putus tertimpa dahan pohon di depan rumah'],
] as const;
const KELUHAN = [
  ['TAGIHAN', 'TAGIHAN_SUSULAN', 'Tagihan bulan ini jauh lebih besar dari biasanya'],
  ['TAGIHAN', null, 'Pembayaran sudah dilakukan tetapi masih tercatat menunggak'],
  ['PELAYANAN', 'SIKAP_PETUGAS', 'Petugas pencatat meter tidak datang sesuai jadwal'],
  ['INFORMASI', 'PERUBAHAN_DAYA', 'Menanyakan status permohonan tambah daya'],
] as const;

const pick = <T>(list: readonly T[], i: number): T => list[i % list.length];

export function createBody(i: number, unitCode: string): Record<string, unknown> {
  const customer: Record<string, unknown> = {
    name: pick(NAMES, i),
    phone: `08${String(1200000000 + ((i * 7919) % 899999999)).padStart(10, '0')}`,
    idPel: String(510000000000 + ((i * 104729) % 9999999999)),
    address: `${pick(STREETS, i >> 3)} No. ${1 + (i % 250)}, RT ${1 + (i % 9)}/RW ${1 + (i % 7)}`,
    province: pick(PROVINCES, i >> 1),
  };
  if (i % 10 < 7) {
    const [problemType, description] = pick(GANGGUAN, i);
    return { kind: 'GANGGUAN', unitCode, channel: 'CC123', customer, problemType, description, urgent: i % 23 === 0 };
  }
  const [problemType, subType, description] = pick(KELUHAN, i);
  return { kind: 'KELUHAN', unitCode, channel: 'CC123', customer, problemType, ...(subType ? { subType } : {}), description };
}

/** Unit codes '100', '101', … */
export const unitCodes = (count: number, first = 100): string[] => Array.from({ length: count }, (_, i) => String(first + i));
