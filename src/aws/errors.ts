// Which AWS errors to retry and how to explain the others. The SDK's own retries are off
// (maxAttempts 1) so that one engine owns backoff and the deadline.
import { CloudAccessError } from '../core/errors.js';
import type { ErrorVerdict } from '../engine/retry.js';

interface AwsErrorLike {
  name?: string;
  message?: string;
  code?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number; requestId?: string };
  RetryAfterSeconds?: number;
}

const THROTTLING = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'Throttling',
  'ThrottledException',
  'SlowDown',
]);
const NETWORK = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNABORTED',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
]);
/** STS: "IdP unreachable (often transient)": retry a limited number of times (model docs). */
const TRANSIENT_STS = new Set(['IDPCommunicationErrorException', 'IDPCommunicationError']);

/** The IAM action a denied operation needs: the service prefix is the client's. */
export function permissionFor(operation: string): string {
  const identityStore = [
    'GetUserId',
    'GetGroupId',
    'DescribeUser',
    'DescribeGroup',
    'ListUsers',
    'ListGroups',
  ];
  return `${identityStore.includes(operation) ? 'identitystore' : 'sso'}:${operation}`;
}

export function classifyAwsError(error: unknown, operation: string): ErrorVerdict {
  if (error instanceof CloudAccessError) return { action: 'fail', error };
  const e = (error ?? {}) as AwsErrorLike;
  const name = e.name ?? '';
  const status = e.$metadata?.httpStatusCode;
  if (THROTTLING.has(name) || status === 429) {
    return {
      action: 'retry',
      kind: 'throttled',
      ...(e.RetryAfterSeconds ? { retryAfterMs: e.RetryAfterSeconds * 1000 } : {}),
    };
  }
  // "A retry (with appropriate backoff logic) is the recommended response" (SSO Admin model).
  if (name === 'ConflictException') return { action: 'retry', kind: 'conflict' };
  if (TRANSIENT_STS.has(name)) return { action: 'retry', kind: 'server' };
  if (e.$fault === 'server' || (status !== undefined && status >= 500))
    return { action: 'retry', kind: 'server' };
  if (
    (e.code && NETWORK.has(e.code)) ||
    name === 'TimeoutError' ||
    name === 'AbortError' ||
    name === 'RequestTimeout' ||
    /socket hang up|ECONNRESET/.test(e.message ?? '')
  ) {
    return { action: 'retry', kind: 'network' };
  }
  const detail = e.message ? `: ${e.message}` : '';
  const requestId = e.$metadata?.requestId ? ` (request ${e.$metadata.requestId})` : '';
  switch (name) {
    case 'AccessDeniedException':
    case 'AccessDenied':
      return {
        action: 'fail',
        error: new CloudAccessError(`${operation} was denied${detail}${requestId}`, {
          fix: `allow \`${permissionFor(operation)}\` in the policy of the role the action uses${
            operation === 'CreateAccountAssignment' ||
            operation === 'DeleteAccountAssignment' ||
            operation === 'ProvisionPermissionSet'
              ? ' (with the iam:* and organizations:* actions listed in the README); assignments to the management account need its own credentials'
              : ''
          }`,
        }),
      };
    case 'ValidationException':
      return {
        action: 'fail',
        error: new CloudAccessError(`${operation} rejected the request as invalid${detail}${requestId}`, {
          fix: 'check `instance-arn`, `role`, `target` and `principal`',
        }),
      };
    case 'ResourceNotFoundException':
      return {
        action: 'fail',
        error: new CloudAccessError(`${operation}: not found${detail}${requestId}`, {
          fix: 'check that `instance-arn`, `role` and `principal` exist in this instance and Region (`aws-region`)',
        }),
      };
    case 'ServiceQuotaExceededException':
      return {
        action: 'fail',
        error: new CloudAccessError(`${operation}: a service quota is exhausted${detail}${requestId}`, {
          fix: 'see the IAM Identity Center quotas; some cannot be raised',
        }),
      };
    case 'ExpiredTokenException':
    case 'UnrecognizedClientException':
    case 'InvalidSignatureException':
      return {
        action: 'fail',
        error: new CloudAccessError(`${operation}: AWS did not accept the credentials (${name}${detail})`, {
          fix: 'pass `role-to-assume`, or run configure-aws-credentials before this step',
        }),
      };
    case 'CredentialsProviderError':
      return {
        action: 'fail',
        error: new CloudAccessError(`no AWS credentials were found${detail}`, {
          fix: 'pass `role-to-assume` to use the GitHub OIDC token, or run configure-aws-credentials before this step',
        }),
      };
    default:
      return {
        action: 'fail',
        error: new CloudAccessError(`${operation} failed (${name || 'error'}${detail})${requestId}`),
      };
  }
}
