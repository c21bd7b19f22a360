// A reconcile's job summary, the changes of a kind's plan (AWS: the permission sets) a dry run (or
// a refused plan) would make: the reviewer of a pull request reads this table, so it says `would …`
// with each change's reach and diff, in the kind's own words.
import { escapeHtml } from '../../core/inert.js';
import { htmlTable } from '../../core/output/html-table.js';
import type { KindChangeShown, KindWords } from '../../engine/run/reconciler.js';

/** How much of one change's diff (a set's inline policy may be 32,768 characters) the summary shows: 200 stay within its 1 MiB. */
export const SUMMARY_DIFF_CHARS = 2000;

/**
 * A dry run's (or a refused plan's) changes of a kind's plan: what each would do (`would update`),
 * whom it reaches, and its lines as the log has them, folded in a <details> a reviewer opens; a
 * long diff is cut, and says so. Headed and columned in the kind's words; every text escaped.
 */
export function plannedKindSection(
  words: KindWords,
  planned: readonly KindChangeShown[],
  mode: 'dry-run' | 'refused',
  rows: number,
): string[] {
  const shown = planned.slice(0, rows);
  const diff = (lines: readonly string[]) => {
    // Each line escaped on its own, so none can start a line of ours; cut at a line's end.
    const sizes = lines.map((l) => [...l].length + 1);
    let count = 0;
    for (let used = sizes[0] ?? 0; count < lines.length && used <= SUMMARY_DIFF_CHARS;)
      used += sizes[++count] ?? 0;
    const kept = lines.slice(0, count);
    const more = sizes.slice(count).reduce((n, size) => n + size, 0);
    const text = [
      ...kept.map((l) => escapeHtml(l)),
      ...(more > 0 ? [escapeHtml(`… (${more} more characters: the log shows it whole)`)] : []),
    ].join('\n');
    return `<details><summary>${lines.length} line(s)</summary><pre>${text}</pre></details>`;
  };
  const table = htmlTable(
    [words.columns[0], 'change', 'reach', 'plan'],
    shown.map((p) => [
      escapeHtml(p.name),
      escapeHtml(
        mode === 'refused' ? `would ${p.change}; FAILED: not run, the plan was refused` : `would ${p.change}`,
      ),
      escapeHtml(p.reach),
      diff(p.lines),
    ]),
  );
  return [
    `<h4>${escapeHtml(`${words.heading} (${planned.length})`)}</h4>`,
    table,
    ...(planned.length > shown.length
      ? [`<p>${planned.length - shown.length} more are in the log.</p>`]
      : []),
  ];
}
