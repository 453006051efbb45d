import { useCallback, useEffect } from 'react';
import { ReportRange } from '../components/reports/ReportRange.tsx';
import { useDocumentTitle } from '../hooks.ts';
import { readParams, withParams, type ReportPageProps, type SetParams } from '../reports/range.ts';
import { Link, navigate, REPORT_NAMES, reportPath, useLocation, type ReportName } from '../router.tsx';
import { SlaReportPage } from './reports/SlaReportPage.tsx';
import { VolumesReportPage } from './reports/VolumesReportPage.tsx';
import { BreachesReportPage } from './reports/BreachesReportPage.tsx';
import { DeflectionsReportPage } from './reports/DeflectionsReportPage.tsx';
import { PressReportPage } from './reports/PressReportPage.tsx';
import { ModerationReportPage } from './reports/ModerationReportPage.tsx';

const REPORTS: Record<ReportName, { nav: string; title: string }> = {
  sla: { nav: 'SLA', title: 'SLA compliance' },
  volumes: { nav: 'Volumes', title: 'Volumes' },
  breaches: { nav: 'Breaches', title: 'Breaches and items at risk' },
  deflections: { nav: 'Deflections', title: 'Deflections and urgent items' },
  press: { nav: 'Press', title: 'Press enquiries' },
  moderation: { nav: 'Moderation', title: 'Moderation' },
};

/**
 * The reports' frame: the list of reports, the shared date range, and the report itself. All the
 * settings live in the address (from, to, and on the SLA page period, by and automatic), so a link
 * reproduces the report; a bare /reports is filled in with the defaults straight away.
 */
export function ReportsPage({ report }: { report: ReportName }) {
  const { title } = REPORTS[report];
  useDocumentTitle(`${title} – Reports`);
  const { pathname, search } = useLocation();
  const needsCut = report === 'sla';
  const { params, complete, invalid } = readParams(search, { needsCut });

  // Keyed on the search string, not the object: useLocation makes a new URLSearchParams every render.
  const searchText = search.toString();
  const setParams = useCallback<SetParams>(
    (changes, options = {}) => navigate(pathname + withParams(new URLSearchParams(searchText), changes), { replace: options.replace ?? false }),
    [pathname, searchText],
  );

  const fill = complete ? null : withParams(search, needsCut ? params : { from: params.from, to: params.to });
  useEffect(() => {
    if (fill !== null) navigate(pathname + fill, { replace: true });
  }, [fill, pathname]);

  // Moving between reports keeps the range (and the SLA page's settings for the way back).
  const query = searchText ? `?${searchText}` : '';

  return (
    <div className="page page-reports">
      <nav aria-label="Reports" className="report-nav">
        <ul>
          {REPORT_NAMES.map((name) => (
            <li key={name}>
              <Link to={reportPath(name) + query} aria-current={name === report ? 'page' : undefined} data-testid={`report-nav-${name}`}>
                {REPORTS[name].nav}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <h1 tabIndex={-1}>{title}</h1>
      <ReportRange range={params} onChange={(range, options) => setParams(range, options)} />
      {/* Nothing is asked for until the address is whole and the range runs forwards. */}
      {complete && !invalid && <CurrentReport report={report} params={params} setParams={setParams} />}
    </div>
  );
}

function CurrentReport({ report, ...props }: ReportPageProps & { report: ReportName }) {
  switch (report) {
    case 'sla':
      return <SlaReportPage {...props} />;
    case 'volumes':
      return <VolumesReportPage {...props} />;
    case 'breaches':
      return <BreachesReportPage {...props} />;
    case 'deflections':
      return <DeflectionsReportPage {...props} />;
    case 'press':
      return <PressReportPage {...props} />;
    case 'moderation':
      return <ModerationReportPage {...props} />;
  }
}
