import type { PressReport } from '@desk/domain';
import { api, type ReportRangeQuery } from '../../api/client.ts';
import { CsvLink } from '../../components/reports/CsvLink.tsx';
import { Figures } from '../../components/reports/Figures.tsx';
import { ReportStatus } from '../../components/reports/ReportStatus.tsx';
import { EmptyRow, Th } from '../../components/reports/ReportTable.tsx';
import { CHANNEL_LABELS, formatCount, formatDuration, formatShare } from '../../format.ts';
import type { ReportPageProps } from '../../reports/range.ts';
import { useReport } from '../../reports/useReport.ts';

export function PressReportPage({ params }: ReportPageProps) {
  const query: ReportRangeQuery = { from: params.from, to: params.to };
  const state = useReport(() => api.reportPress(query), new URLSearchParams({ ...query }).toString());
  return (
    <>
      <ReportStatus state={state} what="press report" />
      {state.data && <PressBody report={state.data} busy={state.loading} query={query} />}
    </>
  );
}

function PressBody({ report, busy, query }: { report: PressReport; busy: boolean; query: ReportRangeQuery }) {
  const { acknowledgement: ack, pressResponse: response } = report;
  return (
    <div aria-busy={busy} data-testid="press-report">
      <section aria-labelledby="press-forwarded-heading" className="report-section">
        <h2 id="press-forwarded-heading">Media enquiries</h2>
        <Figures
          testId="press-figures"
          figures={[
            { label: 'Forwarded to the press office', term: 'pressForwarded', value: formatCount(report.forwarded), testId: 'press-forwarded' },
            { label: 'Acknowledged', term: 'pressAcknowledgement', value: formatCount(report.acknowledged) },
            {
              label: 'Median acknowledgement time',
              term: 'pressAcknowledgement',
              value: formatDuration(ack.medianMs),
              detail: `working time, ${formatCount(ack.count)} acknowledged`,
            },
            { label: '90th percentile acknowledgement time', term: 'pressAcknowledgement', value: formatDuration(ack.p90Ms), detail: 'working time' },
            {
              label: 'Answered by the press office',
              term: 'pressResponse',
              value: formatCount(report.answered),
              detail: `${formatShare(report.forwarded === 0 ? null : report.answered / report.forwarded)} of those forwarded`,
            },
            { label: 'Still open', term: 'pressResponse', value: formatCount(report.open) },
            {
              label: 'Median press response time',
              term: 'pressResponse',
              value: formatDuration(response.medianMs),
              detail: `working time, ${formatCount(response.count)} answered`,
            },
            { label: '90th percentile press response time', term: 'pressResponse', value: formatDuration(response.p90Ms), detail: 'working time' },
          ]}
        />
      </section>
      <section aria-labelledby="press-channel-heading" className="report-section">
        <h2 id="press-channel-heading">By channel</h2>
        <div className="table-wrap">
          <table className="report-table" data-testid="press-channels">
            <caption className="visually-hidden">Media enquiries by channel</caption>
            <thead>
              <tr>
                <Th>Channel</Th>
                <Th numeric term="pressForwarded" name="forwarded">
                  Forwarded
                </Th>
                <Th numeric term="pressResponse" name="answered">
                  Answered
                </Th>
              </tr>
            </thead>
            <tbody>
              {report.byChannel.length === 0 && <EmptyRow columns={3}>No media enquiries in this range.</EmptyRow>}
              {report.byChannel.map((c) => (
                <tr key={c.channel}>
                  <th scope="row">{CHANNEL_LABELS[c.channel] ?? c.channel}</th>
                  <td className="num">{formatCount(c.forwarded)}</td>
                  <td className="num">{formatCount(c.answered)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <CsvLink href={api.reportCsvHref('press', query)} what="press figures" testId="press-csv" />
      </section>
    </div>
  );
}
