// Rows that moved between a campaign's issues: when the reviewers file changes so that a row's
// reviewer set (and so its issue) changes mid-campaign, the row joins its new set's issue. The
// decisions on it in an issue that listed it before are carried where their author still reviews
// it (each keeps its comment's address: the evidence of who decided, where and when); a command on
// it by a person who does not review it now is dropped, and listed as such. The issue it left keeps
// it in its table as moved, so later runs still carry what was decided there; an issue left with no
// rows is closed with a comment linking the issues its rows moved to. Pure.
import type { IssueComment } from '../../../github/review-issues.js';
import {
  authorRefused,
  commandLines,
  NOT_A_REVIEWER,
  parseCommand,
  readDecisions,
  type DecisionsRead,
  type IgnoredCommand,
  type IssueReviewers,
  type RowDecision,
} from './decisions.js';
import { code } from '../../../core/inert-markdown.js';

/** An issue of the campaign that lists rows another reviewer set now reviews. */
export interface MovedFrom {
  /** Its people's comments (the action's own, a bot's, never decide). */
  comments: readonly IssueComment[];
  /** The rows its table lists: what its `/keep all` covers. */
  listed: readonly string[];
}

/**
 * The decisions an issue's rows carry from the issues that listed them before (`sources`), as the
 * issue's reviewers (`who`) may make them; `rows`: the issue's rows. A command by a person who
 * does not review the row now is listed as dropped; what else was not taken stays listed where it
 * was written.
 */
export function carriedDecisions(
  sources: readonly MovedFrom[],
  rows: ReadonlySet<string>,
  who: IssueReviewers,
): DecisionsRead {
  const byRow = new Map<string, RowDecision[]>();
  const ignored: IgnoredCommand[] = [];
  for (const source of sources) {
    const moved = source.listed.filter((id) => rows.has(id));
    if (moved.length === 0) continue;
    // Only a command that names the row is carried: a `/keep all` covered what its issue listed when
    // it was written, and that list (its body, which any workflow with `issues: write` may edit)
    // proves nothing of what its author saw.
    const read = readDecisions(source.comments.map(withoutKeepAll), source.listed, who);
    for (const id of moved) for (const d of read.byRow.get(id) ?? []) keepLatest(byRow, d);
    ignored.push(
      ...read.ignored.filter((i) => moved.some((id) => i.why.startsWith(`self-review: row \`${id}\``))),
      ...dropped(source, new Set(moved), who),
    );
  }
  return { byRow, ignored };
}

/** The comment without its `/keep … all` lines, which name no row. */
const withoutKeepAll = (comment: IssueComment): IssueComment => ({
  ...comment,
  body: comment.body
    .split(/\r?\n/)
    .filter((line) => !/^\s*\/keep\b.*\ball\b/i.test(line))
    .join('\n'),
});

/** Commands on moved rows by people who are no reviewer of them now: dropped, with why. */
function dropped(source: MovedFrom, moved: ReadonlySet<string>, who: IssueReviewers): IgnoredCommand[] {
  const out: IgnoredCommand[] = [];
  for (const comment of source.comments) {
    if (authorRefused(comment, who) !== NOT_A_REVIEWER) continue;
    for (const line of commandLines(comment.body)) {
      const command = parseCommand(line, source.listed);
      const hit = typeof command === 'string' ? [] : command.rows.filter((id) => moved.has(id));
      if (hit.length === 0) continue;
      out.push({
        url: comment.url,
        login: comment.author!.login,
        accountId: comment.author!.id,
        at: comment.createdAt,
        command: line.length > 200 ? `${line.slice(0, 200)}…` : line,
        why: `dropped: row ${hit.map((id) => `\`${id}\``).join(', ')} moved here when the reviewers file changed, and its author does not review it now`,
      });
    }
  }
  return out;
}

/** One reviewer's decision on a row: their latest, wherever it was made. */
function keepLatest(byRow: Map<string, RowDecision[]>, decision: RowDecision): void {
  const had = byRow.get(decision.rowId) ?? [];
  const earlier = had.find((d) => d.accountId === decision.accountId);
  if (earlier && earlier.at > decision.at) return;
  const others = had.filter((d) => d.accountId !== decision.accountId);
  byRow.set(
    decision.rowId,
    [...others, decision].sort((a, b) => a.at.localeCompare(b.at)),
  );
}

/** An issue's own decisions with those its rows carried from where they were before. */
export function withCarried(own: DecisionsRead, carried: DecisionsRead): DecisionsRead {
  if (carried.byRow.size === 0 && carried.ignored.length === 0) return own;
  const byRow = new Map<string, RowDecision[]>();
  for (const source of [carried.byRow, own.byRow])
    for (const decisions of source.values()) for (const d of decisions) keepLatest(byRow, d);
  const ignored = [...carried.ignored, ...own.ignored].sort((a, b) => a.at.localeCompare(b.at));
  return { byRow, ignored };
}

/** The comment that closes an issue whose rows all moved: where each went, and what of its decisions. */
export function movedComment(campaign: string, moves: readonly { rowId: string; issue: number }[]): string {
  const to = [...new Set(moves.map((m) => m.issue))].sort((a, b) => a - b);
  return [
    `### Access review \`${campaign}\`: rows moved`,
    '',
    `The reviewers file changed: every row of this issue is now reviewed by another reviewer set, in ${to.map((n) => `#${n}`).join(', ')}. This issue is closed; the campaign goes on there.`,
    '',
    'Decisions made here by reviewers who still review a row were carried with it (each links back to its comment here); decisions of reviewers who no longer review it were dropped, and are listed there as such.',
    '',
    ...moves.map((m) => `- ${code(m.rowId)} → #${m.issue}`),
  ].join('\n');
}
