import { cleanText, MAX_TEXT_CHARS } from './text.js';

/**
 * Past this much HTML we stop reading: the text we keep is capped far lower, and a hostile mail
 * should not cost more than a linear pass over a bounded input.
 */
const MAX_HTML_CHARS = 2_000_000;

/** Elements whose content is never text for a person: code, styling, embedded documents. */
const DROPPED = new Set(['script', 'style', 'noscript', 'template', 'iframe', 'object', 'svg', 'math', 'xml', 'select', 'frameset']);
/** Code whose text must never show, even when its closing tag is missing. */
const CODE = new Set(['script', 'style']);
const BLOCKS = new Set([
  'address', 'article', 'aside', 'blockquote', 'br', 'center', 'dd', 'div', 'dl', 'dt', 'fieldset', 'figcaption', 'figure',
  'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section',
  'table', 'tbody', 'tfoot', 'thead', 'tr', 'ul', 'body', 'html', 'head', 'title',
]);
const CELLS = new Set(['td', 'th']);

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ensp: ' ', emsp: ' ', thinsp: ' ', shy: '',
  zwnj: '', zwj: '', copy: '©', reg: '®', trade: '™', hellip: '…', mdash: '—', ndash: '–', lsquo: '‘',
  rsquo: '’', sbquo: '‚', ldquo: '“', rdquo: '”', bdquo: '„', bull: '•', middot: '·', euro: '€', pound: '£',
  cent: '¢', yen: '¥', sect: '§', para: '¶', deg: '°', plusmn: '±', times: '×', divide: '÷', laquo: '«',
  raquo: '»', iexcl: '¡', iquest: '¿', frac12: '½', frac14: '¼', frac34: '¾', auml: 'ä', ouml: 'ö', uuml: 'ü',
  Auml: 'Ä', Ouml: 'Ö', Uuml: 'Ü', szlig: 'ß', eacute: 'é', egrave: 'è', ecirc: 'ê', aacute: 'á', agrave: 'à',
  acirc: 'â', iacute: 'í', oacute: 'ó', uacute: 'ú', ccedil: 'ç', ntilde: 'ñ', Eacute: 'É', aring: 'å', oslash: 'ø',
};

/** Decodes the character references a person would see as characters. Unknown ones stay as written. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z][a-z0-9]{1,31});?/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      const valid = code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff);
      return valid ? String.fromCodePoint(code) : '\uFFFD';
    }
    // Own names only: a plain lookup also finds what every object inherits, and "&constructor;"
    // became "function Object() { [native code] }" in the text (found by fuzzing).
    return Object.hasOwn(NAMED_ENTITIES, ref) ? NAMED_ENTITIES[ref]! : whole;
  });
}

/**
 * Plain text of an HTML mail for a person to read: no markup, nothing from scripts, styles or
 * embedded documents, links shown with their address, paragraphs kept. One linear scan with no
 * recursion or backtracking, so hostile HTML (unclosed tags, deep nesting) costs no more than its size.
 */
export function htmlToText(html: string, max = MAX_TEXT_CHARS): string {
  const input = html.length > MAX_HTML_CHARS ? html.slice(0, MAX_HTML_CHARS) : html;
  const lower = input.toLowerCase();
  const out: string[] = [];
  let linkHref: string | undefined;
  let linkTextStart = 0;
  let i = 0;

  const text = (chunk: string) => {
    if (chunk) out.push(decodeEntities(chunk.replace(/\s+/g, ' ')));
  };

  while (i < input.length) {
    const lt = input.indexOf('<', i);
    if (lt < 0) {
      text(input.slice(i));
      break;
    }
    text(input.slice(i, lt));
    const next = input[lt + 1] ?? '';
    if (input.startsWith('<!--', lt)) {
      const end = input.indexOf('-->', lt + 4);
      i = end < 0 ? input.length : end + 3;
      continue;
    }
    if (!/[a-zA-Z/!?]/.test(next)) {
      // A lone "<" is text ("a < b").
      out.push('<');
      i = lt + 1;
      continue;
    }
    const tagEnd = endOfTag(input, lt + 1);
    const tag = input.slice(lt + 1, tagEnd);
    i = Math.min(input.length, tagEnd + 1);
    if (next === '!' || next === '?') continue; // doctype, CDATA, processing instruction
    const closing = tag.startsWith('/');
    const name = /^\/?\s*([a-zA-Z][a-zA-Z0-9:-]*)/.exec(tag)?.[1]?.toLowerCase() ?? '';
    if (!closing && DROPPED.has(name) && !/\/\s*$/.test(tag)) {
      const close = lower.indexOf(`</${name}`, i);
      if (close >= 0) i = Math.min(input.length, endOfTag(input, close + 1) + 1);
      // An unclosed script or style runs to the end, as in a browser; other unclosed ones are just a tag.
      else if (CODE.has(name)) break;
      continue;
    }
    if (name === 'li') out.push(closing ? '' : '\n• ');
    else if (BLOCKS.has(name)) out.push('\n');
    else if (CELLS.has(name) && !closing) out.push(' ');
    else if (name === 'a' && !closing) {
      linkHref = attribute(tag, 'href');
      linkTextStart = out.length;
    } else if (name === 'a' && closing && linkHref) {
      const shown = out.slice(linkTextStart).join('');
      const href = decodeEntities(linkHref).trim();
      if (/^(https?:|mailto:)/i.test(href) && !shown.includes(href.replace(/^mailto:/i, ''))) out.push(` (${href})`);
      linkHref = undefined;
    }
  }
  return cleanText(out.join('').replace(/[ \t]*\n[ \t]*/g, '\n'), max);
}

/** Index of the ">" ending the tag that starts at `from`, skipping quoted attribute values. */
function endOfTag(input: string, from: number): number {
  let quote: string | undefined;
  for (let j = from; j < input.length; j++) {
    const c = input[j];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      // A quote only opens a value right after "=" (possibly spaced); elsewhere it is junk.
      if (/=\s*$/.test(input.slice(Math.max(from, j - 8), j))) quote = c;
    } else if (c === '>') {
      return j;
    } else if (c === '<' && j > from) {
      // Broken markup ("<b <i>"): end the tag here rather than swallow the text that follows.
      return j - 1;
    }
  }
  return input.length;
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  return match ? (match[2] ?? match[3] ?? match[4]) : undefined;
}
