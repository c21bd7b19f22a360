// PIM's role assignment schedule requests (api-version 2020-10-01): create, get, list, cancel and
// validate. A new request is checked by pim/admit.ts and settles on pim/schedules.ts's lazy clock.
import { fail, methodNotAllowed } from '../rest/failure.js';
import { page } from '../rest/page.js';
import type { AzureContext } from '../tenant/context.js';
import { admit } from './admit.js';
import { TERMINAL_STATUSES } from '../tenant/pim-records.js';
import { filterTerms, scopeMatches, termMatches, type PimCall, type PimRoute } from './route.js';
import { toRequest } from './schedule-render.js';
import { settlePim } from './schedules.js';
import { isGuid } from '../tenant/scope.js';

/** Requests reads still return: made less than config.assignmentRequestRetentionMs ago. */
const retained = (ctx: AzureContext, now = Date.now()) =>
  ctx.state.pimRequests.filter(
    (r) => now - Date.parse(r.createdOn) < ctx.config.assignmentRequestRetentionMs,
  );

function findRequest(ctx: AzureContext, route: PimRoute, name: string) {
  const found = retained(ctx).find((r) => r.name === name.toLowerCase() && r.scope.key === route.scope.key);
  if (!found)
    throw fail(
      404,
      'RoleAssignmentScheduleRequestNotFound',
      `The role assignment schedule request '${name}' is not found.`,
    );
  return found;
}

/** `…/roleAssignmentScheduleRequests[/{name}[/cancel|validate]]`: the answer to one call. */
export function scheduleRequests(ctx: AzureContext, call: PimCall): [number, unknown] {
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
    const found = retained(ctx).filter(
      (r) =>
        scopeMatches(ctx.state, terms, r.scope, route.scope) && terms.every((t) => termMatches(t, r, oid)),
    );
    return [
      200,
      page(
        ctx,
        found.map((r) => toRequest(ctx.state, r)),
        call.url,
      ),
    ];
  }
  if (route.action === 'cancel') {
    if (method !== 'POST') throw methodNotAllowed(method);
    const request = findRequest(ctx, route, name);
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
    const would = admit(ctx, call, name);
    return [200, toRequest(ctx.state, { ...would, status: would.outcome ?? 'Provisioned' })];
  }
  if (method === 'GET') return [200, toRequest(ctx.state, findRequest(ctx, route, name))];
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
  const request = admit(ctx, call, name);
  const now = Date.now();
  request.dueAt = now + Math.max(0, ctx.config.pimProvisioningDelayMs);
  ctx.state.pimRequests.push(request);
  // With no delay the answer already carries the outcome, as in the swagger examples (201 Provisioned).
  settlePim(ctx.state, ctx.config, now);
  // Only 201 counts as success for the SDK (@azure/arm-authorization's createOperationSpec answers
  // only {201, default}).
  return [201, toRequest(ctx.state, request)];
}
