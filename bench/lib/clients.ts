import { Agent, request, type ClientRequest } from 'node:http';

// Closed-loop HTTP clients that keep each answer's status and latency (autocannon's histogram mixes a
// 503 shed at once with a 200 served late), and can all be cut off at one moment, as clients that give
// up (scenario 14, issue 30).
export interface Answer {
  status: number;
  /** when it was sent (performance.now()) */
  at: number;
  ms: number;
  retryAfter: boolean;
}

export interface Call {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface Clients {
  answers: Answer[];
  /** Every client has its connection (its `connect` call answered) and waits for `start`. */
  connected: Promise<void>;
  /** Stops every client after its current request. */
  stop(): Promise<void>;
  /** Destroys every request in flight now (its client goes away) and stops; resolves with how many were cut. */
  cut(): number;
}

/**
 * `count` clients each sending `next(client, i)` one after the other until stopped. Each first opens its
 * connection with `connect` (not recorded) and waits for `start`: a busy Node.js process accepts one
 * connection per turn of its event loop (libuv since 1.45, libuv/libuv#3696), so 500 clients connecting
 * under load would wait seconds in the accept queue, which is not what is measured here.
 */
export function closedLoop(url: string, count: number, next: (client: number, i: number) => Call, connect: Call, start: Promise<void>): Clients {
  // one connection per client, kept: a shared agent would open most of them only once the load starts
  const agents = Array.from({ length: count }, () => new Agent({ keepAlive: true, maxSockets: 1 }));
  const answers: Answer[] = [];
  const inFlight = new Set<ClientRequest>();
  let running = true;
  const once = (agent: Agent, call: Call, record = true) =>
    new Promise<void>((resolve) => {
      const started = performance.now();
      const req = request(url + call.path, { method: call.method, headers: call.headers, agent }, (response) => {
        response.resume();
        response.on('end', () => {
          inFlight.delete(req);
          if (record) answers.push({ status: response.statusCode ?? 0, at: started, ms: performance.now() - started, retryAfter: response.headers['retry-after'] !== undefined });
          resolve();
        });
        response.on('error', () => resolve());
      });
      req.on('error', () => {
        inFlight.delete(req);
        resolve();
      });
      inFlight.add(req);
      req.end(call.body);
    });
  let connectedCount = 0;
  let allConnected!: () => void;
  const connected = new Promise<void>((resolve) => (allConnected = resolve));
  const loops = Array.from({ length: count }, async (_, client) => {
    await new Promise((resolve) => setTimeout(resolve, (client * 1000) / count)); // not all in one instant
    await once(agents[client], connect, false);
    if (++connectedCount === count) allConnected();
    await start;
    for (let i = 0; running; i++) await once(agents[client], next(client, i));
  });
  const done = Promise.all(loops).then(() => agents.forEach((agent) => agent.destroy()));
  return {
    answers,
    connected,
    stop: async () => {
      running = false;
      await done;
    },
    cut: () => {
      running = false;
      const cut = inFlight.size;
      for (const req of inFlight) req.destroy();
      agents.forEach((agent) => agent.destroy());
      return cut;
    },
  };
}
