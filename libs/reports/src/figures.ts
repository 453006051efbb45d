import type { ComplianceFigures, Counters } from '@desk/domain';
import { mergeInto, percentiles, type Histogram } from './buckets.js';

export interface LiveUnanswered {
  unanswered: number;
  overdue: number;
}

export interface ResponseHistograms {
  auto: Histogram;
  human: Histogram;
}

const ratio = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

/**
 * One group's compliance, from its summed counters, its live unanswered items and its response
 * histograms. Definitions in REPORT_DEFINITIONS; SLA.md's breach is late + overdue.
 */
export function complianceFigures(c: Counters, live: LiveUnanswered, hist: ResponseHistograms): ComplianceFigures {
  const late = c.answered - c.met;
  const overdue = live.overdue;
  const humanMet = c.met - c.auto_met;
  const humanLate = c.answered - c.auto_answered - humanMet;
  return {
    items: c.owed,
    met: c.met,
    late,
    overdue,
    pending: live.unanswered - live.overdue,
    compliance: ratio(c.met, c.met + late + overdue),
    automatic: { answered: c.auto_answered, met: c.auto_met, compliance: ratio(c.auto_met, c.auto_answered) },
    human: { met: humanMet, late: humanLate, overdue, compliance: ratio(humanMet, humanMet + humanLate + overdue) },
    response: percentiles(mergeInto(mergeInto(new Map(), hist.auto), hist.human)),
    automaticResponse: percentiles(hist.auto),
    humanResponse: percentiles(hist.human),
  };
}
