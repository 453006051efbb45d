import { useSyncExternalStore, type ComponentPropsWithRef, type MouseEvent, type ReactNode } from 'react';

/*
 * History routing with real paths (/c/<id>, /press): links can be opened in a new tab and shared,
 * and the server answers every non-API path with index.html.
 */

/** The manager reports, each at /reports/<name>; SLA compliance is /reports itself. */
export const REPORT_NAMES = ['sla', 'volumes', 'breaches', 'deflections', 'press', 'moderation'] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

export type Route =
  | { page: 'login' }
  | { page: 'queue' }
  | { page: 'conversation'; id: string }
  | { page: 'press' }
  | { page: 'users' }
  | { page: 'reports'; report: ReportName }
  | { page: 'not_found' };

const NAVIGATED = 'desk:navigated';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATED, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATED, onChange);
  };
}

const currentHref = () => window.location.pathname + window.location.search;

/** The current path and query; components re-render when it changes. */
export function useLocation(): { pathname: string; search: URLSearchParams; href: string } {
  const href = useSyncExternalStore(subscribe, currentHref);
  const url = new URL(href, window.location.origin);
  return { pathname: url.pathname, search: url.searchParams, href };
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === currentHref()) return;
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event(NAVIGATED));
}

export function matchRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { page: 'queue' };
  if (pathname === '/login') return { page: 'login' };
  if (pathname === '/press') return { page: 'press' };
  if (pathname === '/users') return { page: 'users' };
  const report = /^\/reports(?:\/([a-z]+))?\/?$/.exec(pathname);
  if (report) {
    const name = report[1] ?? 'sla';
    if ((REPORT_NAMES as readonly string[]).includes(name)) return { page: 'reports', report: name as ReportName };
  }
  const conversation = /^\/c\/([^/]+)\/?$/.exec(pathname);
  if (conversation) return { page: 'conversation', id: decodeURIComponent(conversation[1]!) };
  return { page: 'not_found' };
}

export function reportPath(report: ReportName): string {
  return report === 'sla' ? '/reports' : `/reports/${report}`;
}

export function conversationPath(id: string): string {
  return `/c/${encodeURIComponent(id)}`;
}

type LinkProps = Omit<ComponentPropsWithRef<'a'>, 'href'> & { to: string; children: ReactNode };

/** An ordinary link that navigates in place on a plain click, and behaves as a link otherwise. */
export function Link({ to, onClick, children, ...rest }: LinkProps) {
  const handle = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} onClick={handle} {...rest}>
      {children}
    </a>
  );
}
