import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';

interface Announcer {
  announce: (message: string) => void;
  message: string;
}

const AnnounceContext = createContext<Announcer>({ announce: () => {}, message: '' });

export function useAnnounce(): (message: string) => void {
  return useContext(AnnounceContext).announce;
}

/** Holds the latest outcome of an action ("Reply queued", "Could not close: …"). */
export function AnnouncerProvider({ children }: { children: ReactNode }) {
  const [message, setMessage] = useState('');
  const timers = useRef<number[]>([]);
  const announce = useCallback((text: string) => {
    for (const t of timers.current) window.clearTimeout(t);
    // Emptying first makes a screen reader say the same message again when it happens again.
    setMessage('');
    timers.current = [window.setTimeout(() => setMessage(text), 50), window.setTimeout(() => setMessage(''), 10_000)];
  }, []);
  useEffect(() => () => timers.current.forEach((t) => window.clearTimeout(t)), []);
  const value = useMemo(() => ({ announce, message }), [announce, message]);
  return <AnnounceContext.Provider value={value}>{children}</AnnounceContext.Provider>;
}

/**
 * The one polite live region, shown on screen as well so everyone gets the same confirmation. It
 * lives in the page's footer landmark, and is always in the DOM so screen readers track it.
 */
export function AnnouncerRegion() {
  const { message } = useContext(AnnounceContext);
  return (
    <footer className="app-footer">
      <div className={message ? 'announcer announcer-visible' : 'announcer'} role="status" aria-live="polite" aria-atomic="true" data-testid="announcer">
        {message}
      </div>
    </footer>
  );
}
