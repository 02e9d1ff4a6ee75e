import type { TestApp } from './app';

export const gangguan = (over: Record<string, unknown> = {}) => ({
  kind: 'GANGGUAN',
  unitCode: '542',
  channel: 'CC123',
  customer: { name: 'Budi', phone: '081234567890', idPel: '512345678901', address: 'Jl. Merdeka 1', province: 'Jawa Barat' },
  problemType: 'PADAM_1_RUMAH',
  description: 'Listrik padam satu rumah sejak pagi',
  ...over,
});

export const keluhan = (over: Record<string, unknown> = {}) => ({
  kind: 'KELUHAN',
  unitCode: '542',
  channel: 'CC123',
  customer: { name: 'Siti', phone: '+6281298765432', idPel: '512345678902' },
  problemType: 'TAGIHAN',
  subType: 'TAGIHAN_SUSULAN',
  description: 'Tagihan bulan ini tidak wajar',
  ...over,
});

/** POST /api/v1/tickets as the CSO; the created ticket, or an error naming the answer. */
export async function createTicket(app: TestApp, body: unknown): Promise<any> {
  const answer = await app.as('cso').post('/api/v1/tickets', body);
  if (answer.status !== 201) throw new Error(`${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

export async function registerUnits(app: TestApp, ...codes: string[]): Promise<void> {
  const admin = app.as('admin');
  for (const code of codes) {
    const answer = await admin.put(`/api/v1/units/${code}`, { name: `Unit ${code}` });
    if (answer.status !== 200) throw new Error(`unit ${code}: ${answer.status} ${JSON.stringify(answer.body)}`);
  }
}
