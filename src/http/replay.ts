import type { FastifyReply } from 'fastify';

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
  return answer.payload;
}
