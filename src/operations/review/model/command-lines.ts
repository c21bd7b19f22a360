// Which lines of a comment a reader sees as lines of their own, as GitHub renders Markdown: not in
// an HTML comment (`<!-- … -->`, which GitHub does not show), not a quote (`>`, nor a line that
// goes on a quote's paragraph without its `>`: Markdown's lazy continuation), not inside a fenced
// code block (``` or ~~~, closed by the same fence at least as long), not indented 4 spaces or
// more (an indented code block, or the paragraph's text going on). A review command counts only on
// such a line; a line there that nearly names a command (`/keeps`, `/revoked`, `/kep`) is said to
// be none. Pure.

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** The lines a reader sees as lines of their own, as written (trimmed by the caller). */
export function shownLines(body: string): string[] {
  const shown: string[] = [];
  let fence: string | undefined;
  // A quote's paragraph goes on, without its `>`, until a blank line.
  let inQuote = false;
  // An HTML comment is hidden, to its `-->` or the comment's end: what it holds is never shown.
  const visible = body.replace(/<!--[\s\S]*?(?:-->|$)/g, '');
  for (const line of visible.split(/\r?\n/)) {
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
    if (line.trim() === '') inQuote = false;
    else if (line.trimStart().startsWith('>')) inQuote = true;
    const indent = /^[ \t]*/.exec(line)![0].replace(/\t/g, '    ').length;
    if (indent >= 4 || inQuote) continue;
    shown.push(line);
  }
  return shown;
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
