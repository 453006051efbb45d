// Text preparation: one pass per message, shared by every signal.
// The normalised text keeps the same length as the original (each replacement is one character for
// one character), so a match offset in it is an offset in the message and evidence quotes the
// message's own words.
import { stemmer } from 'stemmer';

/** What is known about a word, computed once per distinct word and shared by every message. */
export interface WordInfo {
  readonly stem: string;
  /** Filled in by the rule index: the rules this word may start. */
  rules?: Int32Array;
  /** Filled in by the lexicon: its entries for this word. */
  lexicon?: readonly unknown[];
  /** Filled in by the language guess: 1 an English function word, 2 another language's, 0 neither. */
  language?: number;
}

export interface Token {
  /** Lower-case form. */
  readonly word: string;
  readonly stem: string;
  readonly start: number;
  readonly end: number;
  readonly info: WordInfo;
}

export interface Prepared {
  /** Subject (email) and body, as written. */
  readonly original: string;
  /** Same length as `original`: typographic quotes, dashes and odd spaces made plain. */
  readonly text: string;
  readonly tokens: readonly Token[];
}

const CHAR_MAP: Record<string, string> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201B': "'",
  '\u0060': "'",
  '\u00B4': "'",
  '\u02BC': "'",
  '\u201C': '"',
  '\u201D': '"',
  '\u201E': '"',
  '\u2013': '-',
  '\u2014': '-',
  '\u2212': '-',
  '\u00A0': ' ',
  '\u2009': ' ',
  '\u202F': ' ',
  '\u200B': ' ',
  '\r': ' ',
  '\t': ' ',
};
const CHAR_RE = /[\u2018\u2019\u201B\u0060\u00B4\u02BC\u201C\u201D\u201E\u2013\u2014\u2212\u00A0\u2009\u202F\u200B\r\t]/g;

export function normalise(text: string): string {
  return text.replace(CHAR_RE, (c) => CHAR_MAP[c] ?? ' ');
}

const STEM_CACHE_LIMIT = 200_000;
const stemCache = new Map<string, string>();
const WORD_CACHE_LIMIT = 200_000;
const wordCache = new Map<string, WordInfo>();

/** The shared record of a lower-case word (its stem, and what the index and lexicon attach). */
export function wordInfo(raw: string): WordInfo {
  let info = wordCache.get(raw);
  if (info === undefined) {
    // "don't" is kept whole for negation; its stem is that of the part before the apostrophe
    const apostrophe = raw.indexOf("'");
    info = { stem: stem(apostrophe > 0 ? raw.slice(0, apostrophe) : raw) };
    if (wordCache.size >= WORD_CACHE_LIMIT) wordCache.clear();
    wordCache.set(raw, info);
  }
  return info;
}

/** Forgets what the index attached to words (when rules are added after first use). */
export function forgetWordRules(): void {
  for (const info of wordCache.values()) info.rules = undefined;
}

/** Porter stem of a lower-case word, memoised (the lexicons and most messages share few words). */
export function stem(word: string): string {
  let s = stemCache.get(word);
  if (s === undefined) {
    s = /^[a-z]+$/.test(word) ? stemmer(word) : word;
    if (stemCache.size >= STEM_CACHE_LIMIT) stemCache.clear();
    stemCache.set(word, s);
  }
  return s;
}


const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/** Letters and digits (any script); ASCII is decided without a regular expression. */
function isWordChar(code: number, ch: string): boolean {
  if (code < 128) return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57);
  return LETTER_OR_DIGIT.test(ch);
}

/**
 * Tokens: runs of letters and digits, with one inner apostrophe kept ("don't", "i'm"), as the
 * expression [\p{L}\p{N}]+(?:'\p{L}+)? would find them, written out for speed.
 */
function tokenise(text: string): Token[] {
  const tokens: Token[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    if (!isWordChar(text.charCodeAt(i), text[i]!)) {
      i++;
      continue;
    }
    const start = i;
    while (i < n && isWordChar(text.charCodeAt(i), text[i]!)) i++;
    // one apostrophe followed by letters stays in the word
    if (i + 1 < n && text.charCodeAt(i) === 39) {
      const c = text.charCodeAt(i + 1);
      if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 128 && /\p{L}/u.test(text[i + 1]!))) {
        i++;
        while (i < n) {
          const d = text.charCodeAt(i);
          if ((d >= 97 && d <= 122) || (d >= 65 && d <= 90) || (d >= 128 && /\p{L}/u.test(text[i]!))) i++;
          else break;
        }
      }
    }
    const raw = text.slice(start, i).toLowerCase();
    const info = wordInfo(raw);
    tokens.push({ word: raw, stem: info.stem, start, end: i, info });
  }
  return tokens;
}

export function prepare(subject: string | undefined, body: string): Prepared {
  const original = subject && subject.trim() ? `${subject}\n${body}` : body;
  const text = normalise(original);
  return { original, text, tokens: tokenise(text) };
}
