import type { ClosedDay } from '@desk/domain';

/*
 * Chart colours, as literal values: SVG presentation attributes don't read CSS variables. Each
 * meets 3:1 against white (WCAG 1.4.11), and lines differ by dash as well as colour.
 */
export const CHART = {
  primary: '#005eb8',
  secondary: '#a34a00',
  grid: '#c8d0d9',
  axis: '#4d5966',
  closed: '#6b3f00',
  closedFill: '#a34a00',
} as const;

/** Extra lines, one per group: colour and dash pattern both differ. */
export const SERIES_STYLES: ReadonlyArray<{ stroke: string; dash: string | undefined }> = [
  { stroke: '#7c2d8e', dash: '6 3' },
  { stroke: '#a34a00', dash: '2 3' },
  { stroke: '#17603a', dash: '10 4' },
  { stroke: '#9b1518', dash: '4 2 1 2' },
  { stroke: '#4d5966', dash: '1 3' },
  { stroke: '#00738a', dash: '8 2 2 2' },
];

/** The chart's height in pixels; the width follows the page. */
export const CHART_HEIGHT = 280;
/** Before the container has measured itself (and in a test's first frame), so nothing renders at 0 × 0. */
export const INITIAL_SIZE = { width: 720, height: CHART_HEIGHT };

/** "Summer bank holiday (25 Aug)" for the words under a chart. */
export function closedWords(days: readonly ClosedDay[], format: (day: string) => string): string {
  return days.map((d) => `${d.title} (${format(d.date)})`).join(', ');
}
