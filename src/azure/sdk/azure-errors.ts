// The Azure adapter's error classifier: which ARM errors to retry, and which are final (explained
// in arm-errors.ts); errors from getting the Entra token are judged in entra-errors.ts. The SDK's
// own retries are off (retryOptions.maxRetries 0) so that one engine owns backoff and the deadline.
import { CloudAccessError } from '../../core/errors.js';
import type { AzureSessionSettings } from '../../core/inputs/index.js';
import { isNetworkError, withEndpointFixes } from '../../engine/limits/network.js';
import type { ErrorClassifier, ErrorVerdict } from '../../engine/limits/retry.js';
import { ForeignAnswerError, hostOf, isForeignAnswer } from '../../engine/limits/foreign-answer.js';
import {
  ActiveDurationTooShortError,
  ArmError,
  explainArmError,
  PrincipalNotFoundError,
  type HeadersLike,
  type RestErrorLike,
} from './arm-errors.js';
import { classifyAuthError, isAuthError } from './entra-errors.js';

/**
 * How long a create keeps retrying PrincipalNotFound: a principal created moments before is not
 * visible to ARM until Entra replicates it (the error text itself says so); sending principalType
 * shortens this, and terraform-provider-azurerm retries the same error for a bounded time.
 */
export const PRINCIPAL_REPLICATION_SECONDS = 120;

/** The writes that name a principal, and so are refused until it has replicated. */
const PRINCIPAL_WRITES = new Set(['RoleAssignments_Create', 'RoleAssignmentScheduleRequests_Create']);

/**
 * ActiveDurationTooShort lasts until 5 minutes after the assignment started, and "sometimes for a
 * short while before relenting" (terraform-provider-azurerm retries it every minute or more): tried
 * again from 1 s, doubling, at most every 30 s, so a wait of minutes costs a dozen writes.
 */
export const ACTIVE_DURATION_RETRY = { baseMs: 1_000, factor: 2, capMs: 30_000 } as const;

/**
 * The delay a response asks for, in ms, as Azure's own throttling strategy reads it:
 * `retry-after-ms`, then `x-ms-retry-after-ms`, then `Retry-After` in seconds or as an HTTP date.
 */
export function retryAfterMs(headers: HeadersLike | undefined, now: number = Date.now()): number | undefined {
  if (!headers) return undefined;
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const value = headers.get(name)?.trim();
    if (value && /^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value));
  }
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The classifier of a session's calls: classifyAzureError, with the endpoint a call that could not
 * reach its host, or did not trust its certificate, went to: Entra for the sign-in (`GetToken`) and
 * for any token a call asked for on the way, ARM for every other call of the session.
 */
export function armClassifier(settings: AzureSessionSettings): ErrorClassifier {
  return withEndpointFixes(classifyAzureError, (operation, error) =>
    operation === 'GetToken' || isTokenError(error)
      ? { url: settings.authorityHost, input: 'authority-host' }
      : { url: settings.resourceManagerEndpoint, input: 'resource-manager-endpoint' },
  );
}

/** An error from getting the Entra token on the way to another service (its bearer policy). */
export function isTokenError(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' && isAuthError(name);
}

/**
 * The engine's classifier for this adapter. A cancelled step never reaches it (the call runner
 * fails the call itself), so an AbortError here is an attempt's timeout, and is retried.
 */
export function classifyAzureError(error: unknown, operation: string): ErrorVerdict {
  if (error instanceof CloudAccessError) return { action: 'fail', error };
  const e = (error ?? {}) as RestErrorLike;
  const name = e.name ?? '';
  if (isAuthError(name)) return classifyAuthError(error, operation);

  const status = e.statusCode ?? e.response?.status;
  if (status === undefined) {
    if (isNetworkError(error)) return { action: 'retry', kind: 'network' };
    return {
      action: 'fail',
      error: new CloudAccessError(
        `${operation} failed: ${name ? `${name}: ` : ''}${e.message ?? String(error)}`,
        { cause: error },
      ),
    };
  }

  const headers = e.response?.headers;
  // A page ARM did not write (a proxy's HTML 404, a wrong `resource-manager-endpoint`'s): the same
  // on every try, and the SDK made its whole text the error's message, which is never shown.
  const seen = {
    status,
    contentType: headers?.get('content-type'),
    parsed: isJson(e.response?.bodyAsText),
    host: hostOf(e.request?.url),
  };
  if (isForeignAnswer(seen))
    return {
      action: 'fail',
      error: new ForeignAnswerError(
        operation,
        'Azure Resource Manager',
        seen,
        '`resource-manager-endpoint`, or `environment`',
        { input: 'resource-manager-endpoint', cause: error },
      ),
    };
  const asked = retryAfterMs(headers);
  const after = {
    service: 'Azure Resource Manager',
    ...(asked !== undefined ? { retryAfterMs: asked } : {}),
  };
  // ARM throttles with 429; Azure's pipeline would not retry one without Retry-After, we do.
  if (status === 429) return { action: 'retry', kind: 'throttled', ...after };
  if (status === 408 || (status >= 500 && status !== 501 && status !== 505)) {
    return { action: 'retry', kind: 'server', ...after };
  }
  if (e.code === 'AnotherOperationInProgress') return { action: 'retry', kind: 'conflict' };
  const explained = explainArmError(e, status, operation, error);
  if (explained instanceof PrincipalNotFoundError && PRINCIPAL_WRITES.has(operation)) {
    const { principalId } = sentPrincipal(e.request?.body);
    return {
      action: 'retry',
      kind: 'replication',
      windowMs: PRINCIPAL_REPLICATION_SECONDS * 1000,
      waitingFor: `${principalId ? `principal ${principalId}` : 'the principal'} to replicate from Entra ID to Azure Resource Manager (PrincipalNotFound)`,
      giveUp: (waitedMs) => principalStillNotFound(explained, e.request?.body, waitedMs),
    };
  }
  if (explained instanceof ActiveDurationTooShortError) {
    // Until the deadline: the error the last refusal gave is what the driver reports.
    return {
      action: 'retry',
      kind: 'replication',
      windowMs: Number.POSITIVE_INFINITY,
      schedule: ACTIVE_DURATION_RETRY,
      waitingFor:
        'the assignment to be 5 minutes old: Azure PIM removes none sooner (ActiveDurationTooShort)',
      giveUp: () => explained,
    };
  }
  return { action: 'fail', error: explained };
}

/**
 * PrincipalNotFound for the whole replication window (or until the deadline): named with the
 * principal ID and type the create sent, which the request's JSON body holds.
 */
function principalStillNotFound(last: PrincipalNotFoundError, body: unknown, waitedMs: number): ArmError {
  const { principalId, principalType } = sentPrincipal(body);
  const waited = Math.round(waitedMs / 1000);
  return new PrincipalNotFoundError(
    `${principalId ? `principal ${principalId}` : 'the principal'} was still not found in the directory after ${waited} s of retries${last.requestId ? ` (ARM request ${last.requestId})` : ''}`,
    last,
    {
      input: 'principal',
      fix: `check that \`principal\` is the object ID of a user, group or service principal in the tenant of the subscription, and that \`principal-type\`${principalType ? ` (${principalType})` : ''} is its real type: with the right type ARM accepts a principal Entra has not replicated yet. A principal created just before this step can take minutes to replicate: re-run, or raise \`timeout-seconds\``,
      cause: last,
    },
  );
}

/** `properties.principalId` and `principalType` of a role assignment PUT's body, when it can be read. */
function sentPrincipal(body: unknown): { principalId?: string; principalType?: string } {
  if (typeof body !== 'string') return {};
  try {
    const { properties } = JSON.parse(body) as {
      properties?: { principalId?: unknown; principalType?: unknown };
    };
    return {
      ...(typeof properties?.principalId === 'string' ? { principalId: properties.principalId } : {}),
      ...(typeof properties?.principalType === 'string' ? { principalType: properties.principalType } : {}),
    };
  } catch {
    return {};
  }
}

/** Whether an answer's body is JSON, as every ARM answer's is; an empty body says nothing either way. */
function isJson(text: string | null | undefined): boolean {
  if (!text) return true;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
