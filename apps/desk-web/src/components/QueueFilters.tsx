import { useEffect, useRef, useState, type ReactNode } from 'react';
import { CHANNELS, CONVERSATION_STATUSES, FLAGS, ROUTES, type Channel, type ConversationStatus, type Flag, type QueueQuery, type Route } from '@desk/domain';
import { CHANNEL_LABELS, FLAG_LABELS, ROUTE_LABELS, STATUS_LABELS } from '../format.ts';
import { navigate } from '../router.tsx';
import { useUsers } from '../session.ts';

/*
 * Filters live in the address (?channel=x&assignee=me…) so Back, reload and a shared link all show
 * the same queue.
 */

const FILTER_NAMES = ['channel', 'route', 'status', 'assignee', 'flag', 'q'] as const;
type FilterName = (typeof FILTER_NAMES)[number];

function oneOf<T extends string>(values: readonly T[], value: string | null): T | undefined {
  return value !== null && (values as readonly string[]).includes(value) ? (value as T) : undefined;
}

export function readFilters(search: URLSearchParams): QueueQuery {
  const filters: QueueQuery = {};
  const channel = oneOf<Channel>(CHANNELS, search.get('channel'));
  const route = oneOf<Route>(ROUTES, search.get('route'));
  const status = oneOf<ConversationStatus>(CONVERSATION_STATUSES, search.get('status'));
  const flag = oneOf<Flag>(FLAGS, search.get('flag'));
  const assignee = search.get('assignee');
  const q = search.get('q')?.trim();
  if (channel) filters.channel = channel;
  if (route) filters.route = route;
  if (status) filters.status = status;
  if (assignee) filters.assignee = assignee;
  if (flag) filters.flag = flag;
  if (q) filters.q = q;
  return filters;
}

export function filtersKey(filters: QueueQuery): string {
  return FILTER_NAMES.map((name) => `${name}=${filters[name] ?? ''}`).join('&');
}

function setFilter(name: FilterName, value: string): void {
  const params = new URLSearchParams(window.location.search);
  if (value) params.set(name, value);
  else params.delete(name);
  const query = params.toString();
  // Replacing, not pushing: Back leaves the queue instead of undoing each filter click.
  navigate(query ? `/?${query}` : '/', { replace: true });
}

function Select({ id, label, value, onChange, children, testId }: { id: string; label: string; value: string; onChange: (v: string) => void; children: ReactNode; testId: string }) {
  return (
    <div className="field field-inline">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
        {children}
      </select>
    </div>
  );
}

export function QueueFilters({ filters }: { filters: QueueQuery }) {
  const users = useUsers();
  const [q, setQ] = useState(filters.q ?? '');
  const typed = useRef(false);

  // Search as the officer types, once they pause; the address follows.
  useEffect(() => {
    if (!typed.current) return;
    const timer = window.setTimeout(() => setFilter('q', q.trim()), 300);
    return () => window.clearTimeout(timer);
  }, [q]);

  // Back/forward to another search puts its text in the box.
  useEffect(() => {
    if (!typed.current) setQ(filters.q ?? '');
  }, [filters.q]);

  return (
    <form
      className="filters"
      role="search"
      aria-label="Filter the queue"
      onSubmit={(e) => {
        e.preventDefault();
        typed.current = false;
        setFilter('q', q.trim());
      }}
    >
      <div className="field field-inline field-search">
        <label htmlFor="queue-search">Search</label>
        <input
          id="queue-search"
          type="search"
          value={q}
          onChange={(e) => {
            typed.current = true;
            setQ(e.target.value);
          }}
          onBlur={() => {
            typed.current = false;
          }}
          placeholder="Text, handle or name"
          data-testid="queue-search"
        />
      </div>
      <Select id="filter-channel" label="Channel" value={filters.channel ?? ''} onChange={(v) => setFilter('channel', v)} testId="filter-channel">
        <option value="">Any channel</option>
        {CHANNELS.map((c) => (
          <option key={c} value={c}>
            {CHANNEL_LABELS[c]}
          </option>
        ))}
      </Select>
      <Select id="filter-route" label="Route" value={filters.route ?? ''} onChange={(v) => setFilter('route', v)} testId="filter-route">
        <option value="">Any route</option>
        {ROUTES.map((r) => (
          <option key={r} value={r}>
            {ROUTE_LABELS[r]}
          </option>
        ))}
      </Select>
      <Select id="filter-status" label="Status" value={filters.status ?? 'open'} onChange={(v) => setFilter('status', v === 'open' ? '' : v)} testId="filter-status">
        {CONVERSATION_STATUSES.map((s) => (
          <option key={s} value={s}>
            {STATUS_LABELS[s]}
          </option>
        ))}
      </Select>
      <Select id="filter-assignee" label="Assignee" value={filters.assignee ?? ''} onChange={(v) => setFilter('assignee', v)} testId="filter-assignee">
        <option value="">Anyone</option>
        <option value="me">Me</option>
        <option value="none">Unassigned</option>
        {users
          .filter((u) => u.active && u.role !== 'press')
          .map((u) => (
            <option key={u.id} value={u.id}>
              {u.name} ({u.initials})
            </option>
          ))}
      </Select>
      <Select id="filter-flag" label="Flag" value={filters.flag ?? ''} onChange={(v) => setFilter('flag', v)} testId="filter-flag">
        <option value="">Any flag</option>
        {FLAGS.map((f) => (
          <option key={f} value={f}>
            {FLAG_LABELS[f]}
          </option>
        ))}
      </Select>
    </form>
  );
}
