/**
 * A CSV twin of a table. A plain link, not a fetch: the server streams the file as a download, so
 * a large range never has to fit in the page's memory.
 */
export function CsvLink({ href, what, testId }: { href: string; what: string; testId?: string }) {
  return (
    <p className="csv">
      <a className="csv-link" href={href} download data-testid={testId}>
        Download {what} (CSV)
      </a>
    </p>
  );
}
