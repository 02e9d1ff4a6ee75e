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

  it('keeps scopes apart', async () => {
    const markers = new ChangeMarkers();
    expect(await markers.get('542', async () => 'a')).toBe('a');
    expect(await markers.get('543', async () => 'b')).toBe('b');
  });
});
