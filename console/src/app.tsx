import { useQueryClient } from '@tanstack/react-query';
import type { User, UserManager } from 'oidc-client-ts';
import { useCallback, useEffect, useRef, useState } from 'react';
import { setBearer, UNAUTHORIZED_EVENT } from './api/client';
import { AgentDesk } from './pages/agent-desk';
import { BackofficeQueue } from './pages/backoffice-queue';
import { OutagesPage } from './pages/outages';
import { PersonalDataPage } from './pages/personal-data';
import { ReportsPage } from './pages/reports';
import { SignIn } from './pages/sign-in';
import { UnitDashboard } from './pages/unit-dashboard';
import { NotificationsPage, WebhooksPage } from './pages/webhooks';
import { navigate, usePath } from './router';
import { restoreDrafts, saveDrafts } from './drafts';
import { saveKeptViews } from './kept-views';
import { ROLE_LABEL } from './labels';
import { CALLBACK_PATH, chooseRole, createUserManager, forgetRole, loadSignInConfig, type Role, type Session, sessionOf, type SignInConfig } from './session';

interface Page {
  path: string;
  label: string;
  roles: Role[];
  render: (session: Session) => React.ReactNode;
}

const PAGES: Page[] = [
  { path: '/agen', label: 'Meja Agen', roles: ['cso'], render: () => <AgentDesk /> },
  { path: '/unit', label: 'Dasbor Unit', roles: ['unit', 'admin'], render: (s) => <UnitDashboard session={s} /> },
  { path: '/padam', label: 'Padam Meluas', roles: ['unit', 'admin'], render: (s) => <OutagesPage session={s} /> },
  { path: '/backoffice', label: 'Antrean Back Office', roles: ['backoffice'], render: () => <BackofficeQueue /> },
  { path: '/laporan', label: 'Laporan', roles: ['unit', 'backoffice', 'admin'], render: (s) => <ReportsPage session={s} /> },
  { path: '/webhook', label: 'Webhook', roles: ['admin'], render: () => <WebhooksPage /> },
  { path: '/notifikasi', label: 'Notifikasi', roles: ['unit', 'admin'], render: (s) => <NotificationsPage session={s} /> },
  { path: '/data-pribadi', label: 'Data Pribadi', roles: ['admin'], render: () => <PersonalDataPage /> },
];

const EXPIRED = 'Sesi Anda berakhir. Silakan masuk lagi.';
const FORCED_KEY = 'apkt-console-forced-at';

type Auth =
  | { kind: 'loading' }
  | { kind: 'frame' } // the hidden frame of a silent renewal
  | { kind: 'unavailable'; message: string }
  | { kind: 'out'; notice: string | null }
  | { kind: 'in'; session: Session };

const pathNow = () => window.location.pathname.replace(/^\/console/, '').replace(/\/$/, '') || '/';

export function App() {
  const [auth, setAuth] = useState<Auth>({ kind: 'loading' });
  const oidc = useRef<{ manager: UserManager; config: SignInConfig } | null>(null);
  const queryClient = useQueryClient();
  const path = usePath();

  const apply = useCallback((user: User | null, notice: string | null = null) => {
    const session = user && !user.expired && oidc.current ? sessionOf(user, oidc.current.config) : null;
    setBearer(session?.token ?? null);
    setAuth(session ? { kind: 'in', session } : { kind: 'out', notice: user && !session ? 'Akun ini tidak memiliki peran yang dikenal konsol.' : notice });
  }, []);

  // The session ended under the person (expired and not renewed, or refused by the service): keep the
  // half-filled form and sign in again, back to the same page. Twice within 30 s means the service
  // refuses even a fresh token: stop and say so instead of going round.
  const leaving = useRef(false);
  const signInAgain = useCallback(() => {
    const current = oidc.current;
    if (!current || leaving.current) return; // several calls answer 401 together: one redirect
    const last = Number(sessionStorage.getItem(FORCED_KEY) ?? 0);
    setBearer(null);
    queryClient.clear();
    if (Date.now() - last < 30_000) {
      void current.manager.removeUser();
      setAuth({ kind: 'out', notice: EXPIRED });
      return;
    }
    sessionStorage.setItem(FORCED_KEY, String(Date.now()));
    leaving.current = true;
    const returnTo = pathNow();
    saveDrafts(returnTo);
    saveKeptViews(returnTo);
    void current.manager.removeUser().then(() => current.manager.signinRedirect({ state: { returnTo } }));
  }, [queryClient]);

  useEffect(() => {
    let stopped = false;
    void (async () => {
      const config = await loadSignInConfig();
      if (!config.issuer) return setAuth({ kind: 'unavailable', message: 'Layanan belum dikonfigurasi dengan penyedia identitas (OIDC_ISSUER).' });
      const manager = createUserManager({ ...config, issuer: config.issuer });
      oidc.current = { manager, config };
      if (window.location.pathname === CALLBACK_PATH) {
        if (window.parent !== window) {
          setAuth({ kind: 'frame' });
          return void (await manager.signinCallback());
        }
        const user = await manager.signinCallback().catch((error: unknown) => {
          // the provider answered with an error (refused, cancelled, an old state): back to sign-in, saying so
          navigate('/masuk', true);
          setAuth({ kind: 'out', notice: `Masuk gagal: ${error instanceof Error ? error.message : String(error)}` });
          return null;
        });
        if (user === null) return;
        const returnTo = (user?.state as { returnTo?: string } | undefined)?.returnTo ?? '/';
        navigate(returnTo === '/masuk' ? '/' : returnTo, true); // the code and state leave the address bar
        if (!stopped) apply(user ?? null);
        restoreDrafts(returnTo);
      } else {
        let user = await manager.getUser();
        if (user?.expired) user = await manager.signinSilent().catch(() => null);
        if (!stopped) apply(user, user === null && sessionStorage.getItem(FORCED_KEY) ? EXPIRED : null);
      }
      manager.events.addUserLoaded((user) => apply(user)); // each renewal
      // A tab woken after its token expired sees "expired" while the renewal is still under way: give
      // that renewal a moment; a renewal that failed on an expired token ends the session.
      manager.events.addAccessTokenExpired(() => {
        const timer = setTimeout(signInAgain, 10_000);
        const stop = manager.events.addUserLoaded(() => {
          clearTimeout(timer);
          stop();
        });
      });
      manager.events.addSilentRenewError(() => void manager.getUser().then((user) => (!user || user.expired ? signInAgain() : undefined)));
    })().catch((error: unknown) => setAuth({ kind: 'unavailable', message: `Gagal menghubungi penyedia identitas: ${error instanceof Error ? error.message : String(error)}` }));
    return () => {
      stopped = true;
    };
  }, [apply, signInAgain]);

  useEffect(() => {
    window.addEventListener(UNAUTHORIZED_EVENT, signInAgain);
    return () => window.removeEventListener(UNAUTHORIZED_EVENT, signInAgain);
  }, [signInAgain]);

  const session = auth.kind === 'in' ? auth.session : null;
  const allowed = session ? PAGES.filter((p) => p.roles.includes(session.role)) : [];
  const page = allowed.find((p) => p.path === path);
  useEffect(() => {
    if (session && !page && allowed.length) navigate(allowed[0].path, true);
  }, [session, page, allowed]);
  useEffect(() => {
    document.title = page ? `${page.label} · Konsol APKT` : 'Konsol APKT';
  }, [page]);

  const signIn = () => {
    sessionStorage.removeItem(FORCED_KEY);
    void oidc.current?.manager.signinRedirect({ state: { returnTo: path === '/masuk' ? '/' : path } });
  };
  const signOut = () => {
    queryClient.clear();
    setBearer(null);
    forgetRole();
    sessionStorage.removeItem(FORCED_KEY);
    // at the provider too; it returns to /console/. The stored user goes first, so that the sign-out
    // address names the client (client_id) and not the person's ID token (id_token_hint): no token in
    // a URL the browser shows or keeps in its history (R-U5)
    const manager = oidc.current?.manager;
    if (manager) void manager.removeUser().then(() => manager.signoutRedirect());
  };
  const switchRole = (role: Role) => {
    if (!session) return;
    chooseRole(role);
    queryClient.clear();
    setAuth({ kind: 'in', session: { ...session, role } });
    navigate('/', true);
  };

  if (auth.kind === 'loading' || auth.kind === 'frame') return null;
  if (auth.kind === 'unavailable') return <SignIn notice={auth.message} onSignIn={null} />;
  if (!session) return <SignIn notice={auth.kind === 'out' ? auth.notice : null} onSignIn={signIn} />;

  return (
    <>
      <a className="skip" href="#konten">
        Lewati ke konten
      </a>
      <header className="top">
        <span className="brand">Konsol APKT</span>
        <nav aria-label="Halaman">
          {allowed.map((p) => (
            <a
              key={p.path}
              href={`/console${p.path}`}
              aria-current={p === page ? 'page' : undefined}
              onClick={(e) => {
                e.preventDefault();
                navigate(p.path);
              }}
            >
              {p.label}
            </a>
          ))}
        </nav>
        <span className="who">
          {session.name} · {ROLE_LABEL[session.role]}
          {session.unit ? ` · unit ${session.unit}` : ''}
        </span>
        {session.roles.length > 1 && (
          <label className="role-switch">
            Peran{' '}
            <select value={session.role} onChange={(e) => switchRole(e.target.value as Role)}>
              {session.roles.map((role) => (
                <option key={role} value={role}>
                  {ROLE_LABEL[role]}
                </option>
              ))}
            </select>
          </label>
        )}
        <button type="button" onClick={signOut}>
          Keluar
        </button>
      </header>
      <main id="konten" tabIndex={-1}>
        {page ? page.render(session) : <p role="alert">Peran {session.role} tidak memiliki halaman di konsol ini.</p>}
      </main>
    </>
  );
}
