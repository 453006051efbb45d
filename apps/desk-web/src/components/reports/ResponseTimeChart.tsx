import { Bar, BarChart, CartesianGrid, Legend, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ClosedDay, Percentiles, ReportPeriod } from '@desk/domain';
import { formatDuration, formatPeriod } from '../../format.ts';
import { CHART, CHART_HEIGHT, INITIAL_SIZE } from './chart-style.ts';

const HOUR = 3_600_000;

interface ResponseTimeChartProps {
  period: ReportPeriod;
  points: ReadonlyArray<{ period: string; closedDays: ClosedDay[]; response: Percentiles }>;
  title: string;
}

/** Median and 90th percentile working time to first response per period, in working hours. */
export function ResponseTimeChart({ period, points, title }: ResponseTimeChartProps) {
  const data = points.map((p) => ({
    period: p.period,
    median: p.response.medianMs === null ? null : p.response.medianMs / HOUR,
    p90: p.response.p90Ms === null ? null : p.response.p90Ms / HOUR,
  }));
  const label = (value: string) => formatPeriod(value, period, true);
  return (
    <figure className="chart" data-testid="response-chart">
      <ResponsiveContainer width="100%" height={CHART_HEIGHT} initialDimension={INITIAL_SIZE}>
        <BarChart data={data} title={title} margin={{ top: 20, right: 24, bottom: 8, left: 8 }}>
          <CartesianGrid stroke={CHART.grid} strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="period" tickFormatter={label} stroke={CHART.axis} minTickGap={12} />
          <YAxis tickFormatter={(v: number) => `${v} h`} stroke={CHART.axis} width={48} allowDecimals={false} />
          <Tooltip labelFormatter={(value) => label(String(value))} formatter={(value) => (typeof value === 'number' ? formatDuration(value * HOUR) : '—')} />
          <Legend />
          {points
            .filter((p) => p.closedDays.length > 0)
            .map((p) => (
              <ReferenceLine key={p.period} x={p.period} stroke={CHART.closed} strokeDasharray="4 3" label={{ value: 'BH', position: 'top', fill: CHART.closed, fontSize: 12 }} />
            ))}
          <Bar dataKey="median" name="Median" fill={CHART.primary} isAnimationActive={false} />
          <Bar dataKey="p90" name="90th percentile" fill={CHART.secondary} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
      <figcaption>{title}, in working hours (opening hours only). Each figure is the end of the time step the items fall in.</figcaption>
    </figure>
  );
}
