// The pull request that removes rows from the manifests on the default branch, shared by a
// review's due date and a report's prune: each manifest path's copy on the default branch, read at
// its head, edited (core/manifest/manifest-removal.ts) and committed on a branch made at that head
// (./review-pulls.ts's calls), and one pull request opened. A row the edit cannot remove is left,
// with why. An open pull request on the branch is reused only when it holds exactly that edit; a
// branch left without one is refused, and so is one another commit reached while it was written
// (the pull request opened on it closed). Who opens it (the review, the prune) says its own words.
import type { PolicyAtHead } from '../core/access-request.js';
import { CloudAccessError } from '../core/errors.js';
import type { UnitAccounts } from '../core/inputs/org-targets.js';
import { removeRows, unitsToRead } from '../core/manifest/manifest-removal.js';
import { type RowToRemove } from '../core/manifest/removal-cells.js';
import type { PullRequestRef, ReviewPullsApi } from './review-pulls.js';

/** What the pull request reads and writes of GitHub: a file at the default branch's head, and the pulls' calls. */
export interface ManifestPullsApi extends ReviewPullsApi {
  fileAtHead(path: string): Promise<PolicyAtHead>;
}

/** A row to remove, with the manifest that lists it (none: not removed here). */
export interface ManifestRow extends RowToRemove {
  manifest: string | null;
}

/** One manifest's new text on the branch, replacing `before` (the default branch's copy). */
export interface ManifestEdit<R> {
  path: string;
  before: string;
  text: string;
  rows: R[];
}

export interface RemovalEdits<R> {
  edits: ManifestEdit<R>[];
  /** The default branch and its head commit, as the first read found them; none when nothing was read. */
  head: { defaultBranch: string; commit: string } | undefined;
  /** Rows left in the manifest, each with why (to remove by hand), in the rows' order per manifest. */
  left: { rowId: string; why: string }[];
}

/** The words of who opens the pull request, in its refusals. */
export interface RemovalWords {
  /** `the review` */
  by: string;
  /** `this review's removal` */
  ours: string;
  /** `the decided rows` */
  rows: string;
  /** `run the review again` */
  rerun: string;
}

/** Each manifest's default-branch copy with the rows removed: what the branch is to hold. */
export async function removalEdits<R extends ManifestRow>(
  api: Pick<ManifestPullsApi, 'fileAtHead'>,
  rows: readonly R[],
  accountsUnder: (units: readonly string[]) => Promise<Map<string, UnitAccounts>>,
): Promise<RemovalEdits<R>> {
  const edits: ManifestEdit<R>[] = [];
  const left: RemovalEdits<R>['left'] = [];
  let head: RemovalEdits<R>['head'];
  for (const [path, listed] of byManifest(rows)) {
    const read = await api.fileAtHead(path);
    head ??= read;
    if (read.text === undefined) {
      for (const r of listed) left.push({ rowId: r.id, why: `\`${path}\` is not on the default branch` });
      continue;
    }
    // An OU, root or path target a removed row needs: the accounts it covers, read first.
    const units = unitsToRead(read.text, listed);
    const edit = removeRows(read.text, listed, units.length > 0 ? await accountsUnder(units) : undefined);
    left.push(...edit.left);
    if (edit.text !== undefined)
      edits.push({
        path,
        before: read.text,
        text: edit.text,
        rows: listed.filter((r) => edit.removed.includes(r.id)),
      });
  }
  return { edits, head, left };
}

/**
 * The open pull request of `branch` when it holds exactly the edits; else the branch made at the
 * head, each edit committed on it and the pull request opened at the last. A branch without an
 * open pull request is refused before any write.
 */
export async function openRemovalPull<R>(
  api: ManifestPullsApi,
  branch: string,
  removal: { edits: readonly ManifestEdit<R>[]; head: { defaultBranch: string; commit: string } },
  texts: { title: string; body: string; message(edit: ManifestEdit<R>): string },
  words: RemovalWords,
): Promise<PullRequestRef> {
  const { edits, head } = removal;
  const open = await api.openPullOf(branch);
  if (open) {
    await mustHoldOnly(api, open, branch, edits, words, head.defaultBranch);
    return open;
  }
  if (await api.hasBranch(branch))
    throw new CloudAccessError(
      `the branch \`${branch}\` exists without an open pull request: ${words.by} opens its pull request from a new branch`,
      { fix: `delete the branch \`${branch}\` (or reopen its pull request), then ${words.rerun}` },
    );
  // Any workflow with `contents: write` can push the branch, as the same bot, while it is written:
  // each commit must be made on the last (the contents API names its parents), and the pull request
  // opened at ours; else it holds a stranger's commit (one that adds access, say), and is not ours.
  const notOurs = (found: string) =>
    new CloudAccessError(`the branch \`${branch}\` holds a commit ${words.by} did not make: ${found}`, {
      fix: `delete the branch \`${branch}\` (a workflow with \`contents: write\` pushed to it), then ${words.rerun}`,
    });
  await api.createBranch(branch, head.commit);
  let ours = head.commit;
  for (const e of edits) {
    const made = await api.commitFile(branch, e.path, e.text, e.before, texts.message(e));
    if (made.parents.join() !== ours)
      throw notOurs(`its commit of \`${e.path}\` was made on \`${made.parents.join()}\`, not on \`${ours}\``);
    ours = made.sha;
  }
  const { headSha, ...pull } = await api.openPull({
    title: texts.title,
    body: texts.body,
    head: branch,
    base: head.defaultBranch,
  });
  if (headSha === ours) return pull;
  const closed = await api.closePull(pull.number).then(
    () => 'is closed',
    () => 'could not be closed: close it',
  );
  throw notOurs(
    `pull request #${pull.number}'s head is \`${headSha}\`, not ${words.by}'s last commit \`${ours}\`; pull request #${pull.number} ${closed}`,
  );
}

/**
 * An open pull request on the branch is reused only when it goes into the default branch and holds
 * exactly the edit this run would commit: any workflow with `contents: write` can push that branch
 * and open a pull request as the same bot, and the run would otherwise call a stranger's change
 * (one that adds access, say, or this removal into a branch that lacks the default branch's grants)
 * its own removal.
 */
async function mustHoldOnly(
  api: ManifestPullsApi,
  open: PullRequestRef,
  branch: string,
  edits: readonly { path: string; text: string }[],
  words: RemovalWords,
  base: string,
): Promise<void> {
  const ours = new Set(edits.map((e) => e.path));
  const changed = await api.pullFiles(open.number);
  const stranger = changed.find((path) => !ours.has(path));
  let differs =
    open.base !== base
      ? `it goes into \`${open.base}\`, not \`${base}\``
      : stranger === undefined
        ? undefined
        : `it changes \`${stranger}\`, which ${words.by} does not edit`;
  for (const e of edits) {
    if (differs) break;
    if (!changed.includes(e.path) || (await api.fileOn(branch, e.path)) !== e.text)
      differs = `its \`${e.path}\` is not the default branch's copy with ${words.rows} removed`;
  }
  if (differs)
    throw new CloudAccessError(
      `the open pull request #${open.number} on \`${branch}\` is not ${words.ours}: ${differs}`,
      {
        fix: `close pull request #${open.number} and delete the branch \`${branch}\`, then ${words.rerun}: it opens its own pull request from a new branch`,
      },
    );
}

function byManifest<R extends ManifestRow>(rows: readonly R[]): Map<string, R[]> {
  const paths = new Map<string, R[]>();
  for (const r of rows) {
    if (r.manifest === null) continue;
    paths.set(r.manifest, [...(paths.get(r.manifest) ?? []), r]);
  }
  return paths;
}
