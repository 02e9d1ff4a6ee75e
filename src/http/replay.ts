import type { FastifyReply } from 'fastify';
import { ticketEtag } from './preconditions';

/** An answer stored under an Idempotency-Key, as it is sent again. */
export interface StoredAnswer {
  status: number;
  contentType: string;
  payload: string;
}

/** Thrown when an earlier request with the same Idempotency-Key has answered: the filter sends that answer. */
export class IdempotentReplay extends Error {
  constructor(readonly answer: StoredAnswer) {
    super('replayed');
  }
}

/** Sets the reply up as the stored answer; returns its payload (for onSend, or for send()). */
export function replayed(reply: FastifyReply, answer: StoredAnswer): string {
  reply.status(answer.status).header('content-type', answer.contentType).header('idempotent-replayed', 'true');
  const version = answer.status < 300 && answer.payload.startsWith('{') ? (JSON.parse(answer.payload) as { version?: unknown }).version : undefined;
  if (typeof version === 'number') reply.header('etag', ticketEtag(version)); // the same answer: a ticket keeps its ETag
  return answer.payload;
}
