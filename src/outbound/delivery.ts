import { lookup as dnsLookup } from 'node:dns/promises';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { Injectable } from '@nestjs/common';
import { ANSWER_BYTES, answerText, DELIVERY_TIMEOUT_MS } from './outbound.rules';
import { isInternalAddress } from './ssrf.rules';

export interface ResolvedAddress {
  address: string;
  family: number;
}
export type Resolve = (host: string) => Promise<ResolvedAddress[]>;

/** R-W6: the name resolution deliveries and registrations use; tests put their own DNS answers here. */
@Injectable()
export class WebhookResolver {
  private resolve: Resolve = (host) => dnsLookup(host, { all: true, verbatim: true });

  use(resolve: Resolve): void {
    this.resolve = resolve;
  }

  /** The addresses of a host (an IP literal is its own address). */
  async addresses(host: string): Promise<ResolvedAddress[]> {
    const bare = host.replace(/^\[|\]$/g, '');
    const family = isIP(bare);
    if (family) return [{ address: bare, family }];
    return this.resolve(bare);
  }
}

export interface HttpResult {
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  answer: string | null;
}

/**
 * R-W6: resolve, refuse any internal address, then connect to exactly the address checked (a pinned
 * `lookup`), so a DNS answer that changes between check and connect cannot lead inside. Hosts of
 * WEBHOOK_ALLOWED_HOSTS skip the check. Returns the address to connect to, or why there is none.
 */
export async function checkedAddress(resolver: WebhookResolver, url: URL, allowedHosts: readonly string[]): Promise<ResolvedAddress | string> {
  const checked = await resolvedOutside(resolver, url, allowedHosts);
  return 'address' in checked ? checked.address : (checked.unresolved ?? checked.refused);
}

/**
 * R-W6 at registration: the same check, where a name that does not resolve (yet, or from here) is no
 * way inside: the endpoint is kept and each delivery checks again. Why the URL is refused, or null.
 */
export async function registrationProblem(resolver: WebhookResolver, url: URL, allowedHosts: readonly string[]): Promise<string | null> {
  const checked = await resolvedOutside(resolver, url, allowedHosts);
  return 'refused' in checked ? (checked.refused ?? null) : null;
}

async function resolvedOutside(
  resolver: WebhookResolver,
  url: URL,
  allowedHosts: readonly string[],
): Promise<{ address: ResolvedAddress } | { unresolved: string; refused?: undefined } | { refused: string; unresolved?: undefined }> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const allowed = allowedHosts.includes(host);
  if (url.protocol !== 'https:' && !(allowed && url.protocol === 'http:')) return { refused: 'url must use https' };
  let addresses: ResolvedAddress[];
  try {
    addresses = await resolver.addresses(host);
  } catch (e) {
    return { unresolved: `cannot resolve ${host}: ${(e as Error).message}` };
  }
  if (!addresses.length) return { unresolved: `cannot resolve ${host}` };
  if (!allowed) {
    const inside = addresses.find((a) => isInternalAddress(a.address));
    if (inside) return { refused: `${host} resolves to an internal address (${inside.address})` };
  }
  return { address: addresses[0] };
}

/** How long an unused connection to an endpoint stays open (under the usual 5 s of servers' keep-alive). */
const IDLE_SOCKET_MS = 4_000;
/** An endpoint's connections unused this long are forgotten with their agent. */
const IDLE_AGENT_MS = 60_000;

/**
 * Keep-alive connections per endpoint and checked address (issue 27: a new connection per delivery cost
 * more than the delivery). An agent is keyed by the URL's origin and the address R-W6 checked, and every
 * request through it carries the same pinned `lookup`, so a connection it reuses leads to exactly that
 * checked address; a name that now resolves elsewhere gets another agent.
 */
export class Connections {
  private readonly agents = new Map<string, { agent: HttpAgent; used: number }>();

  agent(url: URL, pinned: ResolvedAddress): HttpAgent {
    const key = `${url.protocol}//${url.host}|${pinned.address}|${pinned.family}`;
    let entry = this.agents.get(key);
    if (!entry) {
      const options = { keepAlive: true, timeout: IDLE_SOCKET_MS, scheduling: 'lifo' as const };
      entry = { agent: url.protocol === 'https:' ? new HttpsAgent(options) : new HttpAgent(options), used: 0 };
      this.agents.set(key, entry);
    }
    entry.used = Date.now();
    return entry.agent;
  }

  /** Forget agents unused for a minute (their idle sockets closed long before). */
  sweep(): void {
    const before = Date.now() - IDLE_AGENT_MS;
    for (const [key, entry] of this.agents) {
      if (entry.used < before) {
        entry.agent.destroy();
        this.agents.delete(key);
      }
    }
  }

  close(): void {
    for (const entry of this.agents.values()) entry.agent.destroy();
    this.agents.clear();
  }
}

/**
 * R-W4: one POST, 10 s at most, no redirect followed, the first 1 KiB of the answer kept. Over `agent`'s
 * kept-alive connections: one the receiver closed just as it was reused (ECONNRESET before any answer,
 * the known keep-alive race) is tried once more on a new connection.
 */
export function post(url: URL, pinned: ResolvedAddress, headers: Record<string, string>, body: string, started: number, agent?: HttpAgent): Promise<HttpResult> {
  const lookup: LookupFunction = (_host, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: ResolvedAddress[]) => void)(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    let req: ReturnType<typeof send>;
    const done = (result: Omit<HttpResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, durationMs: Date.now() - started });
    };
    const timer = setTimeout(() => {
      req.destroy();
      done({ statusCode: null, error: `timed out after ${DELIVERY_TIMEOUT_MS / 1000} s`, answer: null });
    }, DELIVERY_TIMEOUT_MS);
    const attempt = (retried: boolean) => {
      req = send(url, {
        method: 'POST',
        agent: agent ?? false,
        lookup,
        headers: { 'content-type': 'application/json', 'user-agent': 'apkt-webhooks/1', 'content-length': Buffer.byteLength(body), ...headers },
      });
      let answered = false;
      req.on('response', (res: IncomingMessage) => {
        answered = true;
        const chunks: Buffer[] = [];
        let kept = 0;
        res.on('data', (chunk: Buffer) => {
          if (kept < ANSWER_BYTES) {
            chunks.push(chunk);
            kept += chunk.length;
          }
          if (kept >= 64 * 1024) res.destroy();
        });
        const finish = () => done({ statusCode: res.statusCode ?? null, error: null, answer: answerText(Buffer.concat(chunks)) });
        res.on('end', finish);
        res.on('close', finish);
        res.on('error', finish);
      });
      const sent = req;
      sent.on('error', (e: NodeJS.ErrnoException) => {
        if (!retried && !answered && !settled && sent.reusedSocket && e.code === 'ECONNRESET') return attempt(true);
        done({ statusCode: null, error: e.message || e.code || 'connection failed', answer: null });
      });
      sent.end(body);
    };
    attempt(false);
  });
}
