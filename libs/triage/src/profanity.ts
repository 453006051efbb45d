// Swearing and slurs, including obscured forms ("f*ck", "sh1t", "b*stards", "c**ts", "pr!cks").
//
// Whole words only, from a word list: nothing is matched inside another word, so Scunthorpe,
// Penistone, cockles, "assessment", "analysis" and "Dickens" are safe. A masked word counts only
// when its shape fits a listed word letter for letter (a mask stands for one letter, a digit or
// symbol for the letters it looks like). Medical phrases that contain a listed word ("skin prick
// test") are excepted. The `obscenity` package was tried and not used: it missed most masked forms
// ("f***ing", "c**ts", "b*stards") and matched "prick test", "Penistone", "shiitake" and "análises".

export type Strength = 'strong' | 'mild' | 'slur';

export interface Swear {
  /** The words as written in the message. */
  readonly text: string;
  /** The listed word it was read as. */
  readonly as: string;
  readonly strength: Strength;
  readonly index: number;
}

function forms(stems: string, suffixes: string): string[] {
  const out: string[] = [];
  for (const s of stems.split(' ')) for (const x of suffixes.split(' ')) out.push(s + (x === '-' ? '' : x));
  return out;
}

const STRONG = [
  ...forms('fuck', '- s ed er ers ing in wit wits face head heads tard'),
  'motherfucker', 'motherfuckers', 'motherfucking', 'fuk', 'fuking', 'fukin', 'fukn', 'fuks', 'fcuk', 'fck', 'fcking', 'fckin', 'fcked', 'fking', 'fkin', 'fkn', 'fuckoff',
  ...forms('shit', '- s e ty ting ted hole holes show shows storm bag bags head heads'),
  'bullshit', 'dipshit', 'apeshit', 'batshit',
  ...forms('cunt', '- s y ing'),
  ...forms('bastard', '- s'),
  ...forms('bitch', '- es y ing'),
  ...forms('arsehole', '- s'), ...forms('asshole', '- s'), 'arsewipe', 'arsewipes',
  ...forms('prick', '- s'),
  ...forms('twat', '- s ting'),
  ...forms('wanker', '- s'), 'wank', 'wanking',
  ...forms('dickhead', '- s'), 'dick', 'dicks', 'cock', 'cocks',
  'cockwomble', 'cockwombles', 'cocksucker', 'cocksuckers',
  ...forms('tosser', '- s'), ...forms('knobhead', '- s'), ...forms('bellend', '- s'), ...forms('nobhead', '- s'),
  ...forms('slag', '- s'), ...forms('whore', '- s'), ...forms('slut', '- s'), 'skank', 'skanks',
  ...forms('scumbag', '- s'), 'stfu', 'gtfo',
];
const MILD = ['bloody', 'crap', 'crappy', 'piss', 'pissed', 'pissing', 'arse', 'arses', 'bugger', 'buggers', 'sod', 'damn', 'bollocks', 'bollox', 'ffs', 'wtf', 'frigging', 'friggin', 'effing', 'minging'];
const SLURS = [
  'paki', 'pakis', 'nigger', 'niggers', 'nigga', 'niggas', 'faggot', 'faggots', 'tranny', 'trannies', 'retard', 'retards', 'spaz', 'spazz', 'poof', 'poofs', 'poofter',
  'wog', 'wogs', 'chinky', 'chinkies', 'gyppo', 'gyppos', 'pikey', 'pikeys', 'kike', 'kikes', 'raghead', 'ragheads', 'coon', 'coons', 'dyke', 'dykes', 'lezza', 'lezzers',
];

const STRENGTH = new Map<string, Strength>();
for (const w of MILD) STRENGTH.set(w, 'mild');
for (const w of STRONG) STRENGTH.set(w, 'strong');
for (const w of SLURS) STRENGTH.set(w, 'slur');
// Plain spellings that are ordinary words elsewhere: only an obscured spelling counts.
const ONLY_MASKED = new Set(['coon', 'coons', 'dyke', 'dykes', 'poof', 'poofs', 'sod', 'slag', 'slags', 'wog', 'wogs', 'dick', 'dicks', 'cock', 'cocks', 'fck']);

const BY_LENGTH = new Map<number, string[]>();
for (const w of STRENGTH.keys()) {
  const list = BY_LENGTH.get(w.length) ?? [];
  list.push(w);
  BY_LENGTH.set(w.length, list);
}

/** Letters a look-alike character may stand for. */
const LEET: Record<string, string> = { '0': 'o', '1': 'il', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '@': 'ao', $: 's', '!': 'il', '|': 'il' };
const MASKS = new Set(['*', '#', '%', '_', '.', '-', '?']);

function fits(token: string, word: string): boolean {
  let revealed = 0;
  for (let i = 0; i < token.length; i++) {
    const c = token[i]!;
    const w = word[i]!;
    if (c === w) {
      revealed++;
      continue;
    }
    if (MASKS.has(c)) continue;
    const leet = LEET[c];
    if (leet !== undefined && leet.includes(w)) continue;
    return false;
  }
  return revealed >= 1 && /[a-z]/.test(token[0]!);
}

/** Reads one obscured token ("f***ing", "sh1t") as a listed word, or undefined. */
export function readMasked(token: string): string | undefined {
  const t = token.toLowerCase();
  if (!/[*#%_.?@$!|\-0-9]/.test(t) || !/[a-z]/.test(t)) return undefined;
  const candidates = BY_LENGTH.get(t.length);
  if (!candidates) return undefined;
  for (const w of candidates) if (fits(t, w)) return w;
  return undefined;
}

// A word with a mask or look-alike inside it (swearing is obscured in ASCII); handles and
// addresses are skipped below.
const MASKED_TOKEN_RE = /[a-z0-9]*(?:[a-z][*#%_?@$!|0-9]|[*#%?@$!|][a-z*#%?])[a-z0-9*#%_?@$!|]*/gi;
const MASK_CHAR_RE = /[*#%@$|]/;
const LEET_RE = /[a-z][!0-9]+[a-z]/i;
const SPACED_RE = /\b(?:f[ .*_-]+u[ .*_-]+c[ .*_-]+k|s[ .*_-]+h[ .*_-]+i[ .*_-]+t|c[ .*_-]+u[ .*_-]+n[ .*_-]+t)\b/gi;
const EUPHEMISM_RE = /\b(?:(?:go )?(?:f|eff)(?: off| yourself| yourselves| you)\b|(?:f|eff)(?:'|-)?(?:ing|in|in')\b)/gi;
const WORD_RE = /\p{L}+/gu;
const MEDICAL_PRICK_RE = /\b(?:skin|finger|pin|heel|needle|allergy)[ -]?prick|\bprick(?:s|ed)? (?:test|tests|testing|of|on my|in my)\b/i;

export interface WordSpan {
  readonly word: string;
  readonly start: number;
  readonly end: number;
}

function wordsOf(text: string): WordSpan[] {
  const out: WordSpan[] = [];
  WORD_RE.lastIndex = 0;
  for (let m = WORD_RE.exec(text); m !== null; m = WORD_RE.exec(text)) out.push({ word: m[0].toLowerCase(), start: m.index, end: m.index + m[0].length });
  return out;
}

/**
 * Every swear word and slur in the text, plain or obscured, in order. `words` may pass the
 * message's lower-case tokens when the caller has them already.
 */
export function findSwearing(text: string, words: readonly WordSpan[] = wordsOf(text)): Swear[] {
  const out: Swear[] = [];
  for (const t of words) {
    const w = t.word;
    const strength = STRENGTH.get(w);
    if (strength === undefined || ONLY_MASKED.has(w)) continue;
    // A word glued to a mask or digit is read whole below ("f**king" is not "king").
    const before = text[t.start - 1];
    const after = text[t.end];
    if ((before && /[*#%@$!|0-9]/.test(before)) || (after && /[*#%@$!|0-9]/.test(after))) continue;
    if ((w === 'prick' || w === 'pricks') && MEDICAL_PRICK_RE.test(text.slice(Math.max(0, t.start - 12), t.start + 24))) continue;
    out.push({ text: text.slice(t.start, t.end), as: w, strength, index: t.start });
  }
  if (MASK_CHAR_RE.test(text) || LEET_RE.test(text)) readObscured(text, out);
  // spaced-out letters ("f u c k") and "eff off" show up as one-letter words or "eff"
  let spaced = false;
  for (const t of words) {
    if (t.word === 'f' || t.word === 's' || t.word === 'c' || t.word === 'eff') {
      spaced = true;
      break;
    }
  }
  if (spaced) readSpaced(text, out);
  out.sort((a, b) => a.index - b.index);
  return out;
}

function readObscured(text: string, out: Swear[]): void {
  MASKED_TOKEN_RE.lastIndex = 0;
  for (let m = MASKED_TOKEN_RE.exec(text); m !== null; m = MASKED_TOKEN_RE.exec(text)) {
    const raw = m[0].replace(/[!?._-]+$/, '');
    if (!raw || text[m.index - 1] === '@' || raw.startsWith('@')) continue;
    // user@host and web addresses are not words
    if (/@[\p{L}\p{N}-]+\./u.test(text.slice(m.index, m.index + m[0].length + 30)) && raw.includes('@')) continue;
    const as = readMasked(raw);
    if (as === undefined) continue;
    out.push({ text: raw, as, strength: STRENGTH.get(as)!, index: m.index });
  }
}

function readSpaced(text: string, out: Swear[]): void {
  for (const re of [SPACED_RE, EUPHEMISM_RE]) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      out.push({ text: m[0], as: re === SPACED_RE ? m[0].replace(/[^a-z]/gi, '').toLowerCase() : 'fuck', strength: 'strong', index: m.index });
    }
  }
}
