// The signed-in user: a bearer token pasted on the sign-in page or passed in the URL fragment
// (#token=…, which browsers never send to the server). Kept in sessionStorage, so it lives as long
// as the tab; the console reads the claims only to choose pages — the service checks the token.

export type Role = 'cso' | 'mobile' | 'unit' | 'backoffice' | 'admin' | 'listriqu' | 'itsm';

export interface Session {
  token: string;
  sub: string;
  role: Role;
  unit: string | null;
  expiresAt: number | null; // epoch ms
}

const KEY = 'apkt-console-token';

export function parseToken(token: string): Session | null {
  const parts = token.trim().split('.');
  if (parts.length !== 3) return null;
  try {
    const json = atob(parts[1].replace(/-/g, '+').replace(/_/g, '/'));
    const claims = JSON.parse(json) as { sub?: unknown; role?: unknown; unit?: unknown; exp?: unknown };
    if (typeof claims.sub !== 'string' || typeof claims.role !== 'string') return null;
    return {
      token: token.trim(),
      sub: claims.sub,
      role: claims.role as Role,
      unit: typeof claims.unit === 'string' ? claims.unit : null,
      expiresAt: typeof claims.exp === 'number' ? claims.exp * 1000 : null,
    };
  } catch {
    return null;
  }
}

export const isExpired = (session: Session, now = Date.now()) => session.expiresAt !== null && session.expiresAt <= now;

/** A token in the fragment wins; it is removed from the address bar (and so from the history) at once. */
export function takeTokenFromFragment(): string | null {
  const match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (!match) return null;
  window.history.replaceState(null, '', window.location.pathname + window.location.search);
  return decodeURIComponent(match[1]);
}

export const storedToken = () => sessionStorage.getItem(KEY);
export const storeToken = (token: string) => sessionStorage.setItem(KEY, token);
export const forgetToken = () => sessionStorage.removeItem(KEY);
