import { createContext, useContext, useEffect, useState } from 'react';
import type { DeskUser, Role, SessionInfo, TemplateView } from '@desk/domain';
import { api, describeError } from './api/client.ts';

export interface SessionContextValue {
  session: SessionInfo;
  logout: () => void;
}

export const SessionContext = createContext<SessionContextValue | null>(null);

/** The logged-in user; only used under the shell, which exists only with a session. */
export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside a session');
  return value;
}

export type Page = 'queue' | 'conversation' | 'press' | 'users' | 'reports';

/** Who may see which page; the server enforces the same, this only keeps the desk tidy. */
const PAGE_ROLES: Record<Page, readonly Role[]> = {
  queue: ['officer', 'manager', 'admin'],
  conversation: ['officer', 'manager', 'admin'],
  press: ['press', 'admin'],
  users: ['admin'],
  reports: ['manager', 'admin'],
};

export function canSee(role: Role, page: Page): boolean {
  return PAGE_ROLES[page].includes(role);
}

export function homePath(role: Role): string {
  return role === 'press' ? '/press' : '/';
}

/*
 * Data every page may want and that changes rarely: fetched once per session, shared by all who
 * ask, refetched on demand (the users page after an edit).
 */
function shared<T>(load: () => Promise<T>) {
  let value: T | null = null;
  let pending: Promise<T> | null = null;
  const subscribers = new Set<(value: T) => void>();
  const refresh = () => {
    pending = load().then((loaded) => {
      value = loaded;
      for (const s of subscribers) s(loaded);
      return loaded;
    });
    pending.catch(() => {
      pending = null;
    });
    return pending;
  };
  return {
    refresh,
    clear: () => {
      value = null;
      pending = null;
    },
    use(enabled: boolean): { value: T | null; error: string | null } {
      const [state, setState] = useState<T | null>(value);
      const [error, setError] = useState<string | null>(null);
      useEffect(() => {
        if (!enabled) return;
        subscribers.add(setState);
        if (value === null) (pending ?? refresh()).catch((e: unknown) => setError(describeError(e)));
        else setState(value);
        return () => {
          subscribers.delete(setState);
        };
      }, [enabled]);
      return { value: state, error };
    },
  };
}

export const usersStore = shared<DeskUser[]>(() => api.users());
export const templatesStore = shared<TemplateView[]>(() => api.templates());

/** Desk users for the assign menus; the press office has no use for them (and may not read them). */
export function useUsers(): DeskUser[] {
  const { session } = useSession();
  return usersStore.use(session.user.role !== 'press').value ?? [];
}

export function useTemplates(): { templates: TemplateView[] | null; error: string | null } {
  const { value, error } = templatesStore.use(true);
  return { templates: value, error };
}

/** Forgets what the last session loaded, so the next person to log in starts clean. */
export function clearSessionData(): void {
  usersStore.clear();
  templatesStore.clear();
}
