import { useState } from 'react';
import type { ConversationView, UserRef } from '@desk/domain';
import { api } from '../api/client.ts';
import { CHANNEL_LABELS, formatDateTime, ROUTE_LABELS, STATUS_LABELS } from '../format.ts';
import { useAction } from '../hooks.ts';
import { useSession, useUsers } from '../session.ts';
import { AuthorBadges, AuthorName } from './Badges.tsx';

interface HeaderProps {
  view: ConversationView;
  /** Other people with this conversation open, live. */
  viewers: UserRef[];
  onChanged: () => void;
}

export function ConversationHeader({ view, viewers, onChanged }: HeaderProps) {
  const { session } = useSession();
  const me = session.user;
  const users = useUsers();
  const assign = useAction();
  const [assignTo, setAssignTo] = useState('');
  const mine = view.assignee?.id === me.id;
  const others = viewers.filter((v) => v.id !== me.id);
  const assignable = users.filter((u) => u.active && u.role !== 'press');

  const claim = () => void assign.run(() => api.claim(view.id), 'Conversation assigned to you.', onChanged);
  const unassign = () => void assign.run(() => api.assign(view.id, null), 'Conversation unassigned.', onChanged);
  const assignChosen = () => {
    if (!assignTo) return;
    const name = assignable.find((u) => u.id === assignTo)?.name ?? 'them';
    void assign.run(() => api.assign(view.id, assignTo), `Conversation assigned to ${name}.`, () => {
      setAssignTo('');
      onChanged();
    });
  };

  return (
    <div className="conv-header">
      <h1 tabIndex={-1}>
        <span className="visually-hidden">Conversation with </span>
        <AuthorName author={view.author} />
        <span className="muted"> on {CHANNEL_LABELS[view.channel]}</span>
      </h1>
      <AuthorBadges author={view.author} />
      <dl className="meta">
        <div>
          <dt>Channel</dt>
          <dd>{CHANNEL_LABELS[view.channel]}</dd>
        </div>
        <div>
          <dt>Route</dt>
          <dd data-testid="conv-route">{view.route ? ROUTE_LABELS[view.route] : 'Not triaged'}</dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd data-testid="conv-status" data-status={view.status}>
            {STATUS_LABELS[view.status]}
            {view.status === 'snoozed' && view.snoozedUntil && ` until ${formatDateTime(view.snoozedUntil)}`}
          </dd>
        </div>
        <div>
          <dt>Assignee</dt>
          <dd data-testid="conv-assignee" data-assignee-id={view.assignee?.id ?? ''}>
            {view.assignee ? `${view.assignee.name} (${view.assignee.initials})${mine ? ' – you' : ''}` : 'Unassigned'}
          </dd>
        </div>
      </dl>

      <div className="assign-controls">
        {!mine && (
          <button type="button" className="button button-primary" onClick={claim} disabled={assign.busy} data-testid="claim-button">
            Assign to me
          </button>
        )}
        <div className="field field-inline">
          <label htmlFor="assign-select">Assign to</label>
          <select id="assign-select" value={assignTo} onChange={(e) => setAssignTo(e.target.value)} data-testid="assign-select">
            <option value="">Choose a person</option>
            {assignable
              .filter((u) => u.id !== view.assignee?.id)
              .map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name} ({u.initials})
                </option>
              ))}
          </select>
        </div>
        <button type="button" className="button" onClick={assignChosen} disabled={assign.busy || !assignTo} data-testid="assign-button">
          Assign
        </button>
        {view.assignee && (
          <button type="button" className="button" onClick={unassign} disabled={assign.busy} data-testid="unassign-button">
            Unassign
          </button>
        )}
        {assign.error && <span className="error-text">{assign.error}</span>}
      </div>

      <p className="viewers" data-testid="viewers" data-count={others.length}>
        {others.length > 0 ? (
          <>
            Also viewing:{' '}
            {others.map((v, i) => (
              <span key={v.id}>
                {i > 0 && ', '}
                <abbr title={v.name}>{v.initials}</abbr>
                <span className="visually-hidden"> ({v.name})</span>
              </span>
            ))}
          </>
        ) : (
          <span className="muted">No one else has this open.</span>
        )}
      </p>
    </div>
  );
}
