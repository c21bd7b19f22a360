// Azure PIM for Azure resource roles, as ARM's Microsoft.Authorization provider serves it at
// api-version 2020-10-01 (the one @azure/arm-authorization@9 sends for these groups, its models'
// apiVersion parameters):
// role assignment schedule requests (create, get, list, cancel, validate; pim/requests.ts),
// schedules and schedule instances (get, list), role management policies and policy assignments
// (get, list). arm/gateway.ts routes here after its gateway checks (token, api-version, subscription,
// throttling, RBAC); the routes live in pim/route.ts, the data and the lazy clock in pim/schedules.ts,
// the policy rules in pim/policy.ts.
import { authorizationFailure, fail, methodNotAllowed } from '../rest/failure.js';
import { page } from '../rest/page.js';
import type { AzureContext } from '../tenant/context.js';
import type { FilterTerm } from '../rest/odata.js';
import { eligibilitySettings, policyAssignmentResource, policyResource, policySettings } from './policy.js';
import { eligibilityRequests, eligibilitySchedules } from './eligibility.js';
import { scheduleRequests } from './requests.js';
import { filterTerms, scopeMatches, termMatches, type PimCall } from './route.js';
import { toInstance, toSchedule } from './schedule-render.js';
import { currentInstances, currentSchedules } from './schedules.js';
import type { RoleDefinitionRecord } from '../tenant/roles.js';
import type { Scope } from '../tenant/scope.js';
import { roleGuidFrom } from '../tenant/role-assignments.js';
export function createPimHandler(ctx: AzureContext) {
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
        return scheduleRequests(ctx, call);
      case 'roleAssignmentSchedules':
        return schedules(ctx, call, false);
      case 'roleAssignmentScheduleInstances':
        return schedules(ctx, call, true);
      case 'roleEligibilityScheduleRequests':
        return eligibilityRequests(ctx, call);
      case 'roleEligibilitySchedules':
        return eligibilitySchedules(ctx, call, false);
      case 'roleEligibilityScheduleInstances':
        return eligibilitySchedules(ctx, call, true);
      case 'roleManagementPolicies':
        return policies(ctx, call, false);
      case 'roleManagementPolicyAssignments':
        return policies(ctx, call, true);
    }
  };
}

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

/** Schedules or (`instances`) their instances: one by name, or a list filtered as `$filter` says. */
function schedules(ctx: AzureContext, call: PimCall, instances: boolean): [number, unknown] {
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
    (v) => scopeMatches(ctx.state, terms, v.scope, route.scope) && terms.every((t) => termMatches(t, v, oid)),
  );
  return [
    200,
    page(
      ctx,
      found.map((v) => render(v, route.scope)),
      call.url,
    ),
  ];
}

// ---- policies ----

/** One policy per role assignable at the scope ("each role within each resource has a default policy"). */
function policies(ctx: AzureContext, call: PimCall, assignments: boolean): [number, unknown] {
  const { method, route } = call;
  if (method !== 'GET') throw methodNotAllowed(method);
  const roles = [...ctx.state.roleDefinitions.values()].filter((r) =>
    ctx.state.roleAssignableAt(r, route.scope),
  );
  const render = (role: RoleDefinitionRecord) => {
    const settings = {
      ...policySettings(ctx.config, role),
      eligibility: eligibilitySettings(ctx.config, route.scope, role),
    };
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
  // The swagger has no $filter here, yet the docs and terraform send `roleDefinitionId eq '…'` to
  // roleManagementPolicies
  // (https://learn.microsoft.com/rest/api/authorization/privileged-role-assignment-rest-sample):
  // accepted on both lists.
  const terms = filterTerms(call, ['roleDefinitionId'], "roleDefinitionId eq '{id}'");
  const matching = roles.filter((role) =>
    terms.every((t) => t.kind !== 'roleDefinitionId' || roleGuidFrom(t.id) === role.guid),
  );
  return [200, page(ctx, matching.map(render), call.url)];
}
