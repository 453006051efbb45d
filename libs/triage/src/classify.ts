// The classifier: signals from every rule set, scored per route, decided by TRIAGE.md precedence
// with the deflection guard (a template answers only when nothing suggests a person is needed).
import { ROUTES, type Flag, type Route } from '@desk/domain';
import { findFigures } from './figures.js';
import { guessLanguage } from './language.js';
import { lexiconHits } from './lexicon.js';
import { findPii } from './pii.js';
import { findSwearing } from './profanity.js';
import { candidateRules, lowerCase, runRule, type Hit, type Rule } from './rules.js';
import { senderSignals, signatureRole } from './sender.js';
import { ABUSE_RULES } from './signals/abuse.js';
import { COMPLAINT_RULES } from './signals/complaint.js';
import { APPOINTMENT_RULES, CLINICAL_ASK_RULES, CLINICAL_TOPIC_RULES } from './signals/deflect.js';
import { MEDIA_OTHER_LANGUAGES, MEDIA_RULES } from './signals/media.js';
import { GENERAL_RULES, PRAISE_RULES, SPAM_RULES, STORY_RULES } from './signals/other.js';
import { URGENT_ARABIC_SCRIPT, URGENT_OTHER_LANGUAGES, URGENT_RULES } from './signals/urgent.js';
import { prepare } from './text.js';
import type { TriageDecision, TriageInput, TriageReason } from './types.js';

export interface ClassifyOptions {
  /**
   * Messages not in English: `by-content` (default) routes them by what the signals understood but
   * only to routes a person works (never deflected, never hidden as spam); `general` sends them all
   * to the general queue. Either way an urgent signal wins.
   */
  readonly nonEnglish?: 'general' | 'by-content';
}

/** A route fires at this score; weaker evidence still counts for the deflection guard. */
export const THRESHOLD = 3;

const BODY_RULES: readonly Rule[] = [
  ...ABUSE_RULES,
  ...MEDIA_RULES,
  ...COMPLAINT_RULES,
  ...CLINICAL_TOPIC_RULES,
  ...APPOINTMENT_RULES,
  ...SPAM_RULES,
  ...STORY_RULES,
  ...PRAISE_RULES,
  ...GENERAL_RULES,
];
const SET_URGENT = 1;
const SET_URGENT_OTHER = 2;
const SET_URGENT_ARABIC = 3;
const SET_BODY = 4;
const SET_CLINICAL_ASK = 5;
const SET_MEDIA_OTHER = 6;
let SETS: Uint8Array | null = null;

/** Which set each rule belongs to, by rule index (built once). */
function ruleSets(): Uint8Array {
  if (SETS) return SETS;
  const all: [readonly Rule[], number][] = [
    [URGENT_RULES, SET_URGENT],
    [URGENT_OTHER_LANGUAGES, SET_URGENT_OTHER],
    [URGENT_ARABIC_SCRIPT, SET_URGENT_ARABIC],
    [BODY_RULES, SET_BODY],
    [CLINICAL_ASK_RULES, SET_CLINICAL_ASK],
    [MEDIA_OTHER_LANGUAGES, SET_MEDIA_OTHER],
  ];
  const size = Math.max(...all.flatMap(([rules]) => rules.map((r) => r.index))) + 1;
  SETS = new Uint8Array(size);
  for (const [rules, set] of all) for (const r of rules) SETS[r.index] = set;
  return SETS;
}
const ARABIC_SCRIPT_RE = /[\u0600-\u06FF]/;
const FOLLOW_UP_RE =
  /^\W*(?:hello|hi|hiya|helo)?\W*(?:any (?:update|news|reply|response|word)|still (?:waiting|no (?:reply|response|answer|word))|anyone\??|hello\?+|is anyone there|any joy|chasing (?:this|my)|bump|\?+|please reply|please respond|please answer)\b/i;

interface Signal {
  signal: string;
  route?: Route;
  flag?: Flag;
  weight: number;
  group: string;
  evidence: string;
  against?: Route;
  /** `route|group` (precomputed by rules and lexicon entries). */
  key?: string;
}

function fromHit(h: Hit): Signal {
  const r = h.rule;
  return r.route === 'negative'
    ? { signal: r.id, weight: r.weight, group: r.group, evidence: h.evidence, against: r.against }
    : { signal: r.id, route: r.route, weight: r.weight, group: r.group, evidence: h.evidence, key: r.groupKey };
}

type Scores = Record<Route, number>;

function emptyScores(): Scores {
  return { urgent_safety: 0, abuse: 0, media: 0, complaint: 0, clinical: 0, appointment: 0, spam: 0, story: 0, praise: 0, general: 0 };
}

/** Per group, the highest weight that fired (a group counts once). */
function groupWeights(signals: readonly Signal[]): Map<string, { route: Route; weight: number }> {
  const best = new Map<string, { route: Route; weight: number }>();
  for (const s of signals) {
    if (s.route === undefined) continue;
    const key = s.key ?? `${s.route}|${s.group}`;
    const seen = best.get(key);
    if (seen === undefined) best.set(key, { route: s.route, weight: s.weight });
    else if (s.weight > seen.weight) seen.weight = s.weight;
  }
  return best;
}

function sumGroups(groups: Map<string, { route: Route; weight: number }>, route: Route, prefix?: string): number {
  let total = 0;
  for (const [key, g] of groups) {
    if (g.route !== route) continue;
    if (prefix !== undefined && !key.startsWith(prefix, route.length + 1)) continue;
    total += g.weight;
  }
  return total;
}

const HIGH_ROUTES: ReadonlySet<Route> = new Set<Route>(['urgent_safety', 'abuse', 'media', 'complaint']);

/** Signals and route scores from the rule hits and the other signals. */
function scoreSignals(hits: readonly Hit[], fixed: readonly Signal[], text: string) {
  const notes: TriageReason[] = [];
  const signals: Signal[] = hits.map(fromHit);
  // a medical emergency told as past history ("when I collapsed last month") is not in progress
  for (let k = 0; k < hits.length; k++) {
    const h = hits[k]!;
    if (h.rule.route !== 'urgent_safety' || !h.rule.group.startsWith('urgent.emergency')) continue;
    const sentence = sentenceAt(text, h.index);
    if (PAST_RE.test(sentence) && !PRESENT_RE.test(sentence)) {
      signals[k]!.weight = Math.min(signals[k]!.weight, 1);
      notes.push({ signal: 'past_event', evidence: [h.evidence] });
    }
  }
  for (const f of fixed) signals.push({ ...f });
  const scores = emptyScores();
  const groups = groupWeights(signals);
  for (const g of groups.values()) scores[g.route] += g.weight;
  for (const sg of signals) if (sg.against) scores[sg.against] = Math.max(0, scores[sg.against] - sg.weight);
  return { signals, groups, scores, notes };
}

const PAST_RE = /\b(?:last (?:week|month|year|summer|winter|spring|autumn|christmas)|(?:\d+|a few|two|three|four|five|six|several|many) (?:days|weeks|months|years) ago|(?:a|one) (?:week|month|year) ago|in (?:19|20)\d\d|back in|years ago|as a (?:child|baby|kid)|when i was (?:little|younger|a child|\d+))\b/i;
const PRESENT_RE = /\b(?:now|right now|just|tonight|today|still|at the moment|currently|again)\b/i;

/** The sentence around a position (between . ! ? or line breaks). */
function sentenceAt(text: string, index: number): string {
  let start = index;
  while (start > 0 && !/[.!?\n]/.test(text[start - 1]!)) start--;
  let end = index;
  while (end < text.length && !/[.!?\n]/.test(text[end]!)) end++;
  return text.slice(start, end);
}

function confidenceFor(score: number, rival: number): number {
  const base = 0.35 + 0.11 * score - (rival >= 2 ? 0.08 : 0);
  return Math.round(Math.min(0.97, Math.max(0.4, base)) * 100) / 100;
}

/** Classifies one message. Pure: no I/O, no clock, no randomness. */
export function classify(input: TriageInput, options: ClassifyOptions = {}): TriageDecision {
  const decision = classifyOne(input, options);
  if (input.history && input.history.length > 0) return withHistory(input, decision, options);
  return decision;
}

function classifyOne(input: TriageInput, options: ClassifyOptions): TriageDecision {
  const prepared = prepare(input.subject, input.text ?? '');
  const language = guessLanguage(prepared.text, prepared.tokens);
  const lowerText = lowerCase(prepared.text);
  const { figures, masked } = findFigures(prepared.text, lowerText ?? undefined);
  const hits: Hit[] = [];
  const negated: Hit[] = [];
  const byContent = options.nonEnglish !== 'general';
  const arabic = ARABIC_SCRIPT_RE.test(prepared.text);
  const sets = ruleSets();
  const text = prepared.text;
  const lowerMasked = masked === text ? lowerText : lowerCase(masked);

  // signals that need no phrase rules: lexicon words, swearing, the email's sender, figures
  const lexicon = lexiconHits(prepared);
  const fixed: Signal[] = [];
  const praiseWords: string[] = [];
  for (const h of lexicon) {
    const e = h.entry;
    let group = e.group;
    let key: string | undefined = e.groupKey;
    // two different words of praise say more than one; more say no more
    if (e.route === 'praise') {
      const w = h.evidence.toLowerCase();
      if (!praiseWords.includes(w)) praiseWords.push(w);
      group = `${e.group}.${Math.min(praiseWords.indexOf(w), 1)}`;
      key = undefined;
    }
    fixed.push({ signal: e.signal, route: e.route, weight: e.weight, group, evidence: h.evidence, key });
  }
  let mild = 0;
  for (const sw of findSwearing(prepared.text, prepared.tokens)) {
    if (sw.strength === 'mild') {
      mild++;
      fixed.push({ signal: 'abuse.mild_swearing', route: 'abuse', weight: Math.min(mild, 2), group: 'abuse.mild', evidence: sw.text });
    } else {
      fixed.push({ signal: sw.strength === 'slur' ? 'abuse.slur' : 'abuse.swearing', route: 'abuse', weight: 3, group: 'abuse.swearing', evidence: sw.text });
    }
  }
  if (input.channel === 'email') {
    for (const sg of senderSignals(input.author ?? '')) fixed.push({ signal: sg.signal, route: 'media', weight: sg.weight, group: 'media.sender', evidence: sg.evidence });
    const role = signatureRole(input.text ?? '');
    if (role) fixed.push({ signal: role.signal, route: 'media', weight: role.weight, group: 'media.role', evidence: role.evidence });
  }
  // a grievance said in a figure of speech
  for (const f of figures) {
    if (f.grievance) fixed.push({ signal: 'complaint.figure_of_speech', route: 'complaint', weight: 2, group: 'complaint.figure', evidence: f.text });
  }

  const run = (r: Rule) => {
    const set = sets[r.index];
    if (set === SET_URGENT) runRule(r, prepared, masked, lowerMasked, hits, negated);
    else if (set === SET_BODY || set === SET_CLINICAL_ASK) runRule(r, prepared, text, lowerText, hits, negated);
    else if (set === SET_URGENT_OTHER) {
      // urgent words of other languages are looked for in every message (a language guess on a
      // short cry for help can be wrong); their own words gate them
      runRule(r, prepared, masked, lowerMasked, hits, negated);
    } else if (set === SET_URGENT_ARABIC) {
      if (arabic) runRule(r, prepared, masked, lowerMasked, hits, negated);
    } else if (set === SET_MEDIA_OTHER) {
      if (!language.english && byContent) runRule(r, prepared, text, lowerText, hits, negated);
    }
  };
  /**
   * Runs a tier of candidate rules: first the main ones, then context rules (only beside another
   * signal of their route, or when nothing has decided the message; urgent context always) and
   * clinical questions (only when the message has a clinical subject).
   */
  const runTier = (rules: readonly Rule[]) => {
    const deferred: Rule[] = [];
    for (const r of rules) {
      if (r.helper || sets[r.index] === SET_CLINICAL_ASK) deferred.push(r);
      else run(r);
    }
    if (deferred.length === 0) return;
    const seen = new Set<string>();
    for (const h of hits) seen.add(h.rule.route);
    for (const f of fixed) if (f.route) seen.add(f.route);
    const decided = hits.some((h) => h.rule.weight >= THRESHOLD);
    for (const r of deferred) {
      if (sets[r.index] === SET_CLINICAL_ASK) {
        if (seen.has('clinical')) run(r);
      } else if (r.route === 'urgent_safety' || seen.has(r.route) || !decided) run(r);
    }
  };

  // the routes that outrank every other when they fire are read first; when one fires, the rest
  // cannot change the route and are not read
  const high: Rule[] = [];
  const low: Rule[] = [];
  for (const r of candidateRules(prepared)) (HIGH_ROUTES.has(r.route === 'negative' ? r.against! : r.route) ? high : low).push(r);
  runTier(high);
  let { signals, groups, scores, notes } = scoreSignals(hits, fixed, text);
  const highFired = scores.urgent_safety >= THRESHOLD || scores.abuse >= THRESHOLD || scores.media >= THRESHOLD || scores.complaint >= THRESHOLD;
  const settledAsGeneral = !language.english && !byContent;
  if (!highFired && !settledAsGeneral) {
    runTier(low);
    ({ signals, groups, scores, notes } = scoreSignals(hits, fixed, text));
  }

  const clinicalAsk = sumGroups(groups, 'clinical', 'clinical.ask');
  const clinicalTopic = Math.min(2, sumGroups(groups, 'clinical', 'clinical.topic'));
  scores.clinical = clinicalAsk >= 2 ? clinicalAsk + clinicalTopic : clinicalAsk;
  const appointmentAsk = sumGroups(groups, 'appointment', 'appointment.ask');
  const appointmentTopic = Math.min(1, sumGroups(groups, 'appointment', 'appointment.topic'));
  scores.appointment = appointmentAsk >= 2 ? appointmentAsk + appointmentTopic : appointmentAsk;

  const clinicalFits = clinicalAsk >= 2 && clinicalTopic >= 1 && scores.clinical >= THRESHOLD;
  const appointmentFits = appointmentAsk >= THRESHOLD || (appointmentAsk >= 2 && appointmentTopic >= 1);
  const fires = (r: Route) => scores[r] >= THRESHOLD;

  if (figures.length > 0) notes.push({ signal: 'figure_of_speech', evidence: figures.map((f) => f.text.trim()) });
  for (const n of negated) notes.push({ signal: `negated:${n.rule.id}`, evidence: [n.evidence] });

  let route: Route;
  const english = language.english;
  if (fires('urgent_safety')) {
    route = 'urgent_safety';
  } else if (!english && !byContent) {
    route = 'general';
    notes.push({ signal: 'not_english', route: 'general', evidence: language.evidence });
  } else if (fires('abuse')) {
    route = 'abuse';
  } else if (fires('media')) {
    route = 'media';
  } else if (fires('complaint')) {
    route = 'complaint';
  } else if (clinicalFits || appointmentFits) {
    // both fit: the stronger request decides; on a tie, TRIAGE.md precedence (clinical)
    const deflectTo: Route = clinicalFits && (!appointmentFits || clinicalAsk >= appointmentAsk) ? 'clinical' : 'appointment';
    const why: string[] = [];
    if (!english) why.push('not in English');
    if (scores.complaint >= 2) why.push('signs of dissatisfaction');
    if (scores.urgent_safety >= 2) why.push('possible risk');
    if (fires('spam')) why.push('looks commercial');
    if (scores.abuse >= 2) why.push('hostile language');
    if (scores.media >= 2) why.push('possible press enquiry');
    if (fires('story')) why.push('offers a story or help');
    if (why.length === 0) {
      route = deflectTo;
    } else {
      route = scores.complaint >= 2 ? 'complaint' : fires('spam') ? 'spam' : fires('story') ? 'story' : 'general';
      notes.push({ signal: 'deflection_withheld', route, evidence: why });
    }
  } else if (fires('spam') && scores.complaint < 2) {
    route = 'spam';
  } else if (fires('spam')) {
    // a real complaint with a link is not hidden
    route = 'complaint';
    notes.push({ signal: 'complaint_not_spam', route, evidence: ['signs of dissatisfaction'] });
  } else if (fires('story')) {
    route = 'story';
  } else if (scores.complaint >= 2 && scores.complaint >= scores.praise) {
    // mixed feelings: the grievance needs a person first (complaint outranks praise)
    route = 'complaint';
  } else if (scores.praise >= 2) {
    route = 'praise';
  } else if (scores.complaint >= 2) {
    route = 'complaint';
  } else {
    route = 'general';
  }
  if (!english && route === 'spam') {
    // A template or a hide cannot be trusted on words we read poorly: a person decides.
    route = 'general';
    notes.push({ signal: 'not_english_not_hidden', route, evidence: language.evidence });
  } else if (!english && route !== 'urgent_safety' && byContent) notes.push({ signal: 'not_english', evidence: language.evidence });
  const score = scores[route];

  // flags
  const flags: Flag[] = [];
  const pii = findPii(prepared.text, {
    email: input.channel === 'email',
    authorName: input.channel === 'email' || (input.author && !input.author.startsWith('@')) ? input.author : undefined,
  });
  const reasons: TriageReason[] = [];
  if (pii.length > 0) flags.push('pii');

  // reasons: the winning route's signals first, then the others that fired, then notes
  const byId = new Map<string, TriageReason>();
  const ordered = [...signals].sort((a, b) => (a.route === route ? 0 : 1) - (b.route === route ? 0 : 1) || b.weight - a.weight);
  for (const s of ordered) {
    const key = s.signal;
    let reason = byId.get(key);
    if (!reason) {
      reason = s.route ? { signal: s.signal, route: s.route, evidence: [] } : { signal: s.signal, evidence: [] };
      if (s.against) reason.signal = `${s.signal} (lowers ${s.against})`;
      byId.set(key, reason);
      reasons.push(reason);
    }
    if (!reason.evidence.includes(s.evidence)) reason.evidence.push(s.evidence);
  }
  for (const p of pii) {
    const key = `pii.${p.kind}`;
    let reason = byId.get(key);
    if (!reason) {
      reason = { signal: key, flag: 'pii', evidence: [] };
      byId.set(key, reason);
      reasons.push(reason);
    }
    if (!reason.evidence.includes(p.text)) reason.evidence.push(p.text);
  }
  reasons.push(...notes);

  let rival = 0;
  for (const r of ROUTES) if (r !== route && r !== 'general') rival = Math.max(rival, scores[r]);
  let confidence: number;
  if (route === 'general') {
    confidence = !english ? 0.6 : notes.some((n) => n.signal === 'deflection_withheld') ? 0.45 : rival >= 2 ? 0.45 : 0.55;
  } else {
    confidence = confidenceFor(score, rival);
  }
  return { route, flags, confidence, reasons, scores };
}

/**
 * History is weak context: a bare follow-up ("any update?") to an earlier complaint, press enquiry,
 * story or urgent message keeps that route. It never overrides what the message itself says.
 */
function withHistory(input: TriageInput, decision: TriageDecision, options: ClassifyOptions): TriageDecision {
  if (decision.route !== 'general') return decision;
  const scores = decision.scores;
  if (scores && ROUTES.some((r) => r !== 'general' && scores[r] >= 2)) return decision;
  const text = (input.text ?? '').trim();
  const short = text.split(/\s+/).length <= 12;
  const follow = FOLLOW_UP_RE.exec(text);
  if (!follow && !(short && /\?\s*$/.test(text) && /\b(?:update|news|reply|response|heard|anyone|yet)\b/i.test(text))) return decision;
  const history = input.history ?? [];
  for (let i = history.length - 1; i >= 0; i--) {
    const earlier = classifyOne({ channel: input.channel, author: input.author, text: history[i]! }, options);
    if (earlier.route === 'urgent_safety' || earlier.route === 'complaint' || earlier.route === 'media' || earlier.route === 'story') {
      return {
        ...decision,
        route: earlier.route,
        confidence: Math.min(0.6, earlier.confidence),
        reasons: [
          { signal: 'history.follow_up', route: earlier.route, evidence: [follow ? follow[0].trim() : text.slice(0, 60), `earlier: ${history[i]!.slice(0, 80)}`] },
          ...decision.reasons,
        ],
      };
    }
  }
  return decision;
}

/** Every phrase rule, for checks over the example sets. */
export const ALL_RULES: readonly Rule[] = [...URGENT_RULES, ...URGENT_OTHER_LANGUAGES, ...URGENT_ARABIC_SCRIPT, ...BODY_RULES, ...CLINICAL_ASK_RULES, ...MEDIA_OTHER_LANGUAGES];
