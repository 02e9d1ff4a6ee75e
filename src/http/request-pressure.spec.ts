import { BUSY_UTILISATION, pressed, RequestPressure, WAITING_REQUESTS } from './request-pressure';

describe('requests pressed for the thread (issues 27, 30)', () => {
  it.each([
    // utilisation over the last sample, API requests open, pressed
    [1, WAITING_REQUESTS, true],
    [0.95, 64, true],
    [0.95, WAITING_REQUESTS - 1, false], // a busy loop with few requests: the dispatcher draining a backlog
    [BUSY_UTILISATION, 64, false], // exactly at the line is still room
    [0.85, 64, false], // a paced load: requests open, the loop has room
    [0, 0, false],
  ])('utilisation %s with %s requests open → pressed %s', (utilisation, open, expected) => expect(pressed(utilisation, open)).toBe(expected));

  it('tells its listeners when the pressure ends, not when it goes on or begins', () => {
    const pressure = new RequestPressure();
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
