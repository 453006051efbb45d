import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { SessionInfo } from '@desk/domain';
import { api, ApiFailure, describeError } from '../api/client.ts';
import { useDocumentTitle } from '../hooks.ts';

function waitText(seconds: number): string {
  if (seconds < 60) return `${seconds} ${seconds === 1 ? 'second' : 'seconds'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
}

/** What went wrong, in words that tell the person what to do next. */
function loginError(error: unknown): string {
  if (error instanceof ApiFailure) {
    if (error.status === 401) return 'That email address and password do not match an active desk account. Check them and try again.';
    if (error.status === 429) {
      return error.retryAfterSeconds !== null
        ? `Too many attempts. Wait ${waitText(error.retryAfterSeconds)} before trying again.`
        : 'Too many attempts. Wait a few minutes before trying again.';
    }
  }
  return describeError(error);
}

export function LoginPage({ onLoggedIn, notice }: { onLoggedIn: (session: SessionInfo) => void; notice: string | null }) {
  useDocumentTitle('Log in');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const errorId = useId();
  const errorRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (error) errorRef.current?.focus();
  }, [error]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const session = await api.login(email.trim(), password);
      onLoggedIn(session);
    } catch (e) {
      setError(loginError(e));
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" className="login" tabIndex={-1}>
      <h1>Engagement desk</h1>
      <p className="muted">Log in with your desk account.</p>
      {notice && !error && <p className="notice">{notice}</p>}
      {error && (
        <div id={errorId} ref={errorRef} className="error-summary" role="alert" tabIndex={-1} data-testid="login-error">
          {error}
        </div>
      )}
      <form onSubmit={submit} className="stack">
        <div className="field">
          <label htmlFor="login-email">Email address</label>
          <input
            id="login-email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            aria-describedby={error ? errorId : undefined}
            data-testid="login-email"
          />
        </div>
        <div className="field">
          <label htmlFor="login-password">Password</label>
          <input
            id="login-password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            aria-describedby={error ? errorId : undefined}
            data-testid="login-password"
          />
        </div>
        <button type="submit" className="button button-primary" disabled={busy} data-testid="login-submit">
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
    </main>
  );
}
