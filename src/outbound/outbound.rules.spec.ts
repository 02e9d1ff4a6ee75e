import { createHmac } from 'node:crypto';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { answerText, isDelivered, nextAttemptAt, RETRY_DELAYS_MS, shouldDisable } from './outbound.rules';
import { signedHeaders } from './signing';
import { isInternalAddress, urlProblem } from './ssrf.rules';

describe('R-W6 internal addresses', () => {
  it.each([
    ['127.0.0.1', true], ['127.255.0.9', true], ['10.0.0.1', true], ['172.16.0.1', true], ['172.31.255.255', true], ['172.32.0.1', false],
    ['192.168.1.1', true], ['169.254.169.254', true], ['100.64.0.1', true], ['0.0.0.0', true], ['255.255.255.255', true], ['224.0.0.1', true],
    ['::1', true], ['::', true], ['fc00::1', true], ['fd12:3456::1', true], ['fe80::1', true], ['::ffff:10.0.0.1', true], ['::ffff:a00:1', true],
    ['::ffff:93.184.216.34', false], ['93.184.216.34', false], ['8.8.8.8', false], ['2606:4700::1111', false], ['not-an-ip', true],
  ])('%s → internal %s', (address, internal) => expect(isInternalAddress(address)).toBe(internal));

  it.each([
    ['https://hooks.example.com/x', [], null],
    ['http://hooks.example.com/x', [], 'url must use https'],
    ['http://127.0.0.1:8080/x', ['127.0.0.1'], null],
    ['https://10.0.0.1/x', [], 'url points to an internal address'],
    ['ftp://hooks.example.com', [], 'url must use https'],
    ['not a url', [], 'url is not an absolute URL'],
  ])('%s (allowed %j) → %s', (url, allowed, problem) => expect(urlProblem(url, allowed as string[])).toBe(problem));
});

describe('R-W4 retries', () => {
  const now = new Date('2026-12-04T00:00:00Z');
  it('waits about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, then gives up', () => {
    RETRY_DELAYS_MS.forEach((delay, i) => {
      expect(nextAttemptAt(now, i + 1, 0.5)!.getTime() - now.getTime()).toBe(delay);
      expect(nextAttemptAt(now, i + 1, 0)!.getTime() - now.getTime()).toBe(Math.round(delay * 0.9));
    });
    expect(nextAttemptAt(now, RETRY_DELAYS_MS.length + 1, 0.5)).toBeNull();
  });
  it('treats only 2xx as delivered and disables after 5 days of failures', () => {
    expect([200, 204, 299, 301, 302, 404, 500].map(isDelivered)).toEqual([true, true, true, false, false, false, false]);
    expect(shouldDisable(new Date(now.getTime() - 5 * 86400_000), now)).toBe(true);
    expect(shouldDisable(new Date(now.getTime() - 5 * 86400_000 + 1), now)).toBe(false);
    expect(shouldDisable(null, now)).toBe(false);
  });
});

describe('R-W3 Standard Webhooks signatures', () => {
  it('verifies with the reference library and matches an independent HMAC', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const body = '{"test": 2432232314}';
    const headers = signedHeaders([secret], 'msg_p5jXN8AQM9LWM0D4loKWxJek', new Date(1614265330 * 1000), body);
    const key = Buffer.from(secret.slice(6), 'base64');
    expect(headers['webhook-signature']).toBe('v1,' + createHmac('sha256', key).update(`msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.${body}`).digest('base64'));
    const fresh = signedHeaders([secret], 'msg_1', new Date(), body);
    expect(new StandardWebhook(secret).verify(body, fresh)).toEqual({ test: 2432232314 });
  });
});

describe('R-W5 the answer an attempt keeps', () => {
  const euro = '\u20ac'; // three bytes in UTF-8
  it.each([
    ['short text as it is', Buffer.from('ok'), 'ok'],
    ['a NUL shown as U+FFFD (PostgreSQL text holds none)', Buffer.from('a\u0000b'), 'a\uFFFDb'],
    ['bytes that are no UTF-8 as U+FFFD', Buffer.from([0x61, 0xff, 0x62]), 'a\uFFFDb'],
    ['the first 1 KiB', Buffer.from('x'.repeat(2000)), 'x'.repeat(1024)],
    ['cut before a character the cut would split', Buffer.from('x'.repeat(1023) + euro), 'x'.repeat(1023)],
    ['a character ending at the cut kept', Buffer.from('x'.repeat(1021) + euro + 'y'), 'x'.repeat(1021) + euro],
  ])('%s', (_, bytes, expected) => expect(answerText(bytes)).toBe(expected));
});
