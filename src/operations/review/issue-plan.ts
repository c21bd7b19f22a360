// One reviewer set's issue, planned: the decisions its comments hold (and those carried from the
// issues its rows moved from), its rewritten body and continuation comments (written only where
// they differ), whether a closed one is reopened, and, at the due date on a run that may act, each
// row's outcome. Which issue is the set's, and which issues of the campaign are none of its own,
// is the campaign's plan (./issues-plan.ts). Pure.
import type { IssueComment } from '../../github/review-issues.js';
import type { Cloud } from '../../core/types.js';
import { decidedSince, readDecisions, type DecisionsRead } from './model/decisions.js';
import { carriedDecisions, withCarried, type MovedFrom } from './model/moved-rows.js';
import { issueText } from './model/issue-body.js';
import { markerText, readMarker, sameIssue, type Marker } from './model/marker.js';
import { dueAt, grantedAfter, rowOutcomes, type RowOutcome } from './model/outcomes.js';
import type { ReviewersFile } from './model/reviewers-file.js';
import { reviewerName, type Reviewer } from './model/reviewers.js';
import { sameUnlessHistoryBounds } from './model/row-cells.js';
import type { ReviewAssignment, ReviewGroup } from './model/rows.js';

/** A campaign issue as read this run, with its comments (read only for this campaign's issues). */
export interface IssueRead {
  number: number;
  /** Its address, for a warning that names it. */
  url?: string;
  title: string;
  body: string;
  state: 'open' | 'closed';
  createdAt: string;
  /** When it was last closed; null (or absent) while open. */
  closedAt?: string | null;
  author: { login: string; id: number; type: string } | null;
  comments: IssueComment[];
}

export interface PlanInput {
  campaign: string;
  cloud: Cloud;
  assignment: ReviewAssignment;
  file: ReviewersFile;
  issues: readonly IssueRead[];
  /** Reviewer logins (lower-cased) → account IDs, pinned in the reviewers file or looked up this run. */
  resolved: ReadonlyMap<string, number>;
  /** When the campaign started (./campaign-start.ts), ISO 8601; null: not yet. */
  startedAt: string | null;
  /** Why a decision by `accountId` on `rowId` is self-review, or undefined (./self-review.ts). */
  ownAccess?: (accountId: number, rowId: string) => string | undefined;
  /** `org/team` (lower-cased) → members this run read. */
  teams: ReadonlyMap<string, ReadonlyMap<string, number>>;
  now: Date;
  /**
   * A `schedule` or `workflow_dispatch` run, which acts at the due date, or a run that only plans
   * (which says what it would do): each row's outcome is planned at the due date.
   */
  mayAct: boolean;
  /**
   * A pull request of the campaign's branch exists, open, merged or closed: the removal of its
   * manifest rows was made (a person merges or declines it). Read only where a closed issue may be
   * reopened (./campaign-github.ts).
   */
  removalPullMade?: boolean;
}

export type CommentWrite = { create: string } | { update: number; body: string };

export interface IssuePlan {
  group: ReviewGroup;
  marker: Omit<Marker, 'part'>;
  /** The issue found by its marker; undefined: one to open. */
  number: number | undefined;
  closed: boolean;
  /**
   * A closed issue to reopen, and why: closed before the due date (by someone else: the review
   * closes only at it), or with rows its due run did not carry out. Its decisions still count.
   */
  reopen: string | undefined;
  /** The body and title to write (open, or update where they differ); undefined: unchanged. */
  write: { title: string; body: string } | undefined;
  comments: CommentWrite[];
  decisions: DecisionsRead;
  /** Reviewer logins that are no GitHub account (none opened on them). */
  unresolved: string[];
  /** At the due date of a run that acts: every row's outcome. */
  outcomes: RowOutcome[] | undefined;
}

/** The action's own comments (its continuation parts) are a bot's; a bot never decides. */
export const isBot = (c: IssueComment) => c.author?.type === 'Bot';

/** An issue's table: its continuation parts (the bot's comments with its marker) and the row IDs it lists. */
export function tableOf(issue: IssueRead | undefined, marker: Pick<Marker, 'campaign' | 'cloud' | 'key'>) {
  const parts = (issue?.comments ?? [])
    .filter(isBot)
    .filter((c) => sameIssue(readMarker(c.body), marker) && readMarker(c.body)!.part >= 2);
  return { parts, listed: listedRowIds([issue?.body ?? '', ...parts.map((c) => c.body)]) };
}

export function planIssue(
  input: PlanInput,
  group: ReviewGroup,
  issue: IssueRead | undefined,
  later: readonly IssueRead[],
  campaign: { startedAt: string | null; due: boolean },
  moves: { sources: readonly MovedFrom[]; groupOfRow: ReadonlyMap<string, ReviewGroup> },
): IssuePlan {
  const logins = group.reviewers.filter((r): r is { login: string } => 'login' in r);
  const unresolved = issue
    ? []
    : logins.filter((r) => !input.resolved.has(r.login.toLowerCase())).map((r) => r.login);
  const marker: Omit<Marker, 'part'> = {
    campaign: input.campaign,
    cloud: input.cloud,
    key: group.key,
    reviewers: logins.flatMap((r) => {
      const id = input.resolved.get(r.login.toLowerCase());
      return id === undefined ? [] : [{ login: r.login, id }];
    }),
    teams: group.reviewers.filter((r) => 'team' in r).map(reviewerName),
  };
  const { parts, listed: listedAll } = tableOf(issue, marker);
  const read = new Set(group.rows.map((r) => r.id));
  // A listed row another set reviews now moved to its issue (the reviewers file changed): it stays
  // listed here as moved, and is neither this issue's row nor gone.
  const movedAway = listedAll.filter((id) => !read.has(id) && moves.groupOfRow.has(id));
  const listed = listedAll.filter((id) => !movedAway.includes(id));
  const rowIds = [...new Set([...group.rows.map((r) => r.id), ...listedAll])];
  // Reviewers' comments decide on any issue with the marker, the later ones' too.
  const others = [issue, ...later].flatMap((i) => (i?.comments ?? []).filter((c) => !isBot(c)));
  const who = {
    ...issueReviewers(marker, group.reviewers, input.teams),
    ...(input.ownAccess ? { ownAccess: input.ownAccess } : {}),
  };
  const due = dueAt(campaign.startedAt ?? input.now.toISOString(), input.file.due.ms);
  // A grant made after the due date is the next campaign's unless the issue listed it before this
  // run (granted again after a revoke, say); then only decisions made since decide it, never a
  // default: where a create names its caller (CloudTrail's, which a create of what exists cannot
  // move). A time only the creation-status list gave may be such a create: no decision is voided.
  const after = group.rows.filter((r) => grantedAfter(r, due));
  const late = new Map(after.filter((r) => r.grantedBy !== null).map((r) => [r.id, r.grantedAt!]));
  const decisions = decidedSince(
    withCarried(readDecisions(others, rowIds, who), carriedDecisions(moves.sources, read, who)),
    late,
  );
  const text = issueText({
    marker,
    reviewers: group.reviewers,
    rows: group.rows,
    gone: listed.filter((id) => !read.has(id)),
    moved: movedAway.map((id) => ({ id, reviewers: moves.groupOfRow.get(id)!.reviewers.map(reviewerName) })),
    byRow: decisions.byRow,
    ignored: decisions.ignored,
    due: {
      iso: input.file.due.iso,
      at: campaign.startedAt === null ? null : dueAt(campaign.startedAt, input.file.due.ms),
    },
    defaultDecision: input.file.defaultDecision,
    unusedAfter: input.file.unusedAfter?.iso,
  });
  const reviewed = group.rows.filter((r) => !after.includes(r) || listed.includes(r.id));
  const outcomesNow = () =>
    rowOutcomes(reviewed, listed, decisions.byRow, input.file.defaultDecision, new Set(late.keys()));
  const reopen = issue
    ? reopening(issue, { ...input, dueAt: due, isDue: campaign.due, outcomes: outcomesNow })
    : undefined;
  const closed = issue?.state === 'closed' && !reopen;
  const same = sameUnlessHistoryBounds(group.rows, campaign.startedAt);
  const changed = !issue || !same(issue.body, text.body) || issue.title !== text.title;
  return {
    group,
    marker,
    number: issue?.number,
    closed,
    reopen,
    write: closed || !changed ? undefined : { title: text.title, body: text.body },
    comments: closed ? [] : continuationWrites(text.continuations, parts, marker, same),
    decisions,
    unresolved,
    outcomes: campaign.due && input.mayAct && issue && !closed ? outcomesNow() : undefined,
  };
}

/**
 * Why a closed issue is reopened, or undefined. Closed before the due date: someone closed it (the
 * review closes only at it), and its decisions still count. Closed at or after it, on a due run
 * that acts: where the cloud still holds a row to revoke, or a manifest row whose removal no pull
 * request of the campaign's branch made, whoever closed it. Nothing written in the issue decides
 * this: every workflow with `issues: write` comments and closes as the same bot.
 */
function reopening(
  issue: IssueRead,
  at: PlanInput & { dueAt: string; isDue: boolean; outcomes: () => RowOutcome[] },
): string | undefined {
  if (issue.state !== 'closed') return undefined;
  const closedAt = issue.closedAt ? Date.parse(issue.closedAt) : NaN;
  if (!(closedAt >= Date.parse(at.dueAt))) return 'before the due date';
  if (!at.isDue || !at.mayAct) return undefined;
  const toDo = at
    .outcomes()
    .some((o) => o.outcome === 'revoke' || (o.outcome === 'pull-request' && !at.removalPullMade));
  return toDo ? 'with rows not carried out at the due date' : undefined;
}

function issueReviewers(
  marker: Omit<Marker, 'part'>,
  reviewers: readonly Reviewer[],
  teams: PlanInput['teams'],
) {
  return {
    reviewers,
    resolved: new Map(marker.reviewers.map((r) => [r.login.toLowerCase(), r.id])),
    teams,
  };
}

/** The row IDs a body's table lists: its lines that open with a row ID cell. */
export function listedRowIds(bodies: readonly string[]): string[] {
  return bodies.flatMap((b) => [...b.matchAll(/^\| `([0-9a-f]{8})` \|/gm)].map((m) => m[1]!));
}

/**
 * The continuation comments to write: each part rewritten where it differs, created where the
 * issue has none yet; a part no longer needed is emptied to its marker, never deleted.
 */
function continuationWrites(
  wanted: readonly string[],
  parts: readonly IssueComment[],
  marker: Omit<Marker, 'part'>,
  same: (was: string, wanted: string) => boolean,
): CommentWrite[] {
  const byPart = new Map(parts.map((c) => [readMarker(c.body)!.part, c]));
  const writes: CommentWrite[] = [];
  wanted.forEach((body, i) => {
    const existing = byPart.get(i + 2);
    if (!existing) writes.push({ create: body });
    else if (!same(existing.body, body)) writes.push({ update: existing.id, body });
  });
  for (const [part, c] of byPart) {
    if (part < wanted.length + 2) continue;
    const empty = `${markerText({ ...marker, part })}\n\nNo more rows.`;
    if (c.body !== empty) writes.push({ update: c.id, body: empty });
  }
  return writes;
}
