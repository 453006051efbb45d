import type { DeflectionReport } from '@desk/domain';
import { api, type ReportRangeQuery } from '../../api/client.ts';
import { CsvLink } from '../../components/reports/CsvLink.tsx';
import { Definition } from '../../components/reports/Definition.tsx';
import { Figures } from '../../components/reports/Figures.tsx';
import { ReportStatus } from '../../components/reports/ReportStatus.tsx';
import { EmptyRow, Th } from '../../components/reports/ReportTable.tsx';
import { formatCount, formatDuration, formatShare, ROUTE_LABELS } from '../../format.ts';
import type { ReportPageProps } from '../../reports/range.ts';
import { useReport } from '../../reports/useReport.ts';

export function DeflectionsReportPage({ params }: ReportPageProps) {
  const query: ReportRangeQuery = { from: params.from, to: params.to };
  const state = useReport(() => api.reportDeflections(query), new URLSearchParams({ ...query }).toString());
  return (
    <>
      <ReportStatus state={state} what="deflections report" />
      {state.data && <DeflectionsBody report={state.data} busy={state.loading} query={query} />}
    </>
  );
}

function DeflectionsBody({ report, busy, query }: { report: DeflectionReport; busy: boolean; query: ReportRangeQuery }) {
  const { urgent } = report;
  return (
    <div aria-busy={busy} data-testid="deflections-report">
      <section aria-labelledby="deflections-heading" className="report-section">
        <h2 id="deflections-heading">
          Automatic deflections
          <Definition term="deflection" />
        </h2>
        <Figures
          testId="deflections-headline"
          figures={[
            { label: 'Deflected automatically', term: 'deflection', value: formatCount(report.total.autoAnswered) },
            { label: 'Re-routed by an officer', term: 'deflectionError', value: formatCount(report.total.rerouted) },
            { label: 'Error rate', term: 'deflectionError', value: formatShare(report.total.errorRate), testId: 'deflection-error-rate' },
          ]}
        />
        <div className="table-wrap">
          <table className="report-table" data-testid="deflections-table">
            <caption>Deflections by the route triage gave</caption>
            <thead>
              <tr>
                <Th>Route</Th>
                <Th numeric term="deflection" name="deflected automatically">
                  Deflected automatically
                </Th>
                <Th numeric term="deflectionError" name="re-routed">
                  Re-routed
                </Th>
                <Th numeric term="deflectionError">
                  Error rate
                </Th>
                <Th>Re-routed to</Th>
              </tr>
            </thead>
            <tbody>
              {report.deflections.length === 0 && <EmptyRow columns={5}>Nothing was deflected in this range.</EmptyRow>}
              {report.deflections.map((d) => (
                <tr key={d.route}>
                  <th scope="row">{ROUTE_LABELS[d.route]}</th>
                  <td className="num">{formatCount(d.autoAnswered)}</td>
                  <td className="num">{formatCount(d.rerouted)}</td>
                  <td className="num">{formatShare(d.errorRate)}</td>
                  <td>
                    {d.reroutedTo.length === 0 ? (
                      <span className="muted">None</span>
                    ) : (
                      <ul className="plain-list">
                        {d.reroutedTo.map((r) => (
                          <li key={r.route}>
                            {ROUTE_LABELS[r.route] ?? r.route}: {formatCount(r.items)}
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
            {report.deflections.length > 1 && (
              <tfoot>
                <tr>
                  <th scope="row">Both routes</th>
                  <td className="num">{formatCount(report.total.autoAnswered)}</td>
                  <td className="num">{formatCount(report.total.rerouted)}</td>
                  <td className="num">{formatShare(report.total.errorRate)}</td>
                  <td />
                </tr>
              </tfoot>
            )}
          </table>
        </div>
        <CsvLink href={api.reportCsvHref('deflections', query)} what="deflections and urgent items" testId="deflections-csv" />
      </section>

      <section aria-labelledby="urgent-heading" className="report-section">
        <h2 id="urgent-heading">
          Urgent safety items
          <Definition term="urgentTouch" />
        </h2>
        <p className="muted">Times here are clock time, not working time: urgent items are watched round the clock.</p>
        <Figures
          testId="urgent-figures"
          figures={[
            { label: 'Urgent items', value: formatCount(urgent.items) },
            { label: 'Touched by a person', term: 'urgentTouch', value: formatCount(urgent.touched) },
            { label: 'Not touched yet', term: 'urgentTouch', value: formatCount(urgent.untouched) },
            { label: 'Median time to first touch', term: 'urgentTouch', value: formatDuration(urgent.touchMedianMs), detail: 'clock time' },
            { label: '90th percentile time to first touch', term: 'urgentTouch', value: formatDuration(urgent.touchP90Ms), detail: 'clock time' },
            {
              label: 'Touched within an hour',
              term: 'urgentTouch',
              value: formatCount(urgent.touchedWithinHour),
              detail: `${formatShare(urgent.items === 0 ? null : urgent.touchedWithinHour / urgent.items)} of urgent items`,
            },
          ]}
        />
      </section>
    </div>
  );
}
