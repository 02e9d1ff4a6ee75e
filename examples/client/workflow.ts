// A workflow through a client generated from /docs-json (openapi-typescript + openapi-fetch), one step per
// role, with no cast and no hand-written type: the document alone types every body, answer and error.
// Generate the types first: npx openapi-typescript http://localhost:3000/docs-json -o examples/client/generated/api.d.ts
import createClient from 'openapi-fetch';
import type { components, paths } from './generated/api';

type Ticket = components['schemas']['Ticket'];
type Problem = components['schemas']['Problem'];
export type Role = 'cso' | 'mobile' | 'unit' | 'backoffice' | 'admin' | 'listriqu' | 'itsm';

/** The answer's data, or an error naming the problem the service sent. */
function must<T>(result: { data?: T; error?: Problem | unknown; response: Response }): T {
  if (result.data === undefined) throw new Error(`${result.response.status}: ${JSON.stringify(result.error)}`);
  return result.data;
}

const day = (offsetDays: number): string => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

export async function workflow(baseUrl: string, tokenOf: (role: Role) => Promise<string>, fetchImpl: typeof fetch = fetch) {
  const as = async (role: Role) => createClient<paths>({ baseUrl, fetch: fetchImpl, headers: { Authorization: `Bearer ${await tokenOf(role)}` } });
  const cso = await as('cso');
  const mobile = await as('mobile');
  const unit = await as('unit');
  const backoffice = await as('backoffice');
  const admin = await as('admin');
  const listriqu = await as('listriqu');
  const itsm = await as('itsm');

  // admin: the unit and the policies
  const unitRecord = must(await admin.PUT('/api/v1/units/{code}', { params: { path: { code: '542' } }, body: { name: 'UP3 Bandung' } }));
  const policies = must(await admin.GET('/api/v1/policies')).items;

  // cso: a Gangguan, with an Idempotency-Key so that a retry creates nothing twice
  const customer = { name: 'Budi', phone: '081234567890', idPel: '512345678901', address: 'Jl. Merdeka 1', province: 'JAWA BARAT' as const };
  const created: Ticket = must(
    await cso.POST('/api/v1/tickets', {
      params: { header: { 'Idempotency-Key': `workflow-${Date.now()}` } },
      body: { kind: 'GANGGUAN', unitCode: unitRecord.code, channel: 'CC123', customer, problemType: 'PADAM_1_RUMAH', description: 'Listrik padam satu rumah' },
    }),
  );

  // unit: the dashboard, then the moves, each guarded by the ETag it read
  const dashboard = await unit.GET('/api/v1/tickets', { params: { query: { open: 'true', status: ['LAPOR', 'PENUGASAN'], limit: 50 } } });
  const etag = dashboard.response.headers.get('ETag') ?? '';
  const again = await unit.GET('/api/v1/tickets', { params: { query: { open: 'true', status: ['LAPOR', 'PENUGASAN'], limit: 50 }, header: { 'If-None-Match': etag } } });
  const read = await unit.GET('/api/v1/tickets/{number}', { params: { path: { number: created.number } } });
  const assigned = must(
    await unit.POST('/api/v1/tickets/{number}/status', {
      params: { path: { number: created.number }, header: { 'If-Match': read.response.headers.get('ETag') ?? '*' } },
      body: { status: 'PENUGASAN', note: 'Petugas berangkat' },
    }),
  );
  const stale = await unit.POST('/api/v1/tickets/{number}/status', {
    params: { path: { number: created.number }, header: { 'If-Match': `"${created.version}"` } },
    body: { status: 'PERJALANAN' },
  });
  const preconditionFailed: number | undefined = stale.error?.status;
  const resolved = must(
    await unit.POST('/api/v1/tickets/{number}/status', {
      params: { path: { number: created.number }, header: { 'If-Match': `"${assigned.version}"` } },
      body: { status: 'SELESAI', unitAnswer: 'MCB diganti, listrik menyala' },
    }),
  );
  const history = must(await unit.GET('/api/v1/tickets/{number}/events', { params: { path: { number: created.number } } })).items;

  // mobile: a report from PLN Mobile, then the customer reports it again
  const fromApp = must(
    await mobile.POST('/api/v1/tickets', {
      body: { kind: 'GANGGUAN', unitCode: '542', channel: 'PLN_MOBILE', customer: { ...customer, idPel: '512345678909', phone: '081234567899' }, problemType: 'PADAM_1_RUMAH', description: 'Padam lagi' },
    }),
  );
  const reReport = must(await mobile.POST('/api/v1/tickets/{number}/re-reports', { params: { path: { number: fromApp.number } }, body: { note: 'Belum ada petugas' } }));

  // cso: the customer confirms the resolved ticket, and an escalation for the back office
  const confirmation = must(await cso.POST('/api/v1/tickets/{number}/confirmation', { params: { path: { number: resolved.number } }, body: { resolved: true } }));
  const newTicketNumber: string | null = confirmation.newTicket?.number ?? null;
  must(await cso.POST('/api/v1/escalations', { body: { category: 'URGENT', ticketNumber: fromApp.number, note: 'Pelanggan lansia, mohon diprioritaskan' } }));

  // backoffice: claim the next item of the queue (204 when empty) and finish it
  const claim = await backoffice.POST('/api/v1/escalations/claim-next', { body: { categories: ['URGENT'] } });
  const finished = claim.data ? must(await backoffice.POST('/api/v1/escalations/{id}/done', { params: { path: { id: claim.data.id } }, body: { note: 'Sudah ditelepon' } })) : undefined;
  const queue = must(await backoffice.GET('/api/v1/escalations', { params: { query: { status: ['OPEN', 'CLAIMED'] } } })).items;

  // cso: an IML report forwarded to ListriQu, and listriqu reports its order
  const iml = must(
    await cso.POST('/api/v1/tickets', {
      body: {
        kind: 'GANGGUAN', unitCode: '542', channel: 'CC123', customer: { ...customer, idPel: '512345678908', phone: '081234567898' },
        problemType: 'TETANGGA_TIDAK_TURUT_PADAM', woType: 'IML_LISTRIQU', description: 'MCB dalam turun',
        iml: { willingToPay: true, preferredVisitDate: day(2), regency: 'Kota Bandung', district: 'Coblong', village: 'Dago', landmark: 'Dekat masjid', latitude: -6.9, longitude: 107.6 },
      },
    }),
  );
  const order = must(await listriqu.POST('/api/v1/listriqu/orders/{ticketNumber}/status', { params: { path: { ticketNumber: iml.number } }, body: { status: 'ORDER' } }));

  // cso: an app problem forwarded to ITSM, and itsm reports on its ticket
  const appProblem = must(
    await cso.POST('/api/v1/tickets', {
      body: {
        kind: 'KELUHAN', unitCode: '542', channel: 'CC123', customer: { name: 'Siti', phone: '081298765432', idPel: '512345678907' },
        problemType: 'LAIN_LAIN', subType: 'LAIN_LAIN', description: 'Tidak bisa login',
        appProblem: { category: 'Login Gagal', forwardToItsm: true, itsmTicketId: String(Date.now()), callType: 'INCIDENT', email: 'siti@example.com' },
      },
    }),
  );
  const reference = appProblem.itsmReference ? must(await itsm.POST('/api/v1/itsm-references/{id}/status', { params: { path: { id: appProblem.itsmReference.id } }, body: { status: 'ACTIVE' } })) : undefined;

  return {
    policies: policies.length,
    created: created.number,
    notModified: again.response.status === 304,
    ticketEtag: read.response.headers.get('ETag'),
    preconditionFailed,
    history: history.map((e) => e.type),
    treatment: reReport.treatment,
    confirmed: confirmation.ticket.status,
    newTicketNumber,
    finished: finished?.status,
    queue: queue.length,
    imlKind: iml.kind,
    order: order.status,
    itsmStatus: reference?.status,
  };
}
