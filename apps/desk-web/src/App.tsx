import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import type { SessionInfo } from '@desk/domain';
import { api, ApiFailure, onSessionLost, setCsrfToken } from './api/client.ts';
import { connectEvents } from './api/events.ts';
import { AnnouncerProvider } from './announcer.tsx';
import { installKeyboard } from './keyboard.ts';
import { matchRoute, navigate, useLocation, type Route } from './router.tsx';
import { canSee, clearSessionData, homePath, SessionContext, type Page } from './session.ts';
import { Shell } from './Shell.tsx';
import { LoginPage } from './pages/LoginPage.tsx';
import { QueuePage } from './pages/QueuePage.tsx';
import { ConversationPage } from './pages/ConversationPage.tsx';
import { PressPage } from './pages/PressPage.tsx';
import { UsersPage } from './pages/UsersPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';

// The reports bring the chart library: loaded only when a manager opens them, not by every officer.
const ReportsPage = lazy(() => import('./pages/ReportsPage.tsx').then((m) => ({ default: m.ReportsPage })));

type SessionState = { state: 'loading' } | { state: 'out'; notice: string | null } | { state: 'in'; session: SessionInfo };

function pageOf(route: Route): Page | null {
  return route.page === 'login' || route.page === 'not_found' ? null : route.page;
}

/** Where to go after logging in: back where the person was sent from, when they may see it. */
function afterLogin(session: SessionInfo, next: string | null): string {
  if (next && next.startsWith('/') && !next.startsWith('//')) {
    const page = pageOf(matchRoute(new URL(next, window.location.origin).pathname));
    if (page && canSee(session.user.role, page)) return next;
  }
  return homePath(session.user.role);
}

export function App() {
  const [auth, setAuth] = useState<SessionState>({ state: 'loading' });
  const location = useLocation();
  const route = matchRoute(location.pathname);

  useEffect(() => installKeyboard(), []);

  useEffect(() => {
    let cancelled = false;
    api
      .me()
      .then((session) => {
        if (cancelled) return;
        setCsrfToken(session.csrfToken);
        setAuth({ state: 'in', session });
      })
      .catch((error: unknown) => {
        if (cancelled) return;
        const notice = error instanceof ApiFailure && error.status === 401 ? null : 'The desk server could not be reached. You can still try to log in.';
        setAuth({ state: 'out', notice });
      });
    return () => {
      cancelled = true;
    };
  }, []);

  useEffect(() => {
    onSessionLost(() => {
      setCsrfToken(null);
      clearSessionData();
      setAuth({ state: 'out', notice: 'Your session has ended. Please log in again.' });
    });
    return () => onSessionLost(null);
  }, []);

  const userId = auth.state === 'in' ? auth.session.user.id : null;
  useEffect(() => (userId ? connectEvents() : undefined), [userId]);

  // Keep the address bar honest: /login while logged out, the role's pages while logged in.
  useEffect(() => {
    if (auth.state === 'out' && route.page !== 'login') {
      const here = location.href;
      navigate(here === '/' ? '/login' : `/login?next=${encodeURIComponent(here)}`, { replace: true });
    }
    if (auth.state === 'in') {
      const page = pageOf(route);
      if (route.page === 'login') navigate(afterLogin(auth.session, location.search.get('next')), { replace: true });
      else if (page && !canSee(auth.session.user.role, page)) navigate(homePath(auth.session.user.role), { replace: true });
    }
  }, [auth, route, location.href, location.search]);

  const onLoggedIn = useCallback((session: SessionInfo) => {
    setCsrfToken(session.csrfToken);
    clearSessionData();
    setAuth({ state: 'in', session });
  }, []);

  const logout = useCallback(() => {
    api
      .logout()
      .catch(() => {
        // Logged out locally either way; the server session expires on its own.
      })
      .finally(() => {
        setCsrfToken(null);
        clearSessionData();
        setAuth({ state: 'out', notice: 'You have logged out.' });
        navigate('/login', { replace: true });
      });
  }, []);

  const sessionValue = useMemo(() => (auth.state === 'in' ? { session: auth.session, logout } : null), [auth, logout]);

  let body;
  if (auth.state === 'loading') {
    body = (
      <main id="main" className="loading" aria-busy="true">
        <h1>Engagement desk</h1>
        <p>Loading…</p>
      </main>
    );
  } else if (auth.state === 'out' || !sessionValue) {
    body = <LoginPage onLoggedIn={onLoggedIn} notice={auth.state === 'out' ? auth.notice : null} />;
  } else {
    body = (
      <SessionContext.Provider value={sessionValue}>
        <Shell>{mayShow(auth.session, route) ? <CurrentPage route={route} /> : null}</Shell>
      </SessionContext.Provider>
    );
  }
  return <AnnouncerProvider>{body}</AnnouncerProvider>;
}

/** A page the role may not see is not even mounted (it would only fetch and fail) while the redirect happens. */
function mayShow(session: SessionInfo, route: Route): boolean {
  const page = pageOf(route);
  return page === null || canSee(session.user.role, page);
}

function CurrentPage({ route }: { route: Route }) {
  switch (route.page) {
    case 'queue':
      return <QueuePage />;
    case 'conversation':
      // Keyed so that j/k to the next conversation starts it fresh (draft, viewers, dialogs).
      return <ConversationPage key={route.id} id={route.id} />;
    case 'press':
      return <PressPage />;
    case 'users':
      return <UsersPage />;
    case 'reports':
      return (
        <Suspense
          fallback={
            <div className="page">
              <p className="muted" role="status">
                Loading the reports…
              </p>
            </div>
          }
        >
          <ReportsPage report={route.report} />
        </Suspense>
      );
    case 'login':
      return null;
    case 'not_found':
      return <NotFoundPage />;
  }
}
