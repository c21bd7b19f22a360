// Who last used an eligible membership of a group (PIM for groups, `last-used: true`): its newest
// activation, a `selfActivate` request of the row's principal for that group and access that ended
// `Provisioned` (core/usage/group-activations.ts). Read from Graph v1.0
// `identityGovernance/privilegedAccess/group/assignmentScheduleRequests`, one query per group: the
// list "requires the $filter (eq) query parameter to scope the request to a principalId or a
// groupId" and takes `$select`, `$filter` and `$expand` (microsoft-graph-docs-contrib
// api-reference/v1.0/api/privilegedaccessgroup-list-assignmentschedulerequests.md; the request's
// shape: ../shared/reference/azure-eligibility-facts.md G1). Only `groupId eq` is sent, the filter
// the docs name: whether `action` or `status` filter as well is not stated, so both are matched
// here. Every page is read, to the whole `@odata.nextLink` (graph-facts.md §4 "Paging"), capped as
// every Graph read is (./calls.ts); the queries go in `$batch` requests of at most 20. A
// group Graph did not answer for leaves every membership row `unknown`, never unused. The
// permission is `PrivilegedAssignmentSchedule.Read.AzureADGroup`. Nothing here writes.
import { describeError } from '../../core/errors.js';
import { AZURE_GROUP_ELIGIBLE } from '../../core/kinds/azure-pim-group.js';
import {
  groupActivationSignIns,
  groupActivationsOf,
  type GroupActivatedRow,
  type ListedGroupRequest,
} from '../../core/usage/group-activations.js';
import type { NameSpan } from '../../core/usage/last-used.js';
import type { NotAUse, SignIn } from '../../core/usage/sign-ins.js';
import type { HeldAssignment } from '../../engine/run/access-reader.js';
import type { Directory } from './directory.js';
import { GROUP_PIM_BASE, groupPimOf, objectIdOf } from './group-pim.js';

/** What the groups' activations came to, for the report's usage read. */
export interface GroupActivationsRead {
  signIns: SignIn[];
  roleNames: NameSpan[];
  notUses: Partial<Record<NotAUse, number>>;
  /** Why they were not read (a group Graph did not answer for): every membership row says `unknown`. */
  unread?: string;
  notes: string[];
}

/** A membership a person activates: an eligible one, held by a user or service principal itself. */
const activatedRows = (held: readonly HeldAssignment[]): GroupActivatedRow[] =>
  held
    .filter((h) => h.kind === AZURE_GROUP_ELIGIBLE && h.principal.kind !== 'group')
    .map((h) => ({
      principalId: h.principal.id,
      groupId: h.target.id,
      access: h.role.id,
      targetId: h.target.id,
    }));

/** The activations of the rows' eligible memberships, one query per group, batched. */
export async function readGroupActivations(
  directory: Directory,
  held: readonly HeldAssignment[],
  say: (line: string) => void,
): Promise<GroupActivationsRead> {
  const rows = activatedRows(held);
  const groups = [...new Set(rows.map((r) => r.groupId.toLowerCase()))];
  const empty = { signIns: [], roleNames: [], notUses: {}, notes: [] };
  if (groups.length === 0) return empty;
  say(
    `usage: reading PIM for groups activations (assignmentScheduleRequests, selfActivate) of ${rows.length} eligible membership row(s) in ${groups.length} group(s): one query per group, every page`,
  );
  const unread = (why: string) => ({
    ...empty,
    unread: `the PIM for groups activations were not read (${why}): the report's identity needs \`PrivilegedAssignmentSchedule.Read.AzureADGroup\``,
  });
  let answers;
  try {
    answers = await groupPimOf(directory).calls.run(
      groups.map((group, i) => ({
        id: `activations-${i}`,
        path: `${GROUP_PIM_BASE}/assignmentScheduleRequests?$filter=${encodeURIComponent(`groupId eq '${objectIdOf(group, 'group')}'`)}`,
      })),
    );
  } catch (error) {
    return unread(describeError(error));
  }
  const requests: ListedGroupRequest[] = [];
  for (const [i, group] of groups.entries()) {
    const answer = answers.get(`activations-${i}`);
    if (!answer?.ok) return unread(`group ${group}: ${answer ? describeError(answer.failure) : 'no answer'}`);
    // Only the group asked about: an item Graph says is of another group is not this one's.
    requests.push(
      ...answer.items.filter((r) => typeof r.groupId === 'string' && r.groupId.toLowerCase() === group),
    );
  }
  const { activations, notUses } = groupActivationsOf(requests);
  return {
    ...groupActivationSignIns(rows, activations),
    notUses,
    notes: [
      `usage: ${requests.length} PIM for groups request(s) read for ${groups.length} group(s): ${activations.length} activation(s)`,
    ],
  };
}
