// The HTML part of the mail we send. Everything put into it is text (public or an officer's) and
// is escaped here, so no caller builds markup by hand.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Paragraphs at blank lines, `<br>` at single newlines; every character of the text escaped. */
export function textToHtml(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n+/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${p.split('\n').map(escapeHtml).join('<br>\n')}</p>`)
    .join('\n');
}

/** A quoted block (the public's words in a forward), kept visibly apart from our own text. */
export function quoteHtml(text: string): string {
  return `<blockquote style="margin:0 0 1em;padding-left:1em;border-left:3px solid #ccc">\n${textToHtml(text)}\n</blockquote>`;
}

/** A link only for an https address (a provider's permalink); anything else is shown as text. */
export function linkHtml(url: string): string {
  if (!/^https:\/\/[^\s"'<>]+$/i.test(url)) return escapeHtml(url);
  return `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>`;
}

/** A table of labelled facts; labels are ours, values escaped unless given as `html`. */
export function factsHtml(rows: ReadonlyArray<{ label: string; value?: string; html?: string }>): string {
  const cells = rows
    .filter((r) => r.html !== undefined || r.value !== undefined)
    .map((r) => `<tr><th align="left" valign="top" style="padding:2px 12px 2px 0">${escapeHtml(r.label)}</th><td style="padding:2px 0">${r.html ?? escapeHtml(r.value!)}</td></tr>`);
  return `<table cellspacing="0" cellpadding="0">\n${cells.join('\n')}\n</table>`;
}

export function htmlDocument(body: string): string {
  return `<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head>\n<body style="font-family:Arial,sans-serif;font-size:14px">\n${body}\n</body></html>\n`;
}

/** Quoted text in the plain part: every line starts with "> ". */
export function quoteText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => (line ? `> ${line}` : '>'))
    .join('\n');
}
