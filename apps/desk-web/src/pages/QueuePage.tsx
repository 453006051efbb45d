import { useCallback, useEffect, useRef, useState } from 'react';
import type { QueuePage as QueuePageData, QueueQuery, QueueRow } from '@desk/domain';
import { api, describeError } from '../api/client.ts';
import { useDebounced, useDeskEvents } from '../api/events.ts';
import { useAnnounce } from '../announcer.tsx';
import { QueueFilters, readFilters, filtersKey } from '../components/QueueFilters.tsx';
import { QueueTable } from '../components/QueueTable.tsx';
import { useAction, useDocumentTitle } from '../hooks.ts';
import { useShortcuts } from '../keyboard.ts';
import { queueMemory } from '../queue-memory.ts';
import { conversationPath, navigate, useLocation } from '../router.tsx';

const PAGE_SIZE = 50;
const NO_ROWS: QueueRow[] = [];

export function QueuePage() {
  useDocumentTitle('Queue');
  const location = useLocation();
  const filters = readFilters(location.search);
  const key = filtersKey(filters);
  // A new set of filters starts at the first page: the key remounts the list below.
  return (
    <div className="page page-queue">
      <h1 tabIndex={-1}>Queue</h1>
      <QueueFilters filters={filters} />
      <QueueList key={key} filters={filters} href={location.href} />
    </div>
  );
}

function QueueList({ filters, href }: { filters: QueueQuery; href: string }) {
  const announce = useAnnounce();
  // Cursors of the pages shown so far; the last is the page on screen ("Newer" pops it).
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const [page, setPage] = useState<QueuePageData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [selected, setSelected] = useState<string | null>(queueMemory.selectedId);
  const requestNo = useRef(0);
  const rowLinks = useRef(new Map<string, HTMLAnchorElement>());
  const claim = useAction();
  const cursor = cursors[cursors.length - 1];
  // The filters object is new on every render; its JSON is the stable value to depend on.
  const filtersJson = JSON.stringify(filters);

  const load = useCallback(async () => {
    const mine = ++requestNo.current;
    setLoading(true);
    try {
      const result = await api.queue({ ...(JSON.parse(filtersJson) as QueueQuery), cursor, limit: PAGE_SIZE });
      // A slower, older request must not overwrite a newer answer.
      if (mine !== requestNo.current) return;
      setPage(result);
      setError(null);
    } catch (e) {
      if (mine === requestNo.current) setError(describeError(e));
    } finally {
      if (mine === requestNo.current) setLoading(false);
    }
  }, [filtersJson, cursor]);

  useEffect(() => {
    void load();
  }, [load]);

  const refresh = useDebounced(() => void load(), 300);
  useDeskEvents((event) => {
    if (event.type === 'queue.changed' || event.type === 'resync') refresh();
  });

  const rows = page?.rows ?? NO_ROWS;
  useEffect(() => {
    queueMemory.ids = rows.map((r) => r.conversationId);
    queueMemory.href = href;
  }, [rows, href]);

  // Back from a conversation: put focus on its row, so j/k carry on from there.
  const restored = useRef(false);
  useEffect(() => {
    if (restored.current || rows.length === 0) return;
    restored.current = true;
    const active = document.activeElement;
    const idle = active === null || active === document.body || active.tagName === 'H1' || active.tagName === 'MAIN';
    if (idle && selected) rowLinks.current.get(selected)?.focus();
  }, [rows, selected]);

  useEffect(() => {
    if (queueMemory.focusSearch) {
      queueMemory.focusSearch = false;
      document.getElementById('queue-search')?.focus();
    }
  }, []);

  const selectedIndex = rows.findIndex((r) => r.conversationId === selected);

  const select = (index: number) => {
    const row = rows[index];
    if (!row) return;
    setSelected(row.conversationId);
    queueMemory.selectedId = row.conversationId;
    rowLinks.current.get(row.conversationId)?.focus();
  };

  const open = (id: string) => {
    queueMemory.selectedId = id;
    navigate(conversationPath(id));
  };

  useShortcuts({
    j: () => select(selectedIndex === -1 ? 0 : Math.min(selectedIndex + 1, rows.length - 1)),
    k: () => select(selectedIndex === -1 ? 0 : Math.max(selectedIndex - 1, 0)),
    Enter: () => {
      if (selected && selectedIndex !== -1) open(selected);
    },
    a: () => {
      const row = rows[selectedIndex];
      if (row) void claim.run(() => api.claim(row.conversationId), 'Conversation assigned to you.', load);
    },
    '/': () => document.getElementById('queue-search')?.focus(),
  });

  const older = () => {
    if (!page?.nextCursor) return;
    setCursors((c) => [...c, page.nextCursor ?? undefined]);
    announce('Showing older conversations.');
  };
  const newer = () => {
    setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c));
    announce('Showing newer conversations.');
  };

  return (
    <section aria-labelledby="queue-results-heading" className="queue-results">
      <h2 id="queue-results-heading" className="visually-hidden">
        Conversations
      </h2>
      {error && (
        <div className="error-summary" role="alert">
          {error}{' '}
          <button type="button" className="button button-small" onClick={() => void load()}>
            Try again
          </button>
        </div>
      )}
      {claim.error && <p className="error-text">{claim.error}</p>}
      <QueueTable rows={rows} selectedId={selected} loading={loading && page === null} busy={loading} rowLinks={rowLinks.current} onOpen={open} />
      {page && rows.length === 0 && !loading && <p className="empty">No conversations match these filters.</p>}
      <nav aria-label="Queue pages" className="pager">
        <button type="button" className="button" onClick={newer} disabled={cursors.length <= 1} data-testid="queue-newer">
          ← Newer
        </button>
        <span className="muted">Page {cursors.length}</span>
        <button type="button" className="button" onClick={older} disabled={!page?.nextCursor} data-testid="queue-older">
          Older →
        </button>
      </nav>
    </section>
  );
}
