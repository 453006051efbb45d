import type { ConversationView } from '@desk/domain';
import { formatDateTime } from '../format.ts';
import { SlaBadge } from './Badges.tsx';

/** When the reply is due and, in the SLA engine's words, why then (working hours, holidays, pauses). */
export function SlaPanel({ view }: { view: ConversationView }) {
  const { sla } = view;
  return (
    <section className={`panel sla-panel${sla ? ` sla-panel-${sla.sla}` : ''}`} aria-labelledby="sla-heading">
      <h2 id="sla-heading">Reply due</h2>
      {sla ? (
        <>
          <p className="sla-summary">
            <SlaBadge sla={sla.sla} workingMsLeft={sla.workingMsLeft} /> <span className="muted">· due {formatDateTime(sla.dueAt)}</span>
          </p>
          <p data-testid="sla-explanation" className="sla-explanation">
            <span className="label">Why then: </span>
            {sla.text}
          </p>
        </>
      ) : (
        <p data-testid="sla-explanation" className="sla-explanation">
          No reply is due: nothing in this conversation is waiting for an answer.
        </p>
      )}
    </section>
  );
}
