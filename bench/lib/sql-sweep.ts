import type { Client } from 'pg';
import { autoCloseStatement } from '../../src/tickets/sql/auto-close.sql';

// The raw-SQL baseline of the auto-close job (R-J1): the service's own batch statement
// (autoCloseStatement), sent directly in a loop of batches of 200 until a batch comes back short — what
// the job does in one run, without the service around it.
export const BATCH = 200;

/** One run of the auto-close job in raw SQL; returns how many tickets it closed. */
export async function sqlAutoCloseRun(client: Client, now: Date): Promise<number> {
  let total = 0;
  for (;;) {
    const statement = autoCloseStatement(now, BATCH);
    const n = (await client.query<{ n: number }>(statement.text, statement.values as unknown[])).rows[0].n;
    total += n;
    if (n < BATCH) return total;
  }
}
