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

  /**
   * The message a user reads: what happened in the console's words (by the problem's type, docs/problems.md),
   * then the service's own detail and the fields it names, which carry the precise reason (a ticket
   * number, a rule) in the contract's English.
   */
  get text(): string {
    const fields = this.problem?.errors?.map((e) => `${e.field}: ${e.message}`).join('; ');
    const detail = fields && !this.message.includes(fields) ? `${this.message} (${fields})` : this.message; // a detail that already names them says it once
    const lead = problemLead(this.problem?.type, this.status);
    return lead ? `${lead} — ${detail}` : detail;
  }
}

// The problem types of docs/problems.md, by the last segment of their URI, in the console's words.
const LEADS: Record<string, string> = {
  'validation-failed': 'Isian belum benar',
  'malformed-body': 'Permintaan tidak dapat dibaca',
  unauthorized: 'Sesi tidak berlaku',
  forbidden: 'Peran Anda tidak boleh melakukan ini',
  'not-found': 'Tidak ditemukan',
  'method-not-allowed': 'Tindakan ini tidak tersedia',
  'invalid-transition': 'Perpindahan ini tidak diizinkan',
  conflict: 'Bertentangan dengan keadaan data saat ini',
  'not-repeatable': 'Laporan ini tidak dapat dilaporkan ulang',
  'ticket-number-exhausted': 'Nomor laporan unit ini untuk tahun ini sudah habis',
  'idempotency-key-in-progress': 'Permintaan yang sama masih diproses',
  'precondition-failed': 'Data sudah diubah pihak lain; muat ulang lalu coba lagi',
  'payload-too-large': 'Isian terlalu besar',
  'unsupported-media-type': 'Permintaan tidak dapat dibaca',
  'idempotency-key-reused': 'Kunci permintaan sudah dipakai untuk isian lain',
  'too-many-requests': 'Terlalu banyak permintaan; tunggu sebentar',
  'internal-error': 'Terjadi kesalahan di server',
  'service-unavailable': 'Layanan sedang tidak tersedia; coba lagi sebentar lagi',
};

/** The console's lead for a problem: by its type, else by its status; null when neither is known. */
export function problemLead(type: string | undefined, status: number): string | null {
  const name = type?.split('/').pop();
  if (name && LEADS[name]) return LEADS[name];
  return ({ 400: LEADS['validation-failed'], 403: LEADS.forbidden, 404: LEADS['not-found'], 409: LEADS.conflict, 412: LEADS['precondition-failed'], 429: LEADS['too-many-requests'], 500: LEADS['internal-error'], 503: LEADS['service-unavailable'] } as Record<number, string>)[status] ?? null;
}

/** openapi-fetch's answer → its data, or an ApiError. */
export function must<T>(answer: { data?: T; error?: unknown; response: Response }): T {
  if (answer.data !== undefined) return answer.data;
  const problem = answer.error && typeof answer.error === 'object' ? (answer.error as Problem) : null;
  throw new ApiError(answer.response.status, problem);
}
