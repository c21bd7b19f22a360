// The read's rows as the review's: a group one row, with how many members it has and the first
// few, and each row with its reviewers (an `ou-…` entry matching the accounts Organizations lists
// under it, ./ou-accounts.ts) and, where usage was read, its last use; a row nobody reviews is
// warned of.
import type { AccessRead } from '../report/index.js';
import type { AccessRow } from '../report/access-rows.js';
import type { StepRunner } from '../runner.js';
import type { ReviewersFile } from './model/reviewers-file.js';
import {
  assignReviewers,
  matchContextOf,
  MEMBERS_SHOWN,
  ousNamed,
  reviewRow,
  type ReviewAssignment,
  type ReviewRow,
  type RowUse,
} from './model/rows.js';
import { readOus } from './ou-accounts.js';

/**
 * The read's rows, each with its reviewers; a row that no entry of the file matches and no
 * `default-reviewers` covers is warned of. An `ou-…` entry matches the accounts Organizations
 * lists under it, read on the report's session.
 */
export async function assignRows(
  access: Pick<AccessRead, 'rows' | 'reader' | 'activity'>,
  file: ReviewersFile,
  effects: StepRunner['effects'],
  evidence?: { complete: boolean },
): Promise<ReviewAssignment> {
  const ous = await readOus(ousNamed(file), access.reader, effects, { activity: access.activity });
  const assignment = assignReviewers(withMembers(access.rows, evidence), file, matchContextOf(ous));
  for (const row of assignment.unreviewed)
    effects.warning(
      `review: row ${row.id} (${row.principalName ?? row.principalId} on ${row.targetId}) matches no entry of the reviewers file and it has no \`default-reviewers\`: nobody reviews it`,
    );
  return assignment;
}

/**
 * A report's rows as a review's: a group one row, with how many members it has and the first
 * MEMBERS_SHOWN of them, from the member rows the read listed after it (`viaGroupId`); where usage
 * was read (`evidence`), each with its last use and whether that evidence was complete.
 */
export function withMembers(rows: readonly AccessRow[], evidence?: { complete: boolean }): ReviewRow[] {
  const membersOf = new Map<string, Map<string, { name: string | null; id: string }>>();
  const placeOf = (r: AccessRow, principal: string) => `${r.targetId}|${r.roleId}|${principal}`;
  for (const r of rows) {
    if (r.viaGroupId === null) continue;
    const place = placeOf(r, r.viaGroupId);
    const members = membersOf.get(place) ?? new Map<string, { name: string | null; id: string }>();
    members.set(r.principalId, { name: r.principalName, id: r.principalId });
    membersOf.set(place, members);
  }
  return rows
    .filter((r) => r.viaGroupId === null)
    .map((r) => {
      const members = r.principalKind === 'group' ? membersOf.get(placeOf(r, r.principalId)) : undefined;
      const row = reviewRowOf(r, evidence);
      return members || r.principalKind === 'group'
        ? {
            ...row,
            members: {
              count: members?.size ?? 0,
              first: [...(members?.values() ?? [])].slice(0, MEMBERS_SHOWN),
            },
          }
        : row;
    });
}

/** A report's row as a review's, its members aside. */
function reviewRowOf(row: AccessRow, evidence: { complete: boolean } | undefined): ReviewRow {
  const usage: RowUse | undefined =
    evidence && row.lastUsed !== undefined
      ? {
          lastUsed: row.lastUsed,
          lastUsedBy: row.lastUsedBy ?? null,
          usedBy: row.usedBy ?? null,
          complete: evidence.complete,
        }
      : undefined;
  return reviewRow({
    cloud: row.cloud,
    principalKind: row.principalKind,
    principalName: row.principalName,
    principalId: row.principalId,
    role: row.role,
    roleId: row.roleId,
    target: row.target,
    targetId: row.targetId,
    held: row.held,
    expiresAt: row.expiresAt,
    live: row.live,
    grantedAt: row.grantedAt,
    grantedBy: row.grantedBy,
    manifest: row.manifest,
    manifestLine: row.manifestLine,
    kind: row.kind,
    ...(usage ? { usage } : {}),
  });
}
