import createClient from 'openapi-fetch';
import type { ConsolePaths } from './contract';
import type { Problem } from './types';

/** Calls that answer 401 end the session (the token expired or was revoked): app.tsx listens. */
export const UNAUTHORIZED_EVENT = 'apkt-unauthorized';

let bearer: string | null = null;
export const setBearer = (token: string | null) => {
  bearer = token;
};
/** For the calls made without openapi-fetch (the change stream). */
export const currentBearer = () => bearer;

export const api = createClient<ConsolePaths>({ baseUrl: window.location.origin });

api.use({
  onRequest({ request }) {
    if (bearer) request.headers.set('authorization', `Bearer ${bearer}`);
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401) window.dispatchEvent(new Event(UNAUTHORIZED_EVENT));
    return response;
  },
});

/** An answer that is not the one asked for, carrying the problem+json body for the page to show. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | null,
  ) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
  }

  /** The message a user reads: the service's detail, and the fields it names. */
  get text(): string {
    const fields = this.problem?.errors?.map((e) => `${e.field}: ${e.message}`).join('; ');
    return fields ? `${this.message} (${fields})` : this.message;
  }
}

/** openapi-fetch's answer → its data, or an ApiError. */
export function must<T>(answer: { data?: T; error?: unknown; response: Response }): T {
  if (answer.data !== undefined) return answer.data;
  const problem = answer.error && typeof answer.error === 'object' ? (answer.error as Problem) : null;
  throw new ApiError(answer.response.status, problem);
}
