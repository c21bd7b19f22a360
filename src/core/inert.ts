// Text from a server or the cloud's directory (failure reasons, error messages, names, request
// IDs) is data, never instructions. The runner reads every line a step prints and obeys the ones
// that start with `::` (`::add-mask::`, `::stop-commands::`, `::warning::` …), and the job summary
// is HTML. So every string that leaves the action passes through one of these two. Pure.

/**
 * Escapes text for one log line, annotation or output value: `%`, CR and LF as the runner's
 * command escaping writes them (`%25`, `%0D`, `%0A`), so the text can never begin a line of its
 * own; every other control, format (U+202E, U+200B …) or line-separator character as its UTF-8
 * percent escape, so nothing is hidden or reordered on screen.
 */
export function inertText(text: string): string {
  return text.replace(/[%\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, (ch) =>
    ch === '\t' ? ch : encodeURIComponent(ch).toUpperCase(),
  );
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
 * JSON for a step output. JSON.stringify writes control characters as escapes already; format and
 * line-separator characters are escaped too, so the text is one inert line that parses to the
 * same value.
 */
export function inertJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\p{Cf}\p{Zl}\p{Zp}]/gu, (ch) =>
    Array.from({ length: ch.length }, (_, i) => `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`).join(
      '',
    ),
  );
}

/** `inertText` applied to every string inside a JSON-like value. */
export function inertDeep(value: unknown): unknown {
  if (typeof value === 'string') return inertText(value);
  if (Array.isArray(value)) return value.map(inertDeep);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [inertText(k), inertDeep(v)]));
  return value;
}
