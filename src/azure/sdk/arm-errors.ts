// ARM's errors: the error the driver reads (code, status, request ID), and what each final ARM
// error code means for the user: the input at fault and the fix (a denial names the permission
// ./arm-permissions.ts gives). Judged by HTTP status and `error.code`, never by the message, which
// ARM rewords.
import { CloudAccessError } from '../../core/errors.js';
import { deniedPermissionText, pimAlsoNeeds } from './arm-permissions.js';

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

/** The ARM request ID of a failed call, as an outcome's `requestId` when ARM sent one. */
export function requestIdOf(error: ArmError): { requestId?: string } {
  return error.requestId ? { requestId: error.requestId } : {};
}

/**
 * Replication delay: a principal created moments ago is not visible to ARM yet. A create retries
 * it for PRINCIPAL_REPLICATION_SECONDS (a `replication` verdict) before failing with it.
 */
export class PrincipalNotFoundError extends ArmError {}

/** PIM: a request that breaks its role's policy (RoleAssignmentRequestPolicyValidationFailed); the driver names the rules. */
export class PimPolicyRefusal extends ArmError {}

/**
 * PIM refuses to remove an assignment within its minimum active time (5 minutes after it started)
 * with ActiveDurationTooShort: retried, slowly, until the deadline would pass.
 */
export class ActiveDurationTooShortError extends ArmError {}

export interface HeadersLike {
  get(name: string): string | undefined;
}

/** The parts of a RestError (@azure/core-rest-pipeline) this module reads. */
export interface RestErrorLike {
  name?: string;
  message?: string;
  code?: string;
  statusCode?: number;
  request?: { url?: string; body?: unknown };
  response?: { headers?: HeadersLike; status?: number; bodyAsText?: string | null };
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

const ROLE_FIX =
  'pass the role definition GUID, a full role definition ID, or the exact role name (`Reader`)';
const ACCESS_FIX =
  'assign the identity the action signs in as a role that allows it at that scope or above: Role Based Access Control Administrator or User Access Administrator (Owner works too), or a custom role with Microsoft.Authorization/roleAssignments/read, write and delete (see docs/azure-setup.md). If access was granted moments ago, re-run: role assignments take up to 10 minutes to take effect';

const PIM_ACCESS_FIX =
  'assign the identity the action signs in as User Access Administrator or Owner at that scope or above (Role Based Access Control Administrator has no roleAssignmentScheduleRequests/write), or a custom role with the PIM actions docs/azure-setup.md lists for `duration`. If access was granted moments ago, re-run: role assignments take up to 10 minutes to take effect';

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
  fix?: string | ((f: ArmFailure) => string);
  /** The error class, when the driver tells it apart. */
  type?: typeof ArmError;
}

/** Final ARM errors by `error.code`: what went wrong, the input at fault, and how to fix it. */
const ARM_EXPLANATIONS = new Map<string, ArmExplanation>([
  ...forCodes(['AuthorizationFailed', 'LinkedAuthorizationFailed'], {
    message: (f) =>
      `${f.operation} was denied${f.at}: the identity lacks ${deniedPermissionText(f.operation)} (${f.said})`,
    fix: (f) => (pimAlsoNeeds(f.operation) ? PIM_ACCESS_FIX : ACCESS_FIX),
  }),
  // SubjectNotFound: PIM's schedule requests say it (terraform retries their create while it lasts).
  ...forCodes(['PrincipalNotFound', 'SubjectNotFound'], {
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
  ...forCodes(['AadPremiumLicenseRequired'], {
    message: (f) =>
      `${f.operation}: Azure PIM, which makes time-bound assignments, needs a Microsoft Entra ID P2 or Entra ID Governance licence in the tenant (${f.said})`,
    input: 'duration',
    fix: 'license the tenant for Entra ID P2 or Governance, or leave `duration` empty for a permanent assignment (with `revoke-on-exit: true` the post step still removes it when the job ends)',
  }),
  ...forCodes(['RoleAssignmentRequestPolicyValidationFailed'], {
    message: (f) => `${f.operation}: the role's PIM policy refused the request${f.at} (${f.said})`,
    input: 'duration',
    type: PimPolicyRefusal,
  }),
  ...forCodes(['ActiveDurationTooShort'], {
    message: (f) =>
      `${f.operation}: Azure PIM does not remove an assignment within its minimum active time, 5 minutes after it started (${f.said})`,
    type: ActiveDurationTooShortError,
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

export function explainArmError(
  e: RestErrorLike,
  status: number,
  operation: string,
  cause: unknown,
): ArmError {
  const code = e.code;
  const requestId = e.response?.headers?.get('x-ms-request-id');
  const scope = scopeOfRequest(e.request?.url);
  const failure: ArmFailure = {
    operation,
    at: scope ? ` at scope \`${scope}\`` : '',
    said: `${status}${code ? ` ${code}` : ''}${e.message ? `: ${e.message}` : ''}${requestId ? ` (ARM request ${requestId})` : ''}`,
  };
  const { message, input, fix, type = ArmError } = (code && ARM_EXPLANATIONS.get(code)) || UNEXPLAINED_ARM;
  return new type(
    message(failure),
    { statusCode: status, code, requestId },
    { fix: typeof fix === 'function' ? fix(failure) : fix, input, cause },
  );
}
