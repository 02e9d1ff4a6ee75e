import { acceptsChanges, isDone, repeatNote, reportOutcome, waitingCloseCutoff } from './itsm.rules';

describe('R-A2…R-A4 what a forwarded report does', () => {
  it.each([
    ['no reference yet: a new one (R-A2)', null, { kind: 'NEW' }],
    ['an open LOGGED one: noted (R-A3)', { status: 'LOGGED', itsmTicketId: '700001' }, { kind: 'REPEAT_OPEN', itsmTicketId: '700001' }],
    ['an open WAITING_FOR_CUSTOMER one: noted (R-A3)', { status: 'WAITING_FOR_CUSTOMER', itsmTicketId: '700001' }, { kind: 'REPEAT_OPEN', itsmTicketId: '700001' }],
    ['a RESOLVED one: a new one after it (R-A4)', { status: 'RESOLVED', itsmTicketId: '700001' }, { kind: 'REPEAT_DONE', previousItsmTicketId: '700001', itsmTicketId: '733905' }],
    ['a CLOSED one: a new one after it (R-A4)', { status: 'CLOSED', itsmTicketId: '700001' }, { kind: 'REPEAT_DONE', previousItsmTicketId: '700001', itsmTicketId: '733905' }],
  ] as const)('%s', (_, found, expected) => {
    expect(reportOutcome(found, '733905')).toEqual(expected);
  });
});

describe('R-A3 repeat note', () => {
  it('is the procedure text, then the agent on a new line', () => {
    expect(repeatNote('CC.54.DESI')).toBe('Pelanggan melaporkan kembali belum ada tindaklanjut, Pelanggan belum mendapatkan balasan email.\nCC.54.DESI');
  });
});

describe('R-A5 statuses', () => {
  it.each([
    ['LOGGED', false, true],
    ['ACTIVE', false, true],
    ['WAITING_FOR_CUSTOMER', false, true],
    ['WAITING_FOR_3RD_PARTY', false, true],
    ['WAITING_FOR_APPROVAL', false, true],
    ['RESOLVED', true, true],
    ['CLOSED', true, false],
  ] as const)('%s: done %s, accepts changes %s', (status, done, accepts) => {
    expect(isDone(status)).toBe(done);
    expect(acceptsChanges(status)).toBe(accepts);
  });
});

describe('R-J5 cutoff', () => {
  it('is five days before now', () => {
    expect(waitingCloseCutoff(new Date('2026-11-28T01:00:00.000Z')).toISOString()).toBe('2026-11-23T01:00:00.000Z');
  });
});
