/**
 * Reply and forward prefixes in the languages mail clients use: English Re/Fwd/Fw, German AW/WG,
 * Scandinavian SV/VS, Dutch Antw, French TR, Italian R/RIF; with an optional count ("Re[2]:", "Re(3):").
 */
const PREFIX = /^\s*(?:re|fwd?|fw|aw|sv|vs|wg|antw|tr|rif|r)\s*(?:\[\d{1,4}\]|\(\d{1,4}\))?\s*[:：]\s*/i;

const MAX_THREAD_SUBJECT = 255;

/**
 * The subject as threading compares it: reply/forward prefixes stripped however often they repeat,
 * spaces collapsed, lower-cased. Undefined when nothing is left, so mail without a subject never
 * threads by subject.
 */
export function threadSubject(subject: string | undefined): string | undefined {
  if (!subject) return undefined;
  let s = subject.replace(/\s+/g, ' ').trim();
  // Bounded: each pass removes at least one character.
  for (let pass = 0; pass < 100; pass++) {
    const next = s.replace(PREFIX, '');
    if (next === s) break;
    s = next;
  }
  // Indexed for the same-sender lookup, so kept well inside Postgres's btree limit.
  s = s.toLowerCase().trim().slice(0, MAX_THREAD_SUBJECT);
  return s || undefined;
}
