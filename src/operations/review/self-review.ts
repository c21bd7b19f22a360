// Self-review: a reviewer's decision on a row that grants them does not count, unless the reviewers
// file says `self-review: true`. Who a reviewer is in the cloud comes from the access policy's
// `people` (input `policy`, read at the default branch's head as the reviewers file is: a
// person's `github-id` and their `aws` or `azure` ID); a row grants them when it is theirs, or a
// group's they are a member of (the members the report's read listed). Without the policy file
// self-review is not checked, and the step says so in a notice; an invalid one stops the step.
import type { Stopped } from '../../core/output/stopped.js';
import { parsedAccessPolicy } from '../../core/check/policy-file.js';
import type { ReviewAssignment } from './model/rows.js';
import type { Cloud } from '../../core/types.js';
import type { ReviewApi } from '../../github/review-api.js';
import type { AccessRow } from '../report/access-rows.js';
import type { StepRunner } from '../runner.js';

/** Why a decision by `accountId` on `rowId` is self-review, or undefined. */
export type OwnAccess = (accountId: number, rowId: string) => string | undefined;

/** Each person's GitHub account ID → their user ID in the cloud reviewed (lower-cased). */
export type PeopleInCloud = ReadonlyMap<number, string>;

/**
 * The policy's people, read at the default branch's head before any cloud read; undefined where
 * self-review is allowed or not checked (no policy file, said in a notice).
 */
export async function readPeople(
  api: Pick<ReviewApi, 'fileAtHead'>,
  at: { path: string; cloud: Cloud; allowed: boolean },
  effects: Pick<StepRunner['effects'], 'notice'>,
): Promise<{ people: PeopleInCloud | undefined } | { stopped: Stopped }> {
  if (at.allowed) return { people: undefined };
  const head = await api.fileAtHead(at.path);
  if (head.text === undefined) {
    effects.notice(
      `review: no access policy \`${at.path}\` on the default branch \`${head.defaultBranch}\`: a reviewer's decision on their own access is not checked (its \`people\` say who each reviewer is in the cloud; input \`policy\`)`,
    );
    return { people: undefined };
  }
  const parsed = parsedAccessPolicy(
    head.text,
    `${at.path}@${head.commit.slice(0, 12)} (default branch ${head.defaultBranch})`,
    'invalid access policy (the review reads its `people` for self-review); no issue was opened or updated and no cloud was read',
  );
  if ('stopped' in parsed) return { stopped: parsed.stopped };
  const people = new Map<number, string>();
  for (const p of parsed.policy.people) {
    const id = p[at.cloud];
    if (id) people.set(Number(p.githubId), id.toLowerCase());
  }
  return { people };
}

/** Whether a decision is self-review: the row is the author's, or a group's they are a member of. */
export function ownAccessOf(
  people: PeopleInCloud,
  assignment: Pick<ReviewAssignment, 'groups'>,
  read: readonly Pick<AccessRow, 'viaGroupId' | 'principalId'>[],
): OwnAccess {
  const membersOf = new Map<string, Set<string>>();
  for (const r of read) {
    if (r.viaGroupId === null) continue;
    const members = membersOf.get(r.viaGroupId) ?? new Set<string>();
    members.add(r.principalId.toLowerCase());
    membersOf.set(r.viaGroupId, members);
  }
  const byId = new Map(assignment.groups.flatMap((g) => g.rows).map((r) => [r.id, r]));
  return (accountId, rowId) => {
    const own = people.get(accountId);
    const row = byId.get(rowId);
    if (!own || !row) return undefined;
    if (row.principalId.toLowerCase() === own) return 'grants its author';
    if (membersOf.get(row.principalId)?.has(own)) return 'grants its author, a member of its group';
    return undefined;
  };
}
