// The ARM client, one per subscription, created on first use: the SDK's own retries off (the
// engine retries inside the deadline), a timeout on every request so a hung connection cannot
// outlive the step, and the pacer (ARM's token buckets) on every request. A subscription's read
// (its display name, for a report) goes through a client of another SDK with the same settings.
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import type { TokenCredential } from '@azure/core-auth';
import type { HttpClient } from '@azure/core-rest-pipeline';
import type { AzureScope } from '../../core/azure-scope.js';
import type { AzureSessionSettings } from '../../core/inputs/index.js';
import type { ArmPacer } from '../sdk/pacing.js';
import { armPacingPolicy, endpointOnlyPolicy, requestTimeoutPolicy } from '../sdk/pipeline-policies.js';

/**
 * Management group scopes have no subscription, but the client's constructor requires one; the
 * scope-based operations used here never put it in a URL.
 */
const NO_SUBSCRIPTION = '00000000-0000-0000-0000-000000000000';

export type ArmClientFor = (scope: AzureScope) => AuthorizationManagementClient;

/** `httpClient` replaces the transport (tests); by default the SDK's Node HTTP client is used. */
export function createArmClients(
  settings: AzureSessionSettings,
  credential: TokenCredential,
  pacer: ArmPacer,
  httpClient?: HttpClient,
): ArmClientFor {
  const clients = new Map<string, AuthorizationManagementClient>();
  return (scope) => {
    const subscriptionId = scope.subscriptionId ?? NO_SUBSCRIPTION;
    let client = clients.get(subscriptionId);
    if (!client) {
      client = new AuthorizationManagementClient(credential, subscriptionId, {
        credentialScopes: [settings.tokenScope],
        ...pipelineOptions(settings, pacer, httpClient),
      });
      clients.set(subscriptionId, client);
    }
    return client;
  };
}

/** What every ARM client's pipeline is given: the endpoint, no SDK retries, the pacer and the timeout. */
function pipelineOptions(
  settings: AzureSessionSettings,
  pacer: ArmPacer,
  httpClient: HttpClient | undefined,
) {
  return {
    endpoint: settings.resourceManagerEndpoint,
    retryOptions: { maxRetries: 0 },
    additionalPolicies: [
      { policy: endpointOnlyPolicy(settings.resourceManagerEndpoint), position: 'perCall' as const },
      { policy: armPacingPolicy(pacer), position: 'perCall' as const },
      { policy: requestTimeoutPolicy(), position: 'perRetry' as const },
    ],
    userAgentOptions: { userAgentPrefix: 'cloud-access' },
    ...(httpClient ? { httpClient } : {}),
  };
}

/** A subscription as Subscriptions_Get answers it: what a report keeps of it. */
export interface SubscriptionInfo {
  displayName?: string | undefined;
}

/** One Subscriptions_Get (Microsoft.Resources); the session runs it through its call runner. */
export type SubscriptionRead = (subscriptionId: string, signal: AbortSignal) => Promise<SubscriptionInfo>;

/**
 * Subscriptions_Get through @azure/arm-resources-subscriptions (api-version 2022-12-01), loaded
 * with import() on the first read: only a report reads a subscription, and its modular entry
 * points bundle the one call without the package's other operations.
 */
export function createSubscriptionReader(
  settings: AzureSessionSettings,
  credential: TokenCredential,
  pacer: ArmPacer,
  httpClient?: HttpClient,
): SubscriptionRead {
  let read: Promise<SubscriptionRead> | undefined;
  return async (subscriptionId, signal) => {
    read ??= Promise.all([
      import('@azure/arm-resources-subscriptions/api'),
      import('@azure/arm-resources-subscriptions/api/subscriptions'),
    ]).then(([{ createSubscription }, { get }]) => {
      const context = createSubscription(credential, {
        credentials: { scopes: [settings.tokenScope] },
        ...pipelineOptions(settings, pacer, httpClient),
      });
      return (id, abortSignal) => get(context, id, { abortSignal });
    });
    return (await read)(subscriptionId, signal);
  };
}

/**
 * The SDK's URL templates are `/{scope}/providers/…` and `/{roleAssignmentId}`, with the value not
 * encoded: a value that starts with `/` would make `//subscriptions/…`, so the slash is dropped.
 */
export function urlPathArgument(scopeOrId: string): string {
  return scopeOrId.replace(/^\/+/, '');
}

/** What the driver keeps of an ARM answer: its status, and the request ID support asks for. */
export interface ResponseInfo {
  status: number;
  requestId: string | undefined;
}

export function responseInfo(raw: {
  status: number;
  headers: { get(name: string): string | undefined };
}): ResponseInfo {
  return { status: raw.status, requestId: raw.headers.get('x-ms-request-id') };
}

/** Every item of an SDK list, following its next links. */
export async function allPages<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of pages) all.push(item);
  return all;
}
