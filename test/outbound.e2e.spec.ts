import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { FakeClock } from '../src/clock/clock';
import { JobsService } from '../src/jobs/jobs.service';
import { WebhookResolver } from '../src/outbound/delivery';
import { DigestService } from '../src/outbound/digest.service';
import { RequestPressure } from '../src/http/request-pressure';
import { Dispatcher, PRESSED_RATE } from '../src/outbound/dispatcher';
import { OutboundRepository, WEBHOOK_DELETION_LOCK } from '../src/outbound/outbound.repository';
import { TestApp } from './support/app';
import { createTicket, gangguan, registerUnits } from './support/fixtures';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** when it arrived (Date.now()) */
  at: number;
}

/** The answers /hang holds (ended by the test that uses it). */
const hanging: ServerResponse[] = [];

/** /flaky answers 500 to a body naming a ticket described "fail…" while this is set. */
const flaky = { fails: true };

/** Real receivers: /ok, /slow (3 s), /500, /late500 (500 after 1.5 s), /close (drops the socket), /redirect (302 to /ok), /flaky, /hang (never answers). */
async function receiver(): Promise<{ server: Server; base: string; got: Received[] }> {
  const got: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      got.push({ path: req.url!, headers: req.headers, body, at: Date.now() });
      if (req.url!.split('?')[0] === '/ok') res.end('ok');
      else if (req.url === '/slow') setTimeout(() => res.end('late'), 3000);
      else if (req.url === '/500') res.writeHead(500).end('broken'.repeat(400));
      else if (req.url === '/nul') res.end(Buffer.from('ok\u0000done')); // a NUL in the answer, which PostgreSQL text cannot hold
      else if (req.url === '/late500') setTimeout(() => res.writeHead(500).end('late and broken'), 1500);
      else if (req.url === '/close') req.socket.destroy();
      else if (req.url === '/hang') hanging.push(res); // never answered: the sender's timeout ends the attempt
      else if (req.url === '/redirect') res.writeHead(302, { location: '/ok' }).end();
      else if (req.url === '/flaky') res.writeHead(flaky.fails && body.includes('"description":"fail') ? 500 : 200).end();
      else res.writeHead(404).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, got };
}

async function until<T>(check: () => Promise<T | undefined | false> | T | undefined | false, ms = 8000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('R-W1…R-W7 outbound', () => {
  const clock = new FakeClock(new Date());
  let app: TestApp;
  let sink: Awaited<ReturnType<typeof receiver>>;
  let db: Client;
  let smtp: SMTPServer;
  let smtpPort: number;
  const mails: { to: string; raw: string }[] = [];
  let smtpAnswer: { code: number; text: string } | null = null;

  beforeAll(async () => {
    sink = await receiver();
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, callback) {
        let raw = '';
        stream.on('data', (c: Buffer) => (raw += c.toString()));
        stream.on('end', () => {
          if (smtpAnswer) return callback(Object.assign(new Error(smtpAnswer.text), { responseCode: smtpAnswer.code }));
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), raw });
          callback();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
    smtpPort = (smtp.server.address() as AddressInfo).port;
    app = await TestApp.start({
      clock,
      config: { webhookAllowedHosts: ['127.0.0.1'], smtpUrl: `smtp://127.0.0.1:${smtpPort}`, mailFrom: 'APKT <apkt@pln.test>', notifyDigestMinutes: 15 },
    });
    await registerUnits(app, '542', '543');
    db = new Client({ connectionString: app.databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await app?.close();
    sink?.server.close();
    smtp?.close();
  });

  const admin = () => app.as('admin');
  const dispatcher = () => app.app.get(Dispatcher);
  const hooksFor = (path: string) => sink.got.filter((g) => g.path === path);
  async function endpoint(path: string, eventTypes: string[] = ['*'], unitCodes?: string[]) {
    const created = await admin().post('/api/v1/webhooks', { url: sink.base + path, eventTypes, ...(unitCodes ? { unitCodes } : {}) });
    expect(created.status).toBe(201);
    return created.body;
  }
  async function messages(id: string) {
    const answer = await admin().get(`/api/v1/webhooks/${id}/messages`);
    expect(answer.status).toBe(200);
    return answer.body.items as any[];
  }
  /** The endpoint's newest message once its first attempt is written. */
  const firstAttempted = (id: string) =>
    until(async () => {
      const [newest] = await messages(id);
      return newest?.attempts.length === 1 && newest;
    });
  async function removeAll() {
    for (const w of (await admin().get('/api/v1/webhooks')).body.items) {
      expect((await app.call('DELETE', `/api/v1/webhooks/${w.id}`, undefined, { token: await app.token('admin') })).status).toBe(204);
    }
  }
  afterEach(async () => {
    await removeAll();
    await dispatcher().idle();
  });

  describe('R-W1 subscriptions', () => {
    it('shows the secret only at creation and rotation, and refuses unknown event types', async () => {
      const hook = await endpoint('/ok', ['ticket.created']);
      expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      const read = await admin().get(`/api/v1/webhooks/${hook.id}`);
      expect(read.body.secret).toBeUndefined();
      // an action takes no body: a field is refused (API.md: unknown body fields → 400), and nothing rotates
      const refused = await admin().post(`/api/v1/webhooks/${hook.id}/rotate-secret`, { x: 1 });
      expect([refused.status, refused.body.errors]).toEqual([400, [{ field: 'x', message: 'property x should not exist' }]]);
      const rotated = await admin().post(`/api/v1/webhooks/${hook.id}/rotate-secret`, {});
      expect(rotated.status).toBe(200);
      expect(rotated.body.secret).not.toBe(hook.secret);
      expect((await admin().post(`/api/v1/webhooks/${hook.id}/messages/msg_0/resend`, { x: 1 })).status).toBe(400);
      const bad = await admin().post('/api/v1/webhooks', { url: sink.base + '/ok', eventTypes: ['ticket.exploded'] });
      expect(bad.status).toBe(400);
      expect((await app.as('cso').get('/api/v1/webhooks')).status).toBe(403);
      const changed = await app.call('PATCH', `/api/v1/webhooks/${hook.id}`, { enabled: false }, { token: await app.token('admin') });
      expect(changed.body).toMatchObject({ enabled: false, disabledReason: 'disabled by an admin' });
    });

    it('refuses "*" beside other types and units that are not registered, at creation and change (stop 54 audit)', async () => {
      const field = async (answer: Promise<{ status: number; body: any }>) => {
        const a = await answer;
        return [a.status, a.body.errors?.map((e: { field: string }) => e.field)];
      };
      expect(await field(admin().post('/api/v1/webhooks', { url: sink.base + '/ok', eventTypes: ['*', 'ticket.created'] }))).toEqual([400, ['eventTypes']]);
      expect(await field(admin().post('/api/v1/webhooks', { url: sink.base + '/ok', eventTypes: ['*'], unitCodes: ['542', '999'] }))).toEqual([400, ['unitCodes']]);
      const hook = await endpoint('/ok', ['*'], ['542']);
      const token = await app.token('admin');
      expect(await field(app.call('PATCH', `/api/v1/webhooks/${hook.id}`, { unitCodes: ['998'] }, { token }))).toEqual([400, ['unitCodes']]);
      expect(await field(app.call('PATCH', `/api/v1/webhooks/${hook.id}`, { eventTypes: ['ticket.closed', '*'] }, { token }))).toEqual([400, ['eventTypes']]);
      expect((await admin().get(`/api/v1/webhooks/${hook.id}`)).body).toMatchObject({ eventTypes: ['*'], unitCodes: ['542'] });
    });

    it('sends only the types and units an endpoint asked for', async () => {
      const hook = await endpoint('/ok', ['ticket.status_changed'], ['543']);
      await createTicket(app, gangguan());
      await dispatcher().idle();
      expect(await messages(hook.id)).toEqual([]);
    });
  });

  describe('R-W3 signed, verified with the reference library', () => {
    it('delivers ticket.created with the ticket and its event, signed per Standard Webhooks', async () => {
      const hook = await endpoint('/ok', ['ticket.created']);
      const before = hooksFor('/ok').length;
      const ticket = await createTicket(app, gangguan());
      const got = await until(() => hooksFor('/ok')[before]);
      const verified = new StandardWebhook(hook.secret).verify(got.body, got.headers as Record<string, string>) as any;
      expect(verified.type).toBe('ticket.created');
      expect(verified.data.ticket).toMatchObject({ number: ticket.number, status: 'LAPOR', unitCode: '542' });
      expect(verified.data.event).toMatchObject({ ticketNumber: ticket.number, type: 'CREATED', toStatus: 'LAPOR' });
      const [message] = await until(async () => {
        const list = await messages(hook.id);
        return list[0]?.status === 'DELIVERED' && list;
      });
      expect(got.headers['webhook-id']).toBe(message.id);
      expect(message.attempts).toEqual([expect.objectContaining({ statusCode: 200, answer: 'ok', error: null })]);
    });

    it('signs with both secrets for 24 h after a rotation', async () => {
      const hook = await endpoint('/ok', ['ticket.created']);
      const rotated = (await admin().post(`/api/v1/webhooks/${hook.id}/rotate-secret`)).body;
      const before = hooksFor('/ok').length;
      await createTicket(app, gangguan());
      const got = await until(() => hooksFor('/ok')[before]);
      expect(String(got.headers['webhook-signature']).split(' ')).toHaveLength(2);
      expect(() => new StandardWebhook(hook.secret).verify(got.body, got.headers as Record<string, string>)).not.toThrow();
      expect(() => new StandardWebhook(rotated.secret).verify(got.body, got.headers as Record<string, string>)).not.toThrow();
    });
  });

  describe('R-W2 never lost, never invented', () => {
    it('writes nothing for a rolled-back change, and a message for every writer kind that commits', async () => {
      const hook = await endpoint('/ok');
      const ticket = await createTicket(app, gangguan());
      await db.query('BEGIN');
      await db.query(`INSERT INTO ticket_events (ticket_number, type, from_status, to_status, actor_sub, actor_role, occurred_at, recorded_at)
        VALUES ($1, 'STATUS_CHANGED', 'LAPOR', 'PENUGASAN', 'x', 'unit', now(), now())`, [ticket.number]);
      await db.query('ROLLBACK');
      // a request (status move), the SLA job (R-J3), an escalation and an outage
      expect((await app.as('unit', '542').post(`/api/v1/tickets/${ticket.number}/status`, { status: 'PENUGASAN' })).status).toBe(200);
      await until(async () => (await messages(hook.id)).every((m) => m.status === 'DELIVERED'));
      clock.advance(4 * 3600_000);
      await app.app.get(JobsService).runAll();
      const outage = await app.as('admin').post('/api/v1/outages', { unitCode: '542', title: 'Gardu', cause: 'Trafo', area: 'Cibiru', etr: new Date(clock.now().getTime() + 3600_000).toISOString() });
      expect(outage.status).toBe(201);
      const types = await until(async () => {
        const list = await messages(hook.id);
        const t = [...new Set(list.map((m) => m.type))].sort();
        return t.includes('outage.created') && t.includes('ticket.sla_breached') && t;
      });
      expect(types).toEqual(['outage.created', 'ticket.created', 'ticket.sla_breached', 'ticket.status_changed']);
      // at least once: a repeat carries the same webhook-id, so the receiver keeps the first
      const seen = new Set<string>();
      const changes = hooksFor('/ok')
        .filter((g) => !seen.has(String(g.headers['webhook-id'])) && seen.add(String(g.headers['webhook-id'])))
        .map((g) => JSON.parse(g.body))
        .filter((b) => b.data.ticket?.number === ticket.number);
      expect(changes.map((b) => b.type)).toEqual(['ticket.created', 'ticket.status_changed', 'ticket.sla_breached']);
      expect(changes[1].data.ticket.status).toBe('PENUGASAN');
    });

    afterAll(() => clock.advance(-4 * 3600_000));

    it('outage propagation, escalations and an outage move write their messages too', async () => {
      const hook = await endpoint('/ok?writers', ['ticket.status_changed', 'escalation.created', 'escalation.done', 'outage.status_changed', 'outage.etr_changed']);
      const ticket = await createTicket(app, gangguan());
      const unit = app.as('unit', '542');
      const outage = (await unit.post('/api/v1/outages', { unitCode: '542', title: 'Penyulang trip', cause: 'Pohon', area: 'Sukamaju', etr: new Date(clock.now().getTime() + 7200_000).toISOString() })).body;
      expect((await unit.post(`/api/v1/outages/${outage.id}/tickets`, { numbers: [ticket.number] })).status).toBe(200);
      expect((await unit.post(`/api/v1/outages/${outage.id}/status`, { status: 'PERJALANAN' })).status).toBe(202);
      await app.app.get(JobsService).run('outagePropagation');
      expect((await app.call('PATCH', `/api/v1/outages/${outage.id}`, { etr: new Date(clock.now().getTime() + 9000_000).toISOString() }, { token: await app.token('unit', '542') })).status).toBe(200);
      const escalation = await app.as('cso').post('/api/v1/escalations', { category: 'REQUEST_CALLBACK', ticketNumber: ticket.number, note: 'Mohon ditelepon' });
      expect(escalation.status).toBe(201);
      expect((await app.as('backoffice').post('/api/v1/escalations/claim-next', {})).status).toBe(200);
      expect((await app.as('backoffice').post(`/api/v1/escalations/${escalation.body.id}/done`, { note: 'Sudah' })).status).toBe(200);
      const types = await until(async () => {
        const t = [...new Set((await messages(hook.id)).map((m) => m.type))].sort();
        return t.length >= 5 && t;
      });
      expect(types).toEqual(['escalation.created', 'escalation.done', 'outage.etr_changed', 'outage.status_changed', 'ticket.status_changed']);
      // attaching moved the ticket to PENUGASAN, the propagation to PERJALANAN: each message shows the ticket as its own commit left it
      const moves = await until(() => {
        const m = hooksFor('/ok?writers').map((g) => JSON.parse(g.body)).filter((b) => b.type === 'ticket.status_changed');
        return m.length === 2 && m;
      });
      expect(moves.map((b: any) => [b.data.event.toStatus, b.data.ticket.status])).toEqual([['PENUGASAN', 'PENUGASAN'], ['PERJALANAN', 'PERJALANAN']]);
      // the ticket's outage as API.md's Ticket shows it, as it was at each change (R-W3)
      expect(moves.map((b: any) => b.data.ticket.outage)).toEqual([
        { id: outage.id, title: 'Penyulang trip', status: outage.status, etr: outage.etr },
        { id: outage.id, title: 'Penyulang trip', status: 'PERJALANAN', etr: outage.etr },
      ]);
      expect(moves[1].data.ticket.number).toBe(ticket.number);
      const told = (type: string) => until(() => hooksFor('/ok?writers').map((g) => JSON.parse(g.body)).find((b) => b.type === type));
      const done = await told('escalation.done');
      expect(done.data.escalation).toMatchObject({ status: 'DONE', doneNote: 'Sudah' });
      // R-W3: with the ticket event each escalation change wrote (stop 54 audit)
      expect(done.data.event).toMatchObject({ ticketNumber: ticket.number, type: 'ESCALATION_DONE', note: 'REQUEST_CALLBACK: Sudah' });
      expect((await told('escalation.created')).data.event).toMatchObject({ ticketNumber: ticket.number, type: 'ESCALATED', note: 'REQUEST_CALLBACK: Mohon ditelepon' });
    });

    it('an escalation naming no ticket is told without an event (it wrote none)', async () => {
      const hook = await endpoint('/ok?bare-escalation', ['escalation.created']);
      const escalation = await app.as('cso').post('/api/v1/escalations', { category: 'REQUEST_CALLBACK', note: 'Pelanggan tanpa laporan' });
      expect(escalation.status).toBe(201);
      const [body] = await until(() => {
        const got = hooksFor('/ok?bare-escalation').map((g) => JSON.parse(g.body));
        return got.length === 1 && got;
      });
      expect(Object.keys(body.data)).toEqual(['escalation']);
      expect(hook.id).toBeDefined();
    });

    it('the auto-close job (R-J1) tells ticket.closed', async () => {
      const hook = await endpoint('/ok?closed', ['ticket.closed']);
      const ticket = await createTicket(app, gangguan());
      const done = await app.as('unit', '542').post(`/api/v1/tickets/${ticket.number}/status`, { status: 'SELESAI', unitAnswer: 'Sudah normal' });
      expect(done.status).toBe(200);
      clock.advance(25 * 3600_000);
      await app.app.get(JobsService).runAll();
      const got = await until(() => hooksFor('/ok?closed').map((g) => JSON.parse(g.body)).find((b) => b.data.ticket.number === ticket.number));
      expect(got).toMatchObject({ type: 'ticket.closed', data: { ticket: { status: 'DITUTUP', closeReason: 'NO_CONFIRMATION' }, event: { type: 'AUTO_CLOSED', actor: { role: 'system' } } } });
      expect((await messages(hook.id)).map((m) => m.type)).toEqual(['ticket.closed']);
    });

    it('R-W1 a Lapor Ulang that closes the previous ticket (R-R3) tells ticket.re_reported, then ticket.closed', async () => {
      await endpoint('/ok?reclosed', ['ticket.re_reported', 'ticket.closed']);
      const ticket = await createTicket(app, gangguan());
      expect((await app.as('unit', '542').post(`/api/v1/tickets/${ticket.number}/status`, { status: 'SELESAI', unitAnswer: 'Sudah normal' })).status).toBe(200);
      const again = await app.as('cso').post(`/api/v1/tickets/${ticket.number}/re-reports`, { note: 'Padam lagi' });
      expect([again.status, again.body.treatment, again.body.previous.status]).toEqual([201, 'LAPOR_ULANG', 'DITUTUP']);
      const told = await until(() => {
        const bodies = hooksFor('/ok?reclosed').map((g) => JSON.parse(g.body)).filter((b) => b.data.ticket.number === ticket.number);
        return bodies.length === 2 && bodies;
      });
      expect(told.map((b: any) => [b.type, b.data.ticket.status, b.data.ticket.closeReason])).toEqual([
        ['ticket.re_reported', 'DITUTUP', 'RE_REPORTED'],
        ['ticket.closed', 'DITUTUP', 'RE_REPORTED'],
      ]);
    });

    it('R-W1 every re-report tells ticket.re_reported, whatever its treatment: Update Lapor, Laporan Baru (stop 54 audit)', async () => {
      await endpoint('/ok?rereported', ['ticket.re_reported']);
      const bodiesOf = (number: string) => hooksFor('/ok?rereported').map((g) => JSON.parse(g.body)).filter((b) => b.data.ticket.number === number);
      const open = await createTicket(app, gangguan());
      const update = await app.as('cso').post(`/api/v1/tickets/${open.number}/re-reports`, { note: 'Masih padam' });
      expect([update.status, update.body.treatment]).toEqual([201, 'UPDATE_LAPOR']);
      const [told] = await until(() => bodiesOf(open.number).length === 1 && bodiesOf(open.number));
      expect([told.type, told.data.ticket.counters.updateCount, told.data.event.type]).toEqual(['ticket.re_reported', 1, 'UPDATE_LAPOR']);
      const nyala = await createTicket(app, gangguan());
      expect((await app.as('unit', '542').post(`/api/v1/tickets/${nyala.number}/status`, { status: 'NYALA' })).status).toBe(200);
      const again = await app.as('cso').post(`/api/v1/tickets/${nyala.number}/re-reports`, { note: 'Padam lagi' });
      expect([again.status, again.body.treatment]).toEqual([201, 'LAPORAN_BARU']);
      const [linked] = await until(() => bodiesOf(nyala.number).length === 1 && bodiesOf(nyala.number));
      expect([linked.type, linked.data.ticket.successorNumber, linked.data.event.type]).toEqual(['ticket.re_reported', again.body.ticket.number, 'RE_REPORTED']);
    });

    it('two instances: per-ticket order holds, a repeat only under the same webhook-id', async () => {
      const hook = await endpoint('/ok?two', ['ticket.created', 'ticket.status_changed']);
      const other = await TestApp.start({ clock, databaseUrl: app.databaseUrl, config: { webhookAllowedHosts: ['127.0.0.1'] } });
      try {
        const tickets = await Promise.all([1, 2, 3, 4].map(() => createTicket(app, gangguan())));
        for (const status of ['PENUGASAN', 'PERJALANAN', 'PENGERJAAN']) {
          await Promise.all(tickets.map((t, i) => (i % 2 ? other : app).as('unit', '542').post(`/api/v1/tickets/${t.number}/status`, { status })));
        }
        await until(async () => {
          const list = (await admin().get(`/api/v1/webhooks/${hook.id}/messages?limit=200`)).body.items as any[];
          return list.length === 16 && list.every((m) => m.status === 'DELIVERED');
        }, 15000);
        const bodies = new Map<string, string>();
        for (const g of hooksFor('/ok?two')) {
          const id = String(g.headers['webhook-id']);
          if (bodies.has(id)) expect(g.body).toBe(bodies.get(id));
          else bodies.set(id, g.body);
        }
        for (const t of tickets) {
          const firstSeen = [...bodies.values()].map((b) => JSON.parse(b)).filter((b) => b.data.ticket?.number === t.number);
          expect(firstSeen.map((b) => b.data.event.toStatus)).toEqual(['LAPOR', 'PENUGASAN', 'PERJALANAN', 'PENGERJAAN']);
        }
      } finally {
        await other.close({ dropDatabase: false });
      }
    });

    it('the database drops every connection mid-burst: each committed ticket is told, no other', async () => {
      await endpoint('/ok?burst', ['ticket.created']);
      const cso = app.as('cso');
      const kill = async () =>
        db.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
      const burst = Promise.all(Array.from({ length: 30 }, (_, i) => cso.post('/api/v1/tickets', gangguan({ unitCode: '543', description: `burst ${i}` })).catch(() => null)));
      await new Promise((r) => setTimeout(r, 30));
      await kill();
      await new Promise((r) => setTimeout(r, 30));
      await kill();
      await burst;
      const { rows } = await db.query(`SELECT number FROM tickets WHERE description LIKE 'burst %'`);
      const committed = new Set(rows.map((r) => r.number as string));
      const told = () => new Set(hooksFor('/ok?burst').map((g) => JSON.parse(g.body).data.ticket.number as string));
      // a claim whose dispatcher lost its connection mid-delivery is taken again once its lease ends (on the injected clock)
      let leaseEnds = Date.now() + 2000;
      await until(() => {
        const all = [...committed].every((n) => told().has(n));
        if (!all && Date.now() > leaseEnds) {
          leaseEnds = Date.now() + 2000;
          clock.advance(61_000);
          dispatcher().wake();
        }
        return all;
      }, 20000);
      expect([...told()].filter((n) => !committed.has(n))).toEqual([]);
    });

    it('delivers after a new instance starts what was committed while the service was stopped', async () => {
      const hook = await endpoint('/ok', ['ticket.status_changed']);
      const ticket = await createTicket(app, gangguan({ unitCode: '543' }));
      await app.close({ dropDatabase: false });
      // committed with no service running: as if it stopped between the commit and the delivery
      await db.query(`INSERT INTO ticket_events (ticket_number, type, from_status, to_status, actor_sub, actor_role, occurred_at, recorded_at)
        VALUES ($1, 'STATUS_CHANGED', 'LAPOR', 'PENUGASAN', 'x', 'unit', $2, $2)`, [ticket.number, clock.now()]);
      app = await TestApp.start({ clock, databaseUrl: app.databaseUrl, config: { webhookAllowedHosts: ['127.0.0.1'], smtpUrl: `smtp://127.0.0.1:${smtpPort}` } });
      const got = await until(() => hooksFor('/ok').find((g) => JSON.parse(g.body).data.ticket?.number === ticket.number));
      expect(JSON.parse(got.body).type).toBe('ticket.status_changed');
      await until(async () => (await messages(hook.id))[0].status === 'DELIVERED');
    });
  });

  describe('R-W2 batched dispatch (issue 27)', () => {
    it('claims many messages of an endpoint in one statement and writes their attempts together', async () => {
      const hook = await endpoint('/ok?batch', ['ticket.created']);
      const since = clock.now().toISOString();
      for (let i = 0; i < 4; i++) await Promise.all(Array.from({ length: 8 }, () => createTicket(app, gangguan())));
      await until(async () => {
        const list = (await admin().get(`/api/v1/webhooks/${hook.id}/messages?limit=100`)).body.items as any[];
        return list.length === 32 && list.every((m) => m.status === 'DELIVERED');
      });
      await dispatcher().idle();
      const repository = app.app.get(OutboundRepository);
      const claim = jest.spyOn(repository, 'claim');
      const finish = jest.spyOn(repository, 'finish');
      try {
        // 32 messages due at once
        const before = hooksFor('/ok?batch').length;
        expect(await admin().post(`/api/v1/webhooks/${hook.id}/replay`, { since })).toMatchObject({ status: 202, body: { queued: 32 } });
        await until(() => hooksFor('/ok?batch').length >= before + 32);
        await dispatcher().idle();
        const claimed = (await Promise.all(claim.mock.results.map((r) => r.value as Promise<unknown[]>))).filter((rows) => rows.length);
        const written = finish.mock.calls.map(([, done]) => done.length);
        expect(written.reduce((a, b) => a + b, 0)).toBe(32);
        // before issue 27: at most 4 per endpoint per claim (8 claims at least), one statement per attempt
        expect(claimed.length).toBeLessThanOrEqual(3);
        expect(written.length).toBeLessThan(32);
      } finally {
        claim.mockRestore();
        finish.mockRestore();
      }
    });

    it('lets no dead endpoint hold up another, whatever its backlog (R-W2: 1,200 waiting for one that never answers)', async () => {
      const dead = await endpoint('/hang', ['ticket.created']);
      await createTicket(app, gangguan());
      await until(() => hanging.length > 0); // its first message is in flight, and will not come back
      // a backlog larger than a claim's walk (1,000 waiting messages), all due, older than anything else
      const { rows } = await db.query<{ n: number }>(
        `WITH src AS (SELECT * FROM outbound_messages WHERE webhook_id = $1 LIMIT 1),
         ins AS (
           INSERT INTO outbound_messages (id, channel, webhook_id, type, subject_key, unit_code, payload, payload_id, status, created_at, next_attempt_at)
           SELECT 'msg_backlog_' || g, src.channel, src.webhook_id, src.type, 'ticket:backlog-' || g, src.unit_code, src.payload, src.payload_id,
             'PENDING', $2::timestamptz, $2::timestamptz
           FROM src, generate_series(1, 1200) g RETURNING 1)
         SELECT count(*)::int AS n FROM ins`,
        [dead.id, clock.now()],
      );
      expect(rows[0].n).toBe(1200);
      const healthy = await endpoint('/ok?beside-dead', ['ticket.created']);
      const ticket = await createTicket(app, gangguan());
      // before 20261206190000 every claim walked the dead endpoint's first 1,000 and nothing reached this one
      await until(() => hooksFor('/ok?beside-dead').some((g) => g.body.includes(ticket.number)));
      // its attempt is written a moment after the receiver has it (batched finish); the hanging attempts keep the dispatcher from idling
      await until(async () => (await messages(healthy.id)).every((m) => m.status === 'DELIVERED'));
      expect((await messages(healthy.id)).map((m) => m.status)).toEqual(['DELIVERED']);
      await removeAll();
      for (const res of hanging.splice(0)) res.socket?.destroy(); // the attempts in flight end now
    });

    it('stores one event\'s snapshot once for all its endpoints, and drops it with the last message using it', async () => {
      const paths = ['a', 'b', 'c'].map((x) => `/ok?shared-${x}`);
      const hooks: { id: string }[] = [];
      for (const path of paths) hooks.push(await endpoint(path, ['ticket.created']));
      const ticket = await createTicket(app, gangguan());
      const got = await until(() => {
        const each = paths.map((path) => hooksFor(path).find((g) => g.body.includes(ticket.number)));
        return each.every(Boolean) && (each as Received[]);
      });
      // the same bytes to each endpoint, each under its own webhook-id and secret
      expect(new Set(got.map((g) => g.body)).size).toBe(1);
      expect(new Set(got.map((g) => g.headers['webhook-id'])).size).toBe(3);
      expect(new Set(got.map((g) => g.headers['webhook-signature'])).size).toBe(3);
      const { rows } = await db.query(`SELECT payload IS NULL AS shared, payload_id::text AS "payloadId" FROM outbound_messages WHERE subject_key = $1`, [`ticket:${ticket.number}`]);
      expect(rows).toHaveLength(3);
      expect(rows.every((r) => r.shared)).toBe(true);
      expect(new Set(rows.map((r) => r.payloadId)).size).toBe(1);
      const kept = async () => (await db.query('SELECT count(*)::int AS n FROM outbound_payloads WHERE id = $1', [rows[0].payloadId])).rows[0].n;
      const remove = async (id: string) => expect((await app.call('DELETE', `/api/v1/webhooks/${id}`, undefined, { token: await app.token('admin') })).status).toBe(204);
      await remove(hooks[0].id);
      expect(await kept()).toBe(1); // the other two still send it
      await remove(hooks[1].id);
      await remove(hooks[2].id);
      expect(await kept()).toBe(0);
    });

    it("collects a snapshot whose last messages go by the endpoint's cascade (a change committed while it was deleted)", async () => {
      const hook = await endpoint('/ok?cascade', ['ticket.created']);
      const ticket = await createTicket(app, gangguan());
      await until(() => hooksFor('/ok?cascade').some((g) => g.body.includes(ticket.number)));
      const { rows } = await db.query(`SELECT payload_id::text AS id FROM outbound_messages WHERE subject_key = $1`, [`ticket:${ticket.number}`]);
      expect(rows).toHaveLength(1);
      // what deleteWebhook's second statement does to messages its first did not see: the foreign key's cascade
      await db.query('DELETE FROM webhooks WHERE id = $1', [hook.id]);
      expect((await db.query('SELECT count(*)::int AS n FROM outbound_payloads WHERE id = $1', [rows[0].id])).rows[0].n).toBe(0);
    });

    it('collects the snapshot two endpoints shared when both are deleted at once (another replica deleting the first)', async () => {
      const paths = ['x', 'y'].map((x) => `/ok?pair-${x}`);
      const hooks: { id: string }[] = [];
      for (const path of paths) hooks.push(await endpoint(path, ['ticket.created']));
      const ticket = await createTicket(app, gangguan());
      await until(() => paths.every((path) => hooksFor(path).some((g) => g.body.includes(ticket.number))));
      const { rows } = await db.query(`SELECT DISTINCT payload_id::text AS id FROM outbound_messages WHERE subject_key = $1`, [`ticket:${ticket.number}`]);
      expect(rows).toHaveLength(1);
      const other = new Client({ connectionString: app.databaseUrl });
      await other.connect();
      try {
        // another replica's deletion of the first endpoint, as deleteWebhook does it, not yet committed
        await other.query('BEGIN');
        await other.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [WEBHOOK_DELETION_LOCK]);
        await other.query('DELETE FROM outbound_messages WHERE webhook_id = $1', [hooks[0].id]);
        await other.query('DELETE FROM webhooks WHERE id = $1', [hooks[0].id]);
        let settled = false;
        const second = app.call('DELETE', `/api/v1/webhooks/${hooks[1].id}`, undefined, { token: await app.token('admin') }).finally(() => (settled = true));
        // it waits its turn (without the lock it would run now, each side still seeing the other's messages)
        await until(async () => settled || (await db.query(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`)).rows[0].n > 0);
        await other.query('COMMIT');
        expect((await second).status).toBe(204);
      } finally {
        await other.end();
      }
      expect((await db.query('SELECT count(*)::int AS n FROM outbound_payloads WHERE id = $1', [rows[0].id])).rows[0].n).toBe(0);
    });

    it('a batch partly failing: the failed retry later, the others are delivered, and each ticket keeps its order', async () => {
      flaky.fails = true;
      const hook = await endpoint('/flaky', ['ticket.created', 'ticket.status_changed']);
      const tickets = await Promise.all(['ok 1', 'fail 1', 'ok 2', 'fail 2', 'ok 3', 'fail 3'].map((d) => createTicket(app, gangguan({ description: d }))));
      await Promise.all(tickets.map((t) => app.as('unit', '542').post(`/api/v1/tickets/${t.number}/status`, { status: 'PENUGASAN' })));
      const failed = tickets.filter((t) => t.description.startsWith('fail')).map((t) => t.number as string);
      const byTicket = async (list: any[]) => {
        const { rows } = await db.query('SELECT id, subject_key FROM outbound_messages WHERE webhook_id = $1', [hook.id]);
        const subject = new Map(rows.map((r) => [r.id as string, r.subject_key as string]));
        return new Map(tickets.map((t) => [t.number as string, list.filter((m) => subject.get(m.id) === `ticket:${t.number}`)]));
      };
      await until(async () => {
        const list = await messages(hook.id);
        return list.length === 12 && list.filter((m) => m.status === 'DELIVERED').length === 6 && list.filter((m) => m.attempts.length).length === 9 && list;
      });
      await dispatcher().idle();
      const list = await messages(hook.id);
      for (const [number, own] of await byTicket(list)) {
        // newest first
        if (failed.includes(number)) {
          // its created message failed once and waits for its retry; its status message waits behind it, unsent (R-W2)
          expect(own.map((m) => [m.type, m.status, m.attempts.length])).toEqual([['ticket.status_changed', 'PENDING', 0], ['ticket.created', 'PENDING', 1]]);
          expect(own[1].attempts[0]).toMatchObject({ statusCode: 500 });
        } else {
          expect(own.map((m) => [m.type, m.status])).toEqual([['ticket.status_changed', 'DELIVERED'], ['ticket.created', 'DELIVERED']]);
        }
      }
      flaky.fails = false;
      clock.advance(6000);
      dispatcher().wake();
      await until(async () => (await messages(hook.id)).every((m) => m.status === 'DELIVERED'));
      for (const number of failed) {
        const seen = hooksFor('/flaky').map((g) => JSON.parse(g.body)).filter((b) => b.data.ticket.number === number).map((b) => b.type);
        expect(seen).toEqual(['ticket.created', 'ticket.created', 'ticket.status_changed']);
      }
    });

    it('writes a batch of attempts for the claimer only, and the endpoint fails since its first failure after its last success', async () => {
      const hook = await endpoint('/ok?direct', ['outage.created']);
      const repository = app.app.get(OutboundRepository);
      const at = (s: number) => new Date(clock.now().getTime() + s * 1000);
      const ids = ['msg_batch_a', 'msg_batch_b', 'msg_batch_c', 'msg_batch_d', 'msg_batch_e'];
      for (const [i, id] of ids.entries()) {
        // claimed by a test claimer until far away, so no dispatcher takes them
        await db.query(
          `INSERT INTO outbound_messages (id, channel, webhook_id, type, subject_key, payload, created_at, next_attempt_at, claimed_by, claimed_until)
           VALUES ($1, 'WEBHOOK', $2, 'outage.created', $3, '{}', $4, $4, $5, $4::timestamptz + interval '1 hour')`,
          [id, hook.id, `outage:batch-${i}`, clock.now(), id === 'msg_batch_d' ? 'someone-else' : 'test-claimer'],
        );
      }
      const attempt = (s: number, ok: boolean) => ({ at: at(s), statusCode: ok ? 200 : 500, durationMs: 3, error: ok ? null : 'answered 500', answer: null, ok });
      const failingSince = async () => (await db.query('SELECT failing_since FROM webhooks WHERE id = $1', [hook.id])).rows[0].failing_since as Date | null;
      const held = await repository.finish('test-claimer', [
        { messageId: 'msg_batch_a', attempt: attempt(1, true), outcome: { status: 'DELIVERED' } },
        { messageId: 'msg_batch_b', attempt: attempt(2, false), outcome: { status: 'PENDING', nextAttemptAt: at(7) } },
        { messageId: 'msg_batch_c', attempt: attempt(3, false), outcome: { status: 'FAILED' } },
        { messageId: 'msg_batch_d', attempt: attempt(4, true), outcome: { status: 'DELIVERED' } },
      ]);
      expect([...held].sort()).toEqual(['msg_batch_a', 'msg_batch_b', 'msg_batch_c']);
      const { rows } = await db.query(
        `SELECT m.id, m.status, m.attempt_count, m.claimed_by, count(a.id)::int AS attempts FROM outbound_messages m
         LEFT JOIN outbound_attempts a ON a.message_id = m.id WHERE m.id LIKE 'msg_batch_%' GROUP BY m.id ORDER BY m.id`,
      );
      expect(rows.map((r) => [r.id, r.status, r.attempt_count, r.claimed_by, r.attempts])).toEqual([
        ['msg_batch_a', 'DELIVERED', 1, null, 1],
        ['msg_batch_b', 'PENDING', 1, null, 1],
        ['msg_batch_c', 'FAILED', 1, null, 1],
        ['msg_batch_d', 'PENDING', 0, 'someone-else', 0],
        ['msg_batch_e', 'PENDING', 0, 'test-claimer', 0],
      ]);
      expect(await failingSince()).toEqual(at(2));
      // a later batch of failures keeps the first; a success clears it
      await repository.finish('test-claimer', [{ messageId: 'msg_batch_e', attempt: attempt(9, false), outcome: { status: 'PENDING', nextAttemptAt: at(14) } }]);
      expect(await failingSince()).toEqual(at(2));
      await db.query(`UPDATE outbound_messages SET claimed_by = 'test-claimer', claimed_until = $1 WHERE id = 'msg_batch_e'`, [at(3600)]);
      await repository.finish('test-claimer', [{ messageId: 'msg_batch_e', attempt: attempt(20, true), outcome: { status: 'DELIVERED' } }]);
      expect(await failingSince()).toBeNull();
    });

    it('an endpoint disabled while its claimed messages wait here: those are given back unsent', async () => {
      const hook = await endpoint('/slow', ['ticket.created']);
      const before = hooksFor('/slow').length;
      for (let i = 0; i < 10; i++) await createTicket(app, gangguan());
      const claimed = async () => (await db.query(`SELECT count(*)::int AS n FROM outbound_messages WHERE webhook_id = $1 AND claimed_by IS NOT NULL`, [hook.id])).rows[0].n as number;
      await until(async () => (await claimed()) === 10);
      expect((await app.call('PATCH', `/api/v1/webhooks/${hook.id}`, { enabled: false }, { token: await app.token('admin') })).status).toBe(200);
      dispatcher().wake();
      // a healthy endpoint has 8 deliveries in flight (3 s each), still held (issue 27: with 4, commit →
      // delivery p99 went past a second at 383 creates/s to three local endpoints)
      await until(async () => (await claimed()) === 8);
      await dispatcher().idle();
      expect(hooksFor('/slow').length - before).toBe(8);
      const { rows } = await db.query(`SELECT status, count(*)::int AS n FROM outbound_messages WHERE webhook_id = $1 AND claimed_by IS NULL GROUP BY status ORDER BY status`, [hook.id]);
      expect(rows).toEqual([{ status: 'DELIVERED', n: 8 }, { status: 'PENDING', n: 2 }]);
    });

    it('two instances and many tickets: per-ticket order holds under batched claims', async () => {
      const hook = await endpoint('/ok?many', ['ticket.created', 'ticket.status_changed']);
      const other = await TestApp.start({ clock, databaseUrl: app.databaseUrl, config: { webhookAllowedHosts: ['127.0.0.1'] } });
      try {
        const tickets = await Promise.all(Array.from({ length: 12 }, (_, i) => createTicket(i % 2 ? other : app, gangguan())));
        for (const status of ['PENUGASAN', 'PERJALANAN', 'PENGERJAAN']) {
          await Promise.all(tickets.map((t, i) => (i % 3 ? other : app).as('unit', '542').post(`/api/v1/tickets/${t.number}/status`, { status })));
        }
        await until(async () => {
          const list = (await admin().get(`/api/v1/webhooks/${hook.id}/messages?limit=200`)).body.items as any[];
          return list.length === 48 && list.every((m) => m.status === 'DELIVERED');
        }, 20000);
        const firstSeen = new Map<string, any>();
        for (const g of hooksFor('/ok?many')) {
          const id = String(g.headers['webhook-id']);
          if (!firstSeen.has(id)) firstSeen.set(id, JSON.parse(g.body));
        }
        for (const t of tickets) {
          const seen = [...firstSeen.values()].filter((b) => b.data.ticket.number === t.number);
          expect(seen.map((b) => b.data.event.toStatus)).toEqual(['LAPOR', 'PENUGASAN', 'PERJALANAN', 'PENGERJAAN']);
        }
      } finally {
        await other.close({ dropDatabase: false });
      }
    });

    it('gives way to requests pressed for the thread, never stopping, and goes at full pace once they ease (issues 27, 30)', async () => {
      const hook = await endpoint('/ok?pressed', ['ticket.created']);
      const got = () => hooksFor('/ok?pressed').length;
      const pressure = app.app.get(RequestPressure);
      const giving = async () => /^apkt_outbound_giving_way (\d)$/m.exec((await app.call<string>('GET', '/metrics')).body)?.[1];
      const count = 5 * PRESSED_RATE;
      const tickets = await Promise.all(Array.from({ length: count }, () => createTicket(app, gangguan())));
      await until(async () => (await admin().get(`/api/v1/webhooks/${hook.id}/messages?status=PENDING&limit=1`)).body.items.length === 0 && got() >= count);
      await dispatcher().idle();
      const before = got();
      pressure.force(true);
      try {
        expect(await giving()).toBe('1');
        // all of them waiting again at once (R-W5's replay)
        expect((await admin().post(`/api/v1/webhooks/${hook.id}/replay`, { since: new Date(clock.now().getTime() - 3600_000).toISOString() })).body.queued).toBe(count);
        // never stopping: they go on while pressed; giving way: at most PRESSED_RATE started a second, so
        // the one after the first PRESSED_RATE starts a second after the first of them (arrivals: less the
        // first one's way there)
        await until(() => got() - before > PRESSED_RATE);
        const replayed = hooksFor('/ok?pressed').slice(before);
        expect(replayed[PRESSED_RATE].at - replayed[0].at).toBeGreaterThanOrEqual(500);
        pressure.force(undefined); // measured again: this test's few requests are no pressure
        expect(await giving()).toBe('0');
        await until(() => got() - before >= count);
        await dispatcher().idle();
        const numbers = new Set(hooksFor('/ok?pressed').slice(before).map((g) => JSON.parse(g.body).data.ticket.number));
        expect(tickets.every((t) => numbers.has(t.number))).toBe(true);
        expect((await messages(hook.id)).every((m) => m.status === 'DELIVERED')).toBe(true);
      } finally {
        pressure.force(undefined);
      }
    });
  });

  describe('R-W4 retries, no redirects', () => {
    it('retries a 500 after about 5 s on the injected clock, keeping the first 1 KiB of the answer', async () => {
      const hook = await endpoint('/500', ['ticket.created']);
      await createTicket(app, gangguan());
      const first = await firstAttempted(hook.id);
      expect(first.status).toBe('PENDING');
      expect(first.attempts[0]).toMatchObject({ statusCode: 500, error: 'answered 500' });
      expect(first.attempts[0].answer).toHaveLength(1024);
      // counted from the end of the attempt (its start + its duration)
      const wait = new Date(first.nextAttemptAt).getTime() - (new Date(first.attempts[0].at).getTime() + first.attempts[0].durationMs);
      expect(wait).toBeGreaterThanOrEqual(4500);
      expect(wait).toBeLessThanOrEqual(5500);
      clock.advance(6000);
      dispatcher().wake();
      await until(async () => (await messages(hook.id))[0].attempts.length === 2);
    });

    it('counts the 5 s from the end of a slow failed attempt, not its start (a time-out would leave none)', async () => {
      const hook = await endpoint('/late500', ['ticket.created']);
      await createTicket(app, gangguan());
      const first = await firstAttempted(hook.id);
      expect(first.attempts[0]).toMatchObject({ statusCode: 500 });
      expect(first.attempts[0].durationMs).toBeGreaterThanOrEqual(1400);
      const wait = new Date(first.nextAttemptAt).getTime() - new Date(first.attempts[0].at).getTime();
      expect(wait).toBeGreaterThanOrEqual(4500 + first.attempts[0].durationMs);
    });

    it('counts a redirect as a failure and never follows it; a dropped socket too', async () => {
      const redirect = await endpoint('/redirect', ['ticket.created']);
      const close = await endpoint('/close', ['ticket.created']);
      const okBefore = hooksFor('/ok').length;
      await createTicket(app, gangguan());
      const r = await until(async () => (await messages(redirect.id)).find((m) => m.attempts.length));
      expect(r.attempts[0]).toMatchObject({ statusCode: 302, error: 'answered 302' });
      const c = await until(async () => (await messages(close.id)).find((m) => m.attempts.length));
      expect(c.attempts[0].statusCode).toBeNull();
      expect(c.attempts[0].error).toBeTruthy();
      expect(hooksFor('/ok').length).toBe(okBefore);
    });

    it('an answer holding a NUL is kept with U+FFFD, and the attempts written with it stand: nothing is sent twice (stop 54 audit)', async () => {
      const nul = await endpoint('/nul', ['ticket.created']);
      const ok = await endpoint('/ok', ['ticket.created']);
      const before = hooksFor('/ok').length;
      const ticket = await createTicket(app, gangguan());
      const got = await firstAttempted(nul.id);
      expect([got.status, got.attempts[0].answer]).toEqual(['DELIVERED', 'ok\uFFFDdone']);
      expect((await firstAttempted(ok.id)).status).toBe('DELIVERED');
      clock.advance(61_000); // past the claim's lease: a message whose attempt was not written would be sent again
      dispatcher().wake();
      await dispatcher().idle();
      expect(hooksFor('/ok').filter((g) => g.body.includes(ticket.number))).toHaveLength(1);
      expect(hooksFor('/ok').length).toBe(before + 1);
    });

    it('a slow endpoint does not hold up a healthy one', async () => {
      await endpoint('/slow', ['ticket.created']);
      await endpoint('/ok', ['ticket.created']);
      const before = hooksFor('/ok').length;
      const started = Date.now();
      await createTicket(app, gangguan());
      await until(() => hooksFor('/ok').length > before);
      expect(Date.now() - started).toBeLessThan(2500);
    });
  });

  describe('R-W4 disabling', () => {
    it('disables an endpoint that failed every delivery for 5 days and keeps a notice for the admins', async () => {
      const hook = await endpoint('/500', ['ticket.created']);
      await createTicket(app, gangguan());
      await until(async () => (await messages(hook.id))[0]?.attempts.length === 1);
      clock.advance(5 * 86400_000);
      await createTicket(app, gangguan());
      const disabled = await until(async () => {
        const read = (await admin().get(`/api/v1/webhooks/${hook.id}`)).body;
        return !read.enabled && read;
      });
      expect(disabled.disabledReason).toMatch(/5 days/);
      const notices = (await admin().get('/api/v1/notifications')).body.items;
      expect(notices.find((n: any) => n.type === 'webhook.disabled')).toMatchObject({ channel: 'EMAIL', status: 'KEPT' });
      const metrics = await (await fetch(`${app.baseUrl}/metrics`)).text();
      expect(metrics).toMatch(/apkt_outbound_attempts_total\{endpoint="[^"]+",outcome="retry"\} \d+/);
      expect(metrics).toContain('apkt_outbound_backlog');
      expect(metrics).toContain('apkt_outbound_oldest_pending_seconds');
    });
  });

  describe('R-W5 seen and replayed', () => {
    it('resends one message under the same webhook-id and replays everything since a time', async () => {
      const hook = await endpoint('/ok', ['ticket.created']);
      const since = clock.now().toISOString();
      await createTicket(app, gangguan());
      await createTicket(app, gangguan());
      const list = await until(async () => {
        const l = await messages(hook.id);
        return l.length === 2 && l.every((m) => m.status === 'DELIVERED') && l;
      });
      const resent = await admin().post(`/api/v1/webhooks/${hook.id}/messages/${list[0].id}/resend`);
      expect(resent.status).toBe(202);
      await until(() => hooksFor('/ok').filter((g) => g.headers['webhook-id'] === list[0].id).length === 2);
      await until(async () => (await messages(hook.id)).every((m) => m.status === 'DELIVERED'));
      const replay = await admin().post(`/api/v1/webhooks/${hook.id}/replay`, { since });
      expect(replay).toMatchObject({ status: 202, body: { queued: 2 } });
      const missing = await admin().post(`/api/v1/webhooks/${hook.id}/messages/msg_nothing/resend`);
      expect(missing.status).toBe(404);
    });

    it('records what changes while an endpoint is disabled without sending it, and a replay after it is enabled again sends it in order (stop 54 audits)', async () => {
      const hook = await endpoint('/ok?paused', ['ticket.created', 'ticket.status_changed']);
      const token = await app.token('admin');
      const since = clock.now().toISOString();
      expect((await app.call('PATCH', `/api/v1/webhooks/${hook.id}`, { enabled: false }, { token })).status).toBe(200);
      const ticket = await createTicket(app, gangguan());
      expect((await app.as('unit', '542').post(`/api/v1/tickets/${ticket.number}/status`, { status: 'PENUGASAN' })).status).toBe(200);
      await dispatcher().idle();
      const held = await messages(hook.id);
      expect(held.map((m) => [m.type, m.status, m.attempts.length, m.nextAttemptAt])).toEqual([
        ['ticket.status_changed', 'FAILED', 0, null],
        ['ticket.created', 'FAILED', 0, null],
      ]);
      expect(hooksFor('/ok?paused')).toHaveLength(0); // nothing sent while disabled
      expect((await app.call('PATCH', `/api/v1/webhooks/${hook.id}`, { enabled: true }, { token })).status).toBe(200);
      expect(await admin().post(`/api/v1/webhooks/${hook.id}/replay`, { since })).toMatchObject({ status: 202, body: { queued: 2 } });
      const got = await until(() => hooksFor('/ok?paused').length === 2 && hooksFor('/ok?paused').map((g) => JSON.parse(g.body)));
      expect(got.map((b: any) => [b.type, b.data.ticket.number])).toEqual([['ticket.created', ticket.number], ['ticket.status_changed', ticket.number]]);
    });
  });

  describe('R-W6 no way inside', () => {
    it.each([
      'http://hooks.example.com/x',
      'https://127.0.0.2/x',
      'https://10.1.2.3/x',
      'https://172.16.0.1/x',
      'https://192.168.1.1/x',
      'https://169.254.169.254/latest',
      'https://[::1]/x',
      'https://[fc00::1]/x',
      'https://[::ffff:10.0.0.1]/x',
      'https://0.0.0.0/x',
      'https://internal.example.test/x',
    ])('refuses %s at registration (400 naming url)', async (url) => {
      app.app.get(WebhookResolver).use(async (host) => [{ address: host === 'internal.example.test' ? '192.168.10.5' : '93.184.216.34', family: 4 }]);
      const answer = await admin().post('/api/v1/webhooks', { url, eventTypes: ['*'] });
      expect(answer.status).toBe(400);
      expect(answer.body.errors).toEqual([expect.objectContaining({ field: 'url' })]);
    });

    it('registers a name that does not resolve (yet, or from here): no way inside; each delivery checks again (stop 54 audit)', async () => {
      app.app.get(WebhookResolver).use(async (host) => {
        throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
      });
      const created = await admin().post('/api/v1/webhooks', { url: 'https://hooks.example.com/apkt', eventTypes: ['ticket.created'] });
      expect(created.status).toBe(201);
      await createTicket(app, gangguan());
      const m = await until(async () => (await messages(created.body.id)).find((x) => x.attempts.length));
      expect([m.status, m.attempts[0].statusCode]).toEqual(['PENDING', null]);
      expect(m.attempts[0].error).toMatch(/cannot resolve hooks\.example\.com/);
    });

    it('refuses at delivery when the name now resolves inside, recording the attempt without sending', async () => {
      let inside = false;
      app.app.get(WebhookResolver).use(async () => [{ address: inside ? '10.0.0.7' : '93.184.216.34', family: 4 }]);
      const created = await admin().post('/api/v1/webhooks', { url: 'https://hooks.example.test/in', eventTypes: ['ticket.created'] });
      expect(created.status).toBe(201);
      inside = true;
      await createTicket(app, gangguan());
      const m = await until(async () => (await messages(created.body.id)).find((x) => x.attempts.length));
      expect(m.attempts[0]).toMatchObject({ statusCode: null });
      expect(m.attempts[0].error).toMatch(/internal address \(10\.0\.0\.7\)/);
    });
  });

  describe('R-W7 over-SLA mail', () => {
    beforeAll(async () => {
      await db.query(`UPDATE units SET notify_emails = '{dm542@pln.test}' WHERE code = '542'`);
    });

    it('sends one Indonesian digest per unit through SMTP, nothing when nothing went over, at most every 15 minutes', async () => {
      clock.advance(16 * 60_000);
      await app.app.get(DigestService).run(); // earlier breaches of this file
      await dispatcher().idle();
      expect(await app.app.get(DigestService).run()).toBe(0); // nothing new went over
      const ticket = await createTicket(app, gangguan());
      clock.advance(10 * 60_000);
      const late = await createTicket(app, gangguan());
      clock.advance(3 * 3600_000 - 5 * 60_000); // SLA 180 min: the first is over, the second not yet
      await app.app.get(JobsService).runAll();
      mails.length = 0;
      expect(await app.app.get(DigestService).run()).toBe(1);
      clock.advance(10 * 60_000);
      await app.app.get(JobsService).runAll();
      expect(await app.app.get(DigestService).run()).toBe(0); // the last digest is under 15 minutes old
      await until(() => mails.length >= 1);
      const parsed = await simpleParser(mails[0].raw);
      expect(mails[0].to).toBe('dm542@pln.test');
      expect(parsed.subject).toMatch(/melebihi SLA di unit 542/);
      expect(parsed.text).toContain(ticket.number);
      expect(parsed.text).toContain('lewat SLA');
      expect(parsed.html).toContain(`/console/unit?ticket=${ticket.number}`);
      expect(parsed.text).not.toContain(late.number);
      const list = await app.as('unit', '542').get('/api/v1/notifications');
      expect(list.status).toBe(200);
      expect(list.body.items[0]).toMatchObject({ channel: 'EMAIL', status: 'DELIVERED', to: ['dm542@pln.test'] });
    });

    it('R-P3 an erasure renders the digests listing the customer’s ticket again, the area (address) as [dihapus]', async () => {
      clock.advance(16 * 60_000);
      const customer = { name: 'Wayan Rahasia', phone: '081399990011', idPel: '539999990011', address: 'Jl. Rahasia No. 7', province: 'BALI' };
      const ticket = await createTicket(app, gangguan({ customer }));
      const other = await createTicket(app, gangguan());
      clock.advance(4 * 3600_000);
      await app.app.get(JobsService).runAll();
      expect(await app.app.get(DigestService).run()).toBe(1);
      const digestOf = async () =>
        (await db.query(`SELECT payload FROM outbound_messages WHERE type = 'sla.digest' AND payload -> 'tickets' ? $1`, [ticket.number])).rows.map((r) => r.payload);
      const [before] = await digestOf();
      expect(before.text).toContain('Jl. Rahasia No. 7');
      expect(before.tickets).toEqual(expect.arrayContaining([ticket.number, other.number]));
      const cancelled = await app.as('unit', '542').post(`/api/v1/tickets/${ticket.number}/status`, { status: 'BATAL', reason: 'Pelanggan membatalkan' });
      expect(cancelled.status).toBe(200);
      const erased = await app.as('admin').post('/api/v1/personal-data/erasures', { idPel: customer.idPel, reason: 'Permintaan pelanggan (uji)' });
      expect(erased.status).toBe(201);
      const [after] = await digestOf();
      for (const body of [after.text, after.html, JSON.stringify(after.lines)]) expect(body).not.toContain('Jl. Rahasia');
      expect(after.text).toMatch(new RegExp(`${ticket.number} .* wilayah: \\[dihapus\\]`));
      expect(after.text.split('\n').find((l: string) => l.includes(other.number))).toBe(before.text.split('\n').find((l: string) => l.includes(other.number)));
    });

    it('retries when the server answers 4xx and gives up on 5xx', async () => {
      clock.advance(16 * 60_000);
      await createTicket(app, gangguan());
      clock.advance(4 * 3600_000);
      await app.app.get(JobsService).runAll();
      smtpAnswer = { code: 451, text: 'try later' };
      expect(await app.app.get(DigestService).run()).toBe(1);
      const first = await until(async () => {
        const items = (await admin().get('/api/v1/notifications?unitCode=542')).body.items;
        return items[0].attempts.length === 1 && items[0].nextAttemptAt && items[0];
      });
      expect(first).toMatchObject({ status: 'PENDING' });
      expect(first.attempts[0].statusCode).toBe(451);
      smtpAnswer = { code: 550, text: 'no such mailbox' };
      clock.advance(6000);
      dispatcher().wake();
      const second = await until(async () => {
        const items = (await admin().get('/api/v1/notifications?unitCode=542')).body.items;
        return items[0].attempts.length === 2 && items[0].status !== 'PENDING' && items[0];
      });
      expect(second.status).toBe('FAILED');
      expect(second.attempts[1].statusCode).toBe(550);
      smtpAnswer = null;
    });

    it('R-H1 a UP3 and a UID with addresses get the digest of the ULPs beneath; an endpoint naming a UP3 hears its ULPs; a UP3 caller reads its subtree\'s mails', async () => {
      const admin = app.as('admin');
      expect((await admin.put('/api/v1/units/77', { name: 'UID Uji', level: 'UID', notifyEmails: ['gm77@pln.test'] })).status).toBe(200);
      expect((await admin.put('/api/v1/units/7701', { name: 'UP3 Uji', level: 'UP3', parentCode: '77', notifyEmails: ['dm7701@pln.test'] })).status).toBe(200);
      expect((await admin.put('/api/v1/units/771', { name: 'ULP Uji', parentCode: '7701' })).status).toBe(200);
      const hook = await endpoint('/up3', ['ticket.created'], ['7701']);
      clock.advance(16 * 60_000);
      await app.app.get(DigestService).run(); // earlier breaches of this file
      await dispatcher().idle();
      mails.length = 0;
      const ticket = await createTicket(app, gangguan({ unitCode: '771' }));
      await createTicket(app, gangguan({ unitCode: '542' })); // outside 7701: not for its endpoint
      await until(() => hooksFor('/up3').length >= 1);
      await dispatcher().idle();
      expect(hooksFor('/up3').map((g) => JSON.parse(g.body).data.ticket.number)).toEqual([ticket.number]);
      expect((await messages(hook.id)).length).toBe(1);
      clock.advance(4 * 3600_000);
      await app.app.get(JobsService).runAll();
      await app.app.get(DigestService).run();
      await until(() => ['dm7701@pln.test', 'gm77@pln.test'].every((address) => mails.some((m) => m.to === address)));
      const to = await Promise.all(mails.map(async (m) => [m.to, (await simpleParser(m.raw)).text ?? ''] as const));
      for (const address of ['dm7701@pln.test', 'gm77@pln.test']) {
        const mail = to.find(([rcpt]) => rcpt === address);
        expect(mail?.[1]).toContain(ticket.number);
      }
      const up3 = app.as('unit', '7701');
      expect((await up3.get('/api/v1/notifications')).body.items[0]).toMatchObject({ channel: 'EMAIL', to: ['dm7701@pln.test'] });
      expect((await up3.get('/api/v1/notifications?unitCode=77')).body.items[0]).toMatchObject({ to: ['dm7701@pln.test'] }); // above its subtree: its own
      // R-H3: a unit of any level covers the units beneath it: the UID's own mail and its UP3's
      const addressed = (items: { to: string[] }[]) => items.flatMap((m) => m.to).sort();
      expect(addressed((await up3.get('/api/v1/notifications')).body.items)).toEqual(['dm7701@pln.test']);
      expect(addressed((await app.as('unit', '77').get('/api/v1/notifications')).body.items)).toEqual(['dm7701@pln.test', 'gm77@pln.test']);
      expect(addressed((await admin.get('/api/v1/notifications?unitCode=77')).body.items)).toEqual(['dm7701@pln.test', 'gm77@pln.test']);
      expect(addressed((await admin.get('/api/v1/notifications?unitCode=7701')).body.items)).toEqual(['dm7701@pln.test']);
      expect(addressed((await admin.get('/api/v1/notifications?unitCode=771')).body.items)).toEqual([]);
    });
  });
});
