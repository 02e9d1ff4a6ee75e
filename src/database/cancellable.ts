import { Connection, type Pool, type PoolClient, type QueryResultRow } from 'pg';

/** The statement of a request whose client went away, stopped (issue 14 point 18). Nobody reads its answer. */
export class ClientGoneError extends Error {
  constructor(cause?: unknown) {
    super('the client went away; its statement was cancelled', { cause });
    this.name = 'ClientGoneError';
  }
}

/** A parameterised statement: a pg QueryConfig, or a Prisma.Sql (its `text` numbers the parameters $1…). */
export interface Statement {
  readonly text: string;
  readonly values?: unknown[];
}

// What node-postgres keeps of the connection but its type declarations do not show.
interface Backend {
  host: string;
  port: number;
  processID: number;
  secretKey: number | Buffer;
}
interface CancelConnection {
  readonly stream: { destroy(): void };
  connect(port: number | string, host?: string): void;
  cancel(processID: number, secretKey: number | Buffer): void;
}

const CANCELLED_BY_US = /due to user request/;
// A server that does not answer a cancel within this long will not help the overload it is in either.
const CANCEL_TIMEOUT_MS = 2000;

/**
 * PostgreSQL's CancelRequest for the statement `client` is running, as libpq's PQcancel sends it: a new
 * socket to the server carrying the connection's process id and secret key. It needs no login and no
 * connection slot, so it goes through even when the pool and the server are full. Resolves true once
 * the server has closed that socket (it has signalled the backend); false on an error or after
 * CANCEL_TIMEOUT_MS: the statement timeout still bounds a statement whose cancel was lost.
 */
function sendCancel(client: PoolClient): Promise<boolean> {
  const backend = client as unknown as Backend;
  return new Promise((resolve) => {
    const connection = new Connection() as unknown as CancelConnection & Connection;
    const done = (delivered: boolean) => {
      clearTimeout(timer);
      connection.stream.destroy();
      resolve(delivered);
    };
    const timer = setTimeout(() => done(false), CANCEL_TIMEOUT_MS);
    timer.unref();
    connection.on('connect', () => connection.cancel(backend.processID, backend.secretKey));
    connection.on('end', () => done(true));
    connection.on('error', () => done(false));
    if (backend.host.startsWith('/')) connection.connect(`${backend.host}/.s.PGSQL.${backend.port}`);
    else connection.connect(backend.port, backend.host);
  });
}

/**
 * Runs one read-only statement on a pool connection of its own. When `signal` aborts before the answer
 * (src/http/client-gone.ts: the request's client went away) the statement is cancelled in PostgreSQL
 * instead of running to its end, the connection goes back to the pool, and the call fails with
 * ClientGoneError. Prisma has no way to cancel a running statement, so the read paths an overload
 * brings run their statement here, on the pool under Prisma (PrismaService.pool).
 *
 * A cancel that arrives after its statement ended could stop the next statement on that connection,
 * another request's: a connection we sent a cancel for is reused only when its statement ended with that
 * cancel's error and the server confirmed the cancel; otherwise it is closed.
 */
export async function cancellable<R extends QueryResultRow>(pool: Pool, statement: Statement, signal?: AbortSignal): Promise<R[]> {
  const query = { text: statement.text, values: statement.values };
  if (!signal) return (await pool.query<R>(query)).rows;
  if (signal.aborted) throw new ClientGoneError();
  let client: PoolClient;
  try {
    client = await pool.connect(); // a wait for a connection is bounded by DB_POOL_WAIT_MS
  } catch (error) {
    throw signal.aborted ? new ClientGoneError(error) : error;
  }
  if (signal.aborted) {
    client.release();
    throw new ClientGoneError();
  }
  let cancelled: Promise<boolean> | undefined;
  const cancel = () => void (cancelled = sendCancel(client));
  signal.addEventListener('abort', cancel, { once: true });
  let failure: unknown;
  let rows: R[] = [];
  try {
    rows = (await client.query<R>(query)).rows;
  } catch (error) {
    failure = error;
  } finally {
    signal.removeEventListener('abort', cancel);
  }
  if (cancelled) {
    const ours = failure !== undefined && CANCELLED_BY_US.test(String((failure as Error).message)) && (await cancelled);
    client.release(!ours); // true: closed, not reused
    throw new ClientGoneError(failure);
  }
  // as pool.query does: a connection whose statement failed is not reused
  client.release(failure as Error | undefined);
  if (failure !== undefined) throw failure;
  return rows;
}
