// Who last used an Azure PIM eligibility: its newest activation, read from the role assignment
// schedule requests ARM lists at the eligibility's scope. An activation is a `SelfActivate` request
// (the person activates their eligibility) that ended `Provisioned`, the status a request that made
// its assignment shows in every example
// (__tests__/fixtures/contracts/azure/2020-10-01/examples/GetRoleAssignmentScheduleRequestByScope.json); a denied, failed, cancelled or still
// pending one activated nothing. ARM keeps these requests for a while only ("Request records expire
// after 45 days", terraform-provider-azurerm; Azure/AzOps#901 saw them gone after 30 to 40 days; no
// Microsoft page states it): the evidence is counted as covering the last 30 days. Each activation
// is handed to the report's join (./last-used.ts) as a sign-in of its principal to the row's target
// with the row's role. A group's eligibility is activated by its members, each in a request of their
// own: the request names the eligibility schedule it activates (`linkedRoleEligibilityScheduleId`,
// "to activate an eligibility", RoleAssignmentScheduleRequest.json; the schedule's bare name, as
// __tests__/fixtures/contracts/azure/2020-10-01/examples/PutRoleAssignmentScheduleRequest.json sends
// `b1477448-…`, the name GetRoleEligibilitySchedulesByScope.json there lists), and where it names one the report read, the
// activation is a use of that schedule's principal's row only (a member's of the group's). The field
// is optional ("the system picks one" where a request omits it) and no example's answer echoes it; a
// schedule's name changes when it is updated (terraform-provider-azurerm): an activation that names
// no schedule read is a use of every row of that role and scope the person holds, their own or a
// group's, never of none. Every field came from a server and is checked for its shape. Pure.
import { GUID } from '../patterns.js';
import { scopeKey } from '../azure-scope.js';
import type { NameSpan } from './last-used.js';
import type { NotAUse, SignIn } from './sign-ins.js';

/** How far back the requests are counted as kept: the shortest span they were seen kept. */
export const ACTIVATIONS_KEPT_MS = 30 * 86_400_000;

/** A role assignment schedule request as listed: every field as the server sent it. */
export interface ListedRequest {
  name?: unknown;
  requestType?: unknown;
  status?: unknown;
  principalId?: unknown;
  roleDefinitionId?: unknown;
  scope?: unknown;
  createdOn?: unknown;
  /** The schedule it activates, as the request names it (ARM's field is read by the kind's module). */
  linkedSchedule?: unknown;
}

/** One activation: who activated which role where, and when. */
export interface Activation {
  /** The request's name (a GUID): the row's `lastUsedEvent`. */
  id: string;
  /** Epoch ms. */
  at: number;
  /** Lower case. */
  principalId: string;
  /** The role definition's GUID, lower case. */
  roleGuid: string;
  /** The scope it was requested at, as a key (scopeKey). */
  scope: string;
  /** The eligibility schedule it names, by its name (a GUID, lower case), where it names one. */
  linked?: string;
}

/** A row whose role is activated (an eligibility's), as the join needs it. */
export interface ActivatedRow {
  principalId: string;
  /** The role definition ID as the row has it. */
  roleId: string;
  /** Where the row is shown (for one inherited from above, the target under it). */
  targetId: string;
  /** Where the eligibility is made: its own scope. */
  scope: string;
  /** A group's eligibility: its members' activations are its uses. */
  group?: boolean;
}

const ROLE_ID = /\/providers\/Microsoft\.Authorization\/roleDefinitions\/([0-9a-fA-F-]{36})$/i;
const normalScope = (scope: string) => scopeKey(`/${scope.replace(/^\/+|\/+$/g, '')}`);
const toDate = (v: unknown): number =>
  v instanceof Date ? v.getTime() : typeof v === 'string' ? Date.parse(v) : NaN;
const roleGuidOf = (roleId: string) => {
  const guid = ROLE_ID.exec(roleId)?.[1] ?? roleId;
  return GUID.test(guid) ? guid.toLowerCase() : undefined;
};

/** The activation a listed request stands for, or why it is none. */
export function activationOf(r: ListedRequest): { activation: Activation } | { notAUse: NotAUse } {
  if (r.requestType !== 'SelfActivate') return { notAUse: 'other-event' };
  const linked = typeof r.linkedSchedule === 'string' ? r.linkedSchedule.split('/').pop() : undefined;
  if (r.status !== 'Provisioned') return { notAUse: 'error' };
  const at = toDate(r.createdOn);
  const roleGuid = typeof r.roleDefinitionId === 'string' ? roleGuidOf(r.roleDefinitionId) : undefined;
  if (
    typeof r.name !== 'string' ||
    !GUID.test(r.name) ||
    typeof r.principalId !== 'string' ||
    !GUID.test(r.principalId) ||
    !roleGuid ||
    typeof r.scope !== 'string' ||
    !r.scope.startsWith('/') ||
    r.scope.length > 1_000 ||
    !Number.isFinite(at)
  )
    return { notAUse: 'malformed' };
  return {
    activation: {
      id: r.name.toLowerCase(),
      at,
      principalId: r.principalId.toLowerCase(),
      roleGuid,
      scope: normalScope(r.scope),
      ...(linked && GUID.test(linked) ? { linked: linked.toLowerCase() } : {}),
    },
  };
}

/**
 * The requests' activations as `read` reads each (an eligibility's here, a group membership's in
 * ./group-activations.ts), and how many of each other sort were read.
 */
export function activationsIn<R, A>(
  requests: Iterable<R>,
  read: (request: R) => { activation: A } | { notAUse: NotAUse },
): { activations: A[]; notUses: Partial<Record<NotAUse, number>> } {
  const activations: A[] = [];
  const notUses: Partial<Record<NotAUse, number>> = {};
  for (const request of requests) {
    const one = read(request);
    if ('activation' in one) activations.push(one.activation);
    else notUses[one.notAUse] = (notUses[one.notAUse] ?? 0) + 1;
  }
  return { activations, notUses };
}

/** The requests' activations, and how many of each other sort were read. */
export const activationsOf = (requests: Iterable<ListedRequest>) => activationsIn(requests, activationOf);

/**
 * The activations as the report's join takes sign-ins: each activation of a row's eligibility (its
 * role by GUID, at the eligibility's own scope, by its principal or, for a group's, by anyone: the
 * join keeps its members') a sign-in of the person to the row's target, under the row's role ID as
 * the set's name, made through the principal whose schedule it names (`schedules`: each schedule's
 * name to its principal, lower case), where it names one read; and those names, each its own.
 */
export function activationSignIns(
  rows: readonly ActivatedRow[],
  activations: readonly Activation[],
  schedules: ReadonlyMap<string, string> = new Map(),
): { signIns: SignIn[]; roleNames: NameSpan[] } {
  const signIns = new Map<string, SignIn>();
  for (const row of rows) {
    const roleGuid = roleGuidOf(row.roleId);
    const principalId = row.principalId.toLowerCase();
    const scope = normalScope(row.scope);
    for (const a of activations) {
      if (a.roleGuid !== roleGuid || a.scope !== scope || (!row.group && a.principalId !== principalId))
        continue;
      const through = a.linked === undefined ? undefined : schedules.get(a.linked);
      signIns.set(`${a.id}|${row.targetId}|${row.roleId}`, {
        eventId: a.id,
        at: a.at,
        userId: a.principalId,
        accountId: row.targetId,
        setName: row.roleId,
        ...(through ? { through } : {}),
      });
    }
  }
  const roleNames = [...new Set(rows.map((r) => r.roleId))].map((id) => ({ id, name: id }));
  return { signIns: [...signIns.values()], roleNames };
}
