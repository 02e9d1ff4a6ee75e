import type { Client } from 'pg';
import { statusBatchStatement } from '../../src/tickets/sql/outage-moves.sql';

// The raw-SQL baseline of an outage's propagation (R-O3): the service's own batched UPDATE + INSERT of
// events (statusBatchStatement), sent directly in a loop of autocommitted batches, the cursor carried
// from one to the next — what the propagation does, without claiming the move, recording its progress
// or the service around it.
export const BATCH = 500;

/** Moves every ticket of `outageId` to `to` in raw SQL; returns how many. */
export async function sqlPropagation(client: Client, outageId: string, to: 'PENGERJAAN', title: string, now: Date): Promise<number> {
  let total = 0;
  let cursor = '';
  for (;;) {
    const statement = statusBatchStatement(
      { outageId, kind: 'STATUS', toStatus: to, title, unitAnswer: null, reason: null, note: null, actorSub: 'bench', actorRole: 'unit', actorName: null, occurredAt: now, cursor },
      BATCH,
      now,
    );
    const row = (await client.query<{ n: number; last: string | null }>(statement.text, statement.values as unknown[])).rows[0];
    total += row.n;
    if (row.n < BATCH || !row.last) return total;
    cursor = row.last;
  }
}
