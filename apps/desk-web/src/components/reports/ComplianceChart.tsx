import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ClosedDay, ReportPeriod } from '@desk/domain';
import { formatDayShort, formatPeriod } from '../../format.ts';
import { CHART, CHART_HEIGHT, closedWords, INITIAL_SIZE, SERIES_STYLES } from './chart-style.ts';

export interface ComplianceLine {
  key: string;
  label: string;
  /** Compliance 0–1 (or null) per period, in the order of `periods`. */
  values: Array<number | null>;
}

interface ComplianceChartProps {
  period: ReportPeriod;
  periods: ReadonlyArray<{ period: string; closedDays: ClosedDay[] }>;
  /** The whole team's line first; any more are drawn thinner and dashed. */
  lines: ComplianceLine[];
  title: string;
}

const percent = (share: number | null) => (share === null ? null : Math.round(share * 1000) / 10);

/**
 * Compliance per period as a line, 0–100%. Periods with a bank holiday or closure day carry a
 * dashed marker ("BH") and are named under the chart, since fewer working days move the figure.
 * The same numbers are in the table beside it.
 */
export function ComplianceChart({ period, periods, lines, title }: ComplianceChartProps) {
  const data = periods.map((p, i) => {
    const row: Record<string, string | number | null> = { period: p.period };
    lines.forEach((line, j) => (row[`l${j}`] = percent(line.values[i] ?? null)));
    return row;
  });
  const closed = periods.filter((p) => p.closedDays.length > 0);
  const label = (value: string) => formatPeriod(value, period, true);
  return (
    <figure className="chart" data-testid="compliance-chart">
      <ResponsiveContainer width="100%" height={CHART_HEIGHT} initialDimension={INITIAL_SIZE}>
        <LineChart data={data} title={title} margin={{ top: 20, right: 24, bottom: 8, left: 8 }}>
          <CartesianGrid stroke={CHART.grid} strokeDasharray="3 3" />
          <XAxis dataKey="period" tickFormatter={label} stroke={CHART.axis} minTickGap={12} />
          <YAxis domain={[0, 100]} tickFormatter={(v: number) => `${v}%`} stroke={CHART.axis} width={48} />
          <Tooltip labelFormatter={(value) => label(String(value))} formatter={(value) => (typeof value === 'number' ? `${value.toFixed(1)}%` : '—')} />
          {lines.length > 1 && <Legend />}
          {closed.map((p) => (
            <ReferenceLine
              key={p.period}
              x={p.period}
              stroke={CHART.closed}
              strokeDasharray="4 3"
              label={{ value: 'BH', position: 'top', fill: CHART.closed, fontSize: 12 }}
            />
          ))}
          {lines.map((line, j) => {
            const style = j === 0 ? { stroke: CHART.primary, dash: undefined } : SERIES_STYLES[(j - 1) % SERIES_STYLES.length]!;
            return (
              <Line
                key={line.key}
                type="linear"
                dataKey={`l${j}`}
                name={line.label}
                stroke={style.stroke}
                strokeDasharray={style.dash}
                strokeWidth={j === 0 ? 3 : 2}
                dot={{ r: j === 0 ? 3 : 2 }}
                connectNulls={false}
                isAnimationActive={false}
              />
            );
          })}
        </LineChart>
      </ResponsiveContainer>
      <figcaption>
        {title}.{' '}
        {closed.length > 0 ? (
          <span data-testid="closed-legend">
            Dashed “BH” lines mark {period === 'week' ? 'weeks' : 'months'} with a bank holiday or closure day, which have fewer working days:{' '}
            {closed.map((p) => `${formatPeriod(p.period, period)}: ${closedWords(p.closedDays, formatDayShort)}`).join('; ')}.
          </span>
        ) : (
          <span data-testid="closed-legend">No bank holidays or closure days in this range.</span>
        )}{' '}
        A gap means nothing had an outcome in that {period}.
      </figcaption>
    </figure>
  );
}
