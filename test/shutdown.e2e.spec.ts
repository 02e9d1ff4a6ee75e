import { TestApp } from './support/app';
import { gangguan, registerUnits } from './support/fixtures';

// Issue 3: graceful shutdown — in-flight requests finish before the pool closes.
it('finishes every request in flight when asked to stop', async () => {
  const app = await TestApp.start();
  await registerUnits(app, '542');
  const token = await app.token('cso');
  const inFlight = Array.from({ length: 200 }, () => app.call('POST', '/api/v1/tickets', gangguan(), { token }).then((a) => a.status, () => 'refused'));
  await Promise.race(inFlight); // the server is busy with the rest
  await app.close({ dropDatabase: false });
  const statuses = await Promise.all(inFlight);
  expect(statuses.filter((s) => s !== 201 && s !== 'refused' && s !== 503)).toEqual([]);
  expect(statuses.filter((s) => s === 201).length).toBeGreaterThan(0);
});
