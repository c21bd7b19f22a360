// The decisions on a campaign issue's rows, read from its comments: `/keep <row IDs | all>` and
// `/revoke <row IDs> <reason>`, one command a line of its own (any case), outside quotes and code
// blocks (what a comment shows as a command is one). A command counts only from a reviewer of the
// issue, checked by login and numeric account ID (a login pinned in the reviewers file by its ID
// alone, whatever it is called now; an unpinned one as this run resolved it; a team's member as
// this run read the team), never from a bot, never from a comment edited after it was made, and
// never on a row that grants its author (self-review, unless the reviewers file allows it); every other command, and a line that nearly is one (`/keeps`,
// `/revoked`), is listed as ignored, with why. A reviewer's later decision on a row replaces their
// earlier one; reviewers who disagree leave the row `revoke`. Why a command is not taken is said
// in our own words, never the comment's text (the issue shows it as Markdown).
// Pure.
import type { IssueComment } from '../../../github/review-issues.js';
import type { Decision } from './reviewers-file.js';
import { isNearMiss, shownLines } from './command-lines.js';
import { reviewerName, type Reviewer } from './reviewers.js';

/** Who may decide on an issue's rows. */
export interface IssueReviewers {
  reviewers: readonly Reviewer[];
  /** Each reviewer login (lower-cased) → its account ID: pinned in the reviewers file, or resolved this run. */
  resolved: ReadonlyMap<string, number>;
  /** Each `org/team` (lower-cased) → its members as this run read them: login (lower-cased) → ID. */
  teams: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** Why a decision by `accountId` on `rowId` is self-review (the row grants them), or undefined. */
  ownAccess?: (accountId: number, rowId: string) => string | undefined;
}

export interface RowDecision {
  rowId: string;
  decision: Decision;
  reason: string | null;
  login: string;
  accountId: number;
  at: string;
  url: string;
}

export interface IgnoredCommand {
  url: string;
  login: string | null;
  accountId: number | null;
  at: string;
  /** The command as written (one line, shortened). */
  command: string;
  why: string;
}

export interface DecisionsRead {
  /** Each row's decisions that count: each reviewer's latest, in the order they were made. */
  byRow: Map<string, RowDecision[]>;
  ignored: IgnoredCommand[];
}

const COMMAND = /^\/(keep|revoke)(\s|$)/i;

/** The commands of a comment: its lines that are `/keep` or `/revoke` commands (./command-lines.ts). */
export function commandLines(body: string): string[] {
  return shownLines(body)
    .map((l) => l.trim())
    .filter((l) => COMMAND.test(l));
}

/** The lines of a comment that look like a review command but are not one (`/keeps`, `/Revoked`), each with why. */
export function nearMisses(body: string): { line: string; why: string }[] {
  return shownLines(body)
    .map((l) => l.trim())
    .filter((l) => !COMMAND.test(l) && isNearMiss(l))
    .map((line) => ({
      line,
      why: `\`/${(/^\/([a-z]*)/i.exec(line)?.[1] ?? '').toLowerCase()}\` is not a review command: write \`/keep <row IDs>\` or \`/revoke <row IDs> <reason>\`, the command alone at the start of its line`,
    }));
}

/** Every comment's commands, oldest first; `rowIds`: the issue's rows. */
export function readDecisions(
  comments: readonly IssueComment[],
  rowIds: readonly string[],
  who: IssueReviewers,
): DecisionsRead {
  const byRow = new Map<string, RowDecision[]>();
  const ignored: IgnoredCommand[] = [];
  const ordered = [...comments].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id - b.id);
  for (const comment of ordered) {
    const lines = commandLines(comment.body);
    for (const miss of nearMisses(comment.body)) ignored.push(ignoredOf(comment, miss.line, miss.why));
    if (lines.length === 0) continue;
    const refused = authorRefused(comment, who);
    for (const line of lines) {
      const ignore = (why: string) => ignored.push(ignoredOf(comment, line, why));
      if (refused) {
        ignore(refused);
        continue;
      }
      const command = parseCommand(line, rowIds);
      if (typeof command === 'string') {
        ignore(command);
        continue;
      }
      for (const rowId of command.rows) {
        const own = who.ownAccess?.(comment.author!.id, rowId);
        if (own)
          ignore(
            `self-review: row \`${rowId}\` ${own}, and the reviewers file does not allow it (\`self-review: true\`)`,
          );
        else record(byRow, { rowId, ...command, ...by(comment) });
      }
    }
  }
  return { byRow, ignored };
}

function ignoredOf(comment: IssueComment, line: string, why: string): IgnoredCommand {
  return {
    url: comment.url,
    login: comment.author?.login ?? null,
    accountId: comment.author?.id ?? null,
    at: comment.createdAt,
    command: line.length > 200 ? `${line.slice(0, 200)}…` : line,
    why,
  };
}

const by = (c: IssueComment) => ({
  login: c.author!.login,
  accountId: c.author!.id,
  at: c.createdAt,
  url: c.url,
});

/** A reviewer's decision replaces their earlier one on the same row. */
function record(byRow: Map<string, RowDecision[]>, decision: RowDecision): void {
  const others = (byRow.get(decision.rowId) ?? []).filter((d) => d.accountId !== decision.accountId);
  byRow.set(decision.rowId, [...others, decision]);
}

/** Why the comment's author may not decide, or undefined when they may. */
export function authorRefused(comment: IssueComment, who: IssueReviewers): string | undefined {
  const { author } = comment;
  if (!author) return 'its author is a deleted account';
  if (author.type === 'Bot' || /\[bot\]$/i.test(author.login)) return 'its author is a bot';
  if (Date.parse(comment.updatedAt) > Date.parse(comment.createdAt))
    return 'the comment was edited after it was made: post the decision as a new comment';
  const login = author.login.toLowerCase();
  for (const r of who.reviewers) {
    // A pinned reviewer is their account ID, whatever their login is now (renamed since).
    if ('login' in r) {
      if (
        r.id !== undefined
          ? r.id === author.id
          : r.login.toLowerCase() === login && who.resolved.get(login) === author.id
      )
        return undefined;
    } else if (who.teams.get(reviewerName(r))?.get(login) === author.id) return undefined;
  }
  const resolved = who.resolved.get(login);
  if (resolved !== undefined)
    return `its author has a reviewer's login but not that reviewer's account ID (${resolved}, as the reviewers file pins it or GitHub resolves the login now)`;
  return NOT_A_REVIEWER;
}

/** Why a command is not taken when its author, a person whose comment stands, reviews none of its rows. */
export const NOT_A_REVIEWER = 'its author is not a reviewer of these rows';

interface Command {
  decision: Decision;
  rows: string[];
  reason: string | null;
}

const ROW_ID = /^[0-9a-f]{8}$/i;

/** A command line, or why it is not a decision. */
export function parseCommand(line: string, rowIds: readonly string[]): Command | string {
  const [head, ...rest] = line.split(/\s+/);
  const decision: Decision = head!.toLowerCase() === '/keep' ? 'keep' : 'revoke';
  const tokens = rest
    .join(' ')
    .split(/[\s,]+/)
    .filter(Boolean);
  const ids: string[] = [];
  let i = 0;
  for (; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (decision === 'keep' && t.toLowerCase() === 'all') ids.push(...rowIds);
    else if (ROW_ID.test(t)) ids.push(t.toLowerCase());
    else break;
  }
  const reason = tokens.slice(i).join(' ');
  if (ids.length === 0 && decision === 'revoke' && tokens[0]?.toLowerCase() === 'all')
    return '`/revoke` takes row IDs, not `all`: name each row to revoke';
  if (ids.length === 0) return `\`/${decision}\` names no row ID`;
  const unknown = ids.filter((id) => !rowIds.includes(id));
  if (unknown.length > 0)
    return `no row of this issue has the ID ${unknown.map((u) => `\`${u}\``).join(', ')}`;
  if (decision === 'keep' && reason !== '') return '`/keep` takes only row IDs or `all`';
  if (decision === 'revoke' && reason === '') return '`/revoke` needs a reason after the row IDs';
  return { decision, rows: [...new Set(ids)], reason: decision === 'revoke' ? reason : null };
}

/**
 * Only the decisions made since each row of `grantedAt` (row ID → its grant's time, read, after the
 * due date: revoked and granted again, say) was granted: one made before decided on the grant it
 * replaced, and is listed as ignored.
 */
export function decidedSince(read: DecisionsRead, grantedAt: ReadonlyMap<string, string>): DecisionsRead {
  if (grantedAt.size === 0) return read;
  const byRow = new Map<string, RowDecision[]>();
  const ignored = [...read.ignored];
  for (const [rowId, all] of read.byRow) {
    const since = grantedAt.get(rowId);
    const kept = all.filter((d) => since === undefined || Date.parse(d.at) >= Date.parse(since));
    for (const d of all.filter((x) => !kept.includes(x)))
      ignored.push({
        ...{ url: d.url, login: d.login, accountId: d.accountId, at: d.at },
        command: `/${d.decision} ${rowId}`,
        why: `made before row \`${rowId}\` was granted again (${since}, after the due date): it decided on the grant before`,
      });
    if (kept.length > 0) byRow.set(rowId, kept);
  }
  return { byRow, ignored };
}

/** A row's decision: `revoke` when any reviewer's latest is (the stricter), else `keep`, else none. */
export function rowDecision(decisions: readonly RowDecision[] | undefined): Decision | undefined {
  if (!decisions || decisions.length === 0) return undefined;
  return decisions.some((d) => d.decision === 'revoke') ? 'revoke' : 'keep';
}
