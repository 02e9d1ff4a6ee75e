import { invalidInput } from '../src/common/domain.exception';
import { IntakeErrorCode, IntakeException } from '../src/intake/intake.exception';
import { OutageErrorCode, OutageException } from '../src/outages/outage.exception';
import { TicketErrorCode, TicketException } from '../src/tickets/ticket.exception';
import { problemOf } from '../src/http/domain-problems';

// Each module's codes to problem+json (docs/problems.md): status, type and title come from the
// ProblemCode the module's *.exception.ts declares for the code, detail and errors from the exception.
describe('problemOf', () => {
  it.each<[string, Parameters<typeof problemOf>[0], number, string, string]>([
    ['a refused field', invalidInput('unitCode', 'unitCode must be 3 digits'), 400, 'validation-failed', 'Validation failed'],
    ['a ticket not found', new TicketException(TicketErrorCode.NOT_FOUND, 'Ticket G1 not found'), 404, 'not-found', 'Not found'],
    ['R-T4 a move the lifecycle forbids', new TicketException(TicketErrorCode.INVALID_TRANSITION, 'G1: no'), 409, 'invalid-transition', 'Not allowed in the current state'],
    ['If-Match naming another version', new TicketException(TicketErrorCode.VERSION_MISMATCH, 'The ticket is at version 2'), 412, 'precondition-failed', 'Precondition failed'],
    ['R-T2 numbers used up', new TicketException(TicketErrorCode.NUMBERS_EXHAUSTED, 'All 999999 …'), 409, 'ticket-number-exhausted', 'Ticket numbers exhausted'],
    ['no policy matches', new TicketException(TicketErrorCode.NO_MATCHING_POLICY, 'No policy matches GANGGUAN'), 500, 'internal-error', 'Internal server error'],
    ['R-R7a not repeatable', new IntakeException(IntakeErrorCode.NOT_REPEATABLE, 'G1 was closed at the contact centre'), 409, 'not-repeatable', 'This ticket cannot be re-reported'],
    ['If-Match naming another version of an outage', new OutageException(OutageErrorCode.VERSION_MISMATCH, 'The outage is at version 2'), 412, 'precondition-failed', 'Precondition failed'],
  ])('%s', (_, error, status, type, title) => {
    const body = problemOf(error).body('/api/v1/x?y=1');
    expect(body).toEqual({ type: `https://apkt.pln.co.id/problems/${type}`, title, status, detail: error.detail, instance: '/api/v1/x', ...(error.errors ? { errors: error.errors } : {}) });
  });
});
