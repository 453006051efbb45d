import { useEffect, useRef, useState } from 'react';
import type { AtRiskRow, BreachRow, Route } from '@desk/domain';
import { api, type ReportRangeQuery } from '../../api/client.ts';
import { UserInitials } from '../../components/Badges.tsx';
import { CsvLink } from '../../components/reports/CsvLink.tsx';
import { Definition } from '../../components/reports/Definition.tsx';
import { ReportStatus } from '../../components/reports/ReportStatus.tsx';
import { EmptyRow, Th } from '../../components/reports/ReportTable.tsx';
import { SafeText } from '../../components/SafeText.tsx';
import { CHANNEL_LABELS, formatCount, formatDateTime, formatDuration, ROUTE_LABELS } from '../../format.ts';
import { useAction } from '../../hooks.ts';
import type { ReportPageProps } from '../../reports/range.ts';
import { useReport } from '../../reports/useReport.ts';
import { conversationPath, Link } from '../../router.tsx';

/** Breaches per page; "More" asks for the next page from the server's cursor. */
const PAGE = 50;

export function BreachesReportPage({ params }: ReportPageProps) {
  return (
    <>
      <AtRiskSection />
      <BreachSection query={{ from: params.from, to: params.to }} />
    </>
  );
}

/** The public's words, as text; linked to the conversation when there is one. */
function Message({ preview, conversationId }: { preview: string; conversationId: string | null }) {
  const text = preview ? <SafeText text={preview} max={140} /> : <span className="muted">(no text)</span>;
  return conversationId ? (
    <Link to={conversationPath(conversationId)} className="row-link">
      {text}
    </Link>
  ) : (
    text
  );
}

function Author({ author }: { author: string | null }) {
  return author ? <SafeText text={author} max={80} /> : <span className="muted">Unknown sender</span>;
}

const routeLabel = (route: Route | null) => (route ? ROUTE_LABELS[route] : '—');

function AtRiskSection() {
  // Not about the range: what is at risk is at risk now.
  const state = useReport(() => api.reportAtRisk(), 'now');
  const report = state.data;
  return (
    <section aria-labelledby="at-risk-heading" className="report-section" aria-busy={state.loading}>
      <h2 id="at-risk-heading">
        At risk now
        <Definition term="atRisk" />
      </h2>
      <div className="button-row">
        <button type="button" className="button button-small" onClick={state.reload} disabled={state.loading} data-testid="at-risk-refresh">
          Refresh
        </button>
        {report && (
          <span className="muted">
            As of {formatDateTime(report.generatedAt)}: unanswered items with less than {formatDuration(report.thresholdMs)} of working time left.
          </span>
        )}
      </div>
      <ReportStatus state={state} what="items at risk" />
      {report && (
        <div className="table-wrap">
          <table className="report-table" data-testid="at-risk-table">
            <caption className="visually-hidden">Items at risk now, least time left first</caption>
            <thead>
              <tr>
                <Th>Message</Th>
                <Th>Channel</Th>
                <Th>Route</Th>
                <Th>Author</Th>
                <Th>Received</Th>
                <Th term="due">Due</Th>
                <Th numeric term="atRisk" name="working time left">
                  Working time left
                </Th>
                <Th term="officer" name="held by">
                  Held by
                </Th>
              </tr>
            </thead>
            <tbody>
              {report.rows.length === 0 && <EmptyRow columns={8}>Nothing is at risk right now.</EmptyRow>}
              {report.rows.map((row) => (
                <AtRiskTableRow key={row.itemId} row={row} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <CsvLink href={api.reportCsvHref('at-risk')} what="items at risk now" testId="at-risk-csv" />
    </section>
  );
}

function AtRiskTableRow({ row }: { row: AtRiskRow }) {
  return (
    <tr data-testid="at-risk-row">
      <td className="col-message">
        <Message preview={row.preview} conversationId={row.conversationId} />
      </td>
      <td>{CHANNEL_LABELS[row.channel] ?? row.channel}</td>
      <td>{routeLabel(row.route)}</td>
      <td>
        <Author author={row.author} />
      </td>
      <td className="nowrap">{formatDateTime(row.receivedAt)}</td>
      <td className="nowrap">{formatDateTime(row.dueAt)}</td>
      <td className="num">{formatDuration(row.workingMsLeft)}</td>
      <td>
        <UserInitials user={row.heldBy} compact />
      </td>
    </tr>
  );
}

interface Loaded {
  /** The range the rows belong to: a new range starts again from the first page. */
  key: string;
  rows: BreachRow[];
  nextCursor: string | null;
}

function BreachSection({ query }: { query: ReportRangeQuery }) {
  const key = new URLSearchParams({ ...query }).toString();
  const first = useReport(() => api.reportBreaches({ ...query, limit: PAGE }), key);
  const [more, setMore] = useState<Loaded | null>(null);
  const action = useAction();
  const focusRow = useRef<number | null>(null);
  const table = useRef<HTMLTableSectionElement>(null);
  const count = useRef<HTMLParagraphElement>(null);

  const page = first.data;
  const extra = more && more.key === first.dataKey ? more : null;
  const rows = page ? [...page.rows, ...(extra?.rows ?? [])] : [];
  const nextCursor = extra ? extra.nextCursor : (page?.nextCursor ?? null);

  const loadMore = () => {
    if (!nextCursor || !first.dataKey) return;
    const forKey = first.dataKey;
    const from = rows.length;
    void action.run(async () => {
      const next = await api.reportBreaches({ ...query, limit: PAGE, cursor: nextCursor });
      focusRow.current = from;
      setMore((m) => ({ key: forKey, rows: [...(m && m.key === forKey ? m.rows : []), ...next.rows], nextCursor: next.nextCursor }));
    }, 'More breaches loaded.');
  };

  // After "More", focus goes to the first new row's link, where reading carries on (the button may be gone).
  useEffect(() => {
    if (focusRow.current === null) return;
    const link = table.current?.querySelectorAll<HTMLTableRowElement>('tr')[focusRow.current]?.querySelector<HTMLElement>('a');
    focusRow.current = null;
    (link ?? count.current)?.focus();
  }, [rows.length]);

  return (
    <section aria-labelledby="breaches-heading" className="report-section" aria-busy={first.loading || action.busy}>
      <h2 id="breaches-heading">
        Breaches in the range
        <Definition term="breach" />
      </h2>
      <ReportStatus state={first} what="breaches" />
      {page && (
        <>
          <p data-testid="breach-count" ref={count} tabIndex={-1}>
            {formatCount(page.total)} {page.total === 1 ? 'breach' : 'breaches'}, latest due first
            {page.total > 0 && `; showing ${formatCount(rows.length)}`}.
          </p>
          <div className="table-wrap">
            <table className="report-table breaches" data-testid="breach-table">
              <caption className="visually-hidden">Breaches in the range, latest due first</caption>
              <thead>
                <tr>
                  <Th>Message</Th>
                  <Th>Channel</Th>
                  <Th>Route</Th>
                  <Th>Author</Th>
                  <Th>Received</Th>
                  <Th term="due">Due, and why then</Th>
                  <Th>First response</Th>
                  <Th term="automatic" name="automatic">
                    Automatic?
                  </Th>
                  <Th numeric term="breach" name="working time late">
                    Working time late
                  </Th>
                  <Th term="officer" name="held by">
                    Held by
                  </Th>
                </tr>
              </thead>
              <tbody ref={table}>
                {rows.length === 0 && <EmptyRow columns={10}>No breaches in this range.</EmptyRow>}
                {rows.map((row) => (
                  <BreachTableRow key={row.itemId} row={row} />
                ))}
              </tbody>
            </table>
          </div>
          {nextCursor && (
            <div className="pager">
              <button type="button" className="button" onClick={loadMore} disabled={action.busy} data-testid="breach-more">
                More<span className="visually-hidden"> breaches</span>
              </button>
              {action.error && <span className="error-text">{action.error}</span>}
            </div>
          )}
        </>
      )}
      <CsvLink href={api.reportCsvHref('breaches', query)} what="all breaches in the range, with explanations" testId="breaches-csv" />
    </section>
  );
}

function BreachTableRow({ row }: { row: BreachRow }) {
  return (
    <tr data-testid="breach-row">
      <td className="col-message">
        <Message preview={row.preview} conversationId={row.conversationId} />
      </td>
      <td>{CHANNEL_LABELS[row.channel] ?? row.channel}</td>
      <td>{routeLabel(row.route)}</td>
      <td>
        <Author author={row.author} />
      </td>
      <td>{formatDateTime(row.receivedAt)}</td>
      <td>
        <span className="block">{formatDateTime(row.dueAt)}</span>
        <span className="muted block explanation">{row.explanation}</span>
      </td>
      <td>{row.firstResponseAt ? formatDateTime(row.firstResponseAt) : <span className="overdue">None</span>}</td>
      <td>{row.firstResponseAutomatic === null ? '—' : row.firstResponseAutomatic ? 'Yes' : 'No'}</td>
      <td className="num">{formatDuration(row.workingMsLate)}</td>
      <td>
        <UserInitials user={row.heldBy} compact />
      </td>
    </tr>
  );
}
