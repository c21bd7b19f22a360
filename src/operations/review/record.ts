// What a review leaves as evidence: one record per campaign issue (its rows, each decision with
// its author's login and account ID, the comment's address and time, the commands not taken and
// why, and at the close each row's outcome), the `review` output's JSON (every issue's record of
// this run), and the job summary's counts. Pure.
import type { IgnoredCommand, RowDecision } from './model/decisions.js';
import { carried, type RevokeResult } from './model/closing.js';
import type { Outcome, RowOutcome } from './model/outcomes.js';
import type { ReviewRow } from './model/rows.js';
import type { IssuePlan } from './issue-plan.js';

export interface IssueRecord {
  campaign: string;
  cloud: string;
  key: string;
  /** The issue's number; null on a run that opened none (a dry run, a `pull_request` run). */
  issue: number | null;
  reviewers: string[];
  rows: (ReviewRow & { decisions: RowDecision[] })[];
  ignored: IgnoredCommand[];
  /** At the close: each row's outcome, with its revoke's result or the pull request. */
  /** `rule`: under `revoke-unused`, what decided an undecided row (`revoke-unused, none since 2026-04-01`). */
  outcomes:
    | { rowId: string; outcome: Outcome; byDefault: boolean; rule?: string; result: RevokeResult | null }[]
    | null;
  pullRequest: string | null;
  /** At the close: the closing comment's address (or, kept open, the comment that says why). */
  closingComment: string | null;
  /** Null at the due date too where a row was not carried out: the issue stays open. */
  closedAt: string | null;
  /**
   * An issue closed because the reviewers file moved all its rows to other reviewer sets: each row,
   * the issue it moved to, and the decisions made here that it carried (each with its comment's address).
   */
  movedTo?: { rowId: string; issue: number; decisions: RowDecision[] }[];
}

export function issueRecord(
  plan: IssuePlan,
  number: number | undefined,
  close?: {
    outcomes: readonly RowOutcome[];
    results: ReadonlyMap<string, RevokeResult>;
    pullRequest?: string;
    /** When the issue was closed; undefined: it stays open (a row not carried out). */
    at: string | undefined;
    commentUrl?: string;
  },
): IssueRecord {
  const { marker, group, decisions } = plan;
  return {
    campaign: marker.campaign,
    cloud: marker.cloud,
    key: marker.key,
    issue: number ?? null,
    reviewers: [...marker.reviewers.map((r) => `${r.login} (${r.id})`), ...marker.teams],
    rows: group.rows.map((row) => ({ ...row, decisions: decisions.byRow.get(row.id) ?? [] })),
    ignored: decisions.ignored,
    outcomes: close
      ? close.outcomes.map((o) => ({
          rowId: o.rowId,
          outcome: o.outcome,
          byDefault: o.byDefault,
          ...(o.rule ? { rule: o.rule } : {}),
          result: close.results.get(o.rowId) ?? null,
        }))
      : null,
    pullRequest: close?.pullRequest ?? null,
    closingComment: close?.commentUrl || null,
    closedAt: close?.at ?? null,
  };
}

export interface ReviewCounts {
  issues: number;
  rows: number;
  decided: number;
  kept: number;
  revoked: number;
  removedByPullRequest: number;
  leftClaimed: number;
  /** Rows to revoke directly whose revoke did not end revoked. */
  failed: number;
  /** A manifest's rows no pull request removes: left for removal by hand. */
  leftByHand: number;
}

/** A record's outcome that was not carried out: `failed`, `left` (for removal by hand), or undefined. */
export function notCarriedOut(
  record: Pick<IssueRecord, 'pullRequest'>,
  o: NonNullable<IssueRecord['outcomes']>[number],
): 'failed' | 'left' | undefined {
  const was = carried(o.outcome, o.result ?? undefined, !!record.pullRequest);
  return was === 'done' ? undefined : was;
}

/** The job summary's counts: rows, issues, decided, kept, revoked, removed by pull request, left (claimed), failed, left for removal by hand. */
export function reviewCounts(records: readonly IssueRecord[]): ReviewCounts {
  const outcomes = records.flatMap((r) =>
    (r.outcomes ?? []).map((o) => ({ ...o, not: notCarriedOut(r, o) })),
  );
  const count = (...wanted: Outcome[]) => outcomes.filter((o) => wanted.includes(o.outcome)).length;
  return {
    issues: records.length,
    rows: records.reduce((n, r) => n + r.rows.length, 0),
    decided: records.reduce((n, r) => n + r.rows.filter((row) => row.decisions.length > 0).length, 0),
    kept: count('kept', 'kept-by-default'),
    revoked: outcomes.filter((o) => o.outcome === 'revoke' && o.result?.status === 'revoked').length,
    removedByPullRequest: outcomes.filter((o) => o.outcome === 'pull-request' && !o.not).length,
    leftClaimed: count('claimed'),
    failed: outcomes.filter((o) => o.not === 'failed').length,
    leftByHand: outcomes.filter((o) => o.not === 'left').length,
  };
}
