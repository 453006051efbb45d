import { useEffect, useRef, useState, type MouseEvent, type ReactNode } from 'react';
import { AnnouncerRegion } from './announcer.tsx';
import { HelpOverlay } from './components/HelpOverlay.tsx';
import { ROLE_LABELS } from './format.ts';
import { useShortcuts } from './keyboard.ts';
import { Link, matchRoute, useLocation } from './router.tsx';
import { canSee, useSession, type Page } from './session.ts';

interface NavItem {
  to: string;
  label: string;
  page: Page;
  /** Not built yet: the slot is kept so the nav does not shift when it arrives. */
  ready: boolean;
}

const NAV: readonly NavItem[] = [
  { to: '/', label: 'Queue', page: 'queue', ready: true },
  { to: '/press', label: 'Press', page: 'press', ready: true },
  { to: '/reports', label: 'Reports', page: 'reports', ready: true },
  { to: '/users', label: 'Users', page: 'users', ready: true },
];

export function Shell({ children }: { children: ReactNode }) {
  const { session, logout } = useSession();
  const { pathname } = useLocation();
  const [helpOpen, setHelpOpen] = useState(false);
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);
  const current = matchRoute(pathname);

  useShortcuts({ '?': () => setHelpOpen(true) }, 0);

  // A new page is announced by moving focus to its heading, as a full page load would start at the top.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    const frame = window.requestAnimationFrame(() => {
      // The page may already have put focus somewhere useful (the queue row just left).
      const active = document.activeElement;
      if (active && active !== mainRef.current && mainRef.current?.contains(active)) return;
      const heading = mainRef.current?.querySelector<HTMLElement>('h1');
      (heading ?? mainRef.current)?.focus({ preventScroll: false });
    });
    return () => window.cancelAnimationFrame(frame);
  }, [pathname]);

  const skipToMain = (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    mainRef.current?.focus();
  };

  const items = NAV.filter((item) => item.ready && canSee(session.user.role, item.page));
  const isCurrent = (item: NavItem) => current.page === item.page || (item.page === 'queue' && current.page === 'conversation');

  return (
    <>
      <a className="skip-link" href="#main" onClick={skipToMain}>
        Skip to main content
      </a>
      <header className="app-header">
        <span className="brand">Engagement desk</span>
        <nav aria-label="Main" className="app-nav">
          <ul>
            {items.map((item) => (
              <li key={item.to}>
                <Link to={item.to} aria-current={isCurrent(item) ? 'page' : undefined} data-testid={`nav-${item.page}`}>
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="whoami">
          <span>
            {session.user.name} <span className="role">({ROLE_LABELS[session.user.role]})</span>
          </span>
          <button type="button" className="button button-header" onClick={() => setHelpOpen(true)} aria-haspopup="dialog">
            Shortcuts <kbd>?</kbd>
          </button>
          <button type="button" className="button button-header" onClick={logout} data-testid="nav-logout">
            Log out
          </button>
        </div>
      </header>
      <main id="main" ref={mainRef} tabIndex={-1}>
        {children}
      </main>
      <AnnouncerRegion />
      {helpOpen && <HelpOverlay onClose={() => setHelpOpen(false)} />}
    </>
  );
}
