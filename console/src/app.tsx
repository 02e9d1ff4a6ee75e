import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import { setBearer, UNAUTHORIZED_EVENT } from './api/client';
import { AgentDesk } from './pages/agent-desk';
import { BackofficeQueue } from './pages/backoffice-queue';
import { OutagesPage } from './pages/outages';
import { PersonalDataPage } from './pages/personal-data';
import { ReportsPage } from './pages/reports';
import { SignIn } from './pages/sign-in';
import { UnitDashboard } from './pages/unit-dashboard';
import { navigate, usePath } from './router';
import { forgetToken, isExpired, parseToken, type Role, type Session, storedToken, storeToken, takeTokenFromFragment } from './session';

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
  { path: '/data-pribadi', label: 'Data Pribadi', roles: ['admin'], render: () => <PersonalDataPage /> },
];

const EXPIRED = 'Sesi Anda berakhir: token kedaluwarsa atau tidak berlaku. Silakan masuk lagi.';

function initialSession(): { session: Session | null; notice: string | null } {
  const fromFragment = takeTokenFromFragment();
  const token = fromFragment ?? storedToken();
  if (!token) return { session: null, notice: null };
  const session = parseToken(token);
  if (!session) return { session: null, notice: 'Token tidak dapat dibaca. Tempel token Bearer yang lengkap.' };
  if (isExpired(session)) {
    forgetToken();
    return { session: null, notice: EXPIRED };
  }
  storeToken(session.token);
  setBearer(session.token);
  return { session, notice: null };
}

export function App() {
  const [{ session, notice }, setState] = useState(initialSession);
  const queryClient = useQueryClient();
  const path = usePath();

  const signOut = useCallback(
    (message: string | null) => {
      forgetToken();
      setBearer(null);
      queryClient.clear();
      setState({ session: null, notice: message });
      navigate('/masuk', true);
    },
    [queryClient],
  );

  const signIn = (next: Session) => {
    storeToken(next.token);
    setBearer(next.token);
    setState({ session: next, notice: null });
    navigate('/', true);
  };

  useEffect(() => {
    const onUnauthorized = () => signOut(EXPIRED);
    window.addEventListener(UNAUTHORIZED_EVENT, onUnauthorized);
    return () => window.removeEventListener(UNAUTHORIZED_EVENT, onUnauthorized);
  }, [signOut]);

  useEffect(() => {
    if (!session?.expiresAt) return;
    // setTimeout holds at most 2^31-1 ms; a longer token is re-checked when the timer fires
    const timer = setTimeout(() => (isExpired(session) ? signOut(EXPIRED) : undefined), Math.min(session.expiresAt - Date.now(), 2 ** 31 - 1));
    return () => clearTimeout(timer);
  }, [session, signOut]);

  const allowed = session ? PAGES.filter((p) => p.roles.includes(session.role)) : [];
  const page = allowed.find((p) => p.path === path);
  useEffect(() => {
    if (session && !page && allowed.length) navigate(allowed[0].path, true);
  }, [session, page, allowed]);

  if (!session) return <SignIn notice={notice} onSignIn={signIn} />;

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
          {session.sub} · {session.role}
          {session.unit ? ` · unit ${session.unit}` : ''}
        </span>
        <button type="button" onClick={() => signOut('Anda telah keluar.')}>
          Keluar
        </button>
      </header>
      <main id="konten" tabIndex={-1}>
        {page ? page.render(session) : <p role="alert">Peran {session.role} tidak memiliki halaman di konsol ini.</p>}
      </main>
    </>
  );
}
