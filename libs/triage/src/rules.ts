// Phrase rules: a readable regular expression, the route it speaks for and a weight.
// Weights: 3 = enough on its own, 2 = strong, 1 = supporting.
//
// Speed: a message meets only the rules that could match it. Each rule's literal words are read
// from its expression (plus any hint words given), and an index from word beginnings to rules picks
// the candidates for a message from its tokens in one pass. A rule whose expression has a branch
// without literal words, or whose words may sit inside a longer word, always runs.
import type { Route } from '@desk/domain';
import { forgetWordRules, type Prepared } from './text.js';

export type Target = Route | 'negative';

export interface Rule {
  /** Signal name shown to the officer, e.g. `urgent.self_harm`. */
  readonly id: string;
  readonly route: Target;
  /** For a `negative` rule: the route whose score it lowers. */
  readonly against?: Route;
  readonly weight: number;
  readonly re: RegExp;
  /** Lower-case word beginnings, one of which a message must contain for the rule to run; empty = always run. */
  readonly prefixes: readonly string[];
  /** Ignore the match when a negation ("not", "never", "no", "n't") precedes it in the same clause. */
  readonly negatable: boolean;
  /** The expression with the `g` flag, to look past a negated first match. */
  readonly all: RegExp | null;
  /**
   * For a case-insensitive rule: the same expression, lower-cased, without the `i` flag, run on the
   * lower-cased message (much faster in V8 than case-folding every comparison).
   */
  readonly lower: RegExp | null;
  readonly lowerAll: RegExp | null;
  /** Rules of one group count once (the highest weight that fired). */
  readonly group: string;
  /** `route|group`, the key the scoring uses. */
  readonly groupKey: string;
  /** Position in the registry of every rule (for the candidate index). */
  readonly index: number;
  readonly emoji: boolean;
  readonly when: RegExp | null;
  readonly helper: boolean;
}

export interface RuleOptions {
  negatable?: boolean;
  group?: string;
  against?: Route;
  /** Run on every message (expressions whose words attach to others, e.g. Arabic prefixes). */
  always?: boolean;
  /** Run only on messages that contain an emoji. */
  emoji?: boolean;
  /** A cheap test the message must pass first (for rules that have no gating word). */
  when?: RegExp;
  /** Context that counts only beside another signal of the same route: runs only then. */
  helper?: boolean;
}

const REGISTRY: Rule[] = [];
let EXACT = new Map<string, number[]>();
let EMOJI_RULES: number[] = [];
let INDEX: Map<string, { prefix: string; rules: number[] }[]> | null = null;
let ALWAYS: number[] = [];

const LETTER = /\p{L}/u;

// How often a word is met, roughly, to choose the anchor that narrows most: very common words,
// common words, and the rest by length. A set costs the sum of its words (the chance that a
// message contains one of them).
const VERY_COMMON = new Set(
  ('the a an and or is are was were be been to of in on at for with my me we you your it this that he she they his her our their ' +
    'do does did can could would should will not no so if as by up out have has had am im get got all just what when how who why ' +
    'there here about from them him us its i\'m it\'s don isn').split(' '),
);
const COMMON = new Set(
  ('one some any now still very really please day time back going said told thank thanks hi hello dear today yesterday tomorrow ' +
    'go come see know want need like think make take give been after before over again only also then than well much more ' +
    'ward hospital staff nurse doctor mum dad son daughter wife husband nan other way right off into because being').split(' '),
);

// An anchor is a word beginning ("suicid"), or a whole word when written "=word" ("=is").
// "~word" ends its branch: whole if what follows the group ends a word, else a beginning.
const bare = (w: string) => (w[0] === '=' || w[0] === '~' ? w.slice(1) : w);

function cost(words: readonly string[]): number {
  let c = 0;
  for (const a of words) {
    const w = bare(a);
    const whole = a[0] === '=';
    const base = VERY_COMMON.has(w) ? 0.6 : COMMON.has(w) ? 0.15 : w.length <= 3 ? 0.05 : w.length === 4 ? 0.02 : 0.01;
    c += whole ? base : Math.min(0.9, base * (w.length <= 3 ? 4 : 1.5));
  }
  return c;
}

function resolveTails(set: string[] | null, whole: boolean | null): string[] | null {
  if (set === null || whole === null) return set;
  return set.map((w) => (w[0] === '~' ? (whole ? `=${w.slice(1)}` : w.slice(1)) : w));
}

/** What follows position `at` ends a word (a space, \b, \s, punctuation), surely. */
function endsWordAt(source: string, at: number): boolean | null {
  const c = source[at];
  const n = source[at + 1];
  if (c === undefined || c === ')' || c === '|') return null; // decided by the enclosing group
  const optional = n === '?' || n === '*';
  if (c === ' ') return !optional;
  if (c === '\\') {
    const after = source[at + 2];
    if (after === '?' || after === '*') return false;
    // \b, \s, or an escaped punctuation mark ("\.", "\/")
    return n === 'b' || n === 's' || (n !== undefined && /[^\w]/.test(n));
  }
  if (/[.,:;!"/@#&-]/.test(c)) return !optional;
  return false;
}

/**
 * Words that every match of the expression must contain (as the beginning of a word): for each
 * path, its least common required literal word. Null when some path has none, or its only words
 * can sit inside a longer word (after `\w`, a class or a letter): then the rule always runs.
 */
export function literalPrefixes(source: string): string[] | null {
  type Context = 'boundary' | 'word';
  interface Part {
    set: string[] | null;
    /** Whether the text matched so far surely ends outside a word. */
    end: Context;
  }
  let i = 0;
  const quantifierMinZero = (): boolean => {
    const q = source[i];
    if (q === '?' || q === '*') return true;
    if (q === '{') return /^\{0[,}]/.test(source.slice(i));
    return false;
  };
  const skipQuantifier = () => {
    const q = source[i];
    if (q === '?' || q === '*' || q === '+') i++;
    else if (q === '{' && /^\{\d*,?\d*\}/.test(source.slice(i))) i = source.indexOf('}', i) + 1;
    if (source[i] === '?') i++; // lazy
  };
  const parseAlternation = (start: Context): Part => {
    const alternatives = [parseSequence(start)];
    while (source[i] === '|') {
      i++;
      alternatives.push(parseSequence(start));
    }
    const set = alternatives.some((a) => a.set === null) ? null : [...new Set(alternatives.flatMap((a) => a.set!))];
    return { set, end: alternatives.every((a) => a.end === 'boundary') ? 'boundary' : 'word' };
  };
  const parseSequence = (start: Context): Part => {
    let best: string[] | null = null;
    const offer = (set: string[] | null) => {
      if (set !== null && set.length > 0 && set.every((w) => bare(w).length >= 2) && (best === null || cost(set) < cost(best))) best = set;
    };
    let prev: Context = start;
    // a word at a boundary followed by an optional separator ("x-?ray", "my ?self", "re-?book"):
    // the next letters either start a new word or continue this one
    let joinable: string | null = null;
    let lastRun: string | null = null;
    while (i < source.length && source[i] !== '|' && source[i] !== ')') {
      const c = source[i]!;
      if (LETTER.test(c)) {
        const context = prev;
        let run = '';
        // an apostrophe between letters stays in the word, as in the tokens ("i'm", "don't")
        while (i < source.length && (LETTER.test(source[i]!) || (source[i] === "'" && LETTER.test(source[i + 1] ?? '') && source[i + 2] !== '?'))) run += source[i++];
        const optionalLast = quantifierMinZero();
        const text = (optionalLast ? run.slice(0, -1) : run).toLowerCase();
        skipQuantifier();
        if (context === 'boundary') {
          const whole = optionalLast ? false : endsWordAt(source, i);
          offer([whole === null ? `~${text}` : whole ? `=${text}` : text]);
        }
        else if (joinable !== null) offer([joinable + text, text]);
        lastRun = context === 'boundary' || joinable !== null ? text : null;
        joinable = null;
        prev = 'word';
        continue;
      }
      const runBefore: string | null = lastRun;
      lastRun = null;
      joinable = null;
      if (c === '\\') {
        const n = source[i + 1] ?? '';
        i += 2;
        if ((n === 'p' || n === 'P' || n === 'u' || n === 'x') && source[i] === '{') i = source.indexOf('}', i) + 1;
        else if (n === 'u') i += 4;
        else if (n === 'x') i += 2;
        const optional = quantifierMinZero();
        skipQuantifier();
        if (/[wdSWpPux]/.test(n)) prev = 'word';
        else if (n === 'b' || n === 'B') prev = 'boundary';
        else if (optional) joinable = runBefore;
        else prev = 'boundary';
        continue;
      }
      if (c === '[') {
        const from = i;
        i++;
        while (i < source.length && source[i] !== ']') {
          if (source[i] === '\\') i++;
          i++;
        }
        i++;
        const letters = /[a-zA-Z]|\\[wpPdDSW]|\p\{/.test(source.slice(from, i));
        const optional = quantifierMinZero();
        skipQuantifier();
        if (letters) prev = 'word';
        else if (optional) joinable = runBefore;
        else prev = 'boundary';
        continue;
      }
      if (c === '(') {
        i++;
        let look = false;
        if (source[i] === '?') {
          const kind = source.slice(i, i + 3);
          if (kind.startsWith('?:')) i += 2;
          else if (kind.startsWith('?=') || kind.startsWith('?!')) {
            i += 2;
            look = true;
          } else if (kind === '?<=' || kind === '?<!') {
            i += 3;
            look = true;
          } else if (kind.startsWith('?<')) i = source.indexOf('>', i) + 1;
        }
        const inner = parseAlternation(look ? 'boundary' : prev);
        i++; // ')'
        const optional = quantifierMinZero();
        skipQuantifier();
        if (look) continue; // not part of the match
        if (!optional) offer(resolveTails(inner.set, endsWordAt(source, i)));
        // after an optional group the word may continue from before it
        prev = optional ? (inner.end === 'boundary' && prev === 'boundary' ? 'boundary' : 'word') : inner.end;
        continue;
      }
      i++;
      const optional = quantifierMinZero();
      skipQuantifier();
      if (c === '.' || /[0-9_]/.test(c)) prev = 'word';
      else if (optional) joinable = runBefore; // the word may continue across it
      else prev = c === '^' || c === '$' ? prev : 'boundary';
    }
    return { set: best, end: prev };
  };
  const top = parseAlternation('boundary');
  if (i < source.length) return null;
  return resolveTails(top.set, true);
}

/** Lower-cases the literal letters of an expression, leaving escapes (\\B, \\W, \\p{Lu}) alone. */
export function lowerSource(source: string): string {
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      const n = source[i + 1] ?? '';
      if ((n === 'p' || n === 'P' || n === 'u' || n === 'x') && source[i + 2] === '{') {
        const end = source.indexOf('}', i);
        out += source.slice(i, end + 1);
        i = end;
      } else {
        out += c + n;
        i++;
      }
      continue;
    }
    out += c.toLowerCase();
  }
  return out;
}

function make(route: Target, id: string, weight: number, re: RegExp, flags: string, options: RuleOptions): Rule {
  const negatable = options.negatable ?? false;
  const insensitive = flags.includes('i');
  const lowerFlags = flags.replace('i', '');
  const prefixes = options.always ? [] : (literalPrefixes(re.source) ?? []);
  const rule: Rule = {
    id,
    route,
    against: options.against,
    weight,
    re: new RegExp(re.source, flags),
    prefixes,
    negatable,
    all: negatable ? new RegExp(re.source, `${flags}g`) : null,
    lower: insensitive ? new RegExp(lowerSource(re.source), lowerFlags) : null,
    lowerAll: insensitive && negatable ? new RegExp(lowerSource(re.source), `${lowerFlags}g`) : null,
    group: options.group ?? id,
    groupKey: `${route}|${options.group ?? id}`,
    index: REGISTRY.length,
    emoji: options.emoji ?? false,
    when: options.when ?? null,
    helper: options.helper ?? false,
  };
  REGISTRY.push(rule);
  INDEX = null;
  forgetWordRules();
  return rule;
}

/**
 * One rule, case-insensitive. `words` lists, for the reader, the words that typically fire it; the
 * words that gate it are read from the expression itself (see literalPrefixes).
 */
export function rule(route: Target, id: string, weight: number, words: string, re: RegExp, options: RuleOptions = {}): Rule {
  void words;
  return make(route, id, weight, re, `${re.flags.replace(/[gi]/g, '')}i`, options);
}

/** The same, but case-sensitive (for names and acronyms such as "PALS" or "Dr Smith"). */
export function caseRule(route: Target, id: string, weight: number, words: string, re: RegExp, options: RuleOptions = {}): Rule {
  void words;
  return make(route, id, weight, re, re.flags.replace(/[gi]/g, ''), options);
}

const KEY_LENGTH = 3;

function buildIndex(): Map<string, { prefix: string; rules: number[] }[]> {
  const index = new Map<string, { prefix: string; rules: number[] }[]>();
  ALWAYS = [];
  EMOJI_RULES = REGISTRY.filter((r) => r.emoji).map((r) => r.index);
  EXACT = new Map();
  for (const r of REGISTRY) {
    if (r.emoji) continue;
    if (r.prefixes.length === 0) {
      ALWAYS.push(r.index);
      continue;
    }
    for (const a of r.prefixes) {
      if (a[0] === '=') {
        const w = a.slice(1);
        const list = EXACT.get(w) ?? [];
        list.push(r.index);
        EXACT.set(w, list);
        continue;
      }
      const p = bare(a);
      const key = p.slice(0, KEY_LENGTH);
      let list = index.get(key);
      if (!list) index.set(key, (list = []));
      let entry = list.find((e) => e.prefix === p);
      if (!entry) list.push((entry = { prefix: p, rules: [] }));
      entry.rules.push(r.index);
    }
  }
  return index;
}

const candidateCache = new WeakMap<Prepared, Uint8Array>();
/** The rules one of whose word beginnings starts this word. */
function rulesForWord(w: string): Int32Array {
  const index = (INDEX ??= buildIndex());
  const found: number[] = [...(EXACT.get(w) ?? [])];
  // "tonight's", "don't": the word before the apostrophe is a whole word too
  const apostrophe = w.indexOf("'");
  if (apostrophe > 0) found.push(...(EXACT.get(w.slice(0, apostrophe)) ?? []));
  // a two-letter prefix is stored under itself, longer ones under their first three letters
  for (const key of w.length >= KEY_LENGTH ? [w.slice(0, 2), w.slice(0, KEY_LENGTH)] : [w]) {
    const list = index.get(key);
    if (list === undefined) continue;
    for (const e of list) if (w.startsWith(e.prefix)) found.push(...e.rules);
  }
  return Int32Array.from(new Set(found));
}
const EMOJI_RE = /\p{Extended_Pictographic}/u;

/** Which rules could match this message: one pass over its tokens. */
export function candidates(prepared: Prepared): Uint8Array {
  let marks = candidateCache.get(prepared);
  if (marks && marks.length === REGISTRY.length) return marks;
  INDEX ??= buildIndex();
  marks = new Uint8Array(REGISTRY.length);
  for (const i of ALWAYS) marks[i] = 1;
  if (EMOJI_RE.test(prepared.text)) for (const i of EMOJI_RULES) marks[i] = 1;
  for (const t of prepared.tokens) {
    const rules = (t.info.rules ??= rulesForWord(t.word));
    for (let k = 0; k < rules.length; k++) marks[rules[k]!] = 1;
  }
  candidateCache.set(prepared, marks);
  return marks;
}

let stamps = new Uint32Array(0);
let generation = 0;

/** The candidate rules of a message, in registry order (the fast path of `candidates`). */
export function candidateRules(prepared: Prepared): Rule[] {
  INDEX ??= buildIndex();
  if (stamps.length !== REGISTRY.length) {
    stamps = new Uint32Array(REGISTRY.length);
    generation = 0;
  }
  generation = (generation + 1) >>> 0;
  if (generation === 0) {
    stamps.fill(0);
    generation = 1;
  }
  const g = generation;
  const s = stamps;
  const found: number[] = ALWAYS.slice();
  for (const i of ALWAYS) s[i] = g;
  if (EMOJI_RE.test(prepared.text)) {
    for (const i of EMOJI_RULES) {
      if (s[i] !== g) {
        s[i] = g;
        found.push(i);
      }
    }
  }
  const tokens = prepared.tokens;
  for (let t = 0; t < tokens.length; t++) {
    const info = tokens[t]!.info;
    const rules = (info.rules ??= rulesForWord(tokens[t]!.word));
    for (let k = 0; k < rules.length; k++) {
      const i = rules[k]!;
      if (s[i] !== g) {
        s[i] = g;
        found.push(i);
      }
    }
  }
  found.sort((a, b) => a - b);
  const out: Rule[] = new Array(found.length);
  for (let k = 0; k < found.length; k++) out[k] = REGISTRY[found[k]!]!;
  return out;
}

const NEGATOR_RE = /(?:\b(?:not|never|no|nothing|without|hardly|neither|nor|dont|didnt|isnt|wasnt|aint|wont|cant|doesnt)\b|n't\b)/i;

// Hedges that contain a negator but do not negate what follows: "I'm not sure if he's suicidal".
const HEDGE_RE = /\b(?:not sure|not certain|no idea|don'?t know|dont know|not just|can'?t tell|no longer|not only|never know)\b/gi;
const CLAUSE_END_RE = /[.;!?\n:]|,|\bbut\b|\bbecause\b|\bthough\b|\bthen\b|\band (?:now|then|he|she|they|it|i|we|his|her|my|the)\b/gi;

/**
 * Where the negation governing the words at `index` starts ("not", "never", "no", "n't" earlier in
 * the same clause, within 48 characters), or -1 when there is none.
 */
export function negationBefore(text: string, index: number): number {
  const from = Math.max(0, index - 48);
  let window = text.slice(from, index);
  CLAUSE_END_RE.lastIndex = 0;
  let cut = 0;
  for (let m = CLAUSE_END_RE.exec(window); m !== null; m = CLAUSE_END_RE.exec(window)) cut = m.index + m[0].length;
  window = window.slice(cut).replace(HEDGE_RE, (h) => ' '.repeat(h.length));
  const m = NEGATOR_RE.exec(window);
  if (m === null) return -1;
  // back to the start of the word ("don't", "isn't")
  let start = from + cut + m.index;
  while (start > 0 && /[\p{L}']/u.test(text[start - 1]!)) start--;
  return start;
}

export function negatedAt(text: string, index: number): boolean {
  return negationBefore(text, index) >= 0;
}

export interface Hit {
  readonly rule: Rule;
  readonly evidence: string;
  readonly index: number;
}

function clip(s: string): string {
  const t = /\s\s|[\n\r\t]|^\s|\s$/.test(s) ? s.replace(/\s+/g, ' ').trim() : s;
  return t.length > 90 ? `${t.slice(0, 87)}...` : t;
}

/**
 * Runs the rules whose anchors are present; appends the matches (one per rule) to `out`, and the
 * matches a negation cancelled to `negated`.
 */
export function runRules(rules: readonly Rule[], prepared: Prepared, text: string, out: Hit[], negated?: Hit[]): Hit[] {
  const marks = candidates(prepared);
  const lower = lowerCase(text);
  for (const r of rules) if (marks[r.index] === 1) runRule(r, prepared, text, lower, out, negated);
  return out;
}

/** The text lower-cased, or null when lower-casing would change its length (offsets must hold). */
export function lowerCase(text: string): string | null {
  const lower = text.toLowerCase();
  return lower.length === text.length ? lower : null;
}

/** Runs one rule (a candidate) on the text. */
export function runRule(r: Rule, prepared: Prepared, text: string, lower: string | null, out: Hit[], negated?: Hit[]): void {
  {
    if (r.when !== null && !r.when.test(text)) return;
    const useLower = lower !== null && r.lower !== null;
    const subject = useLower ? lower : text;
    let m = (useLower ? r.lower! : r.re).exec(subject);
    if (m === null) return;
    const all = useLower ? r.lowerAll : r.all;
    if (all !== null && negatedAt(text, m.index)) {
      const first = m;
      m = null;
      all.lastIndex = 0;
      for (let n = all.exec(subject); n !== null; n = all.exec(subject)) {
        if (!negatedAt(text, n.index)) {
          m = n;
          break;
        }
        if (n[0].length === 0) all.lastIndex++;
      }
      if (m === null) {
        const at = negationBefore(text, first.index);
        negated?.push({ rule: r, evidence: clip(prepared.original.slice(at, first.index + first[0].length)), index: first.index });
        return;
      }
    }
    out.push({ rule: r, evidence: clip(prepared.original.slice(m.index, m.index + m[0].length)), index: m.index });
  }
}

/**
 * Rules whose expression matches the text although none of their anchors is present: a gating
 * mistake that would hide the match. Used by the tests over every example in the repository.
 */
export function anchorMisses(rules: readonly Rule[], prepared: Prepared, text: string = prepared.text): { rule: Rule; match: string }[] {
  const marks = candidates(prepared);
  const out: { rule: Rule; match: string }[] = [];
  for (const r of rules) {
    if (marks[r.index] === 1) continue;
    const m = r.re.exec(text);
    if (m !== null) out.push({ rule: r, match: m[0] });
  }
  return out;
}
