// What a reconcile says in its job summary: the plan's rows (./reconcile-report.ts) as one diff
// table per kind of row, each with what became of it, and the changes of a kind's plan beside
// them (AWS: the permission sets'), in that kind's words: as they came to, or, in a dry run (or a
// refused plan), what each would do, its reach and its diff, which a pull request's reviewer reads.
// Every value shown passes through the inert-text helpers. Pure.
import { escapeHtml, escapeHtmlWithCode } from '../../core/inert.js';
import { conditionChangeParts, type ConditionChange } from '../../core/plan/conditions.js';
import { planCounts, type ReconcilePlan } from '../../core/plan/assignment-diff.js';
import { describeOutcome } from '../../core/output/results.js';
import type { GrantResult } from '../../core/grant-result.js';
import { tableSection, type SummaryTable } from '../../core/output/html-table.js';
import { runHeaderHtml, type RunHeader } from '../../core/output/run-header.js';
import type { KindChangeShown, KindWords } from '../../engine/run/reconciler.js';
import { CLAIMED, claimedText, countsText, UNKNOWN, type Row } from './reconcile-report.js';

/** How many rows of each kind the summary shows before it says how many more there are. */
export const SUMMARY_ROWS = 200;

/**
 * What became of the plan: a dry run's (nothing written), a refused one's (nothing written, and
 * the step FAILED), or an applied one's, with each write's result by its place in the plan.
 */
export interface PlanOutcome {
  mode: 'dry-run' | 'refused' | 'apply';
  /** Each create's result, at its index in `plan.creates`. */
  creates: (GrantResult | undefined)[];
  /** Each delete's result, at its index in `plan.deletes`; undefined for one held back. */
  deletes: (GrantResult | undefined)[];
  /** Each update's result, at its index in `plan.updates`. */
  updates?: (GrantResult | undefined)[];
  /**
   * The kinds' sections beside the assignments, each in its words: each change's result (AWS: a
   * permission set's create, update, delete or provisioning), and each as a dry run (or a refused
   * plan) shows it, its reach and its diff.
   */
  sections?: readonly SectionShown[];
}

/** A kind's section beside the assignments, as the summary shows it. */
export interface SectionShown {
  words: KindWords;
  results: GrantResult[];
  shown?: KindChangeShown[] | undefined;
}

/**
 * The summary's sections, in the order a reviewer reads them: what is taken away first, then what
 * changes, what is added, and what is left alone.
 */
const SECTIONS: readonly { action: string; heading: string }[] = [
  { action: 'delete', heading: 'Deletes' },
  { action: 'update', heading: 'Updates' },
  { action: 'create', heading: 'Creates' },
  { action: CLAIMED, heading: 'Claimed, left in place' },
  { action: UNKNOWN, heading: 'Unknown, left in place' },
  { action: 'unmanaged (left alone)', heading: 'Unmanaged, left alone' },
];

/**
 * The job summary of a reconcile: the run's header, the outcome and the counts, what the section
 * manages beyond what it names, then one section per kind of row (deletes first), each with what
 * became of it (a dry run's `would create`, an apply's `created`). How the cloud was read (its
 * API calls) is the log's, not the reviewer's.
 */
export function planSummaryHtml(
  plan: ReconcilePlan,
  context: {
    header: RunHeader;
    manifest: string;
    /** The plan's rows, as the log showed them (./reconcile-report.ts rows). */
    rows: readonly Row[];
    /** What the step came to, first in the summary: `FAILED: the plan was refused …`. */
    outcome: string;
    /** What each write came to; absent, each row says what a run would do. */
    results?: PlanOutcome;
    /** What the section manages beyond what it names, and what its OU targets expanded to, each once. */
    management?: string[];
  },
): string {
  const results = resultCells(plan, context.results);
  const mode = context.results?.mode;
  const kinds = (context.results?.sections ?? []).flatMap((section) => kindSection(section, mode!));
  const header = runHeaderHtml(context.header);
  const all = context.rows;
  const counts = planCounts(plan);
  const sections = SECTIONS.flatMap(({ action, heading }) => {
    const mine = all.flatMap((r, i) => (r.action === action ? [{ r, result: results[i] ?? '' }] : []));
    // Up to SUMMARY_ROWS of each kind: many creates never push the deletes out.
    return tableSection({
      heading,
      columns: ['kind', 'principal', 'role', 'target', 'manifest line', 'result'],
      rows: mine
        .slice(0, SUMMARY_ROWS)
        .map(({ r, result }) => [
          ...[r.kind ?? '', r.principal, r.role, r.target, r.line ? String(r.line) : ''].map((t) =>
            escapeHtml(t),
          ),
          (r.change ? `${conditionChangeHtml(r.change)}; ` : '') +
            escapeHtmlWithCode(r.claim ? `${result}: ${r.claim}` : result),
        ]),
      total: mine.length,
    });
  });
  return [
    header,
    `<p>${escapeHtmlWithCode(context.outcome)}</p>`,
    `<p>${escapeHtml(`${context.manifest}: ${countsText(counts)}${claimedText(counts)}.`)}</p>`,
    ...(context.management?.length
      ? [`<ul>${context.management.map((line) => `<li>${escapeHtmlWithCode(line)}</li>`).join('')}</ul>`]
      : []),
    ...sections,
    ...kinds,
    '',
  ].join('\n');
}

/**
 * A section's changes, in its kind's words, up to `shownRows` of them: in a dry run (or a
 * refused plan) what each would do (`would update`), whom it reaches, and its lines as the log has
 * them, folded in a <details> a reviewer opens (a long diff cut, and saying so); once applied, what
 * each came to (the service's reason for a failure), a provisioning's accounts where it ran.
 */
export function kindSection(
  kind: SectionShown,
  mode: PlanOutcome['mode'],
  shownRows = SUMMARY_ROWS,
): string[] {
  const table =
    mode === 'apply' || !kind.shown?.length
      ? resultKindTable(kind.words, kind.results, shownRows)
      : plannedKindTable(kind.words, kind.shown, mode, shownRows);
  return tableSection(table);
}

/** How much of one change's diff (a set's inline policy may be 32,768 characters) the summary shows: 200 stay within its 1 MiB. */
export const SUMMARY_DIFF_CHARS = 2000;

function plannedKindTable(
  words: KindWords,
  planned: readonly KindChangeShown[],
  mode: 'dry-run' | 'refused',
  shownRows: number,
): SummaryTable {
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
  return {
    heading: words.heading,
    columns: [words.columns[0], 'change', 'reach', 'plan'],
    rows: planned
      .slice(0, shownRows)
      .map((p) => [
        escapeHtml(p.name),
        escapeHtml(
          mode === 'refused'
            ? `would ${p.change}; FAILED: not run, the plan was refused`
            : `would ${p.change}`,
        ),
        escapeHtml(p.reach),
        diff(p.lines),
      ]),
    total: planned.length,
  };
}

function resultKindTable(words: KindWords, results: readonly GrantResult[], shownRows: number): SummaryTable {
  return {
    heading: words.heading,
    columns: [words.columns[0], 'change', words.columns[1], 'result'],
    rows: results.slice(0, shownRows).map((r) => {
      const [what, where] = words.cells(r);
      return [
        what,
        r.change,
        where,
        r.status === 'SUCCEEDED' ? 'SUCCEEDED' : `${r.status}: ${r.failureReason ?? 'no reason given'}`,
      ].map((t) => escapeHtml(t));
    }),
    total: results.length,
  };
}

/** Each row's result, in the order of `rows`: creates, deletes, the claimed, the unknown, updates, then the unmanaged. */
function resultCells(plan: ReconcilePlan, outcome: PlanOutcome | undefined): string[] {
  const planned = (change: string, r: GrantResult | undefined) =>
    r && r.status !== 'SUCCEEDED' && !r.refused
      ? `${r.status}: ${r.failureReason ?? 'no reason given'}`
      : `would ${change}`;
  const cellOf = (change: string, r: GrantResult | undefined): string => {
    if (outcome?.mode === 'refused') return `would ${change}; FAILED: not run, the plan was refused`;
    if (outcome?.mode !== 'apply') return planned(change, r);
    if (!r) return 'not run: held back (see the step’s errors)';
    return r.status === 'SUCCEEDED'
      ? describeOutcome(r, false)
      : `${r.status}: ${r.failureReason ?? 'no reason given'}`;
  };
  return [
    ...plan.creates.map((_, i) => cellOf('create', outcome?.creates[i])),
    ...plan.deletes.map((_, i) => cellOf('delete', outcome?.deletes[i])),
    ...plan.claimed.map(() => 'left in place'),
    ...plan.unknown.map(() => 'left in place'),
    ...plan.updates.map((_, i) => cellOf('update', outcome?.updates?.[i])),
    ...plan.unmanaged.map(() => 'left alone'),
  ];
}

/** How much of a condition (up to 8,192 characters) the summary shows: 200 updates stay far within its 1 MiB. */
export const SUMMARY_CONDITION_CHARS = 1000;

/**
 * What an update changes, as HTML: each condition (the file's, or the server's) escaped whole
 * inside its own <code>, so no character of it (a backtick, markup) is ever read as ours; a long
 * one is cut, and says so (the log has it whole).
 */
function conditionChangeHtml(change: ConditionChange): string {
  const code = (text: string) => {
    const cut = [...text];
    const shown =
      cut.length > SUMMARY_CONDITION_CHARS ? cut.slice(0, SUMMARY_CONDITION_CHARS).join('') : text;
    const more = cut.length - SUMMARY_CONDITION_CHARS;
    return `<code>${escapeHtml(shown)}</code>${more > 0 ? escapeHtml(` … (${more} more characters: the log shows it whole)`) : ''}`;
  };
  return conditionChangeParts(change)
    .map((p) => (p.code ? code(p.text) : escapeHtml(p.text)))
    .join('');
}
