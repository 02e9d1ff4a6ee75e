import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { signToken } from '../../src/auth/jwt';
import type { Role } from '../../src/auth/roles';
import { createBody } from './bodies';
import type { Bench } from './context';
import type { Service } from './service';

// HTTP load through autocannon, and the small HTTP calls the scenarios need around it.
const running = new Set<autocannon.Instance>();

export function stopAllLoad(): void {
  for (const instance of running) instance.stop();
}

/**
 * Runs autocannon; with `capSeconds`, an `amount` run is stopped there (its result counts what was done).
 * An `amount` run's `duration` is its time to the last answer: autocannon reports a result only at its next
 * one-second tick, so its own figure rounds every such run up to whole seconds plus (5,000 moves in 7.1 s
 * came out as 8.01 s), against raw-SQL runs timed exactly.
 */
export function load(options: autocannon.Options, capSeconds?: number): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    let cap: NodeJS.Timeout | undefined;
    const started = Date.now();
    let answered = started;
    const instance = autocannon({ timeout: 30, ...options }, (error, result) => {
      clearTimeout(cap);
      running.delete(instance);
      if (error) reject(error);
      else resolve(options.amount ? { ...result, duration: (answered - started) / 1000 } : result);
    });
    if (options.amount) instance.on('response', () => (answered = Date.now()));
    running.add(instance);
    if (capSeconds) cap = setTimeout(() => instance.stop(), capSeconds * 1000);
  });
}

/**
 * A dashboard's autocannon client: each connection takes the next of `tokens` and sends back the ETag it
 * was last given in If-None-Match, as a polling dashboard does (scenarios 3 and 9).
 */
export function pollingClients(tokens: string[]): NonNullable<autocannon.Options['setupClient']> {
  let next = 0;
  return (client) => {
    const authorization = `Bearer ${tokens[next++ % tokens.length]}`;
    let etag = '';
    client.setHeaders({ authorization });
    client.on('headers', ({ headers }) => {
      const at = headers.findIndex((h, k) => k % 2 === 0 && h.toLowerCase() === 'etag');
      const tag = at >= 0 ? headers[at + 1] : '';
      if (tag && tag !== etag) {
        etag = tag;
        client.setHeaders({ authorization, 'if-none-match': etag });
      }
    });
  };
}

export const count = (result: autocannon.Result, status: number): number => result.statusCodeStats[String(status)]?.count ?? 0;

export const token = (bench: Bench, role: Role, unit?: string): Promise<string> =>
  signToken(bench.secret, { sub: `bench-${role}${unit ? `-${unit}` : ''}`, role, unit });

export async function call(service: Service, method: string, path: string, bearer: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const response = await fetch(`${service.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${bearer}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.text() };
}

/** PUT /api/v1/units/{code} as admin, a few at a time. */
export async function registerUnits(bench: Bench, service: Service, codes: string[]): Promise<void> {
  const admin = await token(bench, 'admin');
  for (let i = 0; i < codes.length; i += 20) {
    await Promise.all(
      codes.slice(i, i + 20).map(async (code) => {
        const answer = await call(service, 'PUT', `/api/v1/units/${code}`, admin, { name: `Unit ${code}` });
        if (answer.status !== 200) throw new Error(`PUT unit ${code}: ${answer.status} ${answer.body}`);
      }),
    );
  }
}

/**
 * Autocannon options for POST /api/v1/tickets as a CSO: a realistic body per request for the unit
 * `unitFor(i)`, and a fresh Idempotency-Key each. `onCreated` sees each 201's ticket number.
 */
export async function createLoad(bench: Bench, service: Service, unitFor: (i: number) => string, onCreated?: (number: string) => void): Promise<Pick<autocannon.Options, 'url' | 'headers' | 'requests'>> {
  const cso = await token(bench, 'cso');
  const prefix = randomBytes(4).toString('hex');
  let n = 0;
  return {
    url: service.url,
    headers: { authorization: `Bearer ${cso}`, 'content-type': 'application/json' },
    requests: [
      {
        method: 'POST',
        path: '/api/v1/tickets',
        setupRequest: (request) => {
          const i = n++;
          return { ...request, headers: { ...request.headers, 'idempotency-key': `${prefix}-${i}` }, body: JSON.stringify(createBody(i, unitFor(i))) };
        },
        onResponse: onCreated
          ? (status, body) => {
              const number = status === 201 ? /"number":"([GK]\d{13})"/.exec(body.slice(0, 64))?.[1] : undefined;
              if (number) onCreated(number);
            }
          : undefined,
      },
    ],
  };
}
