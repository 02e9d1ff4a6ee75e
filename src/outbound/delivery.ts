import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { Injectable } from '@nestjs/common';
import { ANSWER_BYTES, DELIVERY_TIMEOUT_MS } from './outbound.rules';
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
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const allowed = allowedHosts.includes(host);
  if (url.protocol !== 'https:' && !(allowed && url.protocol === 'http:')) return 'url must use https';
  let addresses: ResolvedAddress[];
  try {
    addresses = await resolver.addresses(host);
  } catch (e) {
    return `cannot resolve ${host}: ${(e as Error).message}`;
  }
  if (!addresses.length) return `cannot resolve ${host}`;
  if (!allowed) {
    const inside = addresses.find((a) => isInternalAddress(a.address));
    if (inside) return `${host} resolves to an internal address (${inside.address})`;
  }
  return addresses[0];
}

/** R-W4: one POST, 10 s at most, no redirect followed, the first 1 KiB of the answer kept. */
export function post(url: URL, pinned: ResolvedAddress, headers: Record<string, string>, body: string, started: number): Promise<HttpResult> {
  const lookup: LookupFunction = (_host, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: ResolvedAddress[]) => void)(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    const done = (result: Omit<HttpResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, durationMs: Date.now() - started });
    };
    const req = send(url, {
      method: 'POST',
      agent: false,
      lookup,
      headers: { 'content-type': 'application/json', 'user-agent': 'apkt-webhooks/1', 'content-length': Buffer.byteLength(body), ...headers },
    });
    const timer = setTimeout(() => {
      req.destroy();
      done({ statusCode: null, error: `timed out after ${DELIVERY_TIMEOUT_MS / 1000} s`, answer: null });
    }, DELIVERY_TIMEOUT_MS);
    req.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let kept = 0;
      res.on('data', (chunk: Buffer) => {
        if (kept < ANSWER_BYTES) {
          chunks.push(chunk);
          kept += chunk.length;
        }
        if (kept >= 64 * 1024) res.destroy();
      });
      const finish = () => done({ statusCode: res.statusCode ?? null, error: null, answer: Buffer.concat(chunks).subarray(0, ANSWER_BYTES).toString('utf8') });
      res.on('end', finish);
      res.on('close', finish);
      res.on('error', finish);
    });
    req.on('error', (e) => done({ statusCode: null, error: e.message || (e as NodeJS.ErrnoException).code || 'connection failed', answer: null }));
    req.end(body);
  });
}
