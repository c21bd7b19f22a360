// Microsoft.Resources' read of one subscription (Subscriptions_Get, api-version 2022-12-01, as
// @azure/arm-resources-subscriptions sends it): its display name, which a report shows as a
// subscription target's name. ARM answers 404 SubscriptionNotFound for a subscription it does not
// know, and 403 AuthorizationFailed to a caller without `Microsoft.Resources/subscriptions/read`.
import type { JwtClaims } from '../../common/jwt.js';
import type { RequestRecord } from '../../common/requests.js';
import { authorizationFailure, fail, methodNotAllowed } from '../rest/failure.js';
import type { AzureContext } from '../tenant/context.js';
import { checkSubscription } from './checks.js';
import { parseScope } from '../tenant/scope.js';

export const SUBSCRIPTIONS_API_VERSION = '2022-12-01';
const READ = 'Microsoft.Resources/subscriptions/read';
const SUBSCRIPTION_PATH = /^\/subscriptions\/([^/]+)\/?$/i;

/** The answer to a request for a subscription, or undefined when the path names none. */
export function subscriptionAnswer(
  ctx: AzureContext,
  method: string,
  url: URL,
  caller: JwtClaims,
  entry: RequestRecord,
): [number, unknown] | undefined {
  const m = SUBSCRIPTION_PATH.exec(decodeURIComponent(url.pathname));
  if (!m) return undefined;
  entry.operation = 'Subscriptions_Get';
  if (method !== 'GET') throw methodNotAllowed(method);
  const apiVersion = url.searchParams.get('api-version');
  if (apiVersion !== SUBSCRIPTIONS_API_VERSION)
    throw fail(
      400,
      'InvalidApiVersionParameter',
      `The api-version '${apiVersion ?? ''}' is invalid. The supported versions are '${SUBSCRIPTIONS_API_VERSION}'.`,
    );
  const scope = parseScope(`/subscriptions/${m[1]!}`);
  checkSubscription(ctx, scope);
  const id = m[1]!.toLowerCase();
  const path = `/subscriptions/${id}`;
  if (!ctx.state.isAuthorized(String(caller.oid ?? ''), READ, scope))
    throw authorizationFailure(caller, READ, path);
  return [
    200,
    {
      id: path,
      authorizationSource: 'RoleBased',
      managedByTenants: [],
      subscriptionId: id,
      tenantId: ctx.state.tenantId,
      displayName: ctx.state.subscriptionNames.get(id) ?? id,
      state: 'Enabled',
      subscriptionPolicies: {
        locationPlacementId: 'Public_2014-09-01',
        quotaId: 'PayAsYouGo_2014-09-01',
        spendingLimit: 'Off',
      },
    },
  ];
}
