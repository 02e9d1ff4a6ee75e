import { type User, UserManager, WebStorageStateStore } from 'oidc-client-ts';

// R-U5: people sign in at the OpenID Connect provider the service names (GET /console/config.json)
// with the authorization code flow and PKCE, as the public client OIDC_CONSOLE_CLIENT_ID. The user
// (tokens included) lives in sessionStorage, so as long as the tab; no token is ever put in a URL.

export type Role = 'cso' | 'mobile' | 'unit' | 'backoffice' | 'admin' | 'listriqu' | 'itsm';
const KNOWN_ROLES: readonly string[] = ['cso', 'mobile', 'unit', 'backoffice', 'admin', 'listriqu', 'itsm'];

export interface Session {
  token: string;
  sub: string;
  name: string;
  /** Every role the person holds, and the one the console acts under (chosen with the role switcher). */
  roles: Role[];
  role: Role;
  unit: string | null;
  expiresAt: number | null; // epoch ms
}

export interface SignInConfig {
  issuer: string | null;
  clientId: string;
  scope: string;
  rolesClaim: string;
  unitClaim: string;
}

export const CALLBACK_PATH = '/console/auth/callback';
const ROLE_KEY = 'apkt-console-role';

export async function loadSignInConfig(): Promise<SignInConfig> {
  const answer = await fetch('/console/config.json', { headers: { accept: 'application/json' } });
  if (!answer.ok) throw new Error(`HTTP ${answer.status}`);
  return (await answer.json()) as SignInConfig;
}

export function createUserManager(config: SignInConfig & { issuer: string }): UserManager {
  const origin = window.location.origin;
  return new UserManager({
    authority: config.issuer,
    client_id: config.clientId,
    scope: config.scope,
    redirect_uri: origin + CALLBACK_PATH,
    // without a refresh token the renewal runs in a hidden frame through the same registered callback
    silent_redirect_uri: origin + CALLBACK_PATH,
    post_logout_redirect_uri: `${origin}/console/`,
    response_type: 'code',
    automaticSilentRenew: true, // renews a minute before the access token expires
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
  });
}

/** The claim at a dotted path (OIDC_ROLES_CLAIM, e.g. realm_access.roles). */
function claimAt(claims: Record<string, unknown> | null, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), claims);
}

/** The payload of a JWT access token, or null for an opaque one: the console reads it to choose pages only. */
function jwtClaims(token: string): Record<string, unknown> | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const bytes = Uint8Array.from(atob(parts[1].replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  } catch {
    return null;
  }
}

const asList = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : typeof value === 'string' ? [value] : []);

/** The person as the console shows them: roles and unit as the service reads them (access token, else ID token). */
export function sessionOf(user: User, config: SignInConfig): Session | null {
  const access = jwtClaims(user.access_token);
  const profile = user.profile as Record<string, unknown>;
  const fromAccess = asList(claimAt(access, config.rolesClaim));
  const roles = (fromAccess.length ? fromAccess : asList(claimAt(profile, config.rolesClaim))).filter((r): r is Role => KNOWN_ROLES.includes(r));
  if (!roles.length) return null;
  const chosen = sessionStorage.getItem(ROLE_KEY) as Role | null;
  const unit = claimAt(access, config.unitClaim) ?? claimAt(profile, config.unitClaim);
  const name = profile.name ?? profile.preferred_username ?? access?.name ?? user.profile.sub;
  return {
    token: user.access_token,
    sub: user.profile.sub,
    name: String(name),
    roles,
    role: chosen && roles.includes(chosen) ? chosen : roles[0],
    unit: typeof unit === 'string' ? unit : null,
    expiresAt: user.expires_at ? user.expires_at * 1000 : null,
  };
}

export const chooseRole = (role: Role) => sessionStorage.setItem(ROLE_KEY, role);
export const forgetRole = () => sessionStorage.removeItem(ROLE_KEY);
