// Which AWS errors to retry and how to explain the others. The SDK's own retries are off
// (maxAttempts 1) so that one engine owns backoff and the deadline. Errors are judged by the
// service's error name (the model's shape name) and HTTP status, never by a service's message;
// only connection failures, which have no answer to judge, are recognised by their text too.
import { CloudAccessError } from '../../core/errors.js';
import { createCallRunner, type CallPacer, type CallRunner } from '../../engine/calls/call-runner.js';
import type { AdapterDeps, CallStats } from '../../engine/calls/driver.js';
import { isNetworkError, withEndpointFixes } from '../../engine/limits/network.js';
import type { ErrorVerdict } from '../../engine/limits/retry.js';
import { awsForeignAnswer } from './foreign-answers.js';

/**
 * A call the service answered with an error that is not retried: the explanation the user reads
 * (message and fix), and what the adapter decides on (the error's name) and what AWS Support asks
 * for (the request ID).
 */
export class AwsServiceError extends CloudAccessError {
  /** The operation that failed, e.g. `DeleteAccountAssignment`. */
  readonly operation: string;
  /** The service's error name (the model's error shape), e.g. `ResourceNotFoundException`. */
  readonly code: string;
  readonly statusCode: number | undefined;
  readonly requestId: string | undefined;

  constructor(
    message: string,
    details: {
      operation: string;
      code: string;
      statusCode?: number | undefined;
      requestId?: string | undefined;
    },
    options: { fix?: string | undefined; cause?: unknown } = {},
  ) {
    super(message, options);
    this.name = 'AwsServiceError';
    this.operation = details.operation;
    this.code = details.code;
    this.statusCode = details.statusCode;
    this.requestId = details.requestId;
  }
}

/** Whether `error` is the service's answer `code` (e.g. ResourceNotFoundException) to a call. */
export function isAwsError(error: unknown, code: string, operation?: string): error is AwsServiceError {
  return (
    error instanceof AwsServiceError &&
    error.code === code &&
    (operation === undefined || error.operation === operation)
  );
}

interface AwsErrorLike {
  name?: string;
  message?: string;
  code?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number; requestId?: string };
  RetryAfterSeconds?: number;
  /** Access Analyzer's name for it (its `Retry-After` header). */
  retryAfterSeconds?: number;
}

const THROTTLING = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'Throttling',
  'ThrottledException',
  'SlowDown',
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
  if (operation === 'GetPolicy' || operation === 'ListPolicies') return `iam:${operation}`;
  return `${identityStore.includes(operation) ? 'identitystore' : 'sso'}:${operation}`;
}

/** What a failed call's explanation is built from. */
interface Failure {
  operation: string;
  /** The error's name. */
  name: string;
  /** `: <message>`, or nothing. */
  detail: string;
  /** ` (request <id>)`, or nothing. */
  requestId: string;
}

interface Explanation {
  message(f: Failure): string;
  fix?: string | ((f: Failure) => string);
}

/** The writes whose denial may come from the iam:* and organizations:* actions they also need. */
const WRITES = new Set(['CreateAccountAssignment', 'DeleteAccountAssignment', 'ProvisionPermissionSet']);

/** Final errors by name: what went wrong and how to fix it. */
const EXPLANATIONS = new Map<string, Explanation>([
  ...forNames(['AccessDeniedException', 'AccessDenied'], {
    message: (f) => `${f.operation} was denied${f.detail}${f.requestId}`,
    fix: (f) =>
      `allow \`${permissionFor(f.operation)}\` in the policy of the role the action uses${
        WRITES.has(f.operation)
          ? ' (and the iam:* and organizations:* actions IAM Identity Center needs with it: see that action in the Service Authorization Reference for AWS IAM Identity Center); assignments to the management account need its own credentials'
          : ''
      }`,
  }),
  ...forNames(['ValidationException'], {
    message: (f) => `${f.operation} rejected the request as invalid${f.detail}${f.requestId}`,
    fix: 'check `instance-arn`, `role`, `target` and `principal`',
  }),
  ...forNames(['ResourceNotFoundException'], {
    message: (f) => `${f.operation}: not found${f.detail}${f.requestId}`,
    // An instance lives in its home Region only: anywhere else SSO Admin says it does not exist.
    fix: (f) =>
      /\binstance\b.*\b(does not exist|not found)\b/i.test(f.detail)
        ? 'the instance is not in this Region: set `aws-region` to the Region the instance lives in (its home Region), or check `instance-arn`'
        : 'check that `instance-arn`, `role` and `principal` exist in this instance and Region (`aws-region`)',
  }),
  ...forNames(['ServiceQuotaExceededException'], {
    message: (f) => `${f.operation}: a service quota is exhausted${f.detail}${f.requestId}`,
    fix: 'see the IAM Identity Center quotas; some cannot be raised',
  }),
  ...forNames(['ExpiredTokenException', 'UnrecognizedClientException', 'InvalidSignatureException'], {
    message: (f) => `${f.operation}: AWS did not accept the credentials (${f.name}${f.detail})`,
    fix: 'pass `role-to-assume`, or run configure-aws-credentials before this step',
  }),
  ...forNames(['CredentialsProviderError'], {
    message: (f) => `no AWS credentials were found${f.detail}`,
    fix: 'pass `role-to-assume` to use the GitHub OIDC token, or run configure-aws-credentials before this step',
  }),
]);

/** Any other error: named, with the service's message and request ID, without a fix. */
const UNEXPLAINED: Explanation = {
  message: (f) => `${f.operation} failed (${f.name || 'error'}${f.detail})${f.requestId}`,
};

function forNames(names: string[], explanation: Explanation): [string, Explanation][] {
  return names.map((name) => [name, explanation]);
}

/**
 * Whether a throttled call is a create refused for IAM Identity Center's 15 outstanding creates.
 * Every throttling answer to CreateAccountAssignment is taken as that refusal, whatever its status
 * and text: an SDK recorded AWS answering it ThrottlingException with HTTP 400 and "There are too
 * many requests processing. Please try again later." (aws-samples/aws-iam-identity-center-extensions
 * #87), the model gives ThrottlingException HTTP 429, and the TPS quota's answer (HTTP 429, "Rate
 * exceeded") has the same name, so no client can tell the two apart for sure. Taken as a rate
 * throttle, a refusal for the slots backs off exponentially while the slot it waits for frees and
 * stays idle (two reconciles of 45 creates took 1.35x their bound so); taken as the slots', a
 * rate throttle costs a share of the slots that accepted probes give back within a hold, while
 * the step's other calls, throttled too, slow the rate.
 */
function refusedForOutstandingCreates(operation: string, name: string, status: number | undefined): boolean {
  return operation === 'CreateAccountAssignment' && (THROTTLING.has(name) || status === 429);
}

export function classifyAwsError(error: unknown, operation: string): ErrorVerdict {
  if (error instanceof CloudAccessError) return { action: 'fail', error };
  // A page AWS did not write (a proxy's, a wrong endpoint's) says the same on every try.
  const foreign = awsForeignAnswer(error, operation);
  if (foreign) return { action: 'fail', error: foreign };
  const e = (error ?? {}) as AwsErrorLike;
  const name = e.name ?? '';
  const status = e.$metadata?.httpStatusCode;
  if (THROTTLING.has(name) || status === 429) {
    const after = e.RetryAfterSeconds ?? e.retryAfterSeconds;
    return {
      action: 'retry',
      kind: refusedForOutstandingCreates(operation, name, status) ? 'outstanding' : 'throttled',
      service: 'AWS',
      ...(after ? { retryAfterMs: after * 1000 } : {}),
    };
  }
  // "A retry (with appropriate backoff logic) is the recommended response" (SSO Admin model).
  if (name === 'ConflictException') return { action: 'retry', kind: 'conflict' };
  if (TRANSIENT_STS.has(name)) return { action: 'retry', kind: 'server' };
  if (e.$fault === 'server' || (status !== undefined && status >= 500))
    return { action: 'retry', kind: 'server' };
  // The host comes from `aws-region`: one that does not resolve is a wrong Region, not a blip.
  if (isNetworkError(error, { hostNotFound: false })) return { action: 'retry', kind: 'network' };
  const failure: Failure = {
    operation,
    name,
    detail: e.message ? `: ${e.message}` : '',
    requestId: e.$metadata?.requestId ? ` (request ${e.$metadata.requestId})` : '',
  };
  const { message, fix } = EXPLANATIONS.get(name) ?? UNEXPLAINED;
  const text = message(failure);
  const fixText = typeof fix === 'function' ? fix(failure) : fix;
  // An HTTP status means the service answered: its error name is a code the adapter may act on.
  // Anything else (no credentials, a client-side failure) has only its explanation.
  if (status === undefined) return { action: 'fail', error: new CloudAccessError(text, { fix: fixText }) };
  return {
    action: 'fail',
    error: new AwsServiceError(
      text,
      { operation, code: name, statusCode: status, requestId: e.$metadata?.requestId },
      { fix: fixText, cause: error },
    ),
  };
}

/**
 * The runner of an AWS client's calls: classified and retried as above, counted in the step's
 * `stats`, bounded by its deadline and cancellation, paced by `limiter` (each service's quota).
 */
export function createAwsCallRunner(
  deps: Pick<AdapterDeps, 'deadline' | 'signal' | 'debug' | 'info' | 'activity'>,
  stats: CallStats,
  limiter: CallPacer,
  priorityOf?: (operation: string) => number,
): CallRunner {
  return createCallRunner({
    classify: withEndpointFixes(classifyAwsError, () => ({
      url: "the AWS endpoint (the Region's, or the one AWS_ENDPOINT_URL or AWS_ENDPOINT_URL_<SERVICE> sets)",
      input: 'aws-region',
    })),
    deadline: deps.deadline,
    stats,
    limiter,
    signal: deps.signal,
    ...(priorityOf ? { priorityOf } : {}),
    ...(deps.debug ? { debug: deps.debug } : {}),
    ...(deps.info ? { info: deps.info } : {}),
    activity: deps.activity,
  });
}
