// The comment that closes a campaign issue at its due date: every row's outcome (kept and by whom,
// revoked with the change's result, removed by the pull request's link, kept or revoked by
// default, claimed and left to end by itself, gone), after the counts. Past what one comment holds
// it goes on in numbered comments. Pure.
import { rowDecision } from './decisions.js';
import { packTable, MAX_BODY_CHARACTERS } from './issue-body.js';
import { code, linked, shownTime, tableHead, tableRow } from '../../../core/inert-markdown.js';
import type { Outcome, RowOutcome } from './outcomes.js';

/** What became of a row the review revoked directly: the change's result, as `revoke` says it. */
export interface RevokeResult {
  /** `in-progress`: sent, not ended by the deadline (or `wait: false`); `skipped`: not sent (already absent). */
  status: 'revoked' | 'failed' | 'planned' | 'skipped' | 'in-progress';
  /** The failure's reason or a note, our words or inert server text. */
  detail?: string | undefined;
  /**
   * AWS: where no session fence ended the sessions the delete left (the set not opted in, the
   * fence failed, `end-sessions: false`), until when those sessions stay valid (ISO 8601 UTC).
   */
  sessionsLiveUntil?: string | undefined;
}

export interface ClosingContent {
  campaign: string;
  outcomes: readonly RowOutcome[];
  /**
   * Row ID → the result of its revoke (rows with outcome `revoke`); for a manifest's row, why the
   * pull request left it (to remove by hand).
   */
  results: ReadonlyMap<string, RevokeResult>;
  /** The pull request that removes the manifest's rows, where one was opened. */
  pullRequest?: { number: number; url: string } | undefined;
  dryRun: boolean;
}

const OUTCOME_WORDS: Record<Outcome, string> = {
  kept: 'kept',
  'kept-by-default': 'kept by default',
  revoke: 'revoked',
  'pull-request': 'removed by pull request',
  claimed: 'left (claimed)',
  gone: 'gone',
};

/**
 * What became of a row's outcome this run: `done`; `failed` (a revoke that did not end revoked);
 * `left` (a manifest's row no pull request removes: to remove by hand).
 */
export type Carried = 'done' | 'failed' | 'left';

export function carriedOut(o: RowOutcome, content: Pick<ClosingContent, 'results' | 'pullRequest'>): Carried {
  return carried(o.outcome, content.results.get(o.rowId), content.pullRequest !== undefined);
}

/**
 * The one rule: a revoke is done when it ended revoked (or had nothing left to revoke); a manifest's
 * row when the campaign's pull request removes it (a result of its own says why it does not).
 */
export function carried(outcome: Outcome, result: RevokeResult | undefined, pullRequest: boolean): Carried {
  if (outcome === 'revoke')
    return result?.status === 'revoked' || result?.status === 'skipped' ? 'done' : 'failed';
  if (outcome === 'pull-request') return result !== undefined || !pullRequest ? 'left' : 'done';
  return 'done';
}

/** Whether every row's outcome was carried out: the issue may close. */
export const allCarriedOut = (
  content: Pick<ClosingContent, 'outcomes' | 'results' | 'pullRequest'>,
): boolean => content.outcomes.every((o) => carriedOut(o, content) === 'done');

const CARRIED_WORDS: Record<Exclude<Carried, 'done'>, string> = {
  failed: 'failed',
  left: 'left for removal by hand',
};

/** The heading of the comment of a due run that carried out every row (the issue is closed after it). */
const closedHeading = (campaign: string) => `### Access review \`${campaign}\` closed`;
/** The heading of the comment of a due run that left rows not carried out (the issue stays open). */
const unfinishedHeading = (campaign: string) => `### Access review \`${campaign}\`: not finished`;

const COLUMNS = ['Row', 'Principal', 'Account or scope', 'Permission set or role', 'Outcome'];

export function closingComments(content: ClosingContent, limit = MAX_BODY_CHARACTERS): string[] {
  const carried = content.outcomes.map((o) => carriedOut(o, content));
  const word = (o: RowOutcome, i: number) =>
    carried[i] === 'done' ? OUTCOME_WORDS[o.outcome] : CARRIED_WORDS[carried[i] as 'failed' | 'left'];
  const words = [...Object.values(OUTCOME_WORDS), ...Object.values(CARRIED_WORDS)];
  const counts = words
    .map((w) => [w, content.outcomes.filter((o, i) => word(o, i) === w).length] as const)
    .filter(([, n]) => n > 0)
    .map(([w, n]) => `${w} ${n}`);
  const finished = carried.every((c) => c === 'done');
  const head = [
    `${finished ? closedHeading(content.campaign) : unfinishedHeading(content.campaign)}${content.dryRun ? ' (dry run: nothing was changed)' : ''}`,
    '',
    `${content.outcomes.length} rows: ${counts.join(', ') || 'none'}.`,
    '',
    ...(finished
      ? []
      : [
          'The rows marked **failed** or **left for removal by hand** were not carried out, so this issue stays open: the next `schedule` or `workflow_dispatch` run of the review retries them, and closes it when nothing is left.',
          '',
        ]),
  ].join('\n');
  const lines = content.outcomes.map((o) => closingLine(o, content));
  return packTable(head, tableHead(COLUMNS), lines, limit, (part) =>
    [
      `Access review \`${content.campaign}\` ${finished ? 'closed' : 'not finished'}, continued (part ${part}).`,
      '',
    ].join('\n'),
  );
}

function closingLine(o: RowOutcome, content: ClosingContent): string {
  const row = o.row;
  return tableRow([
    `\`${o.rowId}\``,
    row ? `${row.principalName ? `${code(row.principalName)} ` : ''}${code(row.principalId)}` : '—',
    row ? code(row.target ?? row.targetId) : '—',
    row ? code(row.role ?? row.roleId) : '—',
    outcomeText(o, content),
  ]);
}

export function outcomeText(o: RowOutcome, content: Pick<ClosingContent, 'results' | 'pullRequest'>): string {
  const by = o.decisions.map((d) => code(d.login)).join(', ');
  const decided = o.byDefault ? `by default${o.rule ? ` (${undecidedWhy(o)})` : ''}` : `as ${by} decided`;
  switch (o.outcome) {
    case 'kept':
      return `kept, as ${by} decided`;
    case 'kept-by-default':
      return `kept by default (${undecidedWhy(o)})`;
    case 'revoke': {
      const result = content.results.get(o.rowId);
      const detail = result?.detail ? `: ${code(result.detail)}` : '';
      const live = result?.sessionsLiveUntil ? sessionsStayValid(result.sessionsLiveUntil) : '';
      if (carriedOut(o, content) === 'failed') {
        const status = result && result.status !== 'failed' ? ` (${result.status})` : '';
        return `**failed** to revoke ${decided}${result ? `${status}${detail}` : ': not run'}${live}`;
      }
      return `revoked ${decided}: **${result!.status}**${detail}${live}`;
    }
    case 'pull-request': {
      const left = content.results.get(o.rowId);
      if (left)
        return `left for removal by hand (to remove ${decided}): ${code(left.detail ?? 'not removed')}`;
      return content.pullRequest
        ? `removed ${decided} by pull request ${linked(`#${content.pullRequest.number}`, content.pullRequest.url)}`
        : `left for removal by hand (to remove ${decided}): no pull request was opened`;
    }
    case 'claimed':
      return `left: claimed, ends by itself${o.row?.expiresAt ? ` at ${shownTime(o.row.expiresAt)}` : ''} (${decided} to revoke)`;
    case 'gone':
      return `gone: no longer held${rowDecision(o.decisions) ? ` (decided ${rowDecision(o.decisions)})` : ''}`;
  }
}

/** An undecided row, and under `revoke-unused` the rule that decided it (`revoke-unused, none since 2026-04-01`). */
export const undecidedWhy = (o: Pick<RowOutcome, 'rule'>): string =>
  o.rule ? `undecided: ${o.rule}` : 'undecided';

/** Where no session fence ended them: the sessions taken before the revoke, and until when they hold. */
const sessionsStayValid = (until: string) =>
  `. Sessions signed in before the revoke stay valid until ${shownTime(until)}: no session fence ended them`;

/** GitHub's logins, and an app's `name[bot]`: mentioned as written; anything else inert. */
const MENTIONABLE = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/;

/** The comment on an issue the review reopened: who closed it, when, why it is open again. */
export function reopenedComment(by: { login: string | null; at: string | null }, why: string): string {
  const who =
    by.login === null ? 'an unknown account' : MENTIONABLE.test(by.login) ? `@${by.login}` : code(by.login);
  return [
    `This issue was closed by ${who} at ${by.at === null ? 'an unknown time' : /^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(by.at) ? by.at : code(by.at)}, ${why}; the review reopened it.`,
    '',
    'Its decisions still count: the review closes it when its due-date run has carried out every row.',
  ].join('\n');
}
