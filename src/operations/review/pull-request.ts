// The one pull request a campaign opens at its due date for the rows a manifest holds (the review
// never writes to the cloud for them: the reconcile applies the merged manifest). On branch
// `cloud-access-review/<campaign>`, reused while its pull request is open; each manifest path's
// copy on the default branch, read at its head, edited and committed on the branch made at that
// head (github/manifest-pulls.ts, which a report's prune shares). A row the edit cannot remove is
// left, with why. An open pull request on the branch is reused only when it holds exactly that edit.
import { undecidedWhy, type RevokeResult } from './model/closing.js';
import { code, tableHead, tableRow } from '../../core/inert-markdown.js';
import type { RowOutcome } from './model/outcomes.js';
import type { UnitAccounts } from '../../core/inputs/org-targets.js';
import type { ReviewRow } from './model/rows.js';
import type { ReviewApi } from '../../github/review-api.js';
import type { PullRequestRef } from '../../github/review-pulls.js';
import { openRemovalPull, removalEdits, type RemovalWords } from '../../github/manifest-pulls.js';

export interface ManifestPull {
  /** The pull request (opened now, or open already on the branch); none when nothing was removed. */
  pullRequest: PullRequestRef | undefined;
  /** Rows left in the manifest, as results: `skipped` with why (the closing comment says to remove them by hand). */
  left: Map<string, RevokeResult>;
}

export const reviewBranch = (campaign: string): string => `cloud-access-review/${campaign}`;

const REVIEW_WORDS: RemovalWords = {
  by: 'the review',
  ours: "this review's removal",
  rows: 'the decided rows',
  rerun: 'run the review again',
};

/** Opens (or finds) the pull request that removes the outcomes' manifest rows. */
export async function removeByPullRequest(
  api: ReviewApi,
  campaign: string,
  outcomes: readonly RowOutcome[],
  accountsUnder: (units: readonly string[]) => Promise<Map<string, UnitAccounts>>,
  /** Each row's campaign issue, which the pull request's body links. */
  issueOfRow: ReadonlyMap<string, number> = new Map(),
): Promise<ManifestPull> {
  const listed = outcomes.filter((o) => o.outcome === 'pull-request' && o.row);
  const rows = listed.map((o) => o.row!);
  const left = new Map<string, RevokeResult>();
  if (rows.length === 0) return { pullRequest: undefined, left };
  const { edits, head, left: notRemoved } = await removalEdits(api, rows, accountsUnder);
  for (const l of notRemoved) left.set(l.rowId, { status: 'skipped', detail: l.why });
  if (edits.length === 0 || !head) return { pullRequest: undefined, left };
  const removed = edits.flatMap((e) => e.rows);
  const pullRequest = await openRemovalPull(
    api,
    reviewBranch(campaign),
    { edits, head },
    {
      title: `Access review ${campaign}: remove ${removed.length} row(s) from the manifest`,
      body: pullBody(campaign, removed, { issueOfRow, outcomes: new Map(listed.map((o) => [o.rowId, o])) }),
      message: (e) => `Access review ${campaign}: remove ${e.rows.length} row(s) from ${e.path}`,
    },
    REVIEW_WORDS,
  );
  return { pullRequest, left };
}

/** The pull request's body: why, and each row it removes with its issue and who decided (server text inert). */
function pullBody(
  campaign: string,
  rows: readonly ReviewRow[],
  by: { issueOfRow: ReadonlyMap<string, number>; outcomes: ReadonlyMap<string, RowOutcome> },
): string {
  const issues = [...new Set(rows.flatMap((r) => by.issueOfRow.get(r.id) ?? []))].sort((a, b) => a - b);
  const decided = (r: ReviewRow) => {
    const o = by.outcomes.get(r.id);
    if (!o || o.byDefault) return o?.rule ? code(undecidedWhy(o)) : 'undecided: `default-decision: revoke`';
    return o.decisions
      .filter((d) => d.decision === 'revoke')
      .map((d) => `${code(d.login)}${d.reason ? `: ${code(d.reason)}` : ''}`)
      .join(', ');
  };
  return [
    `The access review \`${campaign}\`${issues.length > 0 ? ` (${issues.map((n) => `#${n}`).join(', ')})` : ''} decided to revoke these rows, which a manifest holds. Merged, the reconcile deletes them. Only their entries' lines change.`,
    '',
    ...tableHead([
      'Row',
      'Issue',
      'Principal',
      'Account or scope',
      'Permission set or role',
      'Manifest',
      'Decided by',
    ]),
    ...rows.map((r) =>
      tableRow([
        `\`${r.id}\``,
        by.issueOfRow.has(r.id) ? `#${by.issueOfRow.get(r.id)}` : '—',
        `${r.principalName ? `${code(r.principalName)} ` : ''}${code(r.principalId)}`,
        code(r.target ?? r.targetId),
        code(r.role ?? r.roleId),
        code(`${r.manifest}:${r.manifestLine}`),
        decided(r),
      ]),
    ),
    '',
  ].join('\n');
}
