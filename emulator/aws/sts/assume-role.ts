// STS AssumeRole (awsQuery: __tests__/fixtures/contracts/aws/sts-2011-06-15.json): a form-encoded
// POST signed with SigV4 (signing name `sts`) by the caller's credentials, an XML answer. The role
// must be one of `aws.assumableRoles` whose trust policy names the caller: its role (for a session
// of one), the caller's own ARN, or its account's root. Otherwise AccessDenied, 403, worded as
// STS words it. A signature STS does not accept is answered with the Query API's codes
// (InvalidClientTokenId, SignatureDoesNotMatch, ExpiredToken …), not the JSON services' names.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { xmlEscape } from '../../common/http.js';
import type { AwsContext } from '../account/config.js';
import { principalAccountOf, roleArnOf } from '../account/cloudtrail-record.js';
import { roleIdFor, verifySigV4 } from '../protocol/auth.js';
import { AwsServiceError, validateInput } from '../protocol/protocol.js';

/** The JSON services' names of a SigV4 refusal (protocol/auth.ts) → STS's, on the Query API. */
const QUERY_AUTH_CODES: Record<string, string> = {
  MissingAuthenticationTokenException: 'MissingAuthenticationToken',
  IncompleteSignatureException: 'IncompleteSignature',
  UnrecognizedClientException: 'InvalidClientTokenId',
  InvalidSignatureException: 'SignatureDoesNotMatch',
  ExpiredTokenException: 'ExpiredToken',
};
export const STS_AUTH_ERRORS = Object.values(QUERY_AUTH_CODES);

/** AssumeRole's answer for a signed request whose form is `form`. */
export function assumeRole(
  aws: AwsContext,
  request: { req: IncomingMessage; body: string; form: URLSearchParams; requestId: string },
  namespace: string,
): string {
  const { req, body, form, requestId } = request;
  const auth = verifySigV4(req, body, 'sts', (key) => aws.credential(key));
  if (!auth.ok)
    throw new AwsServiceError(QUERY_AUTH_CODES[auth.code] ?? auth.code, auth.status, auth.message);
  const caller = auth.credential;
  const input: Record<string, unknown> = {
    RoleArn: form.get('RoleArn') ?? undefined,
    RoleSessionName: form.get('RoleSessionName') ?? undefined,
    ...(form.has('DurationSeconds') ? { DurationSeconds: Number(form.get('DurationSeconds')) } : {}),
  };
  try {
    validateInput(input, {
      RoleArn: { required: true, length: [20, 2048] },
      RoleSessionName: { required: true, length: [2, 64], pattern: /^[\w+=,.@-]*$/ },
      DurationSeconds: { type: 'integer', range: [900, 43200] },
    });
  } catch (error) {
    throw new AwsServiceError('ValidationError', 400, (error as Error).message);
  }
  const roleArn = String(input.RoleArn);
  const sessionName = String(input.RoleSessionName);
  const role = aws.assumableRoles.find((r) => r.arn === roleArn);
  const callerAccount = principalAccountOf(caller.principalArn);
  const callerIs = [
    caller.principalArn,
    roleArnOf(caller.principalArn),
    callerAccount && `arn:aws:iam::${callerAccount}:root`,
  ];
  if (!role || !role.trustedPrincipals.some((p) => callerIs.includes(p)))
    throw new AwsServiceError(
      'AccessDenied',
      403,
      `User: ${caller.principalArn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
    );
  const duration =
    typeof input.DurationSeconds === 'number' ? input.DurationSeconds : aws.config.credentialLifetimeSeconds;
  const [, partition, accountId] = /^arn:(aws[\w-]*):iam::(\d{12}):role\//.exec(roleArn) ?? [];
  const roleName = roleArn.split('/').pop() ?? 'role';
  const assumedRoleArn = `arn:${partition ?? 'aws'}:sts::${accountId ?? ''}:assumed-role/${roleName}/${sessionName}`;
  const accessKeyId = `ASIA${randomBytes(12).toString('hex').toUpperCase().slice(0, 16)}`;
  const secretAccessKey = randomBytes(30).toString('base64').slice(0, 40);
  const sessionToken = `IQoJb3JpZ2luX2VjE${randomBytes(96).toString('base64')}`;
  const expiration = new Date(Date.now() + duration * 1000);
  aws.issueCredential({
    accessKeyId,
    secretAccessKey,
    sessionToken,
    expiration,
    principalArn: assumedRoleArn,
    sessionName,
    issuedAt: new Date(),
  });
  return (
    `<AssumeRoleResponse xmlns="${namespace}"><AssumeRoleResult>` +
    `<AssumedRoleUser><AssumedRoleId>${roleIdFor(roleArn)}:${xmlEscape(sessionName)}</AssumedRoleId><Arn>${xmlEscape(assumedRoleArn)}</Arn></AssumedRoleUser>` +
    `<Credentials><AccessKeyId>${accessKeyId}</AccessKeyId><SecretAccessKey>${xmlEscape(secretAccessKey)}</SecretAccessKey>` +
    `<SessionToken>${xmlEscape(sessionToken)}</SessionToken><Expiration>${expiration.toISOString()}</Expiration></Credentials>` +
    `</AssumeRoleResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></AssumeRoleResponse>`
  );
}
