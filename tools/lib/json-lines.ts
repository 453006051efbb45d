import { createInterface } from 'node:readline';

/**
 * Reads standard input a line at a time and writes one JSON line per input line, in order,
 * buffering output so a large input is not written a line per system call.
 */
export async function mapJsonLines(answer: (line: string) => object, batch = 1024): Promise<void> {
  const out: string[] = [];
  const flush = () => {
    if (out.length) process.stdout.write(`${out.join('\n')}\n`);
    out.length = 0;
  };
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    out.push(JSON.stringify(answer(line)));
    if (out.length >= batch) flush();
  }
  flush();
}

/** A line read as a JSON object, or the error line to answer with. */
export function parseJsonObject(line: string): { ok: true; value: Record<string, unknown> } | { ok: false; error: object } {
  let input: unknown;
  try {
    input = JSON.parse(line);
  } catch {
    return { ok: false, error: { error: 'not valid JSON' } };
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { ok: false, error: { error: 'expected a JSON object' } };
  return { ok: true, value: input as Record<string, unknown> };
}
