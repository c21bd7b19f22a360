// The one pull request a campaign opens at its due date for the rows a manifest holds (the review
// never writes to the cloud for them: the reconcile applies the merged manifest). On branch
// `cloud-access-review/<campaign>`, reused while its pull request is open; each manifest path's
// copy on the default branch, read at its head, edited (model/manifest-removal.ts) and
// committed on the branch made at that head. A row the edit cannot remove is left, with why. An
// open pull request on the branch is reused only when it holds exactly that edit.
import { CloudAccessError } from '../../core/errors.js';
import { undecidedWhy, type RevokeResult } from './model/closing.js';
import { removeRows, unitsToRead } from './model/manifest-removal.js';
import { code, tableHead, tableRow } from './model/markdown.js';
import type { RowOutcome } from './model/outcomes.js';
import type { UnitAccounts } from '../../core/inputs/org-targets.js';
import type { ReviewRow } from './model/rows.js';
import type { ReviewApi } from '../../github/review-api.js';
import type { PullRequestRef } from '../../github/review-pulls.js';

export interface ManifestPull {
  /** The pull request (opened now, or open already on the branch); none when nothing was removed. */
  pullRequest: PullRequestRef | undefined;
  /** Rows left in the manifest, as results: `skipped` with why (the closing comment says to remove them by hand). */
  left: Map<string, RevokeResult>;
}

export const reviewBranch = (campaign: string): string => `cloud-access-review/${campaign}`;

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
  const branch = reviewBranch(campaign);
  const edits: { path: string; before: string; text: string; rows: ReviewRow[] }[] = [];
  let head: { defaultBranch: string; commit: string } | undefined;
  for (const [path, listed] of byManifest(rows)) {
    const read = await api.fileAtHead(path);
    head ??= read;
    if (read.text === undefined) {
      for (const r of listed)
        left.set(r.id, { status: 'skipped', detail: `\`${path}\` is not on the default branch` });
      continue;
    }
    // An OU, root or path target a removed row needs: the accounts it covers, read first.
    const units = unitsToRead(read.text, listed);
    const edit = removeRows(read.text, listed, units.length > 0 ? await accountsUnder(units) : undefined);
    for (const l of edit.left) left.set(l.rowId, { status: 'skipped', detail: l.why });
    if (edit.text !== undefined)
      edits.push({
        path,
        before: read.text,
        text: edit.text,
        rows: listed.filter((r) => edit.removed.includes(r.id)),
      });
  }
  if (edits.length === 0 || !head) return { pullRequest: undefined, left };
  const open = await api.openPullOf(branch);
  if (open) {
    await mustHoldOnly(api, open, branch, edits);
    return { pullRequest: open, left };
  }
  if (await api.hasBranch(branch))
    throw new CloudAccessError(
      `the branch \`${branch}\` exists without an open pull request: the review opens its pull request from a new branch`,
      { fix: `delete the branch \`${branch}\` (or reopen its pull request), then run the review again` },
    );
  await api.createBranch(branch, head.commit);
  const removed = edits.flatMap((e) => e.rows);
  for (const e of edits)
    await api.commitFile(
      branch,
      e.path,
      e.text,
      e.before,
      `Access review ${campaign}: remove ${e.rows.length} row(s) from ${e.path}`,
    );
  const pullRequest = await api.openPull({
    title: `Access review ${campaign}: remove ${removed.length} row(s) from the manifest`,
    body: pullBody(campaign, removed, { issueOfRow, outcomes: new Map(listed.map((o) => [o.rowId, o])) }),
    head: branch,
    base: head.defaultBranch,
  });
  return { pullRequest, left };
}

/**
 * An open pull request on the campaign's branch is reused only when it holds exactly the edit this
 * run would commit: any workflow with `contents: write` can push that branch and open a pull
 * request as the same bot, and the review's closing comment and record would otherwise call a
 * stranger's change (one that adds access, say) its own removal.
 */
async function mustHoldOnly(
  api: ReviewApi,
  open: PullRequestRef,
  branch: string,
  edits: readonly { path: string; text: string }[],
): Promise<void> {
  const ours = new Set(edits.map((e) => e.path));
  const changed = await api.pullFiles(open.number);
  const stranger = changed.find((path) => !ours.has(path));
  let differs =
    stranger === undefined ? undefined : `it changes \`${stranger}\`, which the review does not edit`;
  for (const e of edits) {
    if (differs) break;
    if (!changed.includes(e.path) || (await api.fileOn(branch, e.path)) !== e.text)
      differs = `its \`${e.path}\` is not the default branch's copy with the decided rows removed`;
  }
  if (differs)
    throw new CloudAccessError(
      `the open pull request #${open.number} on \`${branch}\` is not this review's removal: ${differs}`,
      {
        fix: `close pull request #${open.number} and delete the branch \`${branch}\`, then run the review again: it opens its own pull request from a new branch`,
      },
    );
}

function byManifest(rows: readonly ReviewRow[]): Map<string, ReviewRow[]> {
  const paths = new Map<string, ReviewRow[]>();
  for (const r of rows) {
    if (r.manifest === null) continue;
    paths.set(r.manifest, [...(paths.get(r.manifest) ?? []), r]);
  }
  return paths;
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
