// What a reconcile says: that a fork's plan is skipped, the plan as log lines, and the plan as the
// job summary's diff table. Every value shown passes through the inert-text helpers. Pure.
import { escapeHtml } from './inert.js';
import { planCounts, type CurrentAssignment, type ReconcilePlan } from './reconcile-plan.js';
import { named, type AssignmentNames } from './shown-names.js';
import { writesRefusedFor } from './write-events.js';

/**
 * A fork's pull request gets no OIDC token: its plan cannot sign in. Once the file itself is
 * checked, the step says so and ends well, rather than failing every outside contribution. Only on
 * events that get a plan only: on one that may write, a missing token is a set-up error.
 */
export function forkPlanSkipped(
  eventName: string | undefined,
  dryRun: boolean,
  tokenEndpoint: string | undefined,
  signsInWithToken: boolean,
): string | undefined {
  if (!dryRun || !signsInWithToken || tokenEndpoint || !eventName || !writesRefusedFor(eventName))
    return undefined;
  return `no OIDC token on this \`${eventName}\` run (a fork's pull request gets none): the manifest was checked, the plan against the cloud is skipped`;
}

/** How many rows of each kind the summary shows before it says how many more there are. */
export const SUMMARY_ROWS = 200;

type Row = { action: string; principal: string; role: string; target: string; line?: number };

/** Each part as `name (id)` where the cloud's name is known (the file's text alone when it is the name). */
const withNamesOf = (
  text: { principal: string; role: string; target: string },
  names: AssignmentNames | undefined,
) => ({
  principal: named(text.principal, names?.principal),
  role: named(text.role, names?.role),
  target: named(text.target, names?.target),
});

function rows(plan: ReconcilePlan): Row[] {
  const shown = (a: CurrentAssignment, action: string): Row => ({ action, ...withNamesOf(a.shown, a.names) });
  return [
    ...plan.creates.map((c) => ({ action: 'create', ...withNamesOf(c.written, c.names), line: c.line })),
    ...plan.deletes.map((d) => shown(d, 'delete')),
    ...plan.unmanaged.map((u) => shown(u, 'unmanaged (left alone)')),
  ];
}

/** The plan as log lines: counts, then each change and each unmanaged assignment. */
export function planLines(
  plan: ReconcilePlan,
  readStrategy: string,
  readCalls: number,
  readMs: number,
): string[] {
  const counts = planCounts(plan);
  return [
    `read: ${readStrategy}: ${readCalls} call(s) in ${readMs} ms`,
    `plan: ${counts.create} to create, ${counts.delete} to delete, ${counts.unchanged} unchanged, ${counts.unmanaged} unmanaged (listed, never deleted)`,
    ...rows(plan).map(
      (r) =>
        `  ${r.action}: ${r.principal} / ${r.role} / ${r.target}${r.line ? ` (manifest line ${r.line})` : ''}`,
    ),
  ];
}

/** The job summary's diff: the counts, then a table of every change and unmanaged assignment. */
export function planSummaryHtml(
  plan: ReconcilePlan,
  context: {
    title: string;
    manifest: string;
    readStrategy: string;
    readCalls: number;
    outcome: string;
    /** What the section manages beyond what it names (each tag form's matches), so a reviewer sees what may be deleted from. */
    ownership?: string[];
  },
): string {
  const counts = planCounts(plan);
  const all = rows(plan);
  const cell = (tag: 'th' | 'td', text: string) => `<${tag}>${escapeHtml(text)}</${tag}>`;
  const table = [
    `<tr>${['', 'principal', 'role', 'target', 'manifest line'].map((h) => cell('th', h)).join('')}</tr>`,
    ...all
      .slice(0, SUMMARY_ROWS)
      .map(
        (r) =>
          `<tr>${[symbolOf(r.action), r.principal, r.role, r.target, r.line ? String(r.line) : ''].map((t) => cell('td', t)).join('')}</tr>`,
      ),
  ];
  return [
    `<h3>${escapeHtml(context.title)}</h3>`,
    `<p>${escapeHtml(`${context.manifest}: ${counts.create} to create, ${counts.delete} to delete, ${counts.unchanged} unchanged, ${counts.unmanaged} unmanaged. ${context.outcome}`)}</p>`,
    `<p>${escapeHtml(`Read: ${context.readStrategy}, ${context.readCalls} call(s).`)}</p>`,
    ...(context.ownership?.length
      ? [`<ul>${context.ownership.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul>`]
      : []),
    ...(all.length > 0 ? [`<table>${table.join('')}</table>`] : []),
    ...(all.length > SUMMARY_ROWS ? [`<p>${all.length - SUMMARY_ROWS} more rows are in the log.</p>`] : []),
    '',
  ].join('\n');
}

function symbolOf(action: string): string {
  return action === 'create' ? '+ create' : action === 'delete' ? '− delete' : '· unmanaged';
}
