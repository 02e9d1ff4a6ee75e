// Failures in the domain's own words. A module throws its exception (`TicketException` with a
// `TicketErrorCode`, …, each in the module's `*.exception.ts`); src/http/domain-problems.ts is the one
// place that turns a code into an HTTP answer (status, problem type, title). Services, repositories and
// rules never build HTTP answers themselves.

/** One refused input field: its path in the request and why. */
export interface FieldError {
  field: string;
  message: string;
}

export abstract class DomainException<Code extends string = string> extends Error {
  constructor(
    readonly code: Code,
    /** For people: what was refused and why (the problem's `detail`). */
    readonly detail: string,
    /** For input refused field by field (the problem's `errors`). */
    readonly errors?: FieldError[],
  ) {
    super(detail);
    this.name = new.target.name;
  }
}

/** Input any module refuses before a domain rule runs: a field of the body, path or query, and why. */
export enum InputErrorCode {
  INVALID_FIELD = 'INPUT_INVALID_FIELD',
}

export class InputException extends DomainException<InputErrorCode> {}

/** `field` is refused: `message` says why (the detail reads `field: message`). */
export const invalidInput = (field: string, message: string): InputException =>
  new InputException(InputErrorCode.INVALID_FIELD, `${field}: ${message}`, [{ field, message }]);
