// PIM eligibility for Azure resource roles (api-version 2020-10-01): role eligibility schedule
// requests (create, get, list, cancel, validate), the schedules they make and their instances (get,
// list). A request is answered 201 `Provisioned` at once, as in the PutRoleEligibilityScheduleRequest
// example; AdminUpdate and AdminExtend replace the schedule with one of a new name ("the Schedule ID
// changes each time the assignment is manipulated", terraform-provider-azurerm's
// pim_eligible_role_assignment_resource.go). Requests are no longer returned after
// config.eligibilityRequestRetentionMs while their schedules stay (pim/eligibility-render.ts).
import { fail, methodNotAllowed } from '../rest/failure.js';
import { page } from '../rest/page.js';
import type { FilterTerm } from '../rest/odata.js';
import type { AzureContext } from '../tenant/context.js';
import type { EligibilityScheduleRecord } from '../tenant/eligibility-records.js';
import { isGuid } from '../tenant/scope.js';
import { TERMINAL_STATUSES } from '../tenant/pim-records.js';
import { admitEligibility, type Admitted } from './eligibility-admit.js';
import {
  currentEligibilityInstances,
  currentEligibilitySchedules,
  retainedRequests,
  toEligibilityInstance,
  toEligibilityRequest,
  toEligibilitySchedule,
} from './eligibility-render.js';
import { filterTerms, scopeMatches, termMatches, type PimCall } from './route.js';
import { newGuid } from './schedules.js';

/** `…/roleEligibilityScheduleRequests[/{name}[/cancel|validate]]`: the answer to one call. */
export function eligibilityRequests(ctx: AzureContext, call: PimCall): [number, unknown] {
  const { method, route } = call;
  const name = route.name;
  const now = Date.now();
  if (!name) {
    if (method !== 'GET') throw methodNotAllowed(method);
    // The swagger's filters for requests; terraform sends "principalId eq '…' and atScope()".
    const terms = filterTerms(
      call,
      // assignedTo() too, as the GetRoleEligibilityScheduleRequestByScope example sends it.
      ['atScope', 'principalId', 'assignedTo', 'asRequestor', 'asTarget'],
      "atScope(), principalId eq '{id}', assignedTo('{id}'), asRequestor(), asTarget()",
    );
    const oid = String(call.caller.oid ?? '').toLowerCase();
    const found = retainedRequests(ctx.state, ctx.config, now).filter(
      (r) =>
        scopeMatches(ctx.state, terms, r.scope, route.scope) && terms.every((t) => termMatches(t, r, oid)),
    );
    const items = found.map((r) => toEligibilityRequest(ctx.state, r));
    return [200, page(ctx, items, call.url)];
  }
  if (route.action === 'validate') {
    if (method !== 'POST') throw methodNotAllowed(method);
    const would = admitEligibility(ctx, call, name, now);
    return [200, toEligibilityRequest(ctx.state, would.request)];
  }
  if (method === 'GET' || route.action === 'cancel') {
    if (method !== (route.action ? 'POST' : 'GET')) throw methodNotAllowed(method);
    const found = retainedRequests(ctx.state, ctx.config, now).find(
      (r) => r.name === name.toLowerCase() && r.scope.key === route.scope.key,
    );
    if (!found)
      throw fail(
        404,
        'RoleEligibilityScheduleRequestNotFound',
        `The role eligibility schedule request '${name}' is not found.`,
      );
    if (method === 'GET') return [200, toEligibilityRequest(ctx.state, found)];
    // "Cancels a pending role eligibility schedule request" (swagger); the error for a settled one
    // is unconfirmed (as for assignment requests).
    if (!TERMINAL_STATUSES.has(found.status)) {
      found.status = 'Canceled';
      return [200, undefined];
    }
    throw fail(
      400,
      'RoleAssignmentRequestNotCancelable',
      `The role eligibility schedule request '${name}' is in status '${found.status}'. Only a pending request can be canceled.`,
    );
  }
  if (method !== 'PUT') throw methodNotAllowed(method);
  return create(ctx, call, name, now);
}

function create(ctx: AzureContext, call: PimCall, name: string, now: number): [number, unknown] {
  if (!isGuid(name))
    throw fail(
      400,
      'InvalidRoleEligibilityScheduleRequestName',
      `The role eligibility schedule request name '${name}' is not valid. It must be a GUID.`,
    );
  // "A role assignment request with Id: … already exists" for roleEligibilityScheduleRequests
  // (Azure/azure-quickstart-templates#12838), also once reads no longer return the request (the
  // re-creates of terraform-provider-azurerm#24118 / #25811 after 45 days). Its code is unconfirmed:
  // RoleAssignmentExists (HTTP 400) is the documented code for "already exists" (Graph,
  // hashicorp/terraform-provider-azuread#1306).
  if (ctx.state.eligibility.requests.some((r) => r.name === name.toLowerCase()))
    throw fail(400, 'RoleAssignmentExists', `A role assignment request with Id: ${name} already exists`);
  const admitted = admitEligibility(ctx, call, name, now);
  const outcome = ctx.faults.pimRequestOutcome;
  if (outcome && outcome !== 'Provisioned' && outcome !== 'Revoked') {
    // An injected outcome (a pending approval, a failure): the request stays there, nothing changes.
    admitted.request.status = outcome;
    admitted.request.targetScheduleName = admitted.ends?.name ?? null;
    ctx.state.eligibility.requests.push(admitted.request);
    return [201, toEligibilityRequest(ctx.state, admitted.request)];
  }
  applyEligibility(ctx, admitted, now);
  // Only 201 counts as success for the SDK (createOperationSpec answers only {201, default}).
  return [201, toEligibilityRequest(ctx.state, admitted.request)];
}

/** Stores an admitted request and does what it says: a new schedule, the old one ended. */
export function applyEligibility(
  ctx: Pick<AzureContext, 'state'>,
  { request, makes, ends }: Admitted,
  now: number,
): EligibilityScheduleRecord | undefined {
  ctx.state.eligibility.requests.push(request);
  if (ends) {
    ends.endedAt = now;
    ends.updatedAt = now;
  }
  if (!makes) return undefined;
  const schedule: EligibilityScheduleRecord = {
    name: makes.name ?? newGuid(),
    scope: request.scope,
    roleGuid: request.roleGuid,
    principalId: request.principalId,
    principalType: request.principalType,
    requestName: request.name,
    startMs: makes.startMs,
    endMs: makes.endMs,
    createdAt: now,
    updatedAt: now,
    condition: request.condition,
    conditionVersion: request.conditionVersion,
    instanceName: makes.instanceName ?? newGuid(),
  };
  ctx.state.eligibility.schedules.push(schedule);
  // A bare GUID, as in the PutRoleEligibilityScheduleRequest example.
  request.targetScheduleName = schedule.name;
  return schedule;
}

const SCHEDULE_FILTERS: FilterTerm['kind'][] = [
  'atScope',
  'principalId',
  'assignedTo',
  'roleDefinitionId',
  'asTarget',
];
const SCHEDULE_FILTER_HELP =
  "atScope(), principalId eq '{id}', roleDefinitionId eq '{id}', assignedTo('{id}'), asTarget()";

/** Eligibility schedules or (`instances`) their instances: one by name, or a filtered list. */
export function eligibilitySchedules(
  ctx: AzureContext,
  call: PimCall,
  instances: boolean,
): [number, unknown] {
  const { method, route } = call;
  if (method !== 'GET') throw methodNotAllowed(method);
  const now = Date.now();
  const views = instances
    ? currentEligibilityInstances(ctx.state, now)
    : currentEligibilitySchedules(ctx.state, now);
  const render = (s: EligibilityScheduleRecord, listedAt?: typeof route.scope) =>
    instances ? toEligibilityInstance(ctx.state, s, listedAt) : toEligibilitySchedule(ctx.state, s, listedAt);
  if (route.name) {
    const name = route.name.toLowerCase();
    const found = views.find(
      (s) => (instances ? s.instanceName : s.name) === name && s.scope.key === route.scope.key,
    );
    if (!found) {
      const what = instances ? 'RoleEligibilityScheduleInstance' : 'RoleEligibilitySchedule';
      const words = instances ? 'role eligibility schedule instance' : 'role eligibility schedule';
      throw fail(404, `${what}NotFound`, `The ${words} '${route.name}' is not found.`);
    }
    return [200, render(found)];
  }
  const terms = filterTerms(call, SCHEDULE_FILTERS, SCHEDULE_FILTER_HELP);
  const oid = String(call.caller.oid ?? '').toLowerCase();
  const found = views.filter(
    (s) => scopeMatches(ctx.state, terms, s.scope, route.scope) && terms.every((t) => termMatches(t, s, oid)),
  );
  return [
    200,
    page(
      ctx,
      found.map((s) => render(s, route.scope)),
      call.url,
    ),
  ];
}
