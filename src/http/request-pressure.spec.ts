import { BUSY_UTILISATION, pressed, RequestPressure } from './request-pressure';

describe('requests pressed for the thread (issues 27, 30)', () => {
  it.each([
    // utilisation over the last sample, API requests open, the pool's connections, pressed
    [1, 21, 20, true],
    [0.95, 64, 20, true],
    [0.95, 20, 20, false], // as many as the pool serves: none is queueing
    [1, 10, 20, false], // a busy loop with few requests: the dispatcher draining a backlog, or a paced load
    [BUSY_UTILISATION, 64, 20, false], // exactly at the line is still room
    [0.85, 64, 20, false], // requests queueing for the database, the loop has room
    [0, 0, 20, false],
  ])('utilisation %s with %s requests open and %s connections → pressed %s', (utilisation, open, connections, expected) => expect(pressed(utilisation, open, connections)).toBe(expected));

  it('tells its listeners when the pressure ends, not when it goes on or begins', () => {
    const pressure = new RequestPressure({ dbPoolSize: 20 });
    try {
      const eased: number[] = [];
      pressure.onEased(() => eased.push(1));
      pressure.force(true);
      expect([pressure.now, eased.length]).toEqual([true, 0]);
      pressure.force(true);
      expect(eased.length).toBe(0);
      pressure.force(false);
      expect([pressure.now, eased.length]).toEqual([false, 1]);
      pressure.force(undefined); // measured: no request open here, so no pressure
      expect([pressure.now, eased.length]).toEqual([false, 1]);
    } finally {
      pressure.onModuleDestroy();
    }
  });
});
