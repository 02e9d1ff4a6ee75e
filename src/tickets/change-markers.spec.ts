import { ClientGoneError } from '../database/cancellable';
import { ALL_UNITS, ChangeMarkers } from './change-markers';

describe('dashboard change markers (the list ETag, API.md "List")', () => {
  it('serves a remembered marker until a write in this process', async () => {
    const markers = new ChangeMarkers();
    let loads = 0;
    const load = async () => `m${++loads}`;
    expect(await markers.get('542', load)).toBe('m1');
    expect(await markers.get('542', load)).toBe('m1');
    markers.changed();
    expect(await markers.get('542', load)).toBe('m2');
  });

  it('does not keep a marker read while a write committed', async () => {
    const markers = new ChangeMarkers();
    let release!: () => void;
    const slow = markers.get('542', () => new Promise<string>((r) => (release = () => r('before the write'))));
    markers.changed(); // the write commits while the read is in flight
    release();
    expect(await slow).toBe('before the write');
    expect(await markers.get('542', async () => 'after the write')).toBe('after the write');
  });

  it('drops only the scopes a one-unit write touched: its unit and all units', async () => {
    const markers = new ChangeMarkers();
    let loads = 0;
    const load = async () => `m${++loads}`;
    const [a, b, all] = [await markers.get('542', load), await markers.get('543', load), await markers.get(ALL_UNITS, load)];
    markers.changed('542');
    expect(await markers.get('543', load)).toBe(b);
    expect(await markers.get('542', load)).not.toBe(a);
    expect(await markers.get(ALL_UNITS, load)).not.toBe(all);
  });

  it('R-H2 drops a scope of several ULPs when a write touches any of them', async () => {
    const markers = new ChangeMarkers();
    let loads = 0;
    const load = async () => `m${++loads}`;
    const up3 = { key: '542,543', units: ['542', '543'] };
    const first = await markers.get(up3, load);
    markers.changed('544');
    expect(await markers.get(up3, load)).toBe(first);
    markers.changed('543');
    expect(await markers.get(up3, load)).not.toBe(first);
  });

  describe('issue 30: one read for concurrent requests, stopped when they have all gone', () => {
    const deferred = () => {
      let resolve!: (marker: string) => void;
      const promise = new Promise<string>((r) => (resolve = r));
      return { promise, resolve };
    };

    it("reads a scope's marker once for every request asking while it is read", async () => {
      const markers = new ChangeMarkers();
      const read = deferred();
      const load = jest.fn(() => read.promise);
      const asked = Array.from({ length: 50 }, () => markers.get('542', load, { signal: new AbortController().signal }));
      read.resolve('m1');
      expect(await Promise.all(asked)).toEqual(Array(50).fill('m1'));
      expect(load).toHaveBeenCalledTimes(1);
    });

    it('does not share a read that started before a write: a request after the write reads again', async () => {
      const markers = new ChangeMarkers();
      const [before, after] = [deferred(), deferred()];
      const first = markers.get('542', () => before.promise);
      markers.changed('542');
      const second = markers.get('542', () => after.promise);
      before.resolve('before');
      after.resolve('after');
      expect([await first, await second]).toEqual(['before', 'after']);
    });

    it('stops the read when the last request waiting for it leaves, not before', async () => {
      const markers = new ChangeMarkers();
      const read = deferred();
      let stop: AbortSignal | undefined;
      const load = (signal: AbortSignal) => ((stop = signal), read.promise);
      const [a, b] = [new AbortController(), new AbortController()];
      const first = markers.get('542', load, a);
      const second = markers.get('542', load, b);
      a.abort();
      await expect(first).rejects.toBeInstanceOf(ClientGoneError);
      expect(stop?.aborted).toBe(false); // the second request still waits for it
      b.abort();
      await expect(second).rejects.toBeInstanceOf(ClientGoneError);
      expect(stop?.aborted).toBe(true);
      // the next request starts a read of its own
      expect(await markers.get('542', async () => 'fresh', new AbortController())).toBe('fresh');
    });

    it('never stops a read that a caller without a client waits for', async () => {
      const markers = new ChangeMarkers();
      const read = deferred();
      let stop: AbortSignal | undefined;
      const load = (signal: AbortSignal) => ((stop = signal), read.promise);
      const leaving = new AbortController();
      const gone = markers.get('542', load, leaving);
      const staying = markers.get('542', load);
      leaving.abort();
      await expect(gone).rejects.toBeInstanceOf(ClientGoneError);
      read.resolve('m1');
      expect(await staying).toBe('m1');
      expect(stop?.aborted).toBe(false);
    });
  });

  it('keeps scopes apart', async () => {
    const markers = new ChangeMarkers();
    expect(await markers.get('542', async () => 'a')).toBe('a');
    expect(await markers.get('543', async () => 'b')).toBe('b');
  });

  describe('while it hears every commit (the change feed listener)', () => {
    it('keeps a marker past the TTL until a commit touches its scope, from any replica', async () => {
      const markers = new ChangeMarkers();
      const source = { hearing: true };
      markers.follow(source);
      let loads = 0;
      const load = async () => `m${++loads}`;
      const realNow = Date.now;
      try {
        expect(await markers.get('542', load)).toBe('m1');
        Date.now = () => realNow() + 60_000; // long past the TTL
        expect(await markers.get('542', load)).toBe('m1');
        markers.heard('543');
        expect(await markers.get('542', load)).toBe('m1');
        markers.heard('542');
        expect(await markers.get('542', load)).toBe('m2');
        source.hearing = false; // deaf: back to the TTL
        Date.now = () => realNow() + 120_000;
        expect(await markers.get('542', load)).toBe('m3');
      } finally {
        Date.now = realNow;
      }
    });

    it('drops every scope when the source may have missed a commit', async () => {
      const markers = new ChangeMarkers();
      markers.follow({ hearing: true });
      expect(await markers.get('542', async () => 'a')).toBe('a');
      markers.heard(null);
      expect(await markers.get('542', async () => 'b')).toBe('b');
    });
  });
});
