// What a campaign issue's rows become at its due date (the first run after `due` has passed since
// the campaign started): rows decided `revoke`, and undecided ones when `default-decision:
// revoke` (or, under `revoke-unused`, nobody used within the window), are revoked, a manifest's by one pull request against the manifest (the reconcile
// applies it once merged), any other directly, as `revoke` does; a claimed row is listed and never
// revoked (it ends by itself); a row the latest read no longer has is gone. Pure.
import { printable } from '../../../core/inputs/fields.js';
import { CAMPAIGN_NAME } from '../../../core/inputs/review-inputs.js';
import { rowDecision, type RowDecision } from './decisions.js';
import { TOO_NEW } from '../../../core/usage/last-used.js';
import { historyBoundOf } from './row-cells.js';
import type { Decision, DefaultDecision } from './reviewers-file.js';
import { isClaimed, type ReviewRow, type RowUse } from './rows.js';

export const OUTCOMES = ['kept', 'kept-by-default', 'revoke', 'pull-request', 'claimed', 'gone'] as const;
/**
 * `kept`: decided keep; `kept-by-default`: undecided under `default-decision: keep`; `revoke`: to
 * revoke directly; `pull-request`: a manifest's row, removed by the pull request; `claimed`: to
 * revoke but a live claim's, left to end by itself; `gone`: no longer read.
 */
export type Outcome = (typeof OUTCOMES)[number];

export interface RowOutcome {
  rowId: string;
  /** The row as read now; undefined for a gone row. */
  row: ReviewRow | undefined;
  outcome: Outcome;
  /** The decision it stands on; null when undecided. */
  decision: Decision | null;
  /** Undecided, and the file's `default-decision` decided it. */
  byDefault: boolean;
  /** Under `revoke-unused`, the rule that decided an undecided row: `revoke-unused, none since 2026-04-01`. */
  rule?: string;
  decisions: RowDecision[];
}

/** Whether the campaign is due: `due` has passed since it started (its first issue's creation). */
export function isDue(startedAt: string, dueMs: number, now: Date): boolean {
  const start = Date.parse(startedAt);
  return Number.isFinite(start) && now.getTime() - start >= dueMs;
}

/** When a campaign started at `startedAt` is due, ISO 8601 UTC. */
export const dueAt = (startedAt: string, dueMs: number): string =>
  new Date(Date.parse(startedAt) + dueMs).toISOString();

/**
 * Each row's outcome: the rows read now, then those the issue listed that the read no longer has
 * (`listedIds`), as gone. A row granted after the due date (`late`) is never revoked by default.
 */
export function rowOutcomes(
  rows: readonly ReviewRow[],
  listedIds: readonly string[],
  byRow: ReadonlyMap<string, RowDecision[]>,
  defaultDecision: DefaultDecision,
  late: ReadonlySet<string> = new Set(),
): RowOutcome[] {
  const read = new Set(rows.map((r) => r.id));
  const outcomes = rows.map((row) =>
    late.has(row.id) && !byRow.has(row.id)
      ? { ...outcomeOf(row, [], 'keep'), rule: 'granted after the due date' }
      : outcomeOf(row, byRow.get(row.id) ?? [], defaultDecision),
  );
  const gone = [...new Set(listedIds)].filter((id) => !read.has(id));
  return [
    ...outcomes,
    ...gone.map((rowId) => ({
      rowId,
      row: undefined,
      outcome: 'gone' as const,
      decision: rowDecision(byRow.get(rowId)) ?? null,
      byDefault: false,
      decisions: byRow.get(rowId) ?? [],
    })),
  ];
}

function outcomeOf(row: ReviewRow, decisions: RowDecision[], defaultDecision: DefaultDecision): RowOutcome {
  const decided = rowDecision(decisions);
  const base = { rowId: row.id, row, decision: decided ?? null, byDefault: decided === undefined, decisions };
  const unused =
    decided === undefined && defaultDecision === 'revoke-unused' ? unusedRule(row.usage) : undefined;
  const decision = decided ?? (unused ? (unused.unused ? 'revoke' : 'keep') : defaultDecision);
  const ruled = unused ? { ...base, rule: unused.rule } : base;
  if (decision === 'keep') return { ...ruled, outcome: decided ? 'kept' : 'kept-by-default' };
  if (isClaimed(row)) return { ...ruled, outcome: 'claimed' };
  return { ...ruled, outcome: row.held === 'manifest' ? 'pull-request' : 'revoke' };
}

const day = (iso: string) => iso.slice(0, 10);

/**
 * Whether `revoke-unused` revokes an undecided row, and the rule said for it. Only a row the
 * evidence shows unused over the whole window is revoked: a row too new to tell, one whose use is
 * unknown (Azure's active assignments, a group whose members were not read, no read at all), and
 * any row of a read that missed a Region or a period are kept, since an unknown is never a delete.
 */
export function unusedRule(usage: RowUse | undefined): { unused: boolean; rule: string } {
  const rule = (why: string) => `revoke-unused, ${why}`;
  const lastUsed = usage?.lastUsed ?? 'unknown';
  if (/^\d{4}-\d\d-\d\dT/.test(lastUsed)) return { unused: false, rule: rule(`used ${day(lastUsed)}`) };
  if (lastUsed === TOO_NEW) return { unused: false, rule: rule(TOO_NEW) };
  const none = /^none since (\d{4}-\d\d-\d\dT\S+)$/.exec(lastUsed);
  if (!none) return { unused: false, rule: rule('last use unknown') };
  if (!usage!.complete) return { unused: false, rule: rule('evidence incomplete') };
  return { unused: true, rule: rule(`none since ${day(none[1]!)}`) };
}

/**
 * Whether a row's grant is known to have been made after `dueAt` (a time read, not a history
 * bound): the next campaign's, which no reviewer has seen in this one, so a due run leaves it.
 */
export function grantedAfter(row: Pick<ReviewRow, 'grantedAt'>, dueAt: string): boolean {
  if (row.grantedAt === null || historyBoundOf(row.grantedAt) !== undefined) return false;
  return Date.parse(row.grantedAt) > Date.parse(dueAt);
}

/** The campaign a run names when `campaign` is not given: its date's `<yyyy>-Q<n>`, in UTC. */
export function defaultCampaign(now: Date): string {
  return `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`;
}

/**
 * Why a `campaign` cannot be one (it is written into issue titles, hidden markers and a branch
 * name), or undefined.
 */
export function campaignProblem(campaign: string): string | undefined {
  if (CAMPAIGN_NAME.test(campaign)) return undefined;
  return `\`${printable(campaign)}\` is not a campaign name: letters, digits, \`.\`, \`_\` and \`-\`, at most 64, such as \`2026-Q3\``;
}
