/** The first non-empty line of a message (or its subject), capped for a queue row. */
export function previewLine(subject: string | null, body: string | null, max = 160): string {
  const line = (body ?? '').split(/\r?\n/).map((l) => l.trim()).find((l) => l.length > 0) ?? '';
  const text = subject && subject.trim() ? (line ? `${subject.trim()} — ${line}` : subject.trim()) : line;
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}
