import { FakeClock } from '../src/clock/clock';
import { PrismaService } from '../src/database/prisma.service';
import { requestFingerprint } from '../src/http/idempotency';
import { ticketFromSnapshot } from '../src/tickets/sql/ticket-columns.sql';
import { TestApp } from './support/app';
import { gangguan, keluhan, registerUnits } from './support/fixtures';

// API.md "Idempotency-Key (any POST): the same key with the same body within 24 hours returns the first
// response again (same status and body) and changes nothing". The create route stores a new key with its
// answer in its one statement (src/http/idempotency.ts, "deferred"); every way out of that fast path is
// covered here: an existing key, a key taken concurrently, an expired or abandoned claim, a claim still in
// progress, answers that are not a plain create (400s, the intakes that hold the key first).
describe('Idempotency-Key', () => {
  const clock = new FakeClock(new Date('2026-11-23T01:00:00Z'));
  let app: TestApp;
  let prisma: PrismaService;
  let keys = 0;
  beforeAll(async () => {
    app = await TestApp.start({ clock });
    prisma = app.app.get(PrismaService);
    await registerUnits(app, '542');
  });
  afterAll(() => app.close());

  const newKey = () => `key-${++keys}`;
  let csoToken: string;
  beforeAll(async () => {
    csoToken = await app.token('cso');
  });

  /** A POST as the CSO with the key, answered as raw text: replays must be byte for byte the first. */
  const post = async (path: string, key: string, body: unknown) => {
    const response = await fetch(app.baseUrl + path, {
      method: 'POST',
      headers: { authorization: `Bearer ${csoToken}`, 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(body),
    });
    return { status: response.status, headers: response.headers, text: await response.text() };
  };
  const create = (key: string, body: unknown) => post('/api/v1/tickets', key, body);
  const count = (description: string) => prisma.ticket.count({ where: { description } });
  const storedKey = (key: string) => prisma.idempotencyKey.findUnique({ where: { key: `8:test-cso:${key}` } });

  it('stores a new key with the created ticket in one statement and replays it byte for byte', async () => {
    const key = newKey();
    const first = await create(key, gangguan({ description: 'idem satu' }));
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const stored = await storedKey(key);
    expect(stored).toMatchObject({ statusCode: 201 });
    expect(JSON.parse(stored!.responseBody!)).toMatchObject({ view: 'ticket', data: { number: JSON.parse(first.text).number } });

    const again = await create(key, gangguan({ description: 'idem satu' }));
    expect(again.status).toBe(201);
    expect(again.text).toBe(first.text);
    expect(again.headers.get('content-type')).toBe(first.headers.get('content-type'));
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await count('idem satu')).toBe(1);
  });

  it('keeps every field of the stored ticket as the database has it (the snapshot the replay renders)', async () => {
    const key = newKey();
    const first = await create(key, keluhan({ description: 'idem snapshot', reportedAt: '2026-11-23T00:59:30.123Z' }));
    const stored = JSON.parse((await storedKey(key))!.responseBody!) as { data: unknown };
    const row = await prisma.ticket.findUniqueOrThrow({ where: { number: JSON.parse(first.text).number } });
    expect(ticketFromSnapshot(stored.data)).toEqual(row);
  });

  it('replays the first answer after the ticket has changed', async () => {
    const key = newKey();
    const first = await create(key, gangguan({ description: 'idem berubah' }));
    const { number } = JSON.parse(first.text);
    const moved = await app.as('unit', '542').post(`/api/v1/tickets/${number}/status`, { status: 'PENUGASAN' });
    expect(moved.status).toBe(200);
    const again = await create(key, gangguan({ description: 'idem berubah' }));
    expect(again.text).toBe(first.text);
    expect(JSON.parse(again.text)).toMatchObject({ status: 'LAPOR', version: 1 });
  });

  it('makes one ticket of 25 requests with the same key at the same instant, all answered alike', async () => {
    const key = newKey();
    const answers = await Promise.all(Array.from({ length: 25 }, () => create(key, gangguan({ description: 'idem serentak' }))));
    expect(answers.map((a) => a.status)).toEqual(Array(25).fill(201));
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    expect(await count('idem serentak')).toBe(1);
  });

  it('answers 422 to every request of a different body with a key taken at the same instant', async () => {
    const key = newKey();
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => create(key, gangguan({ description: `idem beda ${i}` }))));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 422)).toHaveLength(9);
    expect(await prisma.ticket.count({ where: { description: { startsWith: 'idem beda' } } })).toBe(1);
  });

  it('stores a 400 under the key: the same body gets it again, another body 422', async () => {
    const key = newKey();
    const bad = gangguan({ description: 'idem 400', urgent: 'yes' });
    const first = await create(key, bad);
    expect(first.status).toBe(400);
    const again = await create(key, bad);
    expect(again.status).toBe(400);
    expect(again.text).toBe(first.text);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await create(key, gangguan({ description: 'idem 400' }))).status).toBe(422);
    expect(await count('idem 400')).toBe(0);
  });

  it('stores a 400 from the database (unit not registered) under the key: no create on replay once the unit exists', async () => {
    const key = newKey();
    const body = gangguan({ unitCode: '777', description: 'idem unit' });
    const first = await create(key, body);
    expect(first.status).toBe(400);
    expect(first.text).toMatch(/unit 777 is not registered/);
    await registerUnits(app, '777');
    const again = await create(key, body);
    expect(again.status).toBe(400);
    expect(again.text).toBe(first.text);
    expect(await count('idem unit')).toBe(0);
  });

  it('creates again with a key whose answer is older than 24 hours', async () => {
    const key = newKey();
    const first = await create(key, gangguan({ description: 'idem kedaluwarsa' }));
    await prisma.idempotencyKey.update({ where: { key: `8:test-cso:${key}` }, data: { createdAt: new Date(clock.now().getTime() - 24 * 3600_000 - 1000) } });
    const again = await create(key, gangguan({ description: 'idem kedaluwarsa' }));
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBeNull();
    expect(JSON.parse(again.text).number).not.toBe(JSON.parse(first.text).number);
    expect(await count('idem kedaluwarsa')).toBe(2);
    expect(await create(key, gangguan({ description: 'idem kedaluwarsa' })).then((a) => a.text)).toBe(again.text);
  });

  it('takes over a claim left by a request that died, and waits for one still in progress', async () => {
    const dead = newKey();
    const body = gangguan({ description: 'idem yatim' });
    await claim(dead, body, -1000);
    const taken = await create(dead, body);
    expect(taken.status).toBe(201);
    expect(await count('idem yatim')).toBe(1);

    const running = newKey();
    const waiting = gangguan({ description: 'idem menunggu' });
    await claim(running, waiting, 60_000);
    const pending = create(running, waiting);
    await new Promise((r) => setTimeout(r, 300));
    const payload = JSON.stringify({ made: 'by the first request' });
    await prisma.idempotencyKey.update({
      where: { key: `8:test-cso:${running}` },
      data: { statusCode: 201, responseBody: JSON.stringify({ contentType: 'application/json; charset=utf-8', payload }) },
    });
    const answer = await pending;
    expect(answer.status).toBe(201);
    expect(answer.text).toBe(payload);
    expect(answer.headers.get('idempotent-replayed')).toBe('true');
    expect(await count('idem menunggu')).toBe(0);
  });

  /** The claim a request working on `body` holds, its lock ending in `lockMs` (in the past: it died). */
  const claim = (key: string, body: unknown, lockMs: number) =>
    prisma.idempotencyKey.create({
      data: {
        key: `8:test-cso:${key}`,
        fingerprint: requestFingerprint('POST', '/api/v1/tickets', body),
        lockedUntil: new Date(clock.now().getTime() + lockMs),
        createdAt: clock.now(),
      },
    });

  it('holds the key before an induction-stove callback create: one ticket and one escalation of 10 at once', async () => {
    const key = newKey();
    const body = keluhan({
      problemType: 'INFORMASI',
      subType: 'LAYANAN_KOMPOR_INDUKSI',
      description: 'idem kompor',
      customer: { name: 'Ani Idem', phone: '081200000099' },
      callbackAt: '2026-11-23T15:00:00+07:00',
    });
    const answers = await Promise.all(Array.from({ length: 10 }, () => create(key, body)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(201));
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    const { number } = JSON.parse(answers[0].text);
    expect(await prisma.ticket.count({ where: { customerName: 'Ani Idem' } })).toBe(1);
    expect(await prisma.escalation.count({ where: { ticketNumber: number } })).toBe(1);
  });

  it('holds the key before an IML report: one ticket of 10 at once', async () => {
    const key = newKey();
    const body = gangguan({
      problemType: 'TETANGGA_TIDAK_TURUT_PADAM',
      woType: 'IML_LISTRIQU',
      description: 'GANGGUAN IML, PADAM SEBAGIAN RUMAH, MCB DALAM/SEKRING TURUN',
      customer: { name: 'Iml Idem', phone: '081200000098', idPel: '512345670098', province: 'Jawa Barat' },
      iml: { willingToPay: true, preferredVisitDate: '2026-11-25', regency: 'Kota Bandung', district: 'Coblong', village: 'Dago', landmark: 'Dekat masjid', latitude: -6.9, longitude: 107.6 },
    });
    const answers = await Promise.all(Array.from({ length: 10 }, () => create(key, body)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(201));
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    expect(await prisma.ticket.count({ where: { customerName: 'Iml Idem' } })).toBe(1);
  });

  it('holds the key before an app-problem intake: one answer of 10 at once', async () => {
    const key = newKey();
    const body = keluhan({
      customer: { name: 'App Idem', phone: '081200000097', idPel: '512345670097' },
      problemType: 'LAIN_LAIN',
      subType: 'LAIN_LAIN',
      description: 'Pelanggan bertanya cara mengunduh PLN Mobile',
      appProblem: { category: 'Cara Download Aplikasi' },
    });
    const answers = await Promise.all(Array.from({ length: 10 }, () => create(key, body)));
    expect(new Set(answers.map((a) => `${a.status} ${a.text}`)).size).toBe(1);
    expect(answers[0].status).toBe(201);
    expect(await prisma.ticket.count({ where: { customerName: 'App Idem' } })).toBe(1);
  });

  it('writes no key for a create without one', async () => {
    const before = await prisma.idempotencyKey.count();
    const answer = await app.as('cso').post('/api/v1/tickets', gangguan({ description: 'idem tanpa kunci' }));
    expect(answer.status).toBe(201);
    expect(await prisma.idempotencyKey.count()).toBe(before);
  });

  it('claims up front on other POST routes: one update of 10 at once', async () => {
    const ticket = JSON.parse((await create(newKey(), gangguan({ description: 'idem update' }))).text);
    const key = newKey();
    const answers = await Promise.all(Array.from({ length: 10 }, () => post(`/api/v1/tickets/${ticket.number}/updates`, key, { note: 'Pelanggan menanyakan progres' })));
    expect(new Set(answers.map((a) => `${a.status} ${a.text}`)).size).toBe(1);
    expect(answers[0].status).toBe(201);
    const after = await prisma.ticket.findUniqueOrThrow({ where: { number: ticket.number } });
    expect(after.updateCount).toBe(1);
  });
});
