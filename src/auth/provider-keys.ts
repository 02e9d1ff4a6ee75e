import { createLocalJWKSet, errors, type FlattenedJWSInput, type JSONWebKeySet, type JWSHeaderParameters, type KeyLike } from 'jose';
import { rootLogger } from '../logging/logger';

/** R-U2: at most one fetch of the provider's documents per this long. */
export const KEY_SET_COOLDOWN_MS = 30_000;
const FETCH_TIMEOUT_MS = 5_000;

type LocalKeySet = ReturnType<typeof createLocalJWKSet>;

/**
 * R-U1, R-U2: the signing keys of an OpenID Connect issuer, from its discovery document's `jwks_uri`.
 *
 * Kept until a token names a key the set does not hold: then the discovery document and the set are
 * fetched again (a provider may move its jwks_uri), at most once per
 * KEY_SET_COOLDOWN_MS, one fetch shared by every request waiting for it. A failed fetch (the provider is
 * down) keeps the keys already held, so tokens signed with them still verify, and is retried after the
 * cool-down; the first discovery is retried the same way, never remembered as failed.
 *
 * Why not jose's createRemoteJWKSet: it fetches again when its cache grows old and fails every token when
 * that fetch fails (R-U2 wants cached keys to keep working while the provider is down), and a request
 * that missed a key while another request's fetch was loading it is refused (cooling down) instead of
 * looking in the new set. The key selection itself (kid, kty, the key's own `alg`) is jose's
 * createLocalJWKSet.
 */
export class ProviderKeys {
  private jwksUri?: URL;
  private local?: LocalKeySet;
  /** bumped whenever a new set is in: a request that missed a key in an older set looks again */
  private generation = 0;
  private lastAttempt = -Infinity;
  private pending?: Promise<void>;

  constructor(
    private readonly issuer: string,
    private readonly now: () => number = () => Date.now(),
  ) {}

  readonly getKey = async (header: JWSHeaderParameters, token: FlattenedJWSInput): Promise<KeyLike | Uint8Array> => {
    if (!this.local) await this.refresh();
    const seen = this.generation;
    if (!this.local) throw new Error(`the key set of ${this.issuer} could not be fetched`);
    try {
      return await this.local(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
      if (this.generation === seen) await this.refresh();
      if (this.generation === seen) throw error;
      return (this.local as LocalKeySet)(header, token);
    }
  };

  private refresh(): Promise<void> {
    if (this.pending) return this.pending;
    if (this.now() - this.lastAttempt < KEY_SET_COOLDOWN_MS) return Promise.resolve();
    this.lastAttempt = this.now();
    this.pending = this.load()
      .then((set) => {
        this.local = set;
        this.generation += 1;
      })
      .catch((error: Error) => rootLogger.warn({ err: error, issuer: this.issuer }, 'the identity provider did not answer; tokens signed with keys it did not publish before are refused (R-U2)'))
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }

  private async load(): Promise<LocalKeySet> {
    // the discovery document is read again with each key set (at most once per cool-down): a provider
    // may move its jwks_uri; while discovery fails the address known before is still tried
    this.jwksUri = await this.discover().catch((error: unknown) => {
      if (this.jwksUri) return this.jwksUri;
      throw error;
    });
    const jwks = await fetchJson<JSONWebKeySet>(this.jwksUri);
    if (!Array.isArray(jwks?.keys)) throw new Error(`${this.jwksUri.href} is not a JSON Web Key Set`);
    return createLocalJWKSet(jwks);
  }

  /** OpenID Connect Discovery 1.0 §4: the document at `<issuer>/.well-known/openid-configuration`, naming this very issuer. */
  private async discover(): Promise<URL> {
    const document = await fetchJson<{ issuer?: unknown; jwks_uri?: unknown }>(new URL(`${this.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`));
    if (document.issuer !== this.issuer) throw new Error(`the discovery document names the issuer ${String(document.issuer)}, not ${this.issuer}`);
    if (typeof document.jwks_uri !== 'string') throw new Error('the discovery document names no jwks_uri');
    return new URL(document.jwks_uri);
  }
}

async function fetchJson<T>(url: URL): Promise<T> {
  const response = await fetch(url, { headers: { accept: 'application/json' }, redirect: 'error', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`${url.href} answered ${response.status}`);
  return (await response.json()) as T;
}
