import { Agent, request } from 'node:http';
import { signedHeaders } from '../../src/outbound/signing';

// Scenario 16's baseline for deliveries/s: a bare loop of signed POSTs in a process of its own, as the
// service is one, to the receiver in the runner's process. Forked with IPC: it is sent
// `{ url, bodies, inFlight }`, posts every body `inFlight` at a time over keep-alive connections, and
// answers `{ seconds, cpuSeconds }` (the loop's time and its process's CPU) or `{ error }`.
export interface BareSenderJob {
  url: string;
  bodies: string[];
  inFlight: number;
}

/** Posts `bodies` signed, `inFlight` at a time over keep-alive connections; seconds taken. */
export async function bareLoop(url: string, bodies: string[], inFlight: number): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: inFlight });
  const secret = `whsec_${Buffer.from('bench-bare-loop-secret-32-bytes!').toString('base64')}`;
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < bodies.length) {
      const body = bodies[next++];
      await new Promise<void>((resolve, reject) => {
        const req = request(url, {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...signedHeaders([secret], `msg_${next}`, new Date(), body) },
        });
        req.on('response', (res) => {
          res.resume();
          res.on('end', () => (res.statusCode && res.statusCode < 300 ? resolve() : reject(new Error(`bare loop: ${res.statusCode}`))));
        });
        req.on('error', reject);
        req.end(body);
      });
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  agent.destroy();
  return (performance.now() - started) / 1000;
}

if (require.main === module) {
  process.once('message', (job: BareSenderJob) => {
    const before = process.cpuUsage();
    bareLoop(job.url, job.bodies, job.inFlight).then(
      (seconds) => {
        const cpu = process.cpuUsage(before);
        process.send!({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 }, () => process.exit(0));
      },
      (error: Error) => process.send!({ error: error.message }, () => process.exit(1)),
    );
  });
}
