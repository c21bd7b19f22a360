// One row of a campaign issue's table: its ID, the principal (name, ID, type; a group with its
// member count and first members), account or scope, permission set or role, how it is held
// (`manifest`, `claimed` with until when, `permanent`, `foreign`, `orphaned`), since, by, where
// the review read usage when it was last used, and every decision that counts on it (by whom and
// when). Server text through core/inert-markdown.ts. Pure.
import { TOO_NEW } from '../../../core/usage/last-used.js';
import type { RowDecision } from './decisions.js';
import { code, linked, shownTime, tableHead, tableRow } from '../../../core/inert-markdown.js';
import { isClaimed, type ReviewRow, type RowUse } from './rows.js';

export const TABLE_COLUMNS = [
  'Row',
  'Principal',
  'Type',
  'Account or scope',
  'Permission set or role',
  'Held',
  'Since',
  'By',
  'Decision',
] as const;

/** The table's columns: with `usage` (the review read who last used each row), "Last used" before the decision. */
export const tableColumns = (usage: boolean): string[] =>
  usage ? [...TABLE_COLUMNS.slice(0, -1), 'Last used', 'Decision'] : [...TABLE_COLUMNS];

export const tableHeader = (usage = false): string[] => tableHead(tableColumns(usage));

/** The usage cell, where the table has one, before the decision's. */
const usageCells = (usage: boolean, cell: () => string): string[] => (usage ? [cell()] : []);

export function rowLine(
  row: ReviewRow,
  decisions: readonly RowDecision[] | undefined,
  usage = false,
): string {
  return tableRow([
    `\`${row.id}\``,
    principalCell(row),
    code(row.principalKind),
    placeCell(row),
    code(row.role ?? row.roleId),
    heldCell(row),
    sinceCell(row.grantedAt),
    code(row.grantedBy),
    ...usageCells(usage, () => lastUsedCell(row.usage, row.members?.count)),
    decisionCell(decisions),
  ]);
}

/** A row the issue listed that the latest read no longer has. */
export function goneLine(
  rowId: string,
  decisions: readonly RowDecision[] | undefined,
  usage = false,
): string {
  return listedOnlyLine(rowId, 'gone: no longer held', usage, decisionCell(decisions));
}

/**
 * A row the issue listed that another reviewer set now reviews (the reviewers file changed): kept
 * listed, so later runs still carry its decisions made here to its new issue.
 */
export function movedLine(rowId: string, reviewers: readonly string[], usage = false): string {
  return listedOnlyLine(
    rowId,
    `moved: now reviewed by ${reviewers.map(code).join(', ')} in their issue`,
    usage,
    '',
  );
}

/** A row the issue listed but the read does not show here: its ID, what became of it, and its decision cell. */
const listedOnlyLine = (rowId: string, what: string, usage: boolean, decision: string): string =>
  tableRow([`\`${rowId}\``, what, '', '', '', '', '', '', ...usageCells(usage, () => ''), decision]);

const ISO_TIME = /^(\d{4}-\d\d-\d\d)T\d\d:\d\d(:\d\d(\.\d+)?)?Z$/;
/** Our own words for a use nobody can know (core/usage/last-used.ts, unknownUsage). */
const UNKNOWN = /^unknown( \([a-z' -]{1,80}\))?$/i;

/**
 * When a row was last used, by its day: `2026-06-20` (a group's with the member who used it last,
 * and how many of its members did), `none since <day>` (marked where the evidence missed a Region
 * or a period, so it proves nothing), `too new to tell`, or `unknown`. Text of no known form is
 * shown inert, as server text is.
 */
export function lastUsedCell(usage: RowUse | undefined, members: number | undefined): string {
  if (!usage) return 'unknown';
  const { lastUsed } = usage;
  const used = ISO_TIME.exec(lastUsed);
  const none = /^none since (\S+)$/.exec(lastUsed);
  const since = none ? ISO_TIME.exec(none[1]!) : null;
  const when = used
    ? `${used[1]}${usage.lastUsedBy ? ` by ${code(usage.lastUsedBy)}` : ''}`
    : since
      ? `none since ${since[1]}${usage.complete ? '' : ' (evidence incomplete)'}`
      : lastUsed === TOO_NEW || UNKNOWN.test(lastUsed)
        ? lastUsed
        : code(lastUsed);
  const usedBy =
    usage.usedBy !== null && members !== undefined && (used || since)
      ? `<br>used by ${usage.usedBy} of ${members} ${members === 1 ? 'member' : 'members'}`
      : '';
  return `${when}${usedBy}`;
}

function principalCell(row: ReviewRow): string {
  const named =
    row.principalName && row.principalName !== row.principalId ? `${code(row.principalName)} ` : '';
  const base = `${named}${code(row.principalId)}`;
  const { members } = row;
  if (!members) return base;
  const shown = members.first.map((m) => code(m.name ?? m.id)).join(', ');
  const more =
    members.count > members.first.length ? `, and ${members.count - members.first.length} more` : '';
  const word = members.count === 1 ? 'member' : 'members';
  return `${base}<br>${members.count} ${word}${shown ? `: ${shown}${more}` : ''}`;
}

function placeCell(row: ReviewRow): string {
  if (!row.target || row.target === row.targetId) return code(row.targetId);
  return `${code(row.target)} ${code(row.targetId)}`;
}

function heldCell(row: ReviewRow): string {
  if (row.held === 'manifest') {
    const at = row.manifest
      ? ` ${code(row.manifestLine ? `${row.manifest}:${row.manifestLine}` : row.manifest)}`
      : '';
    return `manifest${at}`;
  }
  if (!isClaimed(row)) return row.held;
  const until = row.expiresAt ? ` until ${shownTime(row.expiresAt)}` : '';
  const live = row.live === false ? ', live: false' : '';
  return `claimed (${row.held})${until}${live}`;
}

/** A report's `grantedAt`: a time, or `before <time>` where the history read starts after it. */
function sinceCell(grantedAt: string | null): string {
  const bound = historyBoundOf(grantedAt);
  return bound === undefined ? shownTime(grantedAt) : `before ${shownTime(bound)}`;
}

/** The start of the history read a row's `grantedAt` of `before <time>` names; undefined for a time. */
export const historyBoundOf = (grantedAt: string | null): string | undefined =>
  grantedAt?.startsWith('before ') ? grantedAt.slice('before '.length) : undefined;

/**
 * A table's text with every Since cell of `before <time>` as the same cell. The time is where the
 * run's history read started, which moves with each run's clock: two runs a minute apart would
 * show a grant made before either read as two different texts. A cell is a whole one between
 * unescaped `|`, so no server text (always escaped inside its code span) can pass for one.
 */
export const withHistoryBoundsAsOne = (text: string): string =>
  text.replace(/(?<!\\)\| before \d{4}-\d\d-\d\d \d\d:\d\d UTC \|/g, '| before … |');

export function decisionCell(decisions: readonly RowDecision[] | undefined): string {
  if (!decisions || decisions.length === 0) return 'undecided';
  return decisions
    .map((d) => {
      const word = linked(`**${d.decision}**`, d.url);
      const reason = d.reason ? `: ${code(d.reason)}` : '';
      return `${word} by ${code(d.login)} ${shownTime(d.at)}${reason}`;
    })
    .join('<br>');
}

/**
 * Whether the issue's text is this run's. A grant made before the history read shows that read's
 * start, which moved with this run's clock; the issue's earlier bound is as true as this one where
 * every run of the campaign came after this read's start: a write to the place since an earlier
 * run would be in this read, and it found none, so the grant is the one that run saw. Where only
 * those bounds differ, the text is the same and the issue is left as it is.
 */
export function sameUnlessHistoryBounds(
  rows: readonly Pick<ReviewRow, 'grantedAt'>[],
  startedAt: string | null,
): (was: string, wanted: string) => boolean {
  const started = startedAt === null ? NaN : Date.parse(startedAt);
  const boundsHold = rows.every((r) => {
    const bound = historyBoundOf(r.grantedAt);
    return bound === undefined || Date.parse(bound) < started;
  });
  return (was, wanted) =>
    was === wanted || (boundsHold && withHistoryBoundsAsOne(was) === withHistoryBoundsAsOne(wanted));
}
