// The ARM client, one per subscription, created on first use: the SDK's own retries off (the
// engine retries inside the deadline), a timeout on every request so a hung connection cannot
// outlive the step, and the pacer (ARM's token buckets) on every request.
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import type { TokenCredential } from '@azure/core-auth';
import type { HttpClient } from '@azure/core-rest-pipeline';
import type { AzureScope } from '../../core/azure-scope.js';
import type { AzureSessionSettings } from '../../core/inputs/index.js';
import type { ArmPacer } from '../sdk/pacing.js';
import { armPacingPolicy, requestTimeoutPolicy } from '../sdk/pipeline-policies.js';

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
        endpoint: settings.resourceManagerEndpoint,
        credentialScopes: [settings.tokenScope],
        retryOptions: { maxRetries: 0 },
        additionalPolicies: [
          { policy: armPacingPolicy(pacer), position: 'perCall' },
          { policy: requestTimeoutPolicy(), position: 'perRetry' },
        ],
        userAgentOptions: { userAgentPrefix: 'cloud-access' },
        ...(httpClient ? { httpClient } : {}),
      });
      clients.set(subscriptionId, client);
    }
    return client;
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
