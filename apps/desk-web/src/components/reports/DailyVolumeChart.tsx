import { Bar, BarChart, CartesianGrid, Legend, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { VolumeReport } from '@desk/domain';
import { formatDay, formatDayShort } from '../../format.ts';
import { CHART, CHART_HEIGHT, INITIAL_SIZE } from './chart-style.ts';

/**
 * Items per day, split into in and out of opening hours. Bank holidays and closure days are marked
 * with a dashed "BH" line and named in the caption: on those days every item is out of hours.
 */
export function DailyVolumeChart({ days, title }: { days: VolumeReport['days']; title: string }) {
  const data = days.map((d) => ({ day: d.day, inHours: d.items - d.outOfHours, outOfHours: d.outOfHours }));
  const closed = days.filter((d) => d.closed !== null);
  return (
    <figure className="chart" data-testid="volume-chart">
      <ResponsiveContainer width="100%" height={CHART_HEIGHT} initialDimension={INITIAL_SIZE}>
        <BarChart data={data} title={title} margin={{ top: 20, right: 24, bottom: 8, left: 8 }}>
          <CartesianGrid stroke={CHART.grid} strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="day" tickFormatter={formatDayShort} stroke={CHART.axis} minTickGap={16} />
          <YAxis stroke={CHART.axis} width={48} allowDecimals={false} />
          <Tooltip labelFormatter={(value) => formatDay(String(value))} />
          <Legend />
          {closed.map((d) => (
            <ReferenceLine key={d.day} x={d.day} stroke={CHART.closed} strokeDasharray="4 3" label={{ value: 'BH', position: 'top', fill: CHART.closed, fontSize: 12 }} />
          ))}
          <Bar dataKey="inHours" name="In opening hours" stackId="items" fill={CHART.primary} isAnimationActive={false} />
          <Bar dataKey="outOfHours" name="Out of hours" stackId="items" fill={CHART.secondary} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
      <figcaption>
        {title}.{' '}
        <span data-testid="closed-legend">
          {closed.length > 0
            ? `Dashed “BH” lines mark bank holidays and closure days: ${closed.map((d) => `${d.closed} (${formatDayShort(d.day)})`).join(', ')}.`
            : 'No bank holidays or closure days in this range.'}
        </span>
      </figcaption>
    </figure>
  );
}
