import { ProblemCode } from './problem-code';
import type { FieldError } from './problem.view';

// Failures in the domain's own words. A module throws its exception (`TicketException` with a
// `TicketErrorCode`, …, each in the module's `*.exception.ts`), and that file declares which of API.md's
// problems (a ProblemCode) each of its codes answers with: a `Record` over the module's codes, so a new
// code does not compile until it has its answer. src/http/domain-problems.ts turns what an exception
// carries into the HTTP answer without knowing any module. Services, repositories and rules never build
// HTTP answers themselves.

/** One refused input field: its path in the request and why. */
export type { FieldError };

export abstract class DomainException<Code extends string = string> extends Error {
  /** The module's declared answer to each of its codes (its `*.exception.ts`). */
  protected abstract readonly problems: Readonly<Record<Code, ProblemCode>>;

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

  /** Seconds until the caller may try again, for the answer's Retry-After (R-P5's 429); most refusals have none. */
  retryAfter?: number;

  /** Which of API.md's problems this refusal answers with. */
  get problem(): ProblemCode {
    return this.problems[this.code];
  }
}

/** Input any module refuses before a domain rule runs: a field of the body, path or query, and why. */
export enum InputErrorCode {
  INVALID_FIELD = 'INPUT_INVALID_FIELD',
}

export class InputException extends DomainException<InputErrorCode> {
  protected readonly problems = { [InputErrorCode.INVALID_FIELD]: ProblemCode.VALIDATION };
}

/** `field` is refused: `message` says why (the detail reads `field: message`). */
export const invalidInput = (field: string, message: string): InputException =>
  new InputException(InputErrorCode.INVALID_FIELD, `${field}: ${message}`, [{ field, message }]);
