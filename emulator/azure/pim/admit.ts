// What a role assignment schedule request is checked against, in the service's order: its body,
// requestType, role and principal; then for AdminAssign the schedule, an existing assignment and
// the role's policy, for AdminRemove the assignment to end, its age and the policy. Used by
// pim/requests.ts to create and to validate a request.
import type { JwtClaims } from '../../common/jwt.js';
import { fail, noDashes } from '../rest/failure.js';
import type { AzureContext } from '../tenant/context.js';
import { parseIsoDuration } from './iso-duration.js';
import { failedRules, policySettings } from './policy.js';
import type { ExpirationType, PimRequestRecord, PimStatus } from '../tenant/pim-records.js';
import type { PimCall } from './route.js';
import { activeFrom, endsAt, newGuid, sameTriple } from './schedules.js';
import { isGuid } from '../tenant/scope.js';
import { dateAt, invalidContent, objectAt, requestFields, stringAt } from './request-body.js';
import { roleGuidFrom } from '../tenant/role-assignments.js';

// The body's readers, for the routes that import them from here.
export { dateAt, invalidContent, objectAt, requestFields, stringAt };

const REQUEST_TYPES = [
  'AdminAssign',
  'AdminRemove',
  'AdminUpdate',
  'AdminExtend',
  'AdminRenew',
  'SelfActivate',
  'SelfDeactivate',
  'SelfExtend',
  'SelfRenew',
];
const EXPIRATION_TYPES: ExpirationType[] = ['AfterDuration', 'AfterDateTime', 'NoExpiration'];

export const minutes = (ms: number) => `${Math.round((ms / 60_000) * 100) / 100} minutes`;

/** The caller signed in with MFA: only a user token can say so (`amr` with "mfa"). */
function callerHasMfa(ctx: AzureContext, caller: JwtClaims) {
  const oid = String(caller.oid ?? '').toLowerCase();
  const servicePrincipal =
    caller.idtyp === 'app' || ctx.state.principals.get(oid)?.type === 'ServicePrincipal';
  return !servicePrincipal && Array.isArray(caller.amr) && caller.amr.includes('mfa');
}

/**
 * Validates a request body as the service does and returns the request it would make (not
 * stored). Checks, in order: body, requestType, role, principal; then for AdminAssign the
 * schedule, an existing assignment, the policy; for AdminRemove the assignment to end, its age,
 * the policy.
 */
export function admit(ctx: AzureContext, call: PimCall, name: string): PimRequestRecord {
  const now = Date.now();
  const { p, roleDefinitionId, principalIdText, requestType } = readProperties(call);
  const { roleGuid, role, principalId, principal } = checkRoleAndSubject(ctx, call, {
    roleDefinitionId,
    principalIdText,
    now,
  });

  const request: PimRequestRecord = {
    ...requestFields(call, p, { name, roleGuid, principalId, principalType: principal.type }),
    requestType,
    createdOn: new Date(now).toISOString(),
    status: 'Accepted',
    approvalId: null,
    targetScheduleName: null,
    targetInstanceName: null,
  };
  const settings = policySettings(ctx.config, role);
  const policy = (durationMs?: number | null) => {
    const failed = failedRules(settings, {
      requestType,
      ...(durationMs === undefined ? {} : { durationMs }),
      justification: request.justification,
      ticketNumber: request.ticketInfo.ticketNumber,
      ticketSystem: request.ticketInfo.ticketSystem,
      callerHasMfa: callerHasMfa(ctx, call.caller),
    });
    if (failed.length > 0)
      throw fail(
        400,
        'RoleAssignmentRequestPolicyValidationFailed',
        `The following policy rules failed: ${JSON.stringify(failed)}`,
      );
  };
  return requestType === 'AdminAssign'
    ? admitAssign(ctx, request, p, settings.approvalRequired, policy, now)
    : admitRemove(ctx, request, policy, now);
}

/** The body's properties, with the role, principal and request type every request names. */
function readProperties(call: PimCall): {
  p: Record<string, unknown>;
  roleDefinitionId: string;
  principalIdText: string;
  requestType: 'AdminAssign' | 'AdminRemove';
} {
  let body: unknown;
  try {
    body = JSON.parse(call.text);
  } catch (error) {
    throw invalidContent((error as Error).message);
  }
  const missing = (property: string) =>
    invalidContent(`Required property '${property}' not found in JSON. Path 'properties'.`);
  const p = objectAt((body as { properties?: unknown } | null)?.properties, 'properties');
  if (!p) throw missing('properties');
  const roleDefinitionId = stringAt(p, 'roleDefinitionId', 'properties');
  if (roleDefinitionId === null) throw missing('roleDefinitionId');
  const principalIdText = stringAt(p, 'principalId', 'properties');
  if (principalIdText === null) throw missing('principalId');
  const requestType = stringAt(p, 'requestType', 'properties');
  if (requestType === null) throw missing('requestType');
  if (!REQUEST_TYPES.includes(requestType))
    throw invalidContent(
      `Error converting value "${requestType}" to type 'RequestType'. Path 'properties.requestType'.`,
    );
  if (requestType !== 'AdminAssign' && requestType !== 'AdminRemove')
    throw fail(
      400,
      'UnsupportedRequestType',
      `emulator: requestType '${requestType}' is not emulated; only AdminAssign and AdminRemove are.`,
    );
  return { p, roleDefinitionId, principalIdText, requestType };
}

/** The role (assignable at the scope) and the principal (in the directory, replicated). */
export function checkRoleAndSubject(
  ctx: AzureContext,
  call: PimCall,
  {
    roleDefinitionId,
    principalIdText,
    now,
  }: { roleDefinitionId: string; principalIdText: string; now: number },
) {
  const roleGuid = roleGuidFrom(roleDefinitionId);
  if (!roleGuid)
    throw fail(400, 'InvalidRoleDefinitionId', `The role definition ID '${roleDefinitionId}' is not valid.`);
  const role = ctx.state.roleDefinitions.get(roleGuid);
  if (!role || !ctx.state.roleAssignableAt(role, call.route.scope))
    throw fail(
      400,
      'RoleDefinitionDoesNotExist',
      `The specified role definition with ID '${noDashes(roleGuid)}' does not exist.`,
    );
  if (!isGuid(principalIdText))
    throw fail(400, 'InvalidPrincipalId', 'A valid principal ID must be provided for role assignment.');
  const principalId = principalIdText.toLowerCase();
  const principal = ctx.state.principals.get(principalId);
  if (!principal || now - principal.createdAt < ctx.config.principalReplicationDelayMs) {
    // terraform retries Create while the code is SubjectNotFound
    // (https://github.com/hashicorp/terraform-provider-azurerm/blob/b99f385cb101435fc045973b8e4ea1336970a87f/internal/services/authorization/pim_active_role_assignment_resource.go;
    // code and message unconfirmed).
    throw fail(
      400,
      'SubjectNotFound',
      `The subject ${principalId} was not found in the directory ${ctx.state.tenantId}. If it was created moments ago, retry later.`,
    );
  }
  return { roleGuid, role, principalId, principal };
}

function admitAssign(
  ctx: AzureContext,
  request: PimRequestRecord,
  p: Record<string, unknown>,
  approvalRequired: boolean,
  policy: (durationMs: number | null) => void,
  now: number,
): PimRequestRecord {
  const info = objectAt(p.scheduleInfo, 'properties.scheduleInfo');
  const expiration = objectAt(info?.expiration, 'properties.scheduleInfo.expiration');
  const path = 'properties.scheduleInfo.expiration';
  const startMs = dateAt(info, 'startDateTime', 'properties.scheduleInfo') ?? now;
  const typeText = stringAt(expiration, 'type', path) ?? 'NoExpiration';
  const type = EXPIRATION_TYPES.find((t) => t === typeText);
  if (!type)
    throw invalidContent(`Error converting value "${typeText}" to type 'Type'. Path '${path}.type'.`);
  // InvalidScheduleInfo: the code for every schedule the service refuses is unconfirmed.
  const invalidSchedule = (message: string) => fail(400, 'InvalidScheduleInfo', message);
  const duration = stringAt(expiration, 'duration', path);
  let endMs: number | null = null;
  if (type === 'AfterDuration') {
    // "AfterDuration with duration null … throws error for assignment requests"
    // (Azure/azure-rest-api-specs#24242).
    if (duration === null)
      throw invalidSchedule('A duration is required when the expiration type is AfterDuration.');
    const ms = parseIsoDuration(duration);
    if (ms === undefined)
      throw invalidSchedule(`The duration '${duration}' is not a valid ISO 8601 duration.`);
    endMs = startMs + ms;
  } else if (type === 'AfterDateTime') {
    endMs = dateAt(expiration, 'endDateTime', path);
    if (endMs === null)
      throw invalidSchedule('An endDateTime is required when the expiration type is AfterDateTime.');
  }
  if (endMs !== null) {
    if (endMs - startMs < ctx.config.pimMinimumDurationMs)
      throw invalidSchedule(
        `The role assignment cannot be assigned for a duration of less than ${minutes(ctx.config.pimMinimumDurationMs)}.`,
      );
    if (endMs <= now) throw invalidSchedule('The role assignment schedule ends in the past.');
  }
  const want = request;
  const exists =
    ctx.state.live().some((a) => sameTriple(a, want)) ||
    ctx.state.pimSchedules.some((s) => sameTriple(s, want) && now < endsAt(s)) ||
    ctx.state.pimRequests.some(
      (r) =>
        r.requestType === 'AdminAssign' &&
        r.status === 'Accepted' &&
        (r.outcome ?? 'Provisioned') === 'Provisioned' &&
        sameTriple(r, want),
    );
  // HTTP 400 as Graph answers it (hashicorp/terraform-provider-azuread#1306; for ARM unconfirmed).
  // Plain PUT roleAssignments answers 409.
  if (exists) throw fail(400, 'RoleAssignmentExists', 'The Role assignment already exists.');
  policy(endMs === null ? null : endMs - startMs);
  const outcome: PimStatus =
    ctx.faults.pimRequestOutcome ?? (approvalRequired ? 'PendingApproval' : 'Provisioned');
  return {
    ...request,
    scheduleInfo: {
      startDateTime: new Date(startMs).toISOString(),
      expiration: {
        type,
        endDateTime: type === 'AfterDateTime' ? new Date(endMs!).toISOString() : null,
        duration: type === 'AfterDuration' ? duration : null,
      },
    },
    outcome,
    approvalId: outcome === 'PendingApproval' ? newGuid() : null,
    targetScheduleName: newGuid(),
    targetInstanceName: newGuid(),
    startMs,
    endMs,
  };
}

function admitRemove(
  ctx: AzureContext,
  request: PimRequestRecord,
  policy: (durationMs?: number | null) => void,
  now: number,
): PimRequestRecord {
  const schedule = ctx.state.pimSchedules.find((s) => sameTriple(s, request) && now < endsAt(s));
  const permanent = schedule
    ? undefined
    : ctx.state.live().find((a) => a.pimSchedule === undefined && sameTriple(a, request));
  // Codes and messages as terraform matches them (unconfirmed, from third-party code):
  // https://github.com/hashicorp/terraform-provider-azurerm/blob/b99f385cb101435fc045973b8e4ea1336970a87f/internal/services/authorization/pim_active_role_assignment_resource.go
  if (!schedule && !permanent)
    throw fail(400, 'RoleAssignmentDoesNotExist', 'The Role assignment does not exist.');
  const start = schedule ? activeFrom(schedule) : Date.parse(permanent!.createdOn);
  if (start <= now && now - start < ctx.config.pimMinimumActiveMs)
    throw fail(
      400,
      'ActiveDurationTooShort',
      `The Active duration is too short. Miniumum Required is ${minutes(ctx.config.pimMinimumActiveMs)}.`,
    );
  policy();
  // A removal that succeeds ends `Revoked` (unconfirmed; the facts only know Revoked as an
  // assignment's terminal state).
  return {
    ...request,
    outcome: ctx.faults.pimRequestOutcome ?? 'Revoked',
    targetScheduleName: schedule?.name ?? permanent!.name,
    targetInstanceName: schedule?.assignmentName ?? permanent!.name,
    removes: schedule
      ? { kind: 'schedule', name: schedule.name }
      : { kind: 'assignment', name: permanent!.name },
  };
}
