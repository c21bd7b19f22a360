// Which lines of a comment a reader sees as lines of their own, as GitHub renders Markdown: not in
// an HTML comment (`<!-- … -->`, which GitHub does not show; a `<!--` in a code span or a fenced
// code block is text, and opens none), not a quote (`>`, nor a line that goes on a quote's
// paragraph without its `>`: Markdown's lazy continuation), not inside a fenced code block (``` or
// ~~~, closed by the same fence at least as long), a list item's quote and fence too, not indented
// 4 spaces or more (an indented code block, or the paragraph's text going on). A review command counts only on
// such a line; a line there that nearly names a command (`/keeps`, `/revoked`, `/kep`) is said to
// be none. Pure.

/** A line's list item markers (`- `, `1. `), which a quote or a fence may follow. */
const ITEMS = String.raw`(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)*`;
const FENCE = new RegExp(String.raw`^ {0,3}${ITEMS}(\`{3,}|~{3,})`);
const QUOTE = new RegExp(String.raw`^\s*${ITEMS}>`);

/** The lines a reader sees as lines of their own, as written (trimmed by the caller). */
export function shownLines(body: string): string[] {
  const shown: string[] = [];
  let fence: string | undefined;
  // A quote's paragraph goes on, without its `>`, until a blank line.
  let inQuote = false;
  // An HTML comment is hidden, to its `-->` or the comment's end: what it holds is never shown.
  const show = (line: string) => {
    if (line.trim() === '') inQuote = false;
    else if (QUOTE.test(line)) inQuote = true;
    const indent = /^[ \t]*/.exec(line)![0].replace(/\t/g, '    ').length;
    if (indent < 4 && !inQuote) shown.push(line);
  };
  // What a line showed before a comment it opened: the text after the comment's end goes on it.
  let beforeComment: string | undefined;
  for (const written of body.split(/\r?\n/)) {
    let line = written;
    if (beforeComment !== undefined) {
      const end = line.indexOf('-->');
      if (end < 0) continue;
      line = beforeComment + line.slice(end + 3);
      beforeComment = undefined;
    }
    const opened = FENCE.exec(line)?.[1];
    if (fence !== undefined) {
      // Closed by a fence of the same character, at least as long, with nothing after it.
      if (opened && opened[0] === fence[0] && opened.length >= fence.length && line.trim() === opened)
        fence = undefined;
      continue;
    }
    if (opened && !(opened[0] === '`' && line.slice(line.indexOf(opened) + opened.length).includes('`'))) {
      fence = opened;
      continue;
    }
    const uncommented = withoutComments(line);
    if (uncommented.open) beforeComment = uncommented.line;
    else show(uncommented.line);
  }
  // A comment never closed hides the rest; what its line showed before it is still shown.
  if (beforeComment !== undefined) show(beforeComment);
  return shown;
}

/**
 * A line without its HTML comments, and whether one is left open; a `<!--` inside a code span
 * (backticks, closed by as many on the line) is the span's text, as GitHub shows it, and opens none.
 */
function withoutComments(line: string): { line: string; open: boolean } {
  let shown = '';
  let at = 0;
  while (at < line.length) {
    const ticks = /^`+/.exec(line.slice(at))?.[0];
    if (ticks) {
      const close = closingTicks(line, at + ticks.length, ticks.length);
      const end = close < 0 ? at + ticks.length : close + ticks.length;
      shown += line.slice(at, end);
      at = end;
      continue;
    }
    if (line.startsWith('<!--', at)) {
      const end = line.indexOf('-->', at + 4);
      if (end < 0) return { line: shown, open: true };
      at = end + 3;
      continue;
    }
    shown += line[at];
    at += 1;
  }
  return { line: shown, open: false };
}

/** Where a run of exactly `n` backticks starts at or after `from`, or -1. */
function closingTicks(line: string, from: number, n: number): number {
  const run = new RegExp(`(?<!\`)\`{${n}}(?!\`)`, 'g');
  run.lastIndex = from;
  return run.exec(line)?.index ?? -1;
}

/** Whether a line's `/word` nearly names `/keep` or `/revoke` (a typo, or a word more). */
export function isNearMiss(line: string): boolean {
  const word = /^\/([a-z]+)/i.exec(line)?.[1]?.toLowerCase();
  if (!word) return false;
  return (
    word.startsWith('keep') ||
    word.startsWith('revok') ||
    distance(word, 'keep') <= 1 ||
    distance(word, 'revoke') <= 2
  );
}

/** Levenshtein distance. */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++)
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}
