import type { ReportState } from '../../reports/useReport.ts';

/**
 * Loading and failure, said the same way on every report. While a new range loads the old figures
 * stay (marked busy), so the page doesn't jump; the words say they are being updated.
 */
export function ReportStatus({ state, what }: { state: ReportState<unknown>; what: string }) {
  return (
    <>
      <p className="report-status muted" role="status">
        {state.loading ? (state.data ? `Updating the ${what}…` : `Loading the ${what}…`) : ''}
      </p>
      {state.error && (
        <div className="error-summary" role="alert">
          The {what} could not be loaded: {state.error}{' '}
          <button type="button" className="button button-small" onClick={state.reload}>
            Try again
          </button>
        </div>
      )}
    </>
  );
}
