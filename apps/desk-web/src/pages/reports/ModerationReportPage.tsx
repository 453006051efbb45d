import type { ModerationReport } from '@desk/domain';
import { api, type ReportRangeQuery } from '../../api/client.ts';
import { CsvLink } from '../../components/reports/CsvLink.tsx';
import { Definition } from '../../components/reports/Definition.tsx';
import { Figures } from '../../components/reports/Figures.tsx';
import { ReportStatus } from '../../components/reports/ReportStatus.tsx';
import { EmptyRow, Th } from '../../components/reports/ReportTable.tsx';
import { SafeText, safeString } from '../../components/SafeText.tsx';
import { CHANNEL_LABELS, formatCount, formatDateTime, ROUTE_LABELS } from '../../format.ts';
import type { ReportPageProps } from '../../reports/range.ts';
import { useReport } from '../../reports/useReport.ts';

export function ModerationReportPage({ params }: ReportPageProps) {
  const query: ReportRangeQuery = { from: params.from, to: params.to };
  const state = useReport(() => api.reportModeration(query), new URLSearchParams({ ...query }).toString());
  return (
    <>
      <ReportStatus state={state} what="moderation report" />
      {state.data && <ModerationBody report={state.data} busy={state.loading} query={query} />}
    </>
  );
}

function ModerationBody({ report, busy, query }: { report: ModerationReport; busy: boolean; query: ReportRangeQuery }) {
  return (
    <div aria-busy={busy} data-testid="moderation-report">
      <section aria-labelledby="moderation-headline-heading" className="report-section">
        <h2 id="moderation-headline-heading">Hidden items and strikes</h2>
        <Figures
          testId="moderation-figures"
          figures={[
            { label: 'Hidden', term: 'hidden', value: formatCount(report.hidden), testId: 'moderation-hidden' },
            { label: 'Strikes', term: 'strikes', value: formatCount(report.strikes) },
            { label: 'Authors struck', term: 'strikes', value: formatCount(report.authorsStruck) },
            { label: 'Flagged for blocking', term: 'flagged', value: formatCount(report.flaggedForBlocking) },
          ]}
        />
      </section>
      <section aria-labelledby="moderation-route-heading" className="report-section">
        <h2 id="moderation-route-heading">
          Hidden, by route
          <Definition term="hidden" />
        </h2>
        <div className="table-wrap narrow">
          <table className="report-table" data-testid="moderation-routes">
            <caption className="visually-hidden">Hidden items by route</caption>
            <thead>
              <tr>
                <Th>Route</Th>
                <Th numeric term="hidden" name="hidden items">
                  Hidden
                </Th>
              </tr>
            </thead>
            <tbody>
              {report.hiddenByRoute.length === 0 && <EmptyRow columns={2}>Nothing was hidden in this range.</EmptyRow>}
              {report.hiddenByRoute.map((r) => (
                <tr key={r.route ?? 'none'}>
                  <th scope="row">{r.route ? ROUTE_LABELS[r.route] : 'No route'}</th>
                  <td className="num">{formatCount(r.items)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section aria-labelledby="moderation-flagged-heading" className="report-section">
        <h2 id="moderation-flagged-heading">
          Flagged for blocking
          <Definition term="flagged" />
        </h2>
        <div className="table-wrap">
          <table className="report-table" data-testid="moderation-flagged">
            <caption className="visually-hidden">Authors flagged for blocking in the range</caption>
            <thead>
              <tr>
                <Th>Author</Th>
                <Th>Channel</Th>
                <Th numeric term="strikes">
                  Strikes
                </Th>
                <Th term="flagged" name="flagged">
                  Flagged
                </Th>
                <Th>Record</Th>
              </tr>
            </thead>
            <tbody>
              {report.flagged.length === 0 && <EmptyRow columns={5}>Nobody was flagged in this range.</EmptyRow>}
              {report.flagged.map((f) => (
                <tr key={f.contactId} data-testid="flagged-row">
                  <th scope="row">
                    {f.handle || f.displayName ? (
                      <span className="author-name">
                        {f.handle && (
                          <span className="handle">
                            <SafeText text={f.handle} max={80} />
                          </span>
                        )}
                        {f.handle && f.displayName && ' '}
                        {f.displayName && (
                          <span className="display-name">
                            <SafeText text={f.displayName} max={60} />
                          </span>
                        )}
                      </span>
                    ) : (
                      <span className="muted">Unknown sender</span>
                    )}
                  </th>
                  <td>{f.channel ? (CHANNEL_LABELS[f.channel] ?? f.channel) : '—'}</td>
                  <td className="num">{formatCount(f.strikes)}</td>
                  <td className="nowrap">{formatDateTime(f.flaggedAt)}</td>
                  <td>
                    <a className="csv-link" href={api.offencesCsvHref(f.contactId)} download>
                      Offences (CSV)<span className="visually-hidden"> for {safeString(f.handle ?? f.displayName, 80) || 'this author'}</span>
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <CsvLink href={api.reportCsvHref('moderation', query)} what="moderation figures and flagged authors" testId="moderation-csv" />
      </section>
    </div>
  );
}
