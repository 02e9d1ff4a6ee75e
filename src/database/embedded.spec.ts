import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { freePort } from './embedded';

const listen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
  });

// A free port inside the ephemeral range can be taken by an outgoing connection's local end before the
// server binds it (CI's development-mode test: EADDRINUSE); freePort picks below that range.
describe('freePort', () => {
  const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);

  it('gives ports below the ephemeral range that a server can bind, the next ones too when asked', async () => {
    for (let i = 0; i < 20; i++) {
      const port = await freePort(2);
      expect(port).toBeGreaterThan(1024);
      expect(port + 1).toBeLessThan(low);
      expect(await listen(port)).toBe(true);
      expect(await listen(port + 1)).toBe(true);
    }
  });

  it('spreads its picks, so servers started side by side do not race for one port', async () => {
    const picks = new Set<number>();
    for (let i = 0; i < 20; i++) picks.add(await freePort());
    expect(picks.size).toBeGreaterThan(15);
  });
});
