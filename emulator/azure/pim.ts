// Azure PIM for Azure resource roles, as ARM's Microsoft.Authorization provider serves it at
// api-version 2020-10-01 (the one @azure/arm-authorization@9 sends for these groups, facts §1):
// role assignment schedule requests (create, get, list, cancel, validate), schedules and
// schedule instances (get, list), role management policies and policy assignments (get, list).
// arm.ts routes here after its gateway checks (token, api-version, subscription, throttling,
// RBAC); the data and the lazy clock live in pim-state.ts, the policy rules in pim-policy.ts.
import type { JwtClaims } from '../common/jwt.js';
import { authorizationFailure, fail, methodNotAllowed } from './arm-failure.js';
import type { AzureContext } from './context.js';
import { parseIsoDuration } from './iso-duration.js';
import { parseFilter, type FilterTerm } from './odata.js';
import { failedRules, policyAssignmentResource, policyResource, policySettings } from './pim-policy.js';
import {
  activeFrom,
  currentInstances,
  currentSchedules,
  endsAt,
  newGuid,
  sameTriple,
  settlePim,
  toInstance,
  toRequest,
  toSchedule,
} from './pim-state.js';
import {
  TERMINAL_STATUSES,
  type ExpirationType,
  type PimRequestRecord,
  type PimStatus,
} from './pim-records.js';
import type { RoleDefinitionRecord } from './roles.js';
import { isGuid, type Scope } from './scope.js';
import { roleGuidFrom } from './state.js';

export const PIM_API_VERSION = '2020-10-01';

export const PIM_RESOURCE_TYPES = [
  'roleAssignmentScheduleRequests',
  'roleAssignmentSchedules',
  'roleAssignmentScheduleInstances',
  'roleManagementPolicies',
  'roleManagementPolicyAssignments',
] as const;
export type PimResourceType = (typeof PIM_RESOURCE_TYPES)[number];

/** `POST …/roleAssignmentScheduleRequests/{name}/{action}`. */
export const PIM_REQUEST_ACTIONS = ['cancel', 'validate'] as const;
export type PimRequestAction = (typeof PIM_REQUEST_ACTIONS)[number];

export interface PimRoute {
  scope: Scope;
  resourceType: PimResourceType;
  name?: string;
  action?: PimRequestAction;
}

const OPERATION_GROUPS: Record<PimResourceType, string> = {
  roleAssignmentScheduleRequests: 'RoleAssignmentScheduleRequests',
  roleAssignmentSchedules: 'RoleAssignmentSchedules',
  roleAssignmentScheduleInstances: 'RoleAssignmentScheduleInstances',
  roleManagementPolicies: 'RoleManagementPolicies',
  roleManagementPolicyAssignments: 'RoleManagementPolicyAssignments',
};

/** The swagger's operationId, for the request log (`RoleAssignmentScheduleRequests_Create` …). */
export function pimOperationOf(method: string, route: PimRoute): string {
  const group = OPERATION_GROUPS[route.resourceType];
  if (!route.name) return `${group}_ListForScope`;
  if (route.action === 'cancel') return `${group}_Cancel`;
  if (route.action === 'validate') return `${group}_Validate`;
  return `${group}_${{ PUT: 'Create', PATCH: 'Update', DELETE: 'Delete' }[method] ?? 'Get'}`;
}

/**
 * The RBAC actions the caller needs, the gateway's first: ARM checks the operation's own action
 * (`Microsoft.Authorization/roleAssignmentScheduleRequests/write`, `…/cancel/action`,
 * `roleAssignmentScheduleInstances/read` …), and PIM requires
 * Microsoft.Authorization/roleAssignments/write to AdminAssign or AdminRemove and
 * Microsoft.Authorization/roleAssignments/read to list (rest-sample, facts §4, §6, §7).
 */
export function pimActionsOf(method: string, route: PimRoute): string[] {
  const own = `Microsoft.Authorization/${route.resourceType}`;
  if (method === 'GET') return [`${own}/read`, 'Microsoft.Authorization/roleAssignments/read'];
  if (route.action === 'cancel')
    return [`${own}/cancel/action`, 'Microsoft.Authorization/roleAssignments/write'];
  if (route.resourceType === 'roleAssignmentScheduleRequests')
    return [`${own}/write`, 'Microsoft.Authorization/roleAssignments/write'];
  return [`${own}/${method === 'DELETE' ? 'delete' : 'write'}`];
}

/** Whether the answer changes state (the request log's `write`): a new request, or a cancel. */
export const pimWrites = (method: string, route: PimRoute) =>
  method === 'PUT' || method === 'PATCH' || method === 'DELETE' || route.action === 'cancel';

export interface PimCall {
  method: string;
  route: PimRoute;
  caller: JwtClaims;
  url: URL;
  text: string;
}

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

const noDashes = (guid: string) => guid.replace(/-/g, '');
const minutes = (ms: number) => `${Math.round((ms / 60_000) * 100) / 100} minutes`;

const invalidContent = (detail: string) =>
  fail(
    400,
    'InvalidRequestContent',
    `The request content was invalid and could not be deserialized: '${detail}'.`,
  );

/** A JSON object member of `body` at `path`, or undefined when absent or null. */
function objectAt(value: unknown, path: string): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value))
    throw invalidContent(`Error converting value to type 'Object'. Path '${path}'.`);
  return value as Record<string, unknown>;
}

function stringAt(object: Record<string, unknown> | undefined, key: string, path: string): string | null {
  const value = object?.[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string')
    throw invalidContent(`Error converting value to type 'System.String'. Path '${path}.${key}'.`);
  return value;
}

function dateAt(object: Record<string, unknown> | undefined, key: string, path: string): number | null {
  const text = stringAt(object, key, path);
  if (text === null) return null;
  const ms = Date.parse(text);
  if (Number.isNaN(ms))
    throw invalidContent(`Could not convert string to DateTime: ${text}. Path '${path}.${key}'.`);
  return ms;
}

/** The list's `$filter` terms; 400 UnsupportedQuery for any term the list does not take. */
function filterTerms(call: PimCall, allowed: FilterTerm['kind'][], help: string): FilterTerm[] {
  const filter = call.url.searchParams.get('$filter');
  const terms = filter ? parseFilter(filter, allowed) : [];
  if (!terms)
    throw fail(
      400,
      'UnsupportedQuery',
      `The filter '${filter ?? ''}' is not supported. Supported filters are: ${help}, combined with 'and'.`,
    );
  return terms;
}

export function createPimHandler(ctx: AzureContext, page: (items: unknown[], url: URL) => unknown) {
  /** Items at, above or below the listed scope; with `atScope()`, at or above only (as roleAssignments). */
  const scopeMatches = (terms: FilterTerm[], item: Scope, listed: Scope) => {
    const above = ctx.state.isAtOrAbove(item, listed);
    const below = ctx.state.isAtOrAbove(listed, item);
    return terms.some((t) => t.kind === 'atScope') ? above : above || below;
  };
  const termMatches = (
    t: FilterTerm,
    item: { principalId: string; roleGuid: string; requestorId?: string | null },
    callerOid: string,
  ) => {
    switch (t.kind) {
      case 'principalId':
      case 'assignedTo':
        // Group membership is not modelled: assignedTo() is the principal's own assignments.
        return item.principalId === t.id.toLowerCase();
      case 'roleDefinitionId':
        return item.roleGuid === roleGuidFrom(t.id);
      case 'asRequestor':
        return item.requestorId === callerOid;
      case 'asTarget':
        return item.principalId === callerOid;
      default:
        return true;
    }
  };

  /** The caller signed in with MFA: only a user token can say so (`amr` with "mfa"). */
  const callerHasMfa = (caller: JwtClaims) => {
    const oid = String(caller.oid ?? '').toLowerCase();
    const servicePrincipal =
      caller.idtyp === 'app' || ctx.state.principals.get(oid)?.type === 'ServicePrincipal';
    return !servicePrincipal && Array.isArray(caller.amr) && caller.amr.includes('mfa');
  };

  // ---- requests ----

  /**
   * Validates a request body as the service does and returns the request it would make (not
   * stored). Checks, in order: body, requestType, role, principal; then for AdminAssign the
   * schedule, an existing assignment, the policy; for AdminRemove the assignment to end, its age,
   * the policy.
   */
  const admit = (call: PimCall, name: string): PimRequestRecord => {
    const now = Date.now();
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

    const roleGuid = roleGuidFrom(roleDefinitionId);
    if (!roleGuid)
      throw fail(
        400,
        'InvalidRoleDefinitionId',
        `The role definition ID '${roleDefinitionId}' is not valid.`,
      );
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
      // terraform retries Create while the code is SubjectNotFound (facts §5; code and message unconfirmed).
      throw fail(
        400,
        'SubjectNotFound',
        `The subject ${principalId} was not found in the directory ${ctx.state.tenantId}. If it was created moments ago, retry later.`,
      );
    }

    const ticketInfo = objectAt(p.ticketInfo, 'properties.ticketInfo');
    const request: PimRequestRecord = {
      name: name.toLowerCase(),
      scope: call.route.scope,
      roleGuid,
      principalId,
      principalType: principal.type,
      requestType,
      scheduleInfo: null,
      justification: stringAt(p, 'justification', 'properties'),
      ticketInfo: {
        ticketNumber: stringAt(ticketInfo, 'ticketNumber', 'properties.ticketInfo'),
        ticketSystem: stringAt(ticketInfo, 'ticketSystem', 'properties.ticketInfo'),
      },
      condition: stringAt(p, 'condition', 'properties'),
      conditionVersion: stringAt(p, 'conditionVersion', 'properties'),
      requestorId: String(call.caller.oid ?? '').toLowerCase(),
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
        callerHasMfa: callerHasMfa(call.caller),
      });
      if (failed.length > 0)
        throw fail(
          400,
          'RoleAssignmentRequestPolicyValidationFailed',
          `The following policy rules failed: ${JSON.stringify(failed)}`,
        );
    };
    return requestType === 'AdminAssign'
      ? admitAssign(request, p, settings.approvalRequired, policy, now)
      : admitRemove(request, policy, now);
  };

  const admitAssign = (
    request: PimRequestRecord,
    p: Record<string, unknown>,
    approvalRequired: boolean,
    policy: (durationMs: number | null) => void,
    now: number,
  ): PimRequestRecord => {
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
      // "AfterDuration with duration null … throws error for assignment requests" (facts §5).
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
    // HTTP 400 as Graph answers it (facts §5; for ARM unconfirmed). Plain PUT roleAssignments answers 409.
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
  };

  const admitRemove = (
    request: PimRequestRecord,
    policy: (durationMs?: number | null) => void,
    now: number,
  ): PimRequestRecord => {
    const schedule = ctx.state.pimSchedules.find((s) => sameTriple(s, request) && now < endsAt(s));
    const permanent = schedule
      ? undefined
      : ctx.state.live().find((a) => a.pimSchedule === undefined && sameTriple(a, request));
    // Codes and messages as terraform matches them (facts §5: unconfirmed, from third-party code).
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
  };

  const findRequest = (route: PimRoute, name: string) => {
    const found = ctx.state.pimRequests.find(
      (r) => r.name === name.toLowerCase() && r.scope.key === route.scope.key,
    );
    if (!found)
      throw fail(
        404,
        'RoleAssignmentScheduleRequestNotFound',
        `The role assignment schedule request '${name}' is not found.`,
      );
    return found;
  };

  const requests = (call: PimCall): [number, unknown] => {
    const { method, route } = call;
    const name = route.name;
    if (!name) {
      if (method !== 'GET') throw methodNotAllowed(method);
      const terms = filterTerms(
        call,
        ['atScope', 'principalId', 'assignedTo', 'asRequestor', 'asTarget'],
        "atScope(), principalId eq '{id}', assignedTo('{id}'), asRequestor(), asTarget()",
      );
      const oid = String(call.caller.oid ?? '').toLowerCase();
      const found = ctx.state.pimRequests.filter(
        (r) => scopeMatches(terms, r.scope, route.scope) && terms.every((t) => termMatches(t, r, oid)),
      );
      return [
        200,
        page(
          found.map((r) => toRequest(ctx.state, r)),
          call.url,
        ),
      ];
    }
    if (route.action === 'cancel') {
      if (method !== 'POST') throw methodNotAllowed(method);
      const request = findRequest(route, name);
      // "Cancels a pending role assignment schedule request" (swagger). The error for any other is unconfirmed.
      if (TERMINAL_STATUSES.has(request.status))
        throw fail(
          400,
          'RoleAssignmentRequestNotCancelable',
          `The role assignment schedule request '${name}' is in status '${request.status}'. Only a pending request can be canceled.`,
        );
      request.status = 'Canceled';
      delete request.dueAt;
      delete request.outcome;
      return [200, undefined];
    }
    if (route.action === 'validate') {
      if (method !== 'POST') throw methodNotAllowed(method);
      // The request as it would be, with the status it would reach; nothing is stored.
      const would = admit(call, name);
      return [200, toRequest(ctx.state, { ...would, status: would.outcome ?? 'Provisioned' })];
    }
    if (method === 'GET') return [200, toRequest(ctx.state, findRequest(route, name))];
    if (method !== 'PUT') throw methodNotAllowed(method);
    if (!isGuid(name))
      throw fail(
        400,
        'InvalidRoleAssignmentScheduleRequestName',
        `The role assignment schedule request name '${name}' is not valid. It must be a GUID.`,
      );
    // "A role assignment request with Id: {guid} already exists" (Azure/bicep-types-az#1431); the code is unconfirmed.
    if (ctx.state.pimRequests.some((r) => r.name === name.toLowerCase()))
      throw fail(
        400,
        'RoleAssignmentRequestExists',
        `A role assignment request with Id: ${name} already exists`,
      );
    const request = admit(call, name);
    const now = Date.now();
    request.dueAt = now + Math.max(0, ctx.config.pimProvisioningDelayMs);
    ctx.state.pimRequests.push(request);
    // With no delay the answer already carries the outcome, as in the swagger examples (201 Provisioned).
    settlePim(ctx.state, ctx.config, now);
    // Only 201 counts as success for the SDK (facts §3).
    return [201, toRequest(ctx.state, request)];
  };

  // ---- schedules and instances ----

  const SCHEDULE_FILTERS: FilterTerm['kind'][] = [
    'atScope',
    'principalId',
    'assignedTo',
    'roleDefinitionId',
    'asTarget',
  ];
  const SCHEDULE_FILTER_HELP =
    "atScope(), principalId eq '{id}', roleDefinitionId eq '{id}', assignedTo('{id}'), asTarget()";

  const schedules = (call: PimCall, instances: boolean): [number, unknown] => {
    const { method, route } = call;
    if (method !== 'GET') throw methodNotAllowed(method);
    const views = instances ? currentInstances(ctx.state) : currentSchedules(ctx.state);
    const render = (v: (typeof views)[number], listedAt?: Scope) =>
      instances ? toInstance(ctx.state, v, listedAt) : toSchedule(ctx.state, v, listedAt);
    if (route.name) {
      const name = route.name.toLowerCase();
      const found = views.find(
        (v) => (instances ? v.assignmentName : v.name) === name && v.scope.key === route.scope.key,
      );
      if (!found)
        throw instances
          ? fail(
              404,
              'RoleAssignmentScheduleInstanceNotFound',
              `The role assignment schedule instance '${route.name}' is not found.`,
            )
          : fail(
              404,
              'RoleAssignmentScheduleNotFound',
              `The role assignment schedule '${route.name}' is not found.`,
            );
      return [200, render(found)];
    }
    const terms = filterTerms(call, SCHEDULE_FILTERS, SCHEDULE_FILTER_HELP);
    const oid = String(call.caller.oid ?? '').toLowerCase();
    const found = views.filter(
      (v) => scopeMatches(terms, v.scope, route.scope) && terms.every((t) => termMatches(t, v, oid)),
    );
    return [
      200,
      page(
        found.map((v) => render(v, route.scope)),
        call.url,
      ),
    ];
  };

  // ---- policies ----

  /** One policy per role assignable at the scope ("each role within each resource has a default policy"). */
  const policies = (call: PimCall, assignments: boolean): [number, unknown] => {
    const { method, route } = call;
    if (method !== 'GET') throw methodNotAllowed(method);
    const roles = [...ctx.state.roleDefinitions.values()].filter((r) =>
      ctx.state.roleAssignableAt(r, route.scope),
    );
    const render = (role: RoleDefinitionRecord) => {
      const settings = policySettings(ctx.config, role);
      return assignments
        ? policyAssignmentResource(route.scope, role, settings)
        : policyResource(route.scope, role, settings);
    };
    if (route.name) {
      const found = roles.map(render).find((r) => r.name.toLowerCase() === route.name!.toLowerCase());
      if (!found)
        throw assignments
          ? fail(
              404,
              'RoleManagementPolicyAssignmentNotFound',
              `The role management policy assignment '${route.name}' is not found.`,
            )
          : fail(
              404,
              'RoleManagementPolicyNotFound',
              `The role management policy '${route.name}' is not found.`,
            );
      return [200, found];
    }
    // The swagger has no $filter here, yet the docs and terraform send `roleDefinitionId eq '…'`
    // to roleManagementPolicies (facts §6): accepted on both lists.
    const terms = filterTerms(call, ['roleDefinitionId'], "roleDefinitionId eq '{id}'");
    const matching = roles.filter((role) =>
      terms.every((t) => t.kind !== 'roleDefinitionId' || roleGuidFrom(t.id) === role.guid),
    );
    return [200, page(matching.map(render), call.url)];
  };

  return (call: PimCall): [number, unknown] => {
    const { route } = call;
    const policyRead =
      route.resourceType === 'roleManagementPolicies' ||
      route.resourceType === 'roleManagementPolicyAssignments';
    if (policyRead && ctx.faults.pimDenyPolicyRead)
      throw authorizationFailure(
        call.caller,
        `Microsoft.Authorization/${route.resourceType}/read`,
        route.scope.path,
      );
    if (!ctx.config.pimLicense)
      throw fail(400, 'AadPremiumLicenseRequired', 'The tenant needs an AAD Premium 2 license.');
    switch (route.resourceType) {
      case 'roleAssignmentScheduleRequests':
        return requests(call);
      case 'roleAssignmentSchedules':
        return schedules(call, false);
      case 'roleAssignmentScheduleInstances':
        return schedules(call, true);
      case 'roleManagementPolicies':
        return policies(call, false);
      case 'roleManagementPolicyAssignments':
        return policies(call, true);
    }
  };
}
