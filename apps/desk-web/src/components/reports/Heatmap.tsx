import { formatCount } from '../../format.ts';

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const HOURS = Array.from({ length: 24 }, (_, h) => h);
const pad = (n: number) => String(n).padStart(2, '0');
/** Shades from none to most; the class names are in styles.css, each with a text colour that meets AA on it. */
const LEVELS = 5;

function level(value: number, max: number): number {
  if (value <= 0 || max <= 0) return 0;
  return Math.max(1, Math.ceil((value / max) * LEVELS));
}

/**
 * Arrivals by weekday and hour (London time) as a real table: every number is there to read, and
 * the shading only helps the eye find the busy hours.
 */
export function Heatmap({ heatmap, caption }: { heatmap: number[][]; caption: string }) {
  const max = Math.max(0, ...heatmap.flat());
  return (
    <>
      <div className="table-wrap">
        <table className="heatmap" data-testid="heatmap">
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              <th scope="col">
                <span className="visually-hidden">Weekday</span>
              </th>
              {HOURS.map((h) => (
                <th key={h} scope="col">
                  <span aria-hidden="true">{pad(h)}</span>
                  <span className="visually-hidden">
                    {pad(h)}:00 to {pad((h + 1) % 24)}:00
                  </span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {WEEKDAYS.map((day, d) => (
              <tr key={day}>
                <th scope="row">
                  <span aria-hidden="true">{day.slice(0, 3)}</span>
                  <span className="visually-hidden">{day}</span>
                </th>
                {HOURS.map((h) => {
                  const value = heatmap[d]?.[h] ?? 0;
                  return (
                    <td key={h} className={`heat heat-${level(value, max)}`}>
                      {formatCount(value)}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="heat-legend muted">
        Darker cells had more arrivals; the darkest shade is the busiest hours, up to {formatCount(max)} {max === 1 ? 'item' : 'items'} in one hour of the week over the range.
      </p>
    </>
  );
}
