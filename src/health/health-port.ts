import { Worker } from 'node:worker_threads';

/** Slots of the state the main thread writes and the health port's thread reads. */
const CHECKED_AT = 0; // Date.now() of the last readiness check, 0 when there is none or it was dropped
const CHECK_OK = 1; // 1 when that check found the database answering
const TICK_AT = 2; // Date.now() of the main thread's last readiness timer: its event loop turns
const STOPPING = 3; // 1 once the service stops

/** The 503 problem+json bodies, built by the HTTP layer (HealthController), and their Retry-After. */
export interface HealthPortProblems {
  ready: string;
  live: string;
  stopping: string;
  retryAfterS: number;
}

/** Past this without a turn of the main thread's event loop, /health/live on the health port answers 503. */
export const LIVE_STALE_MS = 10_000;

// Plain JavaScript run as the thread's code (eval), so it works from dist/ and under ts-jest alike.
const WORKER = `
const { createServer } = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
const { buffer, freshMs, liveMs, host, port, problems } = workerData;
const retryAfter = String(problems.retryAfterS);
const state = new BigInt64Array(buffer);
const read = (slot) => Number(Atomics.load(state, slot));
const send = (res, status, body, extra = {}) => {
  res.writeHead(status, { 'content-type': status === 200 ? 'application/json; charset=utf-8' : 'application/problem+json', 'cache-control': 'no-store', ...extra });
  res.end(body);
};
const server = createServer((req, res) => {
  const path = (req.url || '').split('?')[0];
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, '', { allow: 'GET, HEAD' });
  const now = Date.now();
  if (read(${STOPPING}) === 1) return send(res, 503, problems.stopping, { 'retry-after': retryAfter });
  if (path === '/health/live') return now - read(${TICK_AT}) <= liveMs ? send(res, 200, '{"status":"ok"}') : send(res, 503, problems.live, { 'retry-after': retryAfter });
  if (path === '/health/ready') {
    const checkedAt = read(${CHECKED_AT});
    const ready = checkedAt > 0 && now - checkedAt <= freshMs && read(${CHECK_OK}) === 1;
    return ready ? send(res, 200, '{"status":"ok"}') : send(res, 503, problems.ready, { 'retry-after': retryAfter });
  }
  send(res, 404, '');
});
server.on('error', (error) => parentPort.postMessage({ error: error.message }));
server.listen(port, host, () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', (message) => {
  if (message !== 'close') return;
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
`;

/**
 * Issue 30, opt-in (HEALTH_PORT): /health/live and /health/ready on a port of their own, answered by a
 * thread with its own event loop. On PORT a probe's new connection waits for the main event loop twice
 * (accepted, then read), and under overload each turn of that loop takes 50–300 ms on a busy 2-core
 * machine; here it waits for neither. It says no more than PORT would: readiness is the main thread's
 * last check of the database (src/health/readiness.ts), answered 200 only while at most
 * READINESS_FRESH_MS old — so a main thread stuck that long, or a database down, answers 503 — and
 * liveness is 503 once the main thread has not run its timers for LIVE_STALE_MS.
 */
export class HealthPort {
  private readonly state = new BigInt64Array(new SharedArrayBuffer(8 * 4));
  private worker?: Worker;

  /** Starts the thread listening; resolves with the port it listens on (0 picks a free one). */
  async start(port: number, host: string, freshMs: number, problems: HealthPortProblems): Promise<number> {
    this.tick();
    const worker = new Worker(WORKER, {
      eval: true,
      workerData: {
        buffer: this.state.buffer,
        freshMs,
        liveMs: LIVE_STALE_MS,
        host,
        port,
        problems,
      },
    });
    this.worker = worker;
    return new Promise((resolve, reject) => {
      worker.once('message', (message: { port?: number; error?: string }) => (message.error ? reject(new Error(`HEALTH_PORT: ${message.error}`)) : resolve(message.port!)));
      worker.once('error', reject);
    });
  }

  /** The main thread's event loop turned (called from its timers). */
  tick(): void {
    Atomics.store(this.state, TICK_AT, BigInt(Date.now()));
  }

  /** A check found the database answering (`ok`) or not, `agoMs` ago. */
  checked(ok: boolean, agoMs = 0): void {
    Atomics.store(this.state, CHECK_OK, ok ? 1n : 0n);
    Atomics.store(this.state, CHECKED_AT, BigInt(Math.round(Date.now() - agoMs)));
  }

  dropped(): void {
    Atomics.store(this.state, CHECKED_AT, 0n);
  }

  /** From now on both answer 503 (the service is stopping), until the thread ends. */
  stopping(): void {
    Atomics.store(this.state, STOPPING, 1n);
  }

  async stop(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (!worker) return;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.postMessage('close');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
    await worker.terminate();
  }
}
