import { countsAsRequest, GROWTH_BYTES, shouldCollect } from './idle-collector';

const MiB = 1024 * 1024;

describe('idle collector (issue 30)', () => {
  const held = { total: 150 * MiB, totalFloor: 150 * MiB };
  const grown = { used: 100 * MiB, floor: 100 * MiB - GROWTH_BYTES, ...held };

  it('collects once the heap has grown and the event loop is idle', () => {
    expect(shouldCollect({ ...grown, busy: 0.01, requests: 3 })).toBe(true);
  });

  it('collects when no request came in, even with background work keeping the loop busy (a webhook backlog draining)', () => {
    expect(shouldCollect({ ...grown, busy: 0.8, requests: 0 })).toBe(true);
  });

  it('leaves a service that serves requests on a busy loop alone', () => {
    expect(shouldCollect({ ...grown, busy: 0.3, requests: 1 })).toBe(false);
  });

  it('does not collect a heap that has not grown enough', () => {
    expect(shouldCollect({ used: 100 * MiB, floor: 100 * MiB - GROWTH_BYTES + 1, total: 150 * MiB, totalFloor: 150 * MiB - GROWTH_BYTES + 1, busy: 0, requests: 0 })).toBe(false);
  });

  it('collects a heap V8 grew while its own collections kept what is used down (after a burst)', () => {
    expect(shouldCollect({ used: 70 * MiB, floor: 65 * MiB, total: 150 * MiB, totalFloor: 150 * MiB - GROWTH_BYTES, busy: 0.02, requests: 0 })).toBe(true);
  });

  it('does not count probes and scrapes as requests', () => {
    expect(['/health/live', '/health/ready', '/metrics', '/metrics?x=1'].map(countsAsRequest)).toEqual([false, false, false, false]);
    expect(['/api/v1/tickets', '/healthy', '/docs', undefined].map(countsAsRequest)).toEqual([true, true, true, true]);
  });
});
