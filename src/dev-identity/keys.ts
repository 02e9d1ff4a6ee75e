import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { demoDirectory, type DevPerson, type DevSystem } from './people';

/** What the development provider keeps across restarts: its signing key, cookie key, people and systems. */
export interface DevIdentityState {
  signingKey: Record<string, unknown>; // a private JWK
  cookieKeys: string[];
  people: DevPerson[];
  systems: DevSystem[];
}

export function freshState(): DevIdentityState {
  const jwk = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  return {
    signingKey: { ...jwk, kid: randomBytes(8).toString('hex'), use: 'sig', alg: 'RS256' },
    cookieKeys: [randomBytes(32).toString('base64url')],
    ...demoDirectory(),
  };
}

/**
 * The state in `folder` (one JSON file, readable by its owner only), made on the first start: the
 * same key after a restart keeps the tokens already issued verifiable, the same passwords keep the
 * banner's list true.
 */
export async function loadOrCreateState(folder: string): Promise<DevIdentityState> {
  const file = join(folder, 'dev-identity.json');
  const existing = await readFile(file, 'utf8').catch(() => '');
  if (existing) return JSON.parse(existing) as DevIdentityState;
  const state = freshState();
  await mkdir(folder, { recursive: true });
  await writeFile(file, JSON.stringify(state, null, 2), { mode: 0o600 });
  return state;
}
