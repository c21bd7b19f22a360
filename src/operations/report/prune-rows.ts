// Which rows `prune: pull-request` removes from the manifest: a manifest's row that nobody used for
// `unused-after` (`none since …`; a group's row only when no member used it, `usedBy` 0), whose
// permission set is not tagged `cloud-access:never-prune` = `true`, and only when the evidence is
// complete. Every other row is kept, with why: used, too new to tell, unknown (Azure's active
// assignments, a group whose members were not read), its set tagged or its tags not read (an
// unknown is never a delete). The unused rows no manifest lists and no claim ends are listed apart:
// candidates for `revoke` or a review, never touched here. Pure.
import { CLAIMED_CLASSES } from '../../core/claims/holding.js';
import { TOO_NEW } from '../../core/usage/last-used.js';
import type { AccessRow } from './access-rows.js';

/** The tag that keeps a permission set's rows out of every prune, whatever their use. */
export const NEVER_PRUNE_TAG = 'cloud-access:never-prune';

export interface SetTag {
  key: string;
  value: string;
}

/** Whether a set's tags keep its rows: `cloud-access:never-prune` = `true` (any case, spaces trimmed). */
export const neverPruned = (tags: readonly SetTag[]): boolean =>
  tags.some((t) => t.key === NEVER_PRUNE_TAG && t.value.trim().toLowerCase() === 'true');

export interface PruneChoice {
  /** The manifest's rows nobody used for the window: the pull request removes them. */
  pruned: AccessRow[];
  /** The manifest's rows kept, each with why. */
  kept: { row: AccessRow; why: string }[];
  /** Unused rows no manifest lists and no claim ends: candidates for `revoke` or a review. */
  outside: AccessRow[];
}

/** A row of its own (not a member's row under a group, `expand-groups`) that nobody used over the window. */
function unused(row: AccessRow): boolean {
  if (row.viaGroupId !== null || !row.lastUsed?.startsWith('none since ')) return false;
  return row.principalKind !== 'group' || row.usedBy === 0;
}

const listed = (row: AccessRow): boolean =>
  row.viaGroupId === null && row.manifest !== null && row.manifestLine !== null;

/** The manifest's unused rows, before their sets' tags are read: the sets whose tags decide. */
export const pruneCandidates = (rows: readonly AccessRow[]): AccessRow[] =>
  rows.filter((r) => listed(r) && unused(r));

/** Why a manifest's row is kept on its use alone; undefined when its use allows pruning. */
function keptForUse(row: AccessRow): string | undefined {
  if (unused(row)) return undefined;
  const used = row.lastUsed ?? 'no last use read';
  if (/^\d/.test(used)) return `used ${used}`;
  if (used === TOO_NEW) return TOO_NEW;
  if (used.startsWith('none since '))
    return `a member may have used it (${row.usedBy ?? 'members not counted'})`;
  return used;
}

/**
 * The rows the pull request removes, those it keeps and why, and the unused rows outside every
 * manifest. `setTags`: each candidate's set's tags, or why they were not read.
 */
export function pruneChoice(
  rows: readonly AccessRow[],
  evidence: { complete: boolean; setTags: ReadonlyMap<string, readonly SetTag[] | string> },
): PruneChoice {
  const choice: PruneChoice = { pruned: [], kept: [], outside: [] };
  for (const row of rows) {
    if (!listed(row)) {
      const claimed = (CLAIMED_CLASSES as readonly string[]).includes(row.held);
      if (evidence.complete && row.viaGroupId === null && unused(row) && !claimed) choice.outside.push(row);
      continue;
    }
    const tags = evidence.setTags.get(row.roleId);
    const why = !evidence.complete
      ? 'the evidence is incomplete'
      : (keptForUse(row) ??
        (tags === undefined
          ? "its permission set's tags were not read"
          : typeof tags === 'string'
            ? `its permission set's tags were not read: ${tags}`
            : neverPruned(tags)
              ? `its permission set is tagged \`${NEVER_PRUNE_TAG}\` = \`true\``
              : undefined));
    if (why === undefined) choice.pruned.push(row);
    else choice.kept.push({ row, why });
  }
  return choice;
}
