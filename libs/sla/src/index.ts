// The working-hours clock (SLA.md). Built in full by the SLA engine issue; for now, its vocabulary.
export const DIVISIONS = ['england-and-wales', 'scotland', 'northern-ireland'] as const;
export type Division = (typeof DIVISIONS)[number];

/** Opening spans of one weekday, in wall-clock minutes from midnight: [[540, 1020]] is 09:00–17:00. */
export type DaySpans = ReadonlyArray<readonly [startMinute: number, endMinute: number]>;

export interface CalendarSettings {
  timeZone: string;
  /** Index 1 = Monday ... 7 = Sunday (ISO weekday), as luxon numbers them. */
  openingHours: Readonly<Record<1 | 2 | 3 | 4 | 5 | 6 | 7, DaySpans>>;
  division: Division;
  /** Extra closure dates the trust adds, as ISO dates (YYYY-MM-DD). */
  closures: readonly string[];
}
