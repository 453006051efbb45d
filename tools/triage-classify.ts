// npm run --silent triage:classify: JSON lines in (the dev.jsonl shape: {"id", "channel", "author",
// "subject"?, "text", "history"?}; label fields are ignored), one JSON line out per line in, in
// order: {"id", "route", "flags", "confidence", "reasons"}. A line that cannot be read gets
// {"id"?, "error": "..."} and the rest still run. Options: --non-english=general.
import { isChannel } from '@desk/domain';
import { classify, type TriageInput } from '@desk/triage';
import { mapJsonLines, parseJsonObject } from './lib/json-lines.js';

const nonEnglish = process.argv.includes('--non-english=general') ? 'general' : 'by-content';

function answer(line: string): object {
  if (!line.trim()) return { error: 'empty line' };
  const parsed = parseJsonObject(line);
  if (!parsed.ok) return parsed.error;
  const o = parsed.value;
  const id = typeof o.id === 'string' || typeof o.id === 'number' ? { id: o.id } : {};
  if (typeof o.text !== 'string') return { ...id, error: 'text is missing or not a string' };
  if (o.channel !== undefined && !isChannel(o.channel)) return { ...id, error: 'channel must be one of x, x_dm, facebook, instagram, email' };
  if (o.subject !== undefined && o.subject !== null && typeof o.subject !== 'string') return { ...id, error: 'subject must be a string' };
  if (o.history !== undefined && (!Array.isArray(o.history) || o.history.some((h) => typeof h !== 'string'))) {
    return { ...id, error: 'history must be an array of strings' };
  }
  const triageInput: TriageInput = {
    channel: isChannel(o.channel) ? o.channel : 'x',
    author: typeof o.author === 'string' ? o.author : '',
    subject: typeof o.subject === 'string' ? o.subject : undefined,
    text: o.text,
    history: o.history as string[] | undefined,
  };
  try {
    const decision = classify(triageInput, { nonEnglish });
    return { ...id, route: decision.route, flags: decision.flags, confidence: decision.confidence, reasons: decision.reasons };
  } catch (error) {
    return { ...id, error: `could not classify: ${(error as Error).message}` };
  }
}

await mapJsonLines(answer);
