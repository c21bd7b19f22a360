// A campaign issue's text: its title (`Access review <campaign>: <accounts or scopes>`), its body
// (the hidden marker, who reviews, how to decide, the commands not taken and why, the table of
// rows with their decisions) and, past what one body holds (65,536 characters), the table's
// continuation comments, numbered, each with its own marker. Rewritten whole at each run. Pure.
import { inertText } from '../../../core/inert.js';
import type { IgnoredCommand, RowDecision } from './decisions.js';
import { code, shownTime } from '../../../core/inert-markdown.js';
import { markerText, type Marker } from './marker.js';
import type { DefaultDecision } from './reviewers-file.js';
import { reviewerName, type Reviewer } from './reviewers.js';
import { goneLine, movedLine, rowLine, tableHeader } from './row-cells.js';
import type { ReviewRow } from './rows.js';
import { CURRENT_MEMBERS } from '../../../core/usage/last-used.js';

/** What one issue body or comment holds, in characters (GitHub's limit). */
export const MAX_BODY_CHARACTERS = 65_536;
/** The ignored commands the body lists (the record keeps them all). */
export const IGNORED_SHOWN = 50;
/** GitHub's limit on an issue title. */
const MAX_TITLE = 256;
const PLACES_IN_TITLE = 3;

export interface IssueContent {
  marker: Omit<Marker, 'part'>;
  reviewers: readonly Reviewer[];
  rows: readonly ReviewRow[];
  /** Rows the issue listed that the latest read no longer has. */
  gone: readonly string[];
  /** Rows the issue listed that another reviewer set reviews now, with those reviewers' names. */
  moved?: readonly { id: string; reviewers: readonly string[] }[];
  byRow: ReadonlyMap<string, RowDecision[]>;
  ignored: readonly IgnoredCommand[];
  due: { iso: string; at: string | null };
  defaultDecision: DefaultDecision;
  /** `unused-after` as written in ISO 8601 (`P90D`), under `default-decision: revoke-unused`. */
  unusedAfter?: string | undefined;
}

export interface IssueText {
  title: string;
  body: string;
  /** The table's continuation comments, parts 2 and on, in order. */
  continuations: string[];
}

export function issueTitle(campaign: string, rows: readonly ReviewRow[]): string {
  const places = [...new Set(rows.map((r) => r.target ?? r.targetId))].sort();
  const shown = places.slice(0, PLACES_IN_TITLE).join(', ');
  const more = places.length > PLACES_IN_TITLE ? ` and ${places.length - PLACES_IN_TITLE} more` : '';
  const title = inertText(`Access review ${campaign}: ${shown || 'no grants'}${more}`);
  return title.length > MAX_TITLE ? `${title.slice(0, MAX_TITLE - 1)}…` : title;
}

export function issueText(content: IssueContent, limit = MAX_BODY_CHARACTERS): IssueText {
  // The "Last used" column, where the review read who last used each row.
  const usage = content.rows.some((r) => r.usage !== undefined);
  const lines = [
    ...content.rows.map((row) => rowLine(row, content.byRow.get(row.id), usage)),
    ...content.gone.map((id) => goneLine(id, content.byRow.get(id), usage)),
    ...(content.moved ?? []).map((m) => movedLine(m.id, m.reviewers, usage)),
  ];
  const head = [markerText({ ...content.marker, part: 1 }), '', ...introOf(content), ''].join('\n');
  const [first, ...rest] = packTable(head, tableHeader(usage), lines, limit, (part) =>
    [markerText({ ...content.marker, part }), '', `Rows, continued (part ${part}).`, ''].join('\n'),
  );
  return { title: issueTitle(content.marker.campaign, content.rows), body: first!, continuations: rest };
}

/** What the body says becomes of undecided rows at the due date, under each `default-decision`. */
const UNDECIDED: Record<DefaultDecision, (window: string) => string> = {
  keep: () => 'are kept (`default-decision: keep`)',
  revoke: () => 'are revoked too (`default-decision: revoke`)',
  'revoke-unused': (window) =>
    `nobody used in the last ${window} are revoked too (\`default-decision: revoke-unused\`); used ones, ones too new to tell, and any the evidence does not cover are kept`,
};

function introOf(content: IssueContent): string[] {
  const mentions = content.reviewers.map((r) => `@${'login' in r ? r.login : reviewerName(r)}`).join(', ');
  const decided = content.rows.filter((r) => (content.byRow.get(r.id)?.length ?? 0) > 0).length;
  const due = content.due.at
    ? shownTime(content.due.at)
    : `${content.due.iso} after the campaign's first \`schedule\` or \`workflow_dispatch\` run on the default branch`;
  const undecided = UNDECIDED[content.defaultDecision](content.unusedAfter ?? 'P90D');
  return [
    `### Access review \`${content.marker.campaign}\` (${content.marker.cloud})`,
    '',
    `Reviewers: ${mentions}. ${content.rows.length} rows, ${decided} decided. Due ${due}.`,
    '',
    '**How to decide**: comment `/keep <row IDs>` (or `/keep all`) to keep, and `/revoke <row IDs> <reason>` to revoke (a reason is required), one command a line of its own (not quoted, not in a code block).',
    'Only a reviewer above decides; your later decision replaces your earlier one, and when reviewers disagree the row is revoked.',
    'An edited comment is not read: post a new one.',
    `At the due date rows decided \`revoke\` are revoked (a manifest's by one pull request; a claimed one ends by itself), and undecided rows ${undecided}.`,
    ...(content.rows.some((r) => (r.usage?.usedBy ?? null) !== null)
      ? [`U${CURRENT_MEMBERS.slice(1)}.`]
      : []),
    ...ignoredSection(content.ignored),
  ];
}

function ignoredSection(ignored: readonly IgnoredCommand[]): string[] {
  if (ignored.length === 0) return [];
  const shown = ignored.slice(-IGNORED_SHOWN).map((i) => {
    const who = i.login === null ? 'a deleted account' : `${code(i.login)} (ID ${i.accountId})`;
    return `- ${code(i.command)} by ${who} ${shownTime(i.at)}: ${i.why}`;
  });
  const more = ignored.length > IGNORED_SHOWN ? [`- and ${ignored.length - IGNORED_SHOWN} earlier`] : [];
  return ['', `**Not taken as decisions** (${ignored.length}):`, ...more, ...shown];
}

/**
 * A table's lines packed after `head` (and the table's header) into parts of at most `limit` characters, each part past
 * the first opened by `partHead(n)` and its own table header.
 */
export function packTable(
  head: string,
  tableHead: readonly string[],
  lines: readonly string[],
  limit: number,
  partHead: (part: number) => string,
): string[] {
  const header = tableHead.join('\n');
  const parts: string[] = [];
  let current = `${head}${header}`;
  let rowsInPart = 0;
  for (const line of lines) {
    if (rowsInPart > 0 && current.length + 1 + line.length > limit) {
      parts.push(current);
      current = `${partHead(parts.length + 1)}${header}`;
      rowsInPart = 0;
    }
    current += `\n${line}`;
    rowsInPart++;
  }
  parts.push(current);
  return parts;
}
