// Who last used an Azure grant (`last-used: true`): an eligibility's newest PIM activation, read
// from the role assignment schedule requests at each eligibility's own scope (one `atScope()` list
// per scope, every page, the requests at that scope kept), joined by the report as AWS's sign-ins
// are (core/usage/activations.ts). A group's eligibility is activated by its members, each in a
// request naming the group's schedule: its row's use is its newest member's (`lastUsedBy`), and
// `usedBy` counts the members who did, the members as Microsoft Graph lists them now. An active role
// assignment is used without a trace ARM keeps per grant: its row says `unknown`, never unused. PIM for
// groups' memberships are read by their own section (../group/usage.ts), merged by ../access-reader.ts.
// ARM keeps the requests for about 30 to 45 days: a window longer than that is not covered, and the
// evidence says so. Nothing here writes.
import type { RoleAssignmentScheduleRequest } from '@azure/arm-authorization';
import { parseListedScope, type AzureScope } from '../../core/azure-scope.js';
import { describeError } from '../../core/errors.js';
import type { UsageRequest } from '../../core/inputs/usage-inputs.js';
import {
  ACTIVATIONS_KEPT_MS,
  activationSignIns,
  activationsOf,
  type ActivatedRow,
} from '../../core/usage/activations.js';
import type { GroupMember, HeldAssignment, UsageRead, UsageRow } from '../../engine/run/access-reader.js';
import type { ArmSession } from '../arm/session.js';
import { urlPathArgument } from '../arm/clients.js';
import { usersInGroups } from '../graph/group-members.js';
import type { Listed } from './reads.js';

const ELIGIBLE = 'azure-pim-eligible';
const DAY = 86_400_000;

/** Why a row's use is not read: every kind but an eligibility. */
export function unloggedUse(row: UsageRow): string | undefined {
  if (row.kind === ELIGIBLE) return undefined;
  if (row.kind.startsWith('azure-group-')) return 'PIM for groups activations are not read';
  return 'Azure logs no use of an active role assignment';
}

/** The eligibility a row shows, at its own scope; a group's is activated by its members. */
const eligibleRows = (held: readonly HeldAssignment[]): ActivatedRow[] =>
  held
    .filter((h) => h.kind === ELIGIBLE)
    .map((h) => ({
      principalId: h.principal.id,
      roleId: h.role.id,
      targetId: h.target.id,
      scope: h.inheritedFrom ?? h.target.id,
      ...(h.principal.kind === 'group' ? { group: true } : {}),
    }));

/** Each eligibility schedule read, by its name (lower case), to its principal (lower case). */
const schedulePrincipals = (listed: readonly Listed[]): Map<string, string> =>
  new Map(
    listed.flatMap(({ s }) =>
      s.name && s.principalId ? [[s.name.toLowerCase(), s.principalId.toLowerCase()] as const] : [],
    ),
  );

/** The members of the rows' groups as Graph lists them now (nested groups followed); a gap where it did not. */
async function membersOf(
  session: ArmSession,
  held: readonly HeldAssignment[],
  gaps: string[],
): Promise<Map<string, GroupMember[]>> {
  const groups = [
    ...new Set(
      held
        .filter((h) => h.kind === ELIGIBLE && h.principal.kind === 'group' && !h.principal.gone)
        .map((h) => h.principal.id.toLowerCase()),
    ),
  ];
  if (groups.length === 0) return new Map();
  try {
    const { members, unanswered } = await usersInGroups(session.directory.graph(), groups);
    if (unanswered > 0)
      gaps.push(
        `Microsoft Graph did not list the members of ${unanswered} group(s): their eligibilities say \`unknown\``,
      );
    return members;
  } catch (error) {
    gaps.push(
      `the groups' members were not read (${describeError(error)}): grant the report's identity \`GroupMember.Read.All\`; the groups' eligibilities say \`unknown\``,
    );
    return new Map();
  }
}

/** Every role assignment schedule request at or above the scope (`atScope()`), every page. */
async function requestsAt(
  session: ArmSession,
  scope: AzureScope,
): Promise<{ requests: RoleAssignmentScheduleRequest[]; pages: number }> {
  return session.send('RoleAssignmentScheduleRequests_ListForScope', scope, async (client, signal) => {
    const requests: RoleAssignmentScheduleRequest[] = [];
    let pages = 0;
    // PIM filters are URL-encoded by the SDK; requests take `atScope()`
    // (__tests__/fixtures/contracts/azure/2020-10-01/RoleAssignmentScheduleRequest.json).
    const listed = client.roleAssignmentScheduleRequests.listForScope(urlPathArgument(scope.scope), {
      abortSignal: signal,
      filter: 'atScope()',
    });
    for await (const page of listed.byPage()) {
      pages++;
      requests.push(...page);
    }
    return { requests, pages };
  });
}

/** The PIM activations of the rows' eligibilities, as the report's usage read. */
export async function readActivations(
  session: ArmSession,
  held: readonly HeldAssignment[],
  request: UsageRequest,
  say: (line: string) => void,
  listed: readonly Listed[],
  now = Date.now(),
): Promise<UsageRead> {
  const rows = eligibleRows(held);
  const scopes = new Map<string, AzureScope>();
  for (const row of rows) {
    const scope = parseListedScope(row.scope);
    if (typeof scope !== 'string') scopes.set(scope.scope.toLowerCase(), scope);
  }
  const since = now - ACTIVATIONS_KEPT_MS;
  const gaps: string[] = [];
  if (request.unusedAfterMs > ACTIVATIONS_KEPT_MS)
    gaps.push(
      `the window (${Math.round(request.unusedAfterMs / DAY)} days) is longer than PIM keeps activation requests (counted as ${ACTIVATIONS_KEPT_MS / DAY} days: about 45 by terraform-provider-azurerm, 30 to 40 seen by Azure/AzOps#901, stated by no Microsoft page): an eligibility not activated since ${new Date(since).toISOString()} may have been activated before`,
    );
  say(
    `usage: reading PIM activations (roleAssignmentScheduleRequests, SelfActivate) of ${rows.length} eligibility row(s) at ${scopes.size} scope(s): one list per scope, every page`,
  );
  const read = { requests: [] as RoleAssignmentScheduleRequest[], pages: 0 };
  let unread: string | undefined;
  for (const scope of scopes.values()) {
    try {
      const at = await requestsAt(session, scope);
      read.requests.push(...at.requests);
      read.pages += at.pages;
    } catch (error) {
      unread = `the PIM activations at ${scope.scope} were not read (${describeError(error)}): the report's identity needs \`Microsoft.Authorization/roleAssignmentScheduleRequests/read\` there`;
      gaps.push(unread);
      break;
    }
  }
  const members = await membersOf(session, held, gaps);
  const { activations, notUses } = activationsOf(
    read.requests.map((r) => ({ ...r, linkedSchedule: r.linkedRoleEligibilityScheduleId })),
  );
  const { signIns, roleNames } = activationSignIns(rows, activations, schedulePrincipals(listed));
  return {
    signIns,
    notUses,
    since,
    regions: [],
    gaps,
    ...(unread ? { unread } : {}),
    pages: read.pages,
    members,
    setNames: roleNames,
    notes: [
      `usage: ${read.requests.length} PIM request(s) read in ${read.pages} page(s) at ${scopes.size} scope(s): ${activations.length} activation(s)`,
    ],
    evidence: "PIM's `SelfActivate` requests",
    unlogged: unloggedUse,
  };
}
