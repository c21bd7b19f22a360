// The AzureEmulator's record of a person activating their PIM eligibility (SelfActivate): what
// `roleAssignmentScheduleRequests` lists afterwards, as a report's `last-used: true` reads it. The
// person's own ARM call is not emulated (the emulator's tokens are the workflow's, and admit.ts
// serves AdminAssign and AdminRemove only): this stages the request as ARM keeps it, at its time,
// with the status it ended in (`Provisioned`, or a denied, failed or pending one), naming the
// eligibility schedule it activates (the person's own, or a group's they are a member of). The active
// assignment an activation makes is not modelled: a staged activation is one that has ended.
import type { AzureEmulator, EligibilityActivation } from './emulator-api.js';
import { currentEligibilitySchedules } from './pim/eligibility-render.js';
import { toRequest } from './pim/schedule-render.js';
import { newGuid } from './pim/schedules.js';
import type { AzureContext } from './tenant/context.js';
import { parseScope } from './tenant/scope.js';
import { roleGuidFrom } from './tenant/role-assignments.js';

type Ctx = Pick<AzureContext, 'state' | 'config'>;

export function activationMethods(ctx: Ctx): Pick<AzureEmulator, 'activateEligibility'> {
  return { activateEligibility: (activation) => activate(ctx, activation) };
}

function activate(ctx: Ctx, a: EligibilityActivation): ReturnType<typeof toRequest> {
  const roleGuid = roleGuidFrom(a.roleDefinitionId) ?? a.roleDefinitionId.toLowerCase();
  if (!ctx.state.roleDefinitions.has(roleGuid))
    throw new Error(`emulator: no role definition ${a.roleDefinitionId}`);
  const principalId = a.principalId.toLowerCase();
  const principal = ctx.state.principals.get(principalId);
  if (!principal) throw new Error(`emulator: no principal ${a.principalId}`);
  const scope = parseScope(a.scope);
  const at = a.at ?? Date.now();
  const status = a.status ?? 'Provisioned';
  // The eligibility it activates, when the principal holds one at the scope now (an older
  // activation's may have ended since: the request keeps naming it): its own, else, as a member
  // activates a group's, one a group it is in holds (`through` that group, where given).
  const through = a.through?.toLowerCase();
  const held = currentEligibilitySchedules(ctx.state).filter(
    (s) => s.scope.key === scope.key && s.roleGuid === roleGuid,
  );
  const eligibility =
    (through ? undefined : held.find((s) => s.principalId === principalId)) ??
    held.find(
      (s) =>
        (!through || s.principalId === through) &&
        ctx.state.directory.transitiveMembers(s.principalId).includes(principalId),
    );
  if (through && !eligibility)
    throw new Error(
      `emulator: ${a.principalId} is in no group ${a.through} eligible for that role at ${a.scope}`,
    );
  const iso = new Date(at).toISOString();
  const request = {
    name: newGuid(),
    scope,
    roleGuid,
    principalId,
    principalType: principal.type,
    requestType: 'SelfActivate' as const,
    scheduleInfo: {
      startDateTime: iso,
      expiration: { type: 'AfterDuration' as const, endDateTime: null, duration: a.duration ?? 'PT8H' },
    },
    justification: a.justification ?? null,
    ticketInfo: { ticketNumber: null, ticketSystem: null },
    condition: null,
    conditionVersion: null,
    // A person activates their own eligibility: the requestor is the principal.
    requestorId: principalId,
    createdOn: iso,
    status,
    approvalId: null,
    targetScheduleName: status === 'Provisioned' ? newGuid() : null,
    targetInstanceName: null,
    ...(eligibility ? { linkedEligibilityScheduleName: eligibility.name } : {}),
  };
  ctx.state.pimRequests.push(request);
  return toRequest(ctx.state, request);
}
