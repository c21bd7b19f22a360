// The gateway's checks after the token, in ARM's order: the faults a test injected, the
// api-version and route, the subscription, the token buckets (and injected throttling and server
// errors), then RBAC.
import type { JwtClaims } from '../../common/jwt.js';
import { ArmFailure, authorizationFailure, fail } from '../rest/failure.js';
import type { AzureContext } from '../tenant/context.js';
import { actionMatches } from '../tenant/roles.js';
import { isGuid, type Scope } from '../tenant/scope.js';
import { PIM_RESOURCE_TYPES } from '../pim/route.js';
import { API_VERSIONS, type ArmRoute } from './route.js';
import { kindOf, type ArmBuckets } from './throttling.js';

/** An injected failure (faults.armFailures) this call matches: thrown as ARM's answer. */
export function injectedFailure(ctx: AzureContext, method: string, url: URL): void {
  const injected = ctx.faults.armFailures.find(
    (f) =>
      (f.times === undefined || f.times > 0) &&
      (f.method === undefined || f.method.toUpperCase() === method) &&
      (f.pathIncludes === undefined || url.pathname.toLowerCase().includes(f.pathIncludes.toLowerCase())) &&
      (!f.unfiltered || !url.searchParams.has('$filter')),
  );
  if (injected) {
    if (injected.times !== undefined) injected.times--;
    throw fail(injected.status, injected.code, injected.message);
  }
}

/** The api-version is given and is the one the route's resource type is served at; the route is one ARM serves. */
export function checkRoute(
  method: string,
  url: URL,
  parsed: ArmRoute | ArmFailure | undefined,
  route: ArmRoute | undefined,
): ArmRoute {
  const apiVersion = url.searchParams.get('api-version');
  if (!apiVersion)
    throw fail(
      400,
      'MissingApiVersionParameter',
      'The api-version query parameter (?api-version=) is required for all requests.',
    );
  if (parsed instanceof ArmFailure) throw parsed;
  if (!route)
    throw fail(
      404,
      'InvalidResourceType',
      `emulator: only Microsoft.Authorization roleAssignments, roleDefinitions and the PIM resource types (${PIM_RESOURCE_TYPES.join(', ')}) are emulated (${method} ${url.pathname}).`,
    );
  const served = API_VERSIONS[route.resourceType];
  if (apiVersion !== served) {
    throw fail(
      400,
      'NoRegisteredProviderFound',
      `No registered resource provider found for location 'global' and API version '${apiVersion}' for type '${route.resourceType}'. The supported api-versions are '${served}'. The supported locations are ', global'.`,
    );
  }
  return route;
}

/** The scope's subscription: a GUID, and one the tenant has. */
export function checkSubscription(ctx: AzureContext, scope: Scope): void {
  const id = scope.subscriptionId;
  if (id === undefined) return;
  if (!isGuid(id))
    throw fail(
      400,
      'InvalidSubscriptionId',
      `The provided subscription identifier '${id}' is malformed or invalid.`,
    );
  if (!ctx.state.hasSubscription(id))
    throw fail(404, 'SubscriptionNotFound', `The subscription '${id}' could not be found.`);
}

/** RBAC: every action the call is, allowed to the caller at the scope (or failed by a fault). */
export function authorize(
  ctx: AzureContext,
  caller: JwtClaims,
  actions: string[],
  scope: Scope,
  resourcePath: string,
): void {
  const oid = String(caller.oid ?? '');
  const denied = actions.find(
    (action) =>
      ctx.faults.authorizationFailed.some((pattern) => actionMatches(pattern, action)) ||
      !ctx.state.isAuthorized(oid, action, scope),
  );
  if (denied) throw authorizationFailure(caller, denied, resourcePath);
}

/** What the throttling and server error checks need of the call. */
export interface LimitedCall {
  method: string;
  route: ArmRoute;
  caller: JwtClaims;
  /** The answer's headers, given the buckets' `x-ms-ratelimit-remaining-*`. */
  headers: Record<string, string>;
  requestId: string;
  correlationId: string;
}

/** A token from the caller's bucket at the scope's level, or 429; then the injected throttling and server errors. */
export function takeTokens(ctx: AzureContext, buckets: ArmBuckets, call: LimitedCall): void {
  const { method, route, caller, headers, requestId, correlationId } = call;
  const kind = kindOf(method);
  const owner = route.scope.subscriptionId
    ? `subscription:${route.scope.subscriptionId.toLowerCase()}`
    : 'tenant';
  const level = route.scope.subscriptionId ? 'subscription' : 'tenant';
  const verb = { reads: 'read', writes: 'write', deletes: 'delete' }[kind];
  const throttled = (retryAfter: number | undefined) =>
    fail(
      429,
      level === 'subscription' ? 'SubscriptionRequestsThrottled' : 'TenantRequestsThrottled',
      `Number of '${verb}' requests for ${level === 'subscription' ? `subscription '${route.scope.subscriptionId}'` : `tenant '${ctx.state.tenantId}'`} actor '${String(caller.oid ?? '')}' exceeded. Please try again after ${retryAfter ?? 'some'} seconds.`,
      retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) },
    );
  const taken = buckets.take(`${owner}:${String(caller.oid ?? '')}`, kind);
  headers[`x-ms-ratelimit-remaining-${level}-${kind}`] = String(taken.remaining);
  if (level === 'subscription')
    headers[`x-ms-ratelimit-remaining-subscription-global-${kind}`] = String(taken.remainingGlobal);
  if (!taken.ok) throw throttled(taken.retryAfterSeconds);
  if (ctx.faults.throttleRate > 0 && ctx.random() < ctx.faults.throttleRate) {
    throw throttled(ctx.faults.throttleWithoutRetryAfter ? undefined : ctx.config.faultRetryAfterSeconds);
  }
  if (ctx.faults.serverErrorRate > 0 && ctx.random() < ctx.faults.serverErrorRate) {
    if (ctx.random() < 0.5)
      throw fail(
        503,
        'ServiceUnavailable',
        'The service is temporarily unavailable. Please try again later.',
      );
    throw fail(
      500,
      'InternalServerError',
      `Encountered internal server error. Diagnostic information: timestamp '${new Date().toISOString()}', tracking id '${requestId}', request correlation id '${correlationId}'.`,
    );
  }
}
