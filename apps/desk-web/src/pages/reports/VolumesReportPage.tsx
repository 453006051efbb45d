import type { VolumeReport } from '@desk/domain';
import { api, type ReportRangeQuery } from '../../api/client.ts';
import { CsvLink } from '../../components/reports/CsvLink.tsx';
import { DailyVolumeChart } from '../../components/reports/DailyVolumeChart.tsx';
import { Definition } from '../../components/reports/Definition.tsx';
import { Figures } from '../../components/reports/Figures.tsx';
import { Heatmap } from '../../components/reports/Heatmap.tsx';
import { ReportStatus } from '../../components/reports/ReportStatus.tsx';
import { EmptyRow, Th } from '../../components/reports/ReportTable.tsx';
import { CHANNEL_LABELS, formatCount, formatDay, formatShare } from '../../format.ts';
import type { ReportPageProps } from '../../reports/range.ts';
import { useReport } from '../../reports/useReport.ts';

export function VolumesReportPage({ params }: ReportPageProps) {
  const query: ReportRangeQuery = { from: params.from, to: params.to };
  const state = useReport(() => api.reportVolumes(query), new URLSearchParams({ ...query }).toString());
  return (
    <>
      <ReportStatus state={state} what="volumes report" />
      {state.data && <VolumesBody report={state.data} busy={state.loading} query={query} />}
    </>
  );
}

const share = (part: number, whole: number) => (whole === 0 ? null : part / whole);

function VolumesBody({ report, busy, query }: { report: VolumeReport; busy: boolean; query: ReportRangeQuery }) {
  return (
    <div aria-busy={busy} data-testid="volumes-report">
      <section aria-labelledby="volumes-headline-heading" className="report-section">
        <h2 id="volumes-headline-heading">Arrivals</h2>
        <Figures
          testId="volumes-headline"
          figures={[
            { label: 'Items', term: 'volume', value: formatCount(report.total), testId: 'volumes-total' },
            { label: 'Out of hours', term: 'outOfHours', value: formatCount(report.outOfHours) },
            { label: 'Out-of-hours share', term: 'outOfHours', value: formatShare(report.outOfHoursShare) },
          ]}
        />
      </section>

      <section aria-labelledby="volumes-days-heading" className="report-section">
        <h2 id="volumes-days-heading">By day</h2>
        <DailyVolumeChart days={report.days} title="Items per day, in and out of opening hours" />
        {/* A long range is a long table: it scrolls in place, and takes focus so keyboards can scroll it. */}
        <div className="table-wrap table-scroll" role="region" aria-labelledby="volumes-days-caption" tabIndex={0}>
          <table className="report-table" data-testid="volumes-days">
            <caption id="volumes-days-caption">Items per day</caption>
            <thead>
              <tr>
                <Th>Day</Th>
                <Th numeric term="volume" name="items">
                  Items
                </Th>
                <Th numeric term="outOfHours">
                  Out of hours
                </Th>
                <Th>Bank holiday or closure</Th>
              </tr>
            </thead>
            <tbody>
              {report.days.length === 0 && <EmptyRow columns={4}>No days in this range.</EmptyRow>}
              {report.days.map((d) => (
                <tr key={d.day} className={d.closed ? 'closed-day' : undefined}>
                  <th scope="row">{formatDay(d.day)}</th>
                  <td className="num">{formatCount(d.items)}</td>
                  <td className="num">{formatCount(d.outOfHours)}</td>
                  <td>{d.closed ?? <span className="muted">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <CsvLink href={api.reportCsvHref('volumes', query)} what="items per day" testId="volumes-csv" />
      </section>

      <section aria-labelledby="volumes-heatmap-heading" className="report-section">
        <h2 id="volumes-heatmap-heading">
          By hour of the week
          <Definition term="heatmap" />
        </h2>
        <Heatmap heatmap={report.heatmap} caption="Items by weekday (rows) and hour of arrival (columns), London time" />
        <CsvLink href={api.reportCsvHref('heatmap', query)} what="items by hour of the week" testId="heatmap-csv" />
      </section>

      <section aria-labelledby="volumes-channel-heading" className="report-section">
        <h2 id="volumes-channel-heading">By channel</h2>
        <div className="table-wrap">
          <table className="report-table" data-testid="volumes-channels">
            <caption className="visually-hidden">Items by channel</caption>
            <thead>
              <tr>
                <Th>Channel</Th>
                <Th numeric term="volume" name="items">
                  Items
                </Th>
                <Th numeric term="outOfHours">
                  Out of hours
                </Th>
                <Th numeric term="outOfHours" name="out-of-hours share">
                  Out-of-hours share
                </Th>
              </tr>
            </thead>
            <tbody>
              {report.byChannel.length === 0 && <EmptyRow columns={4}>Nothing arrived in this range.</EmptyRow>}
              {report.byChannel.map((c) => (
                <tr key={c.channel}>
                  <th scope="row">{CHANNEL_LABELS[c.channel] ?? c.channel}</th>
                  <td className="num">{formatCount(c.items)}</td>
                  <td className="num">{formatCount(c.outOfHours)}</td>
                  <td className="num">{formatShare(share(c.outOfHours, c.items))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <CsvLink href={api.reportCsvHref('volumes-by-channel', query)} what="items by channel" testId="volumes-by-channel-csv" />
      </section>
    </div>
  );
}
