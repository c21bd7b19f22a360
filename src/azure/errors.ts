// Which ARM and Entra errors to retry and how to explain the others. The SDK's own retries are
// off (retryOptions.maxRetries 0) so that one engine owns backoff and the deadline. ARM errors are
// judged by HTTP status and `error.code`, never by the message, which ARM rewords.
import { CloudAccessError } from '../core/errors.js';
import { isNetworkError } from '../engine/network.js';
import type { ErrorVerdict } from '../engine/retry.js';

/** The operations this adapter calls, named as in the REST spec (and in `stats.calls`). */
export type ArmOperation =
  | 'RoleAssignments_Create'
  | 'RoleAssignments_Delete'
  | 'RoleAssignments_Get'
  | 'RoleAssignments_ListForScope'
  | 'RoleDefinitions_List';

/** A failed ARM call, with what the driver needs to decide (code, status) and what support needs (request ID). */
export class ArmError extends CloudAccessError {
  readonly statusCode: number | undefined;
  readonly code: string | undefined;
  readonly requestId: string | undefined;

  constructor(
    message: string,
    details: { statusCode?: number | undefined; code?: string | undefined; requestId?: string | undefined },
    options: { fix?: string; input?: string; cause?: unknown } = {},
  ) {
    super(message, options);
    this.name = 'ArmError';
    this.statusCode = details.statusCode;
    this.code = details.code;
    this.requestId = details.requestId;
  }
}

/**
 * Replication delay: a principal created moments ago is not visible to ARM yet. A create retries
 * it for PRINCIPAL_REPLICATION_SECONDS (a `replication` verdict) before failing with it.
 */
export class PrincipalNotFoundError extends ArmError {}

/**
 * How long a create keeps retrying PrincipalNotFound: a principal created moments before is not
 * visible to ARM until Entra replicates it (the error text itself says so); sending principalType
 * shortens this, and terraform-provider-azurerm retries the same error for a bounded time.
 */
export const PRINCIPAL_REPLICATION_SECONDS = 120;

interface HeadersLike {
  get(name: string): string | undefined;
}

/** The parts of a RestError (@azure/core-rest-pipeline) this module reads. */
interface RestErrorLike {
  name?: string;
  message?: string;
  code?: string;
  statusCode?: number;
  request?: { url?: string; body?: unknown };
  response?: { headers?: HeadersLike; status?: number };
}

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

/** The RBAC action an operation needs: what an AuthorizationFailed message should name. */
export function permissionFor(operation: string): string {
  switch (operation) {
    case 'RoleAssignments_Create':
      return 'Microsoft.Authorization/roleAssignments/write';
    case 'RoleAssignments_Delete':
      return 'Microsoft.Authorization/roleAssignments/delete';
    case 'RoleDefinitions_List':
      return 'Microsoft.Authorization/roleDefinitions/read';
    default:
      return 'Microsoft.Authorization/roleAssignments/read';
  }
}

/** The scope a request was made at, read back from its URL (`/{scope}/providers/Microsoft.Authorization/…`). */
export function scopeOfRequest(url: string | undefined): string | undefined {
  if (!url) return undefined;
  let path: string;
  try {
    path = decodeURIComponent(new URL(url).pathname);
  } catch {
    return undefined;
  }
  const at = path.toLowerCase().lastIndexOf('/providers/microsoft.authorization/');
  return at > 0 ? path.slice(0, at) : undefined;
}

/** The AADSTS error number in an Entra/MSAL error, e.g. 700213, when there is one. */
export function aadstsCode(error: unknown): number | undefined {
  const codes = (error as { errorResponse?: { errorCodes?: unknown } } | undefined)?.errorResponse
    ?.errorCodes;
  if (Array.isArray(codes) && typeof codes[0] === 'number') return codes[0];
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  const match = /AADSTS(\d+)/.exec(message);
  return match ? Number(match[1]) : undefined;
}

/**
 * Entra's "try again" codes: 50000 (error issuing a token) and 90033 (a transient error). MSAL
 * replays a 5xx answer from its throttling cache for up to 60 s without the `server_error` text,
 * so the code is what still identifies it.
 */
const TRANSIENT_AADSTS = new Set([50000, 90033]);

/** Entra's own "try again later" answers, as MSAL words them. */
const ENTRA_SERVER_ERROR = /\b(server_error|temporarily_unavailable)\b/;

/** Entra answered 429 or 5xx (or MSAL replays such an answer): what MSAL's throttling cache keeps. */
export function isEntraServerError(error: unknown): boolean {
  const { statusCode, message } = (error ?? {}) as { statusCode?: unknown; message?: unknown };
  if (typeof statusCode === 'number' && (statusCode === 429 || statusCode >= 500)) return true;
  return (
    TRANSIENT_AADSTS.has(aadstsCode(error) ?? 0) ||
    ENTRA_SERVER_ERROR.test(typeof message === 'string' ? message : '')
  );
}

const AUTH_ERROR_NAMES = new Set([
  'AuthenticationError',
  'AuthenticationRequiredError',
  'AggregateAuthenticationError',
  'ServerError',
  'ClientAuthError',
  'NetworkError',
]);

const ROLE_FIX =
  'pass the role definition GUID, a full role definition ID, or the exact role name (`Reader`)';
const ACCESS_FIX =
  'assign the identity the action signs in as a role that allows it at that scope or above: Role Based Access Control Administrator or User Access Administrator (Owner works too), or a custom role with Microsoft.Authorization/roleAssignments/read, write and delete (see the README). If access was granted moments ago, re-run: role assignments take up to 10 minutes to take effect';

/**
 * The engine's classifier for this adapter. A cancelled step never reaches it (the call runner
 * fails the call itself), so an AbortError here is an attempt's timeout, and is retried.
 */
export function classifyAzureError(error: unknown, operation: string): ErrorVerdict {
  if (error instanceof CloudAccessError) return { action: 'fail', error };
  const e = (error ?? {}) as RestErrorLike;
  const name = e.name ?? '';
  if (AUTH_ERROR_NAMES.has(name) || name === 'CredentialUnavailableError')
    return classifyAuthError(e, operation, error);

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
  const after = retryAfterMs(headers);
  // ARM throttles with 429; Azure's pipeline would not retry one without Retry-After, we do.
  if (status === 429)
    return { action: 'retry', kind: 'throttled', ...(after !== undefined ? { retryAfterMs: after } : {}) };
  if (status === 408 || (status >= 500 && status !== 501 && status !== 505)) {
    return { action: 'retry', kind: 'server', ...(after !== undefined ? { retryAfterMs: after } : {}) };
  }
  if (e.code === 'AnotherOperationInProgress') return { action: 'retry', kind: 'conflict' };
  const explained = explainArmError(e, status, operation, error);
  if (explained instanceof PrincipalNotFoundError && operation === 'RoleAssignments_Create') {
    return {
      action: 'retry',
      kind: 'replication',
      windowMs: PRINCIPAL_REPLICATION_SECONDS * 1000,
      giveUp: (waitedMs) => principalStillNotFound(explained, e.request?.body, waitedMs),
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

/** What an ARM error's explanation is built from. */
interface ArmFailure {
  operation: string;
  /** `` at scope `…` `` when the request's URL names one, else nothing. */
  at: string;
  /** What ARM said: status, code, message and request ID. */
  said: string;
}

interface ArmExplanation {
  message(f: ArmFailure): string;
  input?: string;
  fix?: string;
  /** The error class, when the driver tells it apart. */
  type?: typeof ArmError;
}

/** Final ARM errors by `error.code`: what went wrong, the input at fault, and how to fix it. */
const ARM_EXPLANATIONS = new Map<string, ArmExplanation>([
  ...forCodes(['AuthorizationFailed', 'LinkedAuthorizationFailed'], {
    message: (f) =>
      `${f.operation} was denied${f.at}: the identity lacks \`${permissionFor(f.operation)}\` (${f.said})`,
    fix: ACCESS_FIX,
  }),
  ...forCodes(['PrincipalNotFound'], {
    message: (f) => `${f.operation}: the principal does not exist in the directory (${f.said})`,
    input: 'principal',
    fix: 'check the object ID. A principal created moments ago may not have replicated yet: keep `principal-type` set to its real type (User, Group, ServicePrincipal) so ARM accepts it before replication ends',
    type: PrincipalNotFoundError,
  }),
  ...forCodes(['InvalidPrincipalId'], {
    message: (f) => `${f.operation}: the principal ID is not valid (${f.said})`,
    input: 'principal',
    fix: 'pass the Entra object ID (not the application/client ID) of the user, group or service principal',
  }),
  ...forCodes(['UnmatchedPrincipalType'], {
    message: (f) => `${f.operation}: \`principal-type\` does not match the principal (${f.said})`,
    input: 'principal-type',
    fix: "set `principal-type` to the principal's real type: User, Group, ServicePrincipal (also for managed identities), ForeignGroup or Device",
  }),
  ...forCodes(['InvalidRoleDefinitionId', 'RoleDefinitionDoesNotExist', 'RoleDefinitionNotFound'], {
    message: (f) => `${f.operation}: the role definition was not found${f.at} (${f.said})`,
    input: 'role',
    fix: `check \`role\`: a custom role must list this scope (or one above it) in its assignable scopes; ${ROLE_FIX}`,
  }),
  ...forCodes(
    ['SubscriptionNotFound', 'InvalidSubscriptionId', 'MissingSubscription', 'SubscriptionNotRegistered'],
    {
      message: (f) => `${f.operation}: the subscription was not found (${f.said})`,
      input: 'target',
      fix: 'check the subscription ID in `target`, and that it belongs to the tenant the action signs in to (`tenant-id`)',
    },
  ),
  ...forCodes(
    [
      'ResourceGroupNotFound',
      'ResourceNotFound',
      'ParentResourceNotFound',
      'InvalidResourceType',
      'InvalidScope',
      'ManagementGroupNotFound',
    ],
    {
      message: (f) => `${f.operation}: the scope does not exist${f.at} (${f.said})`,
      input: 'target',
      fix: 'check `target`: the resource group, resource or management group must exist before access to it is granted',
    },
  ),
  ...forCodes(
    [
      'InvalidAuthenticationToken',
      'InvalidAuthenticationTokenAudience',
      'ExpiredAuthenticationToken',
      'AuthenticationFailed',
    ],
    {
      message: (f) => `${f.operation}: ARM did not accept the Entra token (${f.said})`,
      input: 'client-id',
      fix: 'check `client-id` and `tenant-id`, and that `environment` / `resource-manager-endpoint` name the cloud the subscription is in',
    },
  ),
  ...forCodes(['InvalidAuthenticationTokenTenant'], {
    message: (f) =>
      `${f.operation}: the Entra token is from another tenant than the subscription's (${f.said})`,
    input: 'tenant-id',
    fix: 'set `tenant-id` to the tenant the subscription belongs to',
  }),
  ...forCodes(['RoleAssignmentUpdateNotPermitted'], {
    message: (f) =>
      `${f.operation}: a role assignment with this name already exists${f.at} for another principal, role or scope (${f.said})`,
    input: 'assignment-name',
    fix: 'choose another `assignment-name`, or omit it so the name is derived from scope, principal and role',
  }),
  ...forCodes(['RoleAssignmentLimitExceeded'], {
    message: (f) => `${f.operation}: the scope has reached its role assignment limit (${f.said})`,
    fix: 'remove unused role assignments or assign roles to groups: a subscription holds at most 4000 (2000 in Azure Government and China), a management group 500, and the limit cannot be raised',
  }),
  ...forCodes(['InvalidCondition', 'InvalidConditionVersion', 'ConditionVersionNotSupported'], {
    message: (f) => `${f.operation}: the condition was rejected (${f.said})`,
    input: 'condition',
    fix: 'see https://learn.microsoft.com/azure/role-based-access-control/conditions-format',
  }),
  ...forCodes(['ScopeLocked'], {
    message: (f) => `${f.operation}: the scope is locked${f.at} (${f.said})`,
    input: 'target',
    fix: 'remove the ReadOnly/CanNotDelete lock, or grant at another scope',
  }),
]);

/** Any other ARM error (RoleAssignmentExists, 404s…): its code and status, for the driver to read. */
const UNEXPLAINED_ARM: ArmExplanation = {
  message: (f) => `${f.operation} failed${f.at} (${f.said})`,
};

function forCodes(codes: string[], explanation: ArmExplanation): [string, ArmExplanation][] {
  return codes.map((code) => [code, explanation]);
}

function explainArmError(e: RestErrorLike, status: number, operation: string, cause: unknown): ArmError {
  const code = e.code;
  const requestId = e.response?.headers?.get('x-ms-request-id');
  const scope = scopeOfRequest(e.request?.url);
  const failure: ArmFailure = {
    operation,
    at: scope ? ` at scope \`${scope}\`` : '',
    said: `${status}${code ? ` ${code}` : ''}${e.message ? `: ${e.message}` : ''}${requestId ? ` (ARM request ${requestId})` : ''}`,
  };
  const { message, input, fix, type = ArmError } = (code && ARM_EXPLANATIONS.get(code)) || UNEXPLAINED_ARM;
  return new type(message(failure), { statusCode: status, code, requestId }, { fix, input, cause });
}

function classifyAuthError(e: RestErrorLike, operation: string, cause: unknown): ErrorVerdict {
  const message = e.message ?? '';
  // No credential at all is final, whatever its text says about the network on the way.
  if (e.name !== 'CredentialUnavailableError' && (isNetworkError(cause) || isEntraServerError(cause))) {
    return { action: 'retry', kind: 'server' };
  }
  const statusCode = e.statusCode;
  if (statusCode === 429 || (statusCode !== undefined && statusCode >= 500))
    return { action: 'retry', kind: 'server' };
  const summary = message.replace(/\s+/g, ' ').trim();
  if (e.name === 'CredentialUnavailableError' || e.name === 'AggregateAuthenticationError') {
    return {
      action: 'fail',
      error: new CloudAccessError(`${operation}: no Azure credential was found (${summary})`, {
        input: 'client-id',
        fix: 'pass `client-id` and `tenant-id` to sign in with the GitHub OIDC token, or run azure/login before this step',
        cause,
      }),
    };
  }
  return {
    action: 'fail',
    error: new CloudAccessError(`${operation}: could not get an Entra token (${summary})`, {
      input: 'client-id',
      fix: 'check `client-id`, `tenant-id` and `environment` (or `authority-host`)',
      cause,
    }),
  };
}
