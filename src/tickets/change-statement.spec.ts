import { changeTicketStatement } from './sql/change-ticket.sql';

const actor = { sub: 'u-1', role: 'unit' };
const at = new Date('2026-12-04T10:00:00Z');
const event = { ticketNumber: 'G5422026000001', type: 'STATUS_CHANGED' as const, fromStatus: 'LAPOR' as const, toStatus: 'PENUGASAN' as const, note: null, actor, occurredAt: at, recordedAt: at };

// R-T6: a change and its events in one statement when its data is plain; the ORM otherwise.
describe('the change statement', () => {
  it.each([
    ['a status move', { status: 'PENUGASAN', respondedAt: at, version: { increment: 1 }, updatedAt: at, lastEventAt: at }, ['"status" = ', '"responded_at" = ', '"version" = "version" + ']],
    ['an update note (R-R1)', { updateCount: { increment: 1 }, version: { increment: 1 }, updatedAt: at }, ['"update_count" = "update_count" + ']],
    ['a value set to null', { closeReason: null, closedAt: null }, ['"close_reason" = ', '"closed_at" = ']],
  ])('writes %s with its events', (_what, data, sets) => {
    const statement = changeTicketStatement('G5422026000001', data, [event, { ...event, type: 'ESCALATED', toStatus: null, fromStatus: null }]);
    expect(statement).not.toBeNull();
    for (const set of sets) expect(statement!.sql).toContain(set);
    expect(statement!.sql).toContain('INSERT INTO ticket_events');
    expect(statement!.values).toContain('ESCALATED');
  });

  it.each([
    ['a relation', { outage: { disconnect: true } }],
    ['an operation other than increment', { updateCount: { multiply: 2 } }],
    ['an unknown field', { nonsense: 1 }],
    ['an increment of a non-number column', { status: { increment: 1 } }],
  ])('leaves %s to the ORM', (_what, data) => {
    expect(changeTicketStatement('G5422026000001', data as Record<string, unknown>, [event])).toBeNull();
  });

  it('guarded (issue 30): only the version read, only a ticket no one holds, the key stored with it', () => {
    const answer = { key: 'k', fingerprint: 'f', now: at, status: 200, view: 'ticket', contentType: 'application/json' };
    const statement = changeTicketStatement('G5422026000001', { status: 'PENUGASAN' }, [event], { version: 3, answer })!;
    expect(statement.sql).toContain('version = ?::int');
    expect(statement.sql).toContain('FOR UPDATE SKIP LOCKED');
    expect(statement.sql).toContain('NOT EXISTS (SELECT 1 FROM idempotency_keys');
    expect(statement.sql).toContain('INSERT INTO idempotency_keys');
    expect(statement.values).toEqual(expect.arrayContaining([3, 'k', 'f']));
    const bare = changeTicketStatement('G5422026000001', { status: 'PENUGASAN' }, [event], { version: 3 })!;
    expect(bare.sql).not.toContain('idempotency_keys');
  });
});
