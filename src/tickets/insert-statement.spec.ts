import { INSERT_NAME, insertTicketStatement, preparedInsert } from './sql/insert-ticket.sql';
import type { TicketDraft } from './ticket.types';

describe('the create statement', () => {
  it('gives the ticket insert one text whatever the draft holds, so it is prepared once under INSERT_NAME (R-T2)', () => {
    const base: TicketDraft = {
      kind: 'GANGGUAN', unitCode: '542', channel: 'CC123', customer: { name: 'Budi', phone: '0812' }, problemType: 'PADAM',
      subType: null, woType: 'AUTODISPATCH', description: 'padam', urgent: false, reportedAt: new Date(), status: 'LAPOR',
    };
    const other: TicketDraft = {
      ...base, kind: 'KELUHAN', customer: { name: 'Sri', phone: '0813', idPel: '123456789012', meterNumber: 'M1', address: 'Jl. A', province: 'JAWA_TIMUR' },
      problemType: 'INFORMASI', subType: 'LAYANAN_KOMPOR_INDUKSI', woType: null, urgent: true, status: 'ISSUE_CLOSED',
      previousNumber: 'G5422026000001', referenceNumber: 'K5422026000001', callbackAt: new Date(), transferredFromNumber: 'K5422026000002',
      eventNote: 'y',
    };
    const actor = { sub: 'cso-1', role: 'cso' as const };
    const answer = { key: '8:test-cso:k', fingerprint: 'f' };
    expect(insertTicketStatement(other, actor, new Date(), answer).text).toBe(insertTicketStatement(base, actor, new Date()).text);
  });

  it('is prepared under INSERT_NAME with its values', () => {
    const statement = insertTicketStatement(
      { kind: 'GANGGUAN', unitCode: '542', channel: 'CC123', customer: { name: 'Budi', phone: '0812' }, problemType: 'PADAM', subType: null, woType: 'AUTODISPATCH', description: 'padam', urgent: false, reportedAt: new Date(), status: 'LAPOR' },
      { sub: 'cso-1', role: 'cso' },
      new Date(),
    );
    expect(preparedInsert(statement)).toEqual({ name: INSERT_NAME, text: statement.text, values: statement.values });
  });
});
