import { useState, type FormEvent } from 'react';
import { ROUTES, type ConversationView, type InboundView, type Route } from '@desk/domain';
import { api } from '../api/client.ts';
import { formatWhen, isoToLocalInput, localInputToIso, ROUTE_LABELS } from '../format.ts';
import { useAction } from '../hooks.ts';
import { safeString } from './SafeText.tsx';

interface ActionsProps {
  view: ConversationView;
  onChanged: () => void;
}

function inboundItems(view: ConversationView): InboundView[] {
  return view.timeline.filter((e): e is InboundView => e.type === 'inbound');
}

export function ActionsPanel({ view, onChanged }: ActionsProps) {
  const items = inboundItems(view);
  // Strikes and re-routing are about one message: the one a reply would answer, unless chosen.
  const defaultItem = view.reply.itemId ?? items[items.length - 1]?.id ?? '';
  const [itemId, setItemId] = useState(defaultItem);
  const item = items.find((i) => i.id === itemId) ?? items.find((i) => i.id === defaultItem);

  return (
    <section className="panel actions" aria-labelledby="actions-heading">
      <h2 id="actions-heading">Actions</h2>
      <StatusActions view={view} onChanged={onChanged} />
      {items.length > 0 && item && (
        <>
          {items.length > 1 && (
            <div className="field">
              <label htmlFor="action-item">Message the actions below apply to</label>
              <select id="action-item" value={item.id} onChange={(e) => setItemId(e.target.value)} data-testid="action-item">
                {items.map((i) => (
                  <option key={i.id} value={i.id}>
                    {formatWhen(i.at, Date.now())}: {safeString(i.body, 50) || '(no text)'}
                  </option>
                ))}
              </select>
            </div>
          )}
          <StrikeForm item={item} onChanged={onChanged} />
          <RerouteForm key={item.id} item={item} onChanged={onChanged} />
        </>
      )}
    </section>
  );
}

/** Tomorrow at 09:00 local time: the usual "look at this again" moment. */
function tomorrowMorning(): string {
  const date = new Date();
  date.setDate(date.getDate() + 1);
  date.setHours(9, 0, 0, 0);
  return isoToLocalInput(date);
}

function StatusActions({ view, onChanged }: ActionsProps) {
  const action = useAction();
  const [until, setUntil] = useState(tomorrowMorning);
  const [snoozeError, setSnoozeError] = useState<string | null>(null);

  const snooze = (event: FormEvent) => {
    event.preventDefault();
    const iso = localInputToIso(until);
    if (!iso || Date.parse(iso) <= Date.now()) {
      setSnoozeError('Choose a date and time in the future.');
      return;
    }
    setSnoozeError(null);
    void action.run(() => api.snooze(view.id, iso), `Snoozed until ${formatWhen(iso, Date.now())}.`, onChanged);
  };

  return (
    <div className="action-group">
      <div className="button-row">
        {view.status !== 'closed' && (
          <button type="button" className="button" onClick={() => void action.run(() => api.close(view.id), 'Conversation closed.', onChanged)} disabled={action.busy} data-testid="close-button">
            Close
          </button>
        )}
        {view.status !== 'open' && (
          <button type="button" className="button" onClick={() => void action.run(() => api.reopen(view.id), 'Conversation reopened.', onChanged)} disabled={action.busy} data-testid="reopen-button">
            Reopen
          </button>
        )}
      </div>
      <form className="inline-form" onSubmit={snooze}>
        <div className="field">
          <label htmlFor="snooze-until">Snooze until</label>
          <input
            id="snooze-until"
            type="datetime-local"
            value={until}
            min={isoToLocalInput(new Date())}
            required
            onChange={(e) => setUntil(e.target.value)}
            aria-describedby={snoozeError ? 'snooze-error' : undefined}
            aria-invalid={snoozeError ? true : undefined}
            data-testid="snooze-input"
          />
        </div>
        <button type="submit" className="button" disabled={action.busy} data-testid="snooze-button">
          Snooze
        </button>
      </form>
      {snoozeError && (
        <p id="snooze-error" className="error-text">
          {snoozeError}
        </p>
      )}
      {action.error && <p className="error-text">{action.error}</p>}
    </div>
  );
}

function StrikeForm({ item, onChanged }: { item: InboundView; onChanged: () => void }) {
  const action = useAction();
  const [reason, setReason] = useState('');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!reason.trim()) return;
    if (await action.run(() => api.strike(item.id, reason.trim()), 'Strike added.')) {
      setReason('');
      onChanged();
    }
  };
  return (
    <form className="action-group stack" onSubmit={submit}>
      <div className="field">
        <label htmlFor="strike-reason">Strike reason</label>
        <input id="strike-reason" type="text" value={reason} required onChange={(e) => setReason(e.target.value)} placeholder="e.g. abuse of staff" data-testid="strike-reason" />
      </div>
      <div>
        <button type="submit" className="button" disabled={action.busy} data-testid="strike-button">
          Add strike
        </button>
        {action.error && <span className="error-text"> {action.error}</span>}
      </div>
    </form>
  );
}

function RerouteForm({ item, onChanged }: { item: InboundView; onChanged: () => void }) {
  const action = useAction();
  const [route, setRoute] = useState<Route>(item.route ?? 'general');
  const [reason, setReason] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (route === item.route) {
      setFormError(`It is already routed as ${ROUTE_LABELS[route]}. Choose another route.`);
      return;
    }
    if (!reason.trim()) {
      setFormError('Say why it is being re-routed.');
      return;
    }
    setFormError(null);
    if (await action.run(() => api.reroute(item.id, route, reason.trim()), `Re-routed as ${ROUTE_LABELS[route]}.`)) {
      setReason('');
      onChanged();
    }
  };
  return (
    <form className="action-group stack" onSubmit={submit}>
      <div className="field">
        <label htmlFor="reroute-route">Re-route to</label>
        <select id="reroute-route" value={route} onChange={(e) => setRoute(e.target.value as Route)} data-testid="reroute-route">
          {ROUTES.map((r) => (
            <option key={r} value={r}>
              {ROUTE_LABELS[r]}
              {r === item.route ? ' (current)' : ''}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="reroute-reason">Reason for re-routing (required)</label>
        <input id="reroute-reason" type="text" value={reason} required onChange={(e) => setReason(e.target.value)} data-testid="reroute-reason" />
      </div>
      <div>
        <button type="submit" className="button" disabled={action.busy} data-testid="reroute-button">
          Re-route
        </button>
        {(formError ?? action.error) && <span className="error-text"> {formError ?? action.error}</span>}
      </div>
    </form>
  );
}
