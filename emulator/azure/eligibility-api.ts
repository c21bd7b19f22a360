// The AzureEmulator's methods for PIM eligibility, beside tenant-api.ts: what ARM shows now, an
// eligibility written as an admin does it in the portal (someone else's, or a change to ours), the
// requests made older (as after the 45 days reads return them), and Expiration_Admin_Eligibility
// per scope and role.
import type { AzureEmulator, EligibilityPortalWrite } from './emulator-api.js';
import { currentEligibility } from './pim/eligibility-admit.js';
import { applyEligibility } from './pim/eligibility.js';
import {
  currentEligibilityInstances,
  currentEligibilitySchedules,
  retainedRequests,
  toEligibilityInstance,
  toEligibilityRequest,
  toEligibilitySchedule,
} from './pim/eligibility-render.js';
import { parseIsoDuration } from './pim/iso-duration.js';
import { newGuid } from './pim/schedules.js';
import type { AzureContext } from './tenant/context.js';
import type { EligibilityRequestRecord } from './tenant/eligibility-records.js';
import { parseScope } from './tenant/scope.js';
import { roleGuidFrom } from './tenant/role-assignments.js';
import { SEED } from './tenant/state.js';

type Ctx = Pick<AzureContext, 'state' | 'config'>;

export function eligibilityMethods(
  ctx: Ctx,
): Pick<
  AzureEmulator,
  'eligibility' | 'writeEligibilityAsAdmin' | 'ageEligibilityRequests' | 'setEligibilityPolicy'
> {
  return {
    eligibility() {
      const { state } = ctx;
      return {
        requests: retainedRequests(state, ctx.config).map((r) => toEligibilityRequest(state, r)),
        expiredRequests: state.eligibility.requests
          .filter((r) => !retainedRequests(state, ctx.config).includes(r))
          .map((r) => toEligibilityRequest(state, r)),
        schedules: currentEligibilitySchedules(state).map((s) => toEligibilitySchedule(state, s)),
        instances: currentEligibilityInstances(state).map((s) => toEligibilityInstance(state, s)),
      };
    },
    writeEligibilityAsAdmin: (write) => writeAsAdmin(ctx, write),
    ageEligibilityRequests(ms) {
      for (const r of ctx.state.eligibility.requests) r.createdAt -= ms;
    },
    setEligibilityPolicy(settings, at = {}) {
      ctx.config.eligibilityPolicies.push({ ...at, ...settings });
    },
  };
}

/**
 * An eligibility as an admin writes it in the portal: an AdminAssign when the principal is not
 * eligible for the role at the scope, else an AdminUpdate, which gives the schedule a new name and
 * points it at the admin's request (an inference from terraform's "the Schedule ID changes
 * each time the assignment is manipulated"). No policy check: the admin's settings are the policy.
 */
function writeAsAdmin(ctx: Ctx, write: EligibilityPortalWrite): ReturnType<typeof toEligibilitySchedule> {
  const roleGuid = roleGuidFrom(write.roleDefinitionId);
  if (!roleGuid || !ctx.state.roleDefinitions.has(roleGuid))
    throw new Error(`emulator: no role definition ${write.roleDefinitionId}`);
  const principalId = write.principalId.toLowerCase();
  const principal = ctx.state.principals.get(principalId);
  if (!principal) throw new Error(`emulator: no principal ${write.principalId}`);
  const now = Date.now();
  const startMs = write.startMs ?? now;
  const duration = write.duration === undefined ? 'P365D' : write.duration;
  const ms = duration === null ? null : parseIsoDuration(duration);
  if (ms === undefined) throw new Error(`emulator: "${duration}" is not an ISO 8601 duration`);
  const name = (write.requestName ?? newGuid()).toLowerCase();
  if (ctx.state.eligibility.requests.some((r) => r.name === name))
    throw new Error(`emulator: a role assignment request with Id: ${name} already exists`);
  const request: EligibilityRequestRecord = {
    name,
    scope: parseScope(write.scope),
    roleGuid,
    principalId,
    principalType: principal.type,
    requestType: 'AdminAssign',
    scheduleInfo: {
      startDateTime: new Date(startMs).toISOString(),
      expiration:
        duration === null
          ? { type: 'NoExpiration', endDateTime: null, duration: null }
          : { type: 'AfterDuration', endDateTime: null, duration },
    },
    justification: write.justification ?? null,
    ticketInfo: { ticketNumber: null, ticketSystem: null },
    condition: null,
    conditionVersion: null,
    // Another identity than the action's by default: a person in the portal.
    requestorId: (write.requestorId ?? SEED.portalAdminObjectId).toLowerCase(),
    createdAt: now,
    status: 'Provisioned',
    targetScheduleName: null,
    targetInstanceName: null,
  };
  const existing = currentEligibility(ctx, request, now);
  if (existing) request.requestType = 'AdminUpdate';
  const schedule = applyEligibility(
    ctx,
    {
      request,
      makes: {
        startMs,
        endMs: ms === null ? null : startMs + ms,
        ...(write.scheduleName ? { name: write.scheduleName.toLowerCase() } : {}),
        ...(write.instanceName ? { instanceName: write.instanceName.toLowerCase() } : {}),
      },
      ...(existing ? { ends: existing } : {}),
    },
    now,
  )!;
  return toEligibilitySchedule(ctx.state, schedule);
}
