// What a role eligibility schedule request is checked against (api-version 2020-10-01), in the
// service's order: its body and requestType; the role (its ID's form at the scope) and principal;
// then for AdminAssign the window, an existing eligibility and Expiration_Admin_Eligibility; for
// AdminUpdate / AdminExtend the eligibility changed, the window and the rule; for AdminRemove the
// eligibility to end and its age. Used by pim/eligibility.ts, which applies what it returns.
import { fail } from '../rest/failure.js';
import type { AzureContext } from '../tenant/context.js';
import type {
  EligibilityRequestRecord,
  EligibilityRequestType,
  EligibilityScheduleRecord,
} from '../tenant/eligibility-records.js';
import type { ExpirationType } from '../tenant/pim-records.js';
import {
  checkRoleAndSubject,
  dateAt,
  invalidContent,
  minutes,
  objectAt,
  requestFields,
  stringAt,
} from './admit.js';
import { parseIsoDuration } from './iso-duration.js';
import { breaksEligibilityExpiration, eligibilitySettings } from './policy.js';
import type { PimCall } from './route.js';
import { sameTriple } from './schedules.js';

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
const SERVED: EligibilityRequestType[] = ['AdminAssign', 'AdminRemove', 'AdminUpdate', 'AdminExtend'];
const EXPIRATION_TYPES: ExpirationType[] = ['AfterDuration', 'AfterDateTime', 'NoExpiration'];

/** A request the service would accept, and what it does to the schedules. */
export interface Admitted {
  request: EligibilityRequestRecord;
  /** The schedule it makes (AdminAssign, AdminUpdate, AdminExtend). */
  makes?: { startMs: number; endMs: number | null; name?: string; instanceName?: string };
  /** The schedule it ends (AdminRemove) or replaces (AdminUpdate, AdminExtend). */
  ends?: EligibilityScheduleRecord;
}

/** The eligibility of the same principal, role and scope that is current (or future) at `now`. */
export function currentEligibility(
  ctx: Pick<AzureContext, 'state'>,
  triple: EligibilityRequestRecord,
  now: number,
) {
  return ctx.state.eligibility.schedules.find(
    (s) => sameTriple(s, triple) && s.endedAt === undefined && (s.endMs === null || now < s.endMs),
  );
}

/** Checks a request body as the service does; returns the request it would make (nothing is stored). */
export function admitEligibility(ctx: AzureContext, call: PimCall, name: string, now: number): Admitted {
  const { p, requestType } = readBody(call);
  const roleDefinitionId = stringAt(p, 'roleDefinitionId', 'properties')!;
  const { roleGuid, role, principalId, principal } = checkRoleAndSubject(ctx, call, {
    roleDefinitionId,
    principalIdText: stringAt(p, 'principalId', 'properties')!,
    now,
  });
  checkRoleDefinitionForm(call, roleDefinitionId, roleGuid);
  const request: EligibilityRequestRecord = {
    ...requestFields(call, p, { name, roleGuid, principalId, principalType: principal.type }),
    requestType,
    createdAt: now,
    status: 'Provisioned',
    targetScheduleName: null,
    targetInstanceName: null,
  };
  const existing = currentEligibility(ctx, request, now);
  if (requestType === 'AdminRemove') return admitRemove(ctx, request, existing, now);
  // HTTP 400 RoleAssignmentExists "The Role assignment already exists." as Graph answers a duplicate
  // eligibility (hashicorp/terraform-provider-azuread#1306); for ARM the status is unconfirmed.
  if (requestType === 'AdminAssign' && existing)
    throw fail(400, 'RoleAssignmentExists', 'The Role assignment already exists.');
  if (requestType !== 'AdminAssign' && !existing) throw doesNotExist();
  const window = readWindow(ctx, p, now);
  const settings = eligibilitySettings(ctx.config, call.route.scope, role);
  if (breaksEligibilityExpiration(settings, window.endMs === null ? null : window.endMs - window.startMs))
    throw fail(
      400,
      'RoleAssignmentRequestPolicyValidationFailed',
      `The following policy rules failed: ${JSON.stringify(['ExpirationRule'])}`,
    );
  return {
    request: { ...request, scheduleInfo: window.scheduleInfo },
    makes: { startMs: window.startMs, endMs: window.endMs },
    ...(existing ? { ends: existing } : {}),
  };
}

// Code and message as terraform matches them (unconfirmed, from third-party code: terraform-provider-azurerm).
const doesNotExist = () => fail(400, 'RoleAssignmentDoesNotExist', 'The Role assignment does not exist.');

function admitRemove(
  ctx: AzureContext,
  request: EligibilityRequestRecord,
  existing: EligibilityScheduleRecord | undefined,
  now: number,
): Admitted {
  if (!existing) throw doesNotExist();
  // terraform retries AdminRemove of an eligibility on ActiveDurationTooShort too
  // (pim_eligible_role_assignment_resource.go Delete); the same five minutes as active assignments.
  const start = Math.max(existing.startMs, existing.createdAt);
  if (start <= now && now - start < ctx.config.pimMinimumActiveMs)
    throw fail(
      400,
      'ActiveDurationTooShort',
      `The Active duration is too short. Miniumum Required is ${minutes(ctx.config.pimMinimumActiveMs)}.`,
    );
  // A removal that succeeds ends `Revoked`, as for active assignments (unconfirmed).
  return {
    request: {
      ...request,
      status: 'Revoked',
      targetScheduleName: existing.name,
      targetInstanceName: existing.instanceName,
    },
    ends: existing,
  };
}

/** The body's properties and request type; 400 for a missing member or a type not served. */
function readBody(call: PimCall): { p: Record<string, unknown>; requestType: EligibilityRequestType } {
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
  for (const required of ['roleDefinitionId', 'principalId', 'requestType'])
    if (stringAt(p, required, 'properties') === null) throw missing(required);
  const requestType = stringAt(p, 'requestType', 'properties')!;
  if (!REQUEST_TYPES.includes(requestType))
    throw invalidContent(
      `Error converting value "${requestType}" to type 'RequestType'. Path 'properties.requestType'.`,
    );
  const served = SERVED.find((t) => t === requestType);
  if (!served)
    throw fail(
      400,
      'UnsupportedRequestType',
      `emulator: requestType '${requestType}' is not emulated for eligibility; only ${SERVED.join(', ')} are.`,
    );
  return { p, requestType: served };
}

/**
 * The role definition ID's form at the scope: with `/subscriptions/{sub}` at a subscription,
 * resource group or resource scope, without it at a management group (terraform-provider-azurerm
 * #31052 and PR #31053, #23775 fixed by scoping the role definition). The service's code for a
 * wrong form is unconfirmed; the role-assignment one for a role it cannot find stands in.
 */
function checkRoleDefinitionForm(call: PimCall, roleDefinitionId: string, roleGuid: string): void {
  const { scope } = call.route;
  const expected = `${scope.subscriptionId ? `/subscriptions/${scope.subscriptionId}` : ''}/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`;
  if (roleDefinitionId.toLowerCase() !== expected.toLowerCase())
    throw fail(
      400,
      'RoleDefinitionDoesNotExist',
      `The specified role definition with ID '${roleDefinitionId}' does not exist at scope '${scope.path}': use '${expected}'.`,
    );
}

/** scheduleInfo's window: from startDateTime (now when absent) to its expiration (null: no end). */
function readWindow(ctx: AzureContext, p: Record<string, unknown>, now: number) {
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
  // "AfterDuration with duration null" makes a permanent eligibility (Azure/azure-rest-api-specs#24242).
  if (type === 'AfterDuration' && duration !== null) {
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
        `The role eligibility cannot be assigned for a duration of less than ${minutes(ctx.config.pimMinimumDurationMs)}.`,
      );
    if (endMs <= now) throw invalidSchedule('The role eligibility schedule ends in the past.');
  }
  const scheduleInfo = {
    startDateTime: new Date(startMs).toISOString(),
    expiration: {
      type,
      endDateTime: type === 'AfterDateTime' ? new Date(endMs!).toISOString() : null,
      duration: type === 'AfterDuration' ? duration : null,
    },
  };
  return { startMs, endMs, scheduleInfo };
}
