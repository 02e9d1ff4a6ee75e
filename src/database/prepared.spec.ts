import { insertTicketStatement } from '../tickets/tickets.repository';
import type { TicketDraft } from '../tickets/tickets.service';
import { prepared } from './prepared';

describe('prepared statements of the burst paths', () => {
  it('names a text once and reuses the name; another text gets another name', () => {
    const a = prepared('SELECT $1::int AS a', [1]);
    expect(a.name).toMatch(/^apkt_\d+$/);
    expect(prepared('SELECT $1::int AS a', [2])).toEqual({ name: a.name, text: 'SELECT $1::int AS a', values: [2] });
    expect(prepared('SELECT $1::int AS b', [1]).name).not.toBe(a.name);
  });

  it('takes a given name as it is', () => {
    expect(prepared('SELECT 1', [], 'apkt_given')).toEqual({ name: 'apkt_given', text: 'SELECT 1', values: [] });
  });

  it('stops naming new texts past its bound instead of growing without end', () => {
    const named = Array.from({ length: 100 }, (_, i) => prepared(`SELECT ${i} AS bound_check`));
    expect(named.filter((q) => q.name === undefined).length).toBeGreaterThan(0);
    expect(named.at(-1)).toEqual({ text: 'SELECT 99 AS bound_check', values: [] });
  });

  it('gives the ticket insert one text whatever the draft holds, so it is prepared once under INSERT_NAME (R-T2)', () => {
    const base: TicketDraft = {
      kind: 'GANGGUAN', unitCode: '542', channel: 'CC123', customer: { name: 'Budi', phone: '0812' }, problemType: 'PADAM',
      subType: null, woType: 'AUTODISPATCH', description: 'padam', urgent: false, reportedAt: new Date(), status: 'LAPOR',
    };
    const other: TicketDraft = {
      ...base, kind: 'KELUHAN', customer: { name: 'Sri', phone: '0813', idPel: '123456789012', meterNumber: 'M1', address: 'Jl. A', province: 'JAWA_TIMUR' },
      problemType: 'INFORMASI', subType: 'LAYANAN_KOMPOR_INDUKSI', woType: null, urgent: true, status: 'ISSUE_CLOSED',
      previousNumber: 'G5422026000001', referenceNumber: 'K5422026000001', callbackAt: new Date(), transferredFromNumber: 'K5422026000002',
      cancelReason: 'x', eventNote: 'y',
    };
    const actor = { sub: 'cso-1', role: 'cso' as const };
    const answer = { key: '8:test-cso:k', fingerprint: 'f' };
    expect(insertTicketStatement(other, actor, new Date(), answer).text).toBe(insertTicketStatement(base, actor, new Date()).text);
  });
});
