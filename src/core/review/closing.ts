// The comment that closes a campaign issue at its due date: every row's outcome (kept and by whom,
// revoked with the change's result, removed by the pull request's link, kept or revoked by
// default, claimed and left to end by itself, gone), after the counts. Past what one comment holds
// it goes on in numbered comments. Pure.
import { rowDecision } from './decisions.js';
import { packTable, MAX_BODY_CHARACTERS } from './issue-body.js';
import { code, linked, shownTime, tableHead, tableRow } from './markdown.js';
import { OUTCOMES, type Outcome, type RowOutcome } from './outcomes.js';

/** What became of a row the review revoked directly: the change's result, as `revoke` says it. */
export interface RevokeResult {
  /** `in-progress`: sent, not ended by the deadline (or `wait: false`); `skipped`: not sent (already absent). */
  status: 'revoked' | 'failed' | 'planned' | 'skipped' | 'in-progress';
  /** The failure's reason or a note, our words or inert server text. */
  detail?: string | undefined;
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

const COLUMNS = ['Row', 'Principal', 'Account or scope', 'Permission set or role', 'Outcome'];

export function closingComments(content: ClosingContent, limit = MAX_BODY_CHARACTERS): string[] {
  const counts = OUTCOMES.map((o) => [o, content.outcomes.filter((r) => r.outcome === o).length] as const)
    .filter(([, n]) => n > 0)
    .map(([o, n]) => `${OUTCOME_WORDS[o]} ${n}`);
  const head = [
    `### Access review \`${content.campaign}\` closed${content.dryRun ? ' (dry run: nothing was changed)' : ''}`,
    '',
    `${content.outcomes.length} rows: ${counts.join(', ') || 'none'}.`,
    '',
  ].join('\n');
  const lines = content.outcomes.map((o) => closingLine(o, content));
  return packTable(head, tableHead(COLUMNS), lines, limit, (part) =>
    [`Access review \`${content.campaign}\` closed, continued (part ${part}).`, ''].join('\n'),
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
  const decided = o.byDefault ? 'by default' : `as ${by} decided`;
  switch (o.outcome) {
    case 'kept':
      return `kept, as ${by} decided`;
    case 'kept-by-default':
      return 'kept by default (undecided)';
    case 'revoke': {
      const result = content.results.get(o.rowId);
      const detail = result?.detail ? `: ${code(result.detail)}` : '';
      return `revoked ${decided}: ${result ? `**${result.status}**${detail}` : 'not run'}`;
    }
    case 'pull-request': {
      const left = content.results.get(o.rowId);
      if (left)
        return `to remove ${decided} from the manifest by hand: ${code(left.detail ?? 'not removed')}`;
      return content.pullRequest
        ? `removed ${decided} by pull request ${linked(`#${content.pullRequest.number}`, content.pullRequest.url)}`
        : `to remove ${decided} from the manifest: no pull request was opened`;
    }
    case 'claimed':
      return `left: claimed, ends by itself${o.row?.expiresAt ? ` at ${shownTime(o.row.expiresAt)}` : ''} (${decided} to revoke)`;
    case 'gone':
      return `gone: no longer held${rowDecision(o.decisions) ? ` (decided ${rowDecision(o.decisions)})` : ''}`;
  }
}
