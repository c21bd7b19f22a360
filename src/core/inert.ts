// Text from a server or the cloud's directory (failure reasons, error messages, names, request
// IDs) is data, never instructions. The runner reads every line a step prints and obeys two forms
// of workflow command: `::name::…` at the start of a line (after leading white space), and the
// legacy `##[name]…` anywhere in a line (`##[add-mask]`, `##[stop-commands]`, `##[warning]` …). The
// job summary is HTML. So every string that leaves the action passes through one of these. Pure.

/**
 * Escapes text for one log line, annotation or output value: `%`, CR and LF as the runner's
 * command escaping writes them (`%25`, `%0D`, `%0A`), so the text can never begin a line of its
 * own; every other control, format (U+202E, U+200B …) or line-separator character as its UTF-8
 * percent escape, so nothing is hidden or reordered on screen. The two command forms are broken
 * the same way, visibly: the `#` of every `##[` becomes `%23`, and a leading `::` becomes `%3A:`
 * (the text may be the start of a line: a log message, or an output a workflow echoes). `%`
 * itself is always escaped first, so `%23` and `%3A` in the result only ever stand for `#` and
 * `:`, and the runner's own unescaping of command data (`%25`, `%0D`, `%0A`) cannot make a `#`.
 */
export function inertText(text: string): string {
  return text
    .replace(/[%\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, (ch) =>
      ch === '\t' ? ch : encodeURIComponent(ch).toUpperCase(),
    )
    .replace(/##\[/g, '%23%23[')
    .replace(/^(\s*):(?=:)/u, '$1%3A');
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** For the job summary (HTML): markup in a server's text is shown, not rendered; then as `inertText`. */
export function escapeHtml(text: string): string {
  return inertText(text).replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch]!);
}

/**
 * For the job summary, the action's own sentences (a failure reason, an outcome): as `escapeHtml`,
 * and each `code` span they mark (an input, a value to write) as <code>. The summary is raw HTML,
 * where GitHub shows a backtick as it is. Only markup of our own is added: the text is escaped
 * first, so what a server sent inside a span stays text.
 */
export function escapeHtmlWithCode(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

/**
 * JSON for a step output. JSON.stringify writes control characters as escapes already; format and
 * line-separator characters are escaped too, so the text is one inert line that parses to the
 * same value. The `#` of every `##[` is written `\u0023`, so the JSON text carries no legacy
 * command either (a workflow may echo the whole output); it starts with `[`, `{` or `"`, never
 * `::`. In JSON text a `#` is always inside a string and never part of an escape, so the
 * replacement keeps the value.
 */
export function inertJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/[\p{Cf}\p{Zl}\p{Zp}]/gu, (ch) =>
      Array.from({ length: ch.length }, (_, i) => unicodeEscape(ch.charCodeAt(i))).join(''),
    )
    .replace(/##\[/g, `${unicodeEscape(0x23)}${unicodeEscape(0x23)}[`);
}

const unicodeEscape = (code: number): string => `\\u${code.toString(16).padStart(4, '0')}`;

/** `inertText` applied to every string inside a JSON-like value. */
export function inertDeep(value: unknown): unknown {
  if (typeof value === 'string') return inertText(value);
  if (Array.isArray(value)) return value.map(inertDeep);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [inertText(k), inertDeep(v)]));
  return value;
}
