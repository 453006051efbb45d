/** One bank holiday on one date (YYYY-MM-DD, the division's local date). */
export interface Holiday {
  date: string;
  title: string;
  /** gov.uk's notes: '' or e.g. 'Substitute day', 'Extra bank holiday'. */
  notes: string;
  /** Where it came from: the official list, or the rules for a year past it. */
  source: 'official' | 'rule';
}
