import { useId, useState } from 'react';
import type { ComplianceFigures, ComplianceGroup, Percentiles, ReportCut, ReportPeriod, SlaReport } from '@desk/domain';
import { api, type SlaQuery } from '../../api/client.ts';
import { ComplianceChart, type ComplianceLine } from '../../components/reports/ComplianceChart.tsx';
import { CsvLink } from '../../components/reports/CsvLink.tsx';
import { Figures } from '../../components/reports/Figures.tsx';
import { ReportStatus } from '../../components/reports/ReportStatus.tsx';
import { EmptyRow, Th } from '../../components/reports/ReportTable.tsx';
import { ResponseTimeChart } from '../../components/reports/ResponseTimeChart.tsx';
import { formatCount, formatDayShort, formatDuration, formatPeriod, formatShare } from '../../format.ts';
import { CUTS, PERIODS, type ReportPageProps } from '../../reports/range.ts';
import { useReport } from '../../reports/useReport.ts';

const CUT_LABELS: Record<ReportCut, string> = { channel: 'Channel', route: 'Route', officer: 'Officer', team: 'Team' };
const PERIOD_LABELS: Record<ReportPeriod, string> = { week: 'Week', month: 'Month' };
/** More group lines than this would be a tangle; the table has them all. */
const MAX_GROUP_LINES = 6;

/** The figures the page shows: everything, or with the items answered automatically left out. */
interface Shown {
  items: number;
  met: number;
  late: number;
  overdue: number;
  pending: number;
  compliance: number | null;
  response: Percentiles;
}

function shown(f: ComplianceFigures, automatic: boolean): Shown {
  if (automatic) return { items: f.items, met: f.met, late: f.late, overdue: f.overdue, pending: f.pending, compliance: f.compliance, response: f.response };
  // Pending items are unanswered, so none of them was answered automatically.
  return {
    items: f.items - f.automatic.answered,
    met: f.human.met,
    late: f.human.late,
    overdue: f.human.overdue,
    pending: f.pending,
    compliance: f.human.compliance,
    response: f.humanResponse,
  };
}

/** A group's name; the server labels each, but an empty key with no label still needs words. */
function groupName(group: { key: string; label: string }, by: ReportCut): string {
  if (group.label) return group.label;
  if (group.key) return group.key;
  return by === 'officer' ? 'Nobody' : by === 'team' ? 'No team' : 'None';
}

export function SlaReportPage({ params, setParams }: ReportPageProps) {
  const query: SlaQuery = { from: params.from, to: params.to, period: params.period, by: params.by };
  const state = useReport(() => api.reportSla(query), new URLSearchParams({ ...query }).toString());
  const report = state.data;
  const ids = { by: useId(), period: useId(), automatic: useId() };

  return (
    <>
      <section className="report-controls panel" aria-labelledby="sla-settings-heading">
        <h2 id="sla-settings-heading" className="visually-hidden">
          Report settings
        </h2>
        <div className="field field-inline">
          <label htmlFor={ids.by}>Cut by</label>
          <select id={ids.by} value={params.by} onChange={(e) => setParams({ by: e.target.value as ReportCut })} data-testid="sla-by">
            {CUTS.map((cut) => (
              <option key={cut} value={cut}>
                {CUT_LABELS[cut]}
              </option>
            ))}
          </select>
        </div>
        <div className="field field-inline">
          <label htmlFor={ids.period}>Period</label>
          <select id={ids.period} value={params.period} onChange={(e) => setParams({ period: e.target.value as ReportPeriod })} data-testid="sla-period">
            {PERIODS.map((p) => (
              <option key={p} value={p}>
                {PERIOD_LABELS[p]}
              </option>
            ))}
          </select>
        </div>
        <div className="checkbox-field">
          <input
            id={ids.automatic}
            type="checkbox"
            checked={params.automatic}
            onChange={(e) => setParams({ automatic: e.target.checked })}
            aria-describedby={`${ids.automatic}-hint`}
            data-testid="sla-automatic"
          />
          <label htmlFor={ids.automatic}>Include automatic replies</label>
          <span id={`${ids.automatic}-hint`} className="muted block">
            Untick to see the team’s own compliance, with items answered automatically left out.
          </span>
        </div>
      </section>
      <ReportStatus state={state} what="SLA report" />
      {report && <SlaReportBody report={report} automatic={params.automatic} busy={state.loading} csvQuery={query} />}
    </>
  );
}

function SlaReportBody({ report, automatic, busy, csvQuery }: { report: SlaReport; automatic: boolean; busy: boolean; csvQuery: SlaQuery }) {
  const total = shown(report.total, automatic);
  const decided = total.met + total.late + total.overdue;
  const excluded = automatic ? '' : ' (automatic replies excluded)';
  const periodWord = report.period === 'week' ? 'week' : 'month';
  const csv = api.reportCsvHref('sla', csvQuery);

  return (
    <div aria-busy={busy} data-testid="sla-report" data-by={report.by} data-period={report.period} data-automatic={String(automatic)}>
      <section aria-labelledby="sla-headline-heading" className="report-section">
        <h2 id="sla-headline-heading">Whole team{excluded}</h2>
        <Figures
          testId="sla-headline"
          figures={[
            {
              label: 'Compliance',
              term: automatic ? 'compliance' : 'human',
              value: formatShare(total.compliance),
              detail: `${formatCount(total.met)} of ${formatCount(decided)} with an outcome were on time`,
              testId: 'sla-compliance',
            },
            { label: 'Met', term: 'met', value: formatCount(total.met) },
            { label: 'Late', term: 'late', value: formatCount(total.late) },
            { label: 'Overdue', term: 'overdue', value: formatCount(total.overdue) },
            { label: 'Pending', term: 'pending', value: formatCount(total.pending) },
            {
              label: 'Median response time',
              term: 'responseTime',
              value: formatDuration(total.response.medianMs),
              detail: `working time, ${formatCount(total.response.count)} answered`,
            },
            {
              label: '90th percentile response time',
              term: 'responseTime',
              value: formatDuration(total.response.p90Ms),
              detail: 'working time',
            },
            {
              label: 'Answered automatically',
              term: 'automatic',
              value: formatCount(report.total.automatic.answered),
              detail: `${formatShare(report.total.automatic.compliance)} on time`,
            },
          ]}
        />
      </section>
      <PeriodSection report={report} automatic={automatic} periodWord={periodWord} excluded={excluded} csv={csv} />
      <GroupSection report={report} automatic={automatic} excluded={excluded} csv={csv} />
    </div>
  );
}

function PeriodSection({ report, automatic, periodWord, excluded, csv }: { report: SlaReport; automatic: boolean; periodWord: string; excluded: string; csv: string }) {
  const [byGroup, setByGroup] = useState(false);
  const groupToggle = useId();
  const cut = CUT_LABELS[report.by].toLowerCase();
  const teamLine: ComplianceLine = { key: '*', label: 'Whole team', values: report.series.map((p) => shown(p, automatic).compliance) };
  const groupLines: ComplianceLine[] = report.groupSeries.slice(0, MAX_GROUP_LINES).map((g) => {
    const byPeriod = new Map(g.points.map((p) => [p.period, p]));
    return {
      key: g.key,
      label: groupName(g, report.by),
      values: report.series.map((p) => {
        const point = byPeriod.get(p.period);
        return point ? shown(point, automatic).compliance : null;
      }),
    };
  });
  const lines = byGroup ? [teamLine, ...groupLines] : [teamLine];
  const caption = `Compliance and response times by ${periodWord}${excluded}`;

  return (
    <section aria-labelledby="sla-period-heading" className="report-section">
      <h2 id="sla-period-heading">By {periodWord}</h2>
      {report.groupSeries.length > 1 && (
        <div className="checkbox-field">
          <input id={groupToggle} type="checkbox" checked={byGroup} onChange={(e) => setByGroup(e.target.checked)} data-testid="sla-group-lines" />
          <label htmlFor={groupToggle}>
            Add a line for each {cut}
            {report.groupSeries.length > MAX_GROUP_LINES ? ` (the first ${MAX_GROUP_LINES})` : ''}
          </label>
        </div>
      )}
      <div className="chart-pair">
        <ComplianceChart period={report.period} periods={report.series} lines={lines} title={`Compliance by ${periodWord}${excluded}`} />
        <ResponseTimeChart
          period={report.period}
          points={report.series.map((p) => ({ period: p.period, closedDays: p.closedDays, response: shown(p, automatic).response }))}
          title={`Median and 90th percentile response time by ${periodWord}${excluded}`}
        />
      </div>
      <div className="table-wrap">
        <table className="report-table" data-testid="sla-periods">
          <caption>{caption}</caption>
          <thead>
            <tr>
              <Th>{periodWord === 'week' ? 'Week' : 'Month'}</Th>
              <Th numeric term="volume" name="items">
                Items
              </Th>
              <Th numeric term="met">
                Met
              </Th>
              <Th numeric term="late">
                Late
              </Th>
              <Th numeric term="overdue">
                Overdue
              </Th>
              <Th numeric term="pending">
                Pending
              </Th>
              <Th numeric term={automatic ? 'compliance' : 'human'} name="compliance">
                Compliance
              </Th>
              <Th numeric term="responseTime" name="median response time">
                Median
              </Th>
              <Th numeric term="responseTime" name="90th percentile response time">
                90th pct
              </Th>
              <Th>Bank holidays and closures</Th>
            </tr>
          </thead>
          <tbody>
            {report.series.length === 0 && <EmptyRow columns={10}>Nothing arrived in this range.</EmptyRow>}
            {report.series.map((p) => {
              const f = shown(p, automatic);
              return (
                <tr key={p.period}>
                  <th scope="row">{formatPeriod(p.period, report.period)}</th>
                  <td className="num">{formatCount(f.items)}</td>
                  <td className="num">{formatCount(f.met)}</td>
                  <td className="num">{formatCount(f.late)}</td>
                  <td className="num">{formatCount(f.overdue)}</td>
                  <td className="num">{formatCount(f.pending)}</td>
                  <td className="num">{formatShare(f.compliance)}</td>
                  <td className="num">{formatDuration(f.response.medianMs)}</td>
                  <td className="num">{formatDuration(f.response.p90Ms)}</td>
                  <td>{p.closedDays.length === 0 ? <span className="muted">None</span> : p.closedDays.map((d) => `${d.title} (${formatDayShort(d.date)})`).join(', ')}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <CsvLink href={csv} what={`SLA figures by ${periodWord} and ${cut}`} testId="sla-csv-periods" />
    </section>
  );
}

function GroupSection({ report, automatic, excluded, csv }: { report: SlaReport; automatic: boolean; excluded: string; csv: string }) {
  const cut = CUT_LABELS[report.by];
  const cutTerm = report.by === 'officer' ? 'officer' : report.by === 'team' ? 'team' : undefined;
  return (
    <section aria-labelledby="sla-groups-heading" className="report-section">
      <h2 id="sla-groups-heading">By {cut.toLowerCase()}</h2>
      <div className="table-wrap">
        <table className="report-table" data-testid="sla-groups" data-by={report.by} data-automatic={String(automatic)}>
          <caption>
            Compliance by {cut.toLowerCase()}
            {excluded}
          </caption>
          <thead>
            <tr>
              <Th term={cutTerm}>{cut}</Th>
              <Th numeric term="volume" name="items">
                Items
              </Th>
              <Th numeric term="met">
                Met
              </Th>
              <Th numeric term="late">
                Late
              </Th>
              <Th numeric term="overdue">
                Overdue
              </Th>
              <Th numeric term="pending">
                Pending
              </Th>
              <Th numeric term={automatic ? 'compliance' : 'human'} name="compliance">
                Compliance
              </Th>
              <Th numeric term="automatic" name="answered automatically">
                Automatic answered
              </Th>
              <Th numeric term="automatic" name="automatic compliance">
                Automatic compliance
              </Th>
              <Th numeric term="human" name="the team’s own compliance">
                Team’s own compliance
              </Th>
              <Th numeric term="responseTime" name="median response time">
                Median
              </Th>
              <Th numeric term="responseTime" name="90th percentile response time">
                90th pct
              </Th>
            </tr>
          </thead>
          <tbody>
            {report.groups.length === 0 && <EmptyRow columns={12}>Nothing arrived in this range.</EmptyRow>}
            {report.groups.map((g) => (
              <GroupRow key={g.key} group={g} name={groupName(g, report.by)} automatic={automatic} />
            ))}
          </tbody>
          {report.groups.length > 1 && (
            <tfoot>
              <GroupRow group={{ ...report.total, key: '*', label: 'Whole team' }} name="Whole team" automatic={automatic} total />
            </tfoot>
          )}
        </table>
      </div>
      <CsvLink href={csv} what={`SLA figures by ${report.period} and ${cut.toLowerCase()}`} testId="sla-csv" />
    </section>
  );
}

function GroupRow({ group, name, automatic, total = false }: { group: ComplianceGroup; name: string; automatic: boolean; total?: boolean }) {
  const f = shown(group, automatic);
  return (
    <tr data-testid={total ? 'sla-total-row' : 'sla-group-row'} data-key={group.key}>
      <th scope="row">{name}</th>
      <td className="num">{formatCount(f.items)}</td>
      <td className="num">{formatCount(f.met)}</td>
      <td className="num">{formatCount(f.late)}</td>
      <td className="num">{formatCount(f.overdue)}</td>
      <td className="num">{formatCount(f.pending)}</td>
      <td className="num">{formatShare(f.compliance)}</td>
      <td className="num">{formatCount(group.automatic.answered)}</td>
      <td className="num">{formatShare(group.automatic.compliance)}</td>
      <td className="num">{formatShare(group.human.compliance)}</td>
      <td className="num">{formatDuration(f.response.medianMs)}</td>
      <td className="num">{formatDuration(f.response.p90Ms)}</td>
    </tr>
  );
}
