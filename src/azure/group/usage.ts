// Who last used an eligible membership of a group (PIM for groups, `last-used: true`): its newest
// activation, a `selfActivate` request of the row's principal for that group and access that ended
// `Provisioned` (core/usage/group-activations.ts). Read from Graph v1.0
// `identityGovernance/privilegedAccess/group/assignmentScheduleRequests`, one query per group: the
// list "requires the $filter (eq) query parameter to scope the request to a principalId or a
// groupId" and takes `$select`, `$filter` and `$expand`
// (https://learn.microsoft.com/graph/api/privilegedaccessgroup-list-assignmentschedulerequests?view=graph-rest-1.0;
// the request's shape: __tests__/fixtures/contracts/azure/graph-v1.0/pim-groups/assignmentScheduleRequests-get.json).
// Only `groupId eq` is sent, the filter the page names: whether `action` or `status` filter as well
// is not stated, so both are matched here. Every page is read, to the whole `@odata.nextLink`
// (https://learn.microsoft.com/graph/paging), capped as every Graph read is (../graph/calls.ts); the
// queries go in `$batch` requests of at most 20. A group Graph did not answer for leaves every
// membership row `unknown`, never unused. The permission is
// `PrivilegedAssignmentSchedule.Read.AzureADGroup` (the same page). Nothing here writes.
import { describeError } from '../../core/errors.js';
import { AZURE_GROUP_ACTIVE, AZURE_GROUP_ELIGIBLE } from '../../core/kinds/azure-pim-group.js';
import {
  groupActivationSignIns,
  groupActivationsOf,
  type GroupActivatedRow,
  type ListedGroupRequest,
} from '../../core/usage/group-activations.js';
import type { HeldAssignment, UsageRow } from '../../engine/run/access-reader.js';
import type { SectionUsage } from '../kind/section.js';
import type { Directory } from '../graph/directory.js';
import { GROUP_PIM_BASE, groupPimOf, objectIdOf } from '../graph/group-pim.js';

/** What the groups' activations came to: every membership row `unknown` where `unread` says why. */
type GroupActivationsRead = Omit<SectionUsage, 'owns' | 'unlogged'>;

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
async function readGroupActivations(
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

/**
 * Why a membership row's use is unknown: an active one leaves no trace Graph keeps per membership;
 * a group's eligible one (and a user's row through it) is activated by its members in requests
 * that name only themselves; a person's own, when the activations were not read.
 */
export function unloggedMembershipUse(row: UsageRow, unread?: string): string | undefined {
  if (row.kind === AZURE_GROUP_ACTIVE) return 'Graph logs no use of an active group membership';
  if (row.principalKind === 'group' || row.viaGroupId)
    return "a group's eligible membership is activated by its members; their requests do not name it";
  return unread && 'the PIM for groups activations were not read';
}

/** The section's usage read (../kind/section.ts): its rows' activations, and why a row's use is unknown. */
export async function groupMembershipUsage(
  directory: Directory,
  held: readonly HeldAssignment[],
  say: (line: string) => void,
): Promise<SectionUsage> {
  const read = await readGroupActivations(directory, held, say);
  return {
    ...read,
    owns: (row) => row.kind === AZURE_GROUP_ACTIVE || row.kind === AZURE_GROUP_ELIGIBLE,
    unlogged: (row) => unloggedMembershipUse(row, read.unread),
  };
}
