import { useId, useState, type KeyboardEvent } from 'react';
import { REPORT_DEFINITIONS, type ReportDefinitionKey } from '@desk/domain';

/** How each term is named in "What … means", for people who hear the button rather than see it. */
const TERM_NAMES: Record<ReportDefinitionKey, string> = {
  compliance: 'compliance',
  automatic: 'automatic',
  human: 'answered by the team',
  met: 'met',
  late: 'late',
  overdue: 'overdue',
  pending: 'pending',
  due: 'due time',
  responseTime: 'response time',
  officer: 'officer',
  team: 'team',
  volume: 'items',
  outOfHours: 'out of hours',
  heatmap: 'the arrivals heatmap',
  breach: 'breach',
  atRisk: 'at risk',
  deflection: 'deflection',
  deflectionError: 'deflection error rate',
  urgentTouch: 'time to first human touch',
  pressForwarded: 'forwarded to the press office',
  pressAcknowledgement: 'press acknowledgement time',
  pressResponse: 'press response time',
  hidden: 'hidden',
  strikes: 'strikes',
  flagged: 'flagged for blocking',
};

/**
 * A figure's definition one click away: a small "?" button that shows the plain-words text from
 * the report contract right below the term. It is shown in place (not floated over the table) so
 * it never covers the numbers it explains and reflows when zoomed.
 */
export function Definition({ term, name }: { term: ReportDefinitionKey; name?: string }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const close = (event: KeyboardEvent<HTMLButtonElement>) => {
    if (event.key === 'Escape' && open) {
      // Not the shell's Esc (back to the queue): this one only closes the definition.
      event.preventDefault();
      setOpen(false);
    }
  };
  return (
    <span className="definition">
      <button
        type="button"
        className="definition-toggle"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen((o) => !o)}
        onKeyDown={close}
        data-testid={`definition-${term}`}
      >
        <span aria-hidden="true">?</span>
        <span className="visually-hidden">What {name ?? TERM_NAMES[term]} means</span>
      </button>
      <span id={id} className="definition-text" hidden={!open} data-testid={`definition-text-${term}`}>
        {REPORT_DEFINITIONS[term]}
      </span>
    </span>
  );
}
