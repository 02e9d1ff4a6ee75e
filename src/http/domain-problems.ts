import type { DomainException } from '../common/domain.exception';
import { Problem } from '../common/problem';

// The edge's side of the modules' refusals: a module's exception carries the ProblemCode its
// `*.exception.ts` declares for the code, and this turns it into problem+json (the code's status, type
// and title; the exception's own detail and errors). It knows no module, so the modules sit above it.

/** The problem+json a module's refusal answers with. */
export function problemOf(error: DomainException): Problem {
  const problem = new Problem(error.problem, error.detail, error.errors);
  if (error.retryAfter !== undefined) problem.retryAfter = error.retryAfter; // R-P5's 429
  return problem;
}
