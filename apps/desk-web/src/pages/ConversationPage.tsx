import { useCallback, useEffect, useRef, useState } from 'react';
import type { ConversationView, UserRef } from '@desk/domain';
import { api, ApiFailure, describeError } from '../api/client.ts';
import { useDebounced, useDeskEvents } from '../api/events.ts';
import { useAnnounce } from '../announcer.tsx';
import { ActionsPanel } from '../components/ActionsPanel.tsx';
import { Composer } from '../components/Composer.tsx';
import { ContactPanel } from '../components/ContactPanel.tsx';
import { ConversationHeader } from '../components/ConversationHeader.tsx';
import { NoteBox } from '../components/NoteBox.tsx';
import { SlaPanel } from '../components/SlaPanel.tsx';
import { Timeline } from '../components/Timeline.tsx';
import { safeString } from '../components/SafeText.tsx';
import { useAction, useDocumentTitle } from '../hooks.ts';
import { useShortcuts } from '../keyboard.ts';
import { neighbour, queueMemory } from '../queue-memory.ts';
import { conversationPath, Link, navigate } from '../router.tsx';
import { useSession } from '../session.ts';

const HEARTBEAT_MS = 20_000;

export function ConversationPage({ id }: { id: string }) {
  const { session } = useSession();
  const announce = useAnnounce();
  const [view, setView] = useState<ConversationView | null>(null);
  const [error, setError] = useState<{ message: string; missing: boolean } | null>(null);
  const [viewers, setViewers] = useState<UserRef[]>([]);
  const requestNo = useRef(0);
  const composerRef = useRef<HTMLTextAreaElement>(null);
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const quick = useAction();

  useDocumentTitle(view ? `Conversation with ${safeString(view.author.handle ?? view.author.displayName ?? 'unknown sender', 40)}` : 'Conversation');

  const load = useCallback(async () => {
    const mine = ++requestNo.current;
    try {
      const loaded = await api.conversation(id);
      if (mine !== requestNo.current) return;
      setView(loaded);
      setViewers(loaded.viewers);
      setError(null);
    } catch (e) {
      if (mine !== requestNo.current) return;
      setError({ message: describeError(e), missing: e instanceof ApiFailure && e.status === 404 });
    }
  }, [id]);

  useEffect(() => {
    queueMemory.selectedId = id;
    void load();
  }, [id, load]);

  const refresh = useDebounced(() => void load(), 300);
  useDeskEvents((event) => {
    if (event.type === 'resync') refresh();
    else if ((event.type === 'queue.changed' || event.type === 'outbound.changed') && event.conversationId === id) refresh();
    else if (event.type === 'conversation.viewing' && event.conversationId === id) setViewers(event.viewers);
  });

  // Tell the others we are here, every 20 s while open; say goodbye on leaving (or closing the tab).
  useEffect(() => {
    let live = true;
    const beat = () =>
      api
        .viewing(id)
        .then((r) => live && setViewers(r.viewers))
        .catch(() => {
          // A missed heartbeat only makes us look absent for a while; the next one repairs it.
        });
    void beat();
    const timer = window.setInterval(() => void beat(), HEARTBEAT_MS);
    const leave = () => void api.leave(id).catch(() => {});
    window.addEventListener('pagehide', leave);
    return () => {
      live = false;
      window.clearInterval(timer);
      window.removeEventListener('pagehide', leave);
      leave();
    };
  }, [id]);

  const step = (direction: 1 | -1) => {
    const next = neighbour(id, direction);
    if (next) navigate(conversationPath(next));
    else announce(direction === 1 ? 'This is the last conversation on this page of the queue.' : 'This is the first conversation on this page of the queue.');
  };

  useShortcuts({
    j: () => step(1),
    k: () => step(-1),
    a: () => {
      if (view && view.assignee?.id !== session.user.id) void quick.run(() => api.claim(id), 'Conversation assigned to you.', load);
    },
    r: () => composerRef.current?.focus(),
    n: () => noteRef.current?.focus(),
    c: () => {
      if (view && view.status !== 'closed') void quick.run(() => api.close(id), 'Conversation closed.', load);
    },
    Escape: () => navigate(queueMemory.href),
    '/': () => {
      queueMemory.focusSearch = true;
      navigate(queueMemory.href);
    },
  });

  // The loading heading had focus (after navigation); keep focus on the page's heading once it is real.
  const loaded = view !== null;
  useEffect(() => {
    if (loaded && (document.activeElement === document.body || document.activeElement === null)) {
      document.querySelector<HTMLElement>('.conv-header h1')?.focus();
    }
  }, [loaded]);

  const reload = () => void load();

  if (!view) {
    return (
      <div className="page page-conversation">
        <h1 tabIndex={-1}>Conversation</h1>
        {error ? (
          <div className="error-summary" role="alert">
            <p>{error.missing ? 'This conversation could not be found.' : error.message}</p>
            <p>
              <Link to={queueMemory.href}>Back to the queue</Link>
              {!error.missing && (
                <>
                  {' or '}
                  <button type="button" className="button button-small" onClick={reload}>
                    try again
                  </button>
                </>
              )}
            </p>
          </div>
        ) : (
          <p aria-busy="true">Loading…</p>
        )}
      </div>
    );
  }

  return (
    <div className="page page-conversation" data-conversation-id={view.id}>
      <p className="back">
        <Link to={queueMemory.href}>
          <span aria-hidden="true">← </span>Back to the queue
        </Link>
      </p>
      <ConversationHeader view={view} viewers={viewers} onChanged={reload} />
      {error && (
        <p className="error-text" role="alert">
          Could not refresh: {error.message}
        </p>
      )}
      {quick.error && <p className="error-text">{quick.error}</p>}
      <div className="conversation-layout">
        <div className="conversation-main">
          <SlaPanel view={view} />
          <section className="panel" aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">Timeline</h2>
            <Timeline view={view} onChanged={reload} />
          </section>
          <Composer view={view} textareaRef={composerRef} onChanged={reload} />
          <NoteBox conversationId={view.id} textareaRef={noteRef} onAdded={reload} />
        </div>
        <div className="conversation-side">
          <ActionsPanel view={view} onChanged={reload} />
          <ContactPanel view={view} onChanged={reload} />
        </div>
      </div>
    </div>
  );
}
