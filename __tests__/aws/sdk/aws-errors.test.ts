// How AWS errors are judged: what is retried, and the explanation (and code) of what is not.
import { describe, expect, it } from '@jest/globals';
import {
  AwsServiceError,
  classifyAwsError,
  isAwsError,
  permissionFor,
} from '../../../src/aws/sdk/aws-errors.js';
import { CloudAccessError } from '../../../src/core/errors.js';

/** An error as the SDK throws it for a service's answer. */
const serviceError = (name: string, status: number, message = `${name} (fake)`, extra: object = {}) =>
  Object.assign(new Error(message), {
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status, requestId: 'r-1' },
    ...extra,
  });

const failed = (error: unknown, operation: string) => {
  const verdict = classifyAwsError(error, operation);
  if (verdict.action !== 'fail') throw new Error(`expected fail, got ${verdict.action}`);
  return verdict.error;
};

describe('retried', () => {
  it.each([
    ['ThrottlingException', 400, 'throttled'],
    ['TooManyRequestsException', 429, 'throttled'],
    ['ConflictException', 409, 'conflict'],
    ['InternalServerException', 500, 'server'],
  ])('%s (HTTP %i) is retried as %s', (name, status, kind) => {
    expect(classifyAwsError(serviceError(name, status), 'DeleteAccountAssignment')).toMatchObject({
      action: 'retry',
      kind,
    });
  });

  // The model gives ThrottlingException HTTP 429, and the TPS quota answers so ("Rate exceeded");
  // a create beyond the instance's 15 outstanding is refused with the same name, HTTP 400 and its
  // own text (an SDK's record: aws-samples/aws-iam-identity-center-extensions #87), or HTTP 429
  // where AWS follows its model. No shape tells the two apart for sure: every throttling answer to
  // a create waits for a slot, rather than backs off while the slot it waits for stays idle.
  it.each([
    [429, 'Rate exceeded'],
    [400, 'Rate exceeded'],
    [400, 'There are too many requests processing. Please try again later.'],
    [429, 'There are too many requests processing. Please try again later.'],
  ])(
    "takes a create's ThrottlingException as its refusal for the outstanding creates, whatever it says: HTTP %i, %j",
    (status, message) => {
      expect(
        classifyAwsError(serviceError('ThrottlingException', status, message), 'CreateAccountAssignment'),
      ).toEqual({ action: 'retry', kind: 'outstanding', service: 'AWS' });
    },
  );

  it('another operation throttled with HTTP 400 is the rate: only creates hold outstanding slots', () => {
    expect(
      classifyAwsError(
        serviceError(
          'ThrottlingException',
          400,
          'There are too many requests processing. Please try again later.',
        ),
        'DeleteAccountAssignment',
      ),
    ).toEqual({ action: 'retry', kind: 'throttled', service: 'AWS' });
  });

  it("keeps the service's RetryAfterSeconds", () => {
    expect(
      classifyAwsError(
        serviceError('ThrottlingException', 400, 'Rate exceeded', { RetryAfterSeconds: 3 }),
        'X',
      ),
    ).toEqual({ action: 'retry', kind: 'throttled', service: 'AWS', retryAfterMs: 3000 });
  });

  it("keeps Access Analyzer's retryAfterSeconds (its Retry-After header), which it names in lower camel case", () => {
    expect(
      classifyAwsError(
        serviceError('ThrottlingException', 429, 'Rate exceeded', { retryAfterSeconds: 4 }),
        'ValidatePolicy',
      ),
    ).toEqual({ action: 'retry', kind: 'throttled', service: 'AWS', retryAfterMs: 4000 });
  });

  it('retries a network error but not an unknown host (a wrong Region)', () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(classifyAwsError(reset, 'ListInstances')).toMatchObject({ action: 'retry', kind: 'network' });
    const unknownHost = Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    expect(classifyAwsError(unknownHost, 'ListInstances').action).toBe('fail');
  });
});

describe('failed: a service answer is an AwsServiceError', () => {
  it('carries the operation, the error name as code, the HTTP status and the request ID', () => {
    const error = failed(
      serviceError('ResourceNotFoundException', 400, 'Could not find it'),
      'DeleteAccountAssignment',
    );
    expect(error).toBeInstanceOf(AwsServiceError);
    expect(error).toBeInstanceOf(CloudAccessError);
    expect(error).toMatchObject({
      name: 'AwsServiceError',
      operation: 'DeleteAccountAssignment',
      code: 'ResourceNotFoundException',
      statusCode: 400,
      requestId: 'r-1',
      message: 'DeleteAccountAssignment: not found: Could not find it (request r-1)',
      fix: 'check that `instance-arn`, `role` and `principal` exist in this instance and Region (`aws-region`)',
    });
    expect(isAwsError(error, 'ResourceNotFoundException')).toBe(true);
    expect(isAwsError(error, 'ResourceNotFoundException', 'DeleteAccountAssignment')).toBe(true);
    expect(isAwsError(error, 'ResourceNotFoundException', 'GetUserId')).toBe(false);
    expect(isAwsError(error, 'ValidationException')).toBe(false);
  });

  it('says an instance SSO Admin does not know is not in this Region, naming `aws-region`', () => {
    const error = failed(
      serviceError(
        'ResourceNotFoundException',
        400,
        'Instance arn:aws:sso:::instance/ssoins-1 does not exist.',
      ),
      'ListPermissionSets',
    );
    expect((error as CloudAccessError).fix).toBe(
      'the instance is not in this Region: set `aws-region` to the Region the instance lives in (its home Region), or check `instance-arn`',
    );
  });

  it('explains a denied write with the iam:* and organizations:* actions it also needs', () => {
    const error = failed(serviceError('AccessDeniedException', 400, 'no'), 'CreateAccountAssignment');
    expect((error as CloudAccessError).describe()).toBe(
      'CreateAccountAssignment was denied: no (request r-1): allow `sso:CreateAccountAssignment` in the policy of the role the action uses (and the iam:* and organizations:* actions IAM Identity Center needs with it: see that action in the Service Authorization Reference for AWS IAM Identity Center); assignments to the management account need its own credentials',
    );
  });

  it('explains a denied read with its action alone', () => {
    const error = failed(serviceError('AccessDeniedException', 400, 'no'), 'ListInstances');
    expect((error as CloudAccessError).fix).toBe(
      'allow `sso:ListInstances` in the policy of the role the action uses',
    );
  });

  it('explains rejected credentials without the request ID', () => {
    const error = failed(serviceError('ExpiredTokenException', 400, 'expired'), 'ListInstances');
    expect(error).toMatchObject({
      code: 'ExpiredTokenException',
      message: 'ListInstances: AWS did not accept the credentials (ExpiredTokenException: expired)',
      fix: 'pass `role-to-assume`, or run configure-aws-credentials before this step',
    });
  });

  it('names an error it has no explanation for, without a fix', () => {
    const error = failed(serviceError('SomethingNewException', 400, 'odd'), 'ListPermissionSets');
    expect(error).toMatchObject({
      code: 'SomethingNewException',
      message: 'ListPermissionSets failed (SomethingNewException: odd) (request r-1)',
      fix: undefined,
    });
  });
});

describe('failed: anything else is a plain CloudAccessError', () => {
  it('explains missing credentials', () => {
    const error = failed(
      Object.assign(new Error('Could not load credentials from any providers'), {
        name: 'CredentialsProviderError',
      }),
      'ListInstances',
    );
    expect(error).not.toBeInstanceOf(AwsServiceError);
    expect(error).toMatchObject({
      message: 'no AWS credentials were found: Could not load credentials from any providers',
      fix: expect.stringContaining('role-to-assume'),
    });
  });

  it('passes a CloudAccessError through as it is', () => {
    const original = new CloudAccessError('already explained');
    expect(failed(original, 'GetUserId')).toBe(original);
  });
});

describe('permissionFor', () => {
  it.each([
    ['GetUserId', 'identitystore:GetUserId'],
    ['GetGroupId', 'identitystore:GetGroupId'],
    ['ListInstances', 'sso:ListInstances'],
    ['ProvisionPermissionSet', 'sso:ProvisionPermissionSet'],
  ])('%s needs %s', (operation, permission) => {
    expect(permissionFor(operation)).toBe(permission);
  });
});
