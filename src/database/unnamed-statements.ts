import { Client } from 'pg';

/**
 * A pg client that sends every statement unnamed: the one the pool uses when DATABASE_URL goes through a
 * transaction-pooling PgBouncer older than 1.21. There each statement may run on another server
 * connection than the one a named statement was prepared on ("prepared statement apkt_1 does not
 * exist"); an unnamed statement is parsed with its own Bind and Execute, so it always works. The cost is
 * the parse and plan that naming saved (docs/replicas.md has the measurement).
 */
export class UnnamedStatementsClient extends Client {
  override query(...args: unknown[]): never {
    const [config] = args;
    if (config && typeof config === 'object' && !('submit' in config) && 'name' in config && (config as { name?: string }).name) {
      args[0] = { ...(config as object), name: undefined };
    }
    return (super.query as (...a: unknown[]) => never)(...args);
  }
}
