import { useEffect, useRef, useState } from 'react';
import { formatDate } from '../../format.ts';
import { daysIn, isDay, londonToday, PRESETS, presetRange, type DateRange } from '../../reports/range.ts';

interface ReportRangeProps {
  range: DateRange;
  /** `replace` for typing (one history entry per date, not per keystroke), not for a preset. */
  onChange: (range: DateRange, options: { replace: boolean }) => void;
}

/** Typed dates wait this long for the next keystroke before the report is asked for. */
const TYPING_PAUSE_MS = 600;

/**
 * A whole date, as the field gives it. While a year is typed the field passes through 0002, 0020,
 * 0202…: those are not dates anyone means, so they wait for the rest.
 */
const whole = (day: string) => isDay(day) && day >= '2000-01-01';

/**
 * The range every report shares: two dates and the usual quick ranges. The dates are kept as typed
 * (a half-typed date is not a range yet) and go to the address once both are whole dates and typing
 * has paused; a range that runs backwards is said plainly and nothing is asked of the server.
 */
export function ReportRange({ range, onChange }: ReportRangeProps) {
  const [from, setFrom] = useState(range.from);
  const [to, setTo] = useState(range.to);

  // Back, forward or a preset moved the range: the fields follow.
  useEffect(() => {
    setFrom(range.from);
    setTo(range.to);
  }, [range.from, range.to]);

  // Typing settles before the address (and so the report) changes: one request per date, not per key.
  const latest = useRef(onChange);
  latest.current = onChange;
  useEffect(() => {
    if (!whole(from) || !whole(to) || (from === range.from && to === range.to)) return;
    const timer = window.setTimeout(() => latest.current({ from, to }, { replace: true }), TYPING_PAUSE_MS);
    return () => window.clearTimeout(timer);
  }, [from, to, range.from, range.to]);

  const backwards = whole(from) && whole(to) && from > to;
  const incomplete = !whole(from) || !whole(to);
  const today = londonToday();
  const describedBy = backwards ? 'report-range-error' : undefined;

  return (
    <section className="report-range panel" aria-labelledby="report-range-heading">
      <h2 id="report-range-heading" className="visually-hidden">
        Date range
      </h2>
      <div className="report-range-controls">
        <div className="field field-inline">
          <label htmlFor="report-from">From</label>
          <input
            id="report-from"
            type="date"
            value={from}
            onChange={(e) => setFrom(e.target.value)}
            aria-invalid={backwards || !whole(from) ? true : undefined}
            aria-describedby={describedBy}
            data-testid="report-from"
          />
        </div>
        <div className="field field-inline">
          <label htmlFor="report-to">To</label>
          <input
            id="report-to"
            type="date"
            value={to}
            onChange={(e) => setTo(e.target.value)}
            aria-invalid={backwards || !whole(to) ? true : undefined}
            aria-describedby={describedBy}
            data-testid="report-to"
          />
        </div>
        <div className="presets" role="group" aria-label="Quick ranges">
          {PRESETS.map((preset) => {
            const target = presetRange(preset.key, today);
            const current = target.from === range.from && target.to === range.to;
            return (
              <button
                key={preset.key}
                type="button"
                className="button button-small"
                aria-pressed={current}
                title={`${formatDate(target.from)} to ${formatDate(target.to)}: ${preset.hint}`}
                onClick={() => onChange(target, { replace: false })}
                data-testid={`preset-${preset.key}`}
              >
                {preset.label}
              </button>
            );
          })}
        </div>
      </div>
      {backwards ? (
        <p id="report-range-error" className="error-text" role="alert" data-testid="report-range-error">
          “From” must be on or before “To”. Change one of the dates to see the report.
        </p>
      ) : incomplete ? (
        <p className="muted">Enter both dates in full to see the report.</p>
      ) : (
        <p className="muted" data-testid="report-range-summary">
          {formatDate(from)} to {formatDate(to)}, both included ({daysIn({ from, to })} {daysIn({ from, to }) === 1 ? 'day' : 'days'}), London time.
        </p>
      )}
    </section>
  );
}
