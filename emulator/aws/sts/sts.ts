// STS AssumeRoleWithWebIdentity (awsQuery: __tests__/fixtures/contracts/aws/sts-2011-06-15.json):
// an unsigned form-encoded POST (AssumeRole, signed, is ./assume-role.ts's), an XML answer, and XML ErrorResponses with the model's wire codes.
// The token is checked the way IAM's OIDC provider for token.actions.githubusercontent.com checks
// it: signature, iss, aud, expiry, then the role's trust policy (sub).
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendXml, startRecord, xmlEscape } from '../../common/http.js';
import { JwtError, type JwtClaims, type JwtIssuer } from '../../common/jwt.js';
import type { AwsContext } from '../account/config.js';
import { roleIdFor } from '../protocol/auth.js';
import { newRequestId, validateInput, AwsServiceError } from '../protocol/protocol.js';
import { OWNER_ACCOUNT_ID } from '../account/model.js';
import { assumeRole, STS_AUTH_ERRORS } from './assume-role.js';

const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
export const STS_AUDIENCE = 'sts.amazonaws.com';

/**
 * Wire codes AssumeRoleWithWebIdentity answers. `AccessDenied` and `ValidationError` are AWS
 * common errors (not in the operation's model errors); `InvalidAction` answers other actions.
 */
export const STS_OPERATIONS = {
  // Signed by the caller: refused with the Query API's signature errors (./assume-role.ts).
  AssumeRole: { write: false, errors: ['AccessDenied', 'ValidationError'] },
  AssumeRoleWithWebIdentity: {
    write: false,
    errors: [
      'InvalidIdentityToken',
      'ExpiredTokenException',
      'IDPCommunicationError',
      'AccessDenied',
      'ValidationError',
    ],
  },
} as const;
export const STS_COMMON_ERRORS = [
  'AccessDenied',
  'ValidationError',
  'InvalidAction',
  'MissingParameter',
  ...STS_AUTH_ERRORS,
];

const stsError = (code: string, status: number, message: string) =>
  new AwsServiceError(code, status, message);

/** A trust-policy glob: `*` matches any run of characters, everything else literally. */
export function subjectMatches(pattern: string, subject: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return regex.test(subject);
}

export function createStsService(aws: AwsContext, issuer: () => JwtIssuer, issuerUrl: string) {
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = newRequestId();
    const body = await readBody(req);
    const form = new URLSearchParams(req.method === 'POST' ? body : ((req.url ?? '').split('?')[1] ?? ''));
    const action = form.get('Action') ?? 'Unknown';
    const entry = startRecord(aws.record, 'sts', action, req, false);
    try {
      if (action === 'AssumeRole') {
        const xml = assumeRole(aws, { req, body, form, requestId }, STS_NAMESPACE);
        entry.status = 200;
        sendXml(res, 200, xml, { 'x-amzn-requestid': requestId });
        return;
      }
      if (action !== 'AssumeRoleWithWebIdentity') {
        throw stsError(
          'InvalidAction',
          400,
          `Could not find operation ${action} for version ${form.get('Version') ?? 'NO_VERSION_SPECIFIED'}`,
        );
      }
      const xml = assumeRoleWithWebIdentity({ aws, issuer, issuerUrl }, form, requestId);
      entry.status = 200;
      sendXml(res, 200, xml, { 'x-amzn-requestid': requestId });
    } catch (error) {
      if (!(error instanceof AwsServiceError)) throw error;
      entry.status = error.status;
      entry.errorCode = error.code;
      aws.stats.errors[error.code] = (aws.stats.errors[error.code] ?? 0) + 1;
      const type = error.status >= 500 ? 'Receiver' : 'Sender';
      sendXml(
        res,
        error.status,
        `<ErrorResponse xmlns="${STS_NAMESPACE}"><Error><Type>${type}</Type><Code>${error.code}</Code><Message>${xmlEscape(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
        { 'x-amzn-requestid': requestId },
      );
    }
  }

  return { handle };
}

/** What the STS service checks a token against: the context, GitHub's issuer and its URL. */
interface Sts {
  aws: AwsContext;
  issuer: () => JwtIssuer;
  issuerUrl: string;
}

function assumeRoleWithWebIdentity(sts: Sts, form: URLSearchParams, requestId: string): string {
  const { aws, issuerUrl } = sts;
  const { input, roleArn, sessionName, token } = readInput(form);
  if (aws.faults.stsIdpCommunicationErrors > 0) {
    aws.faults.stsIdpCommunicationErrors--;
    throw stsError(
      'IDPCommunicationError',
      400,
      "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements",
    );
  }
  const claims = verifyToken(sts, token);
  const { role, audiences, subject } = trustedRole(aws, roleArn, claims);
  const duration =
    typeof input.DurationSeconds === 'number' ? input.DurationSeconds : aws.config.credentialLifetimeSeconds;
  const maxDuration = role.maxSessionDurationSeconds ?? 3600;
  if (typeof input.DurationSeconds === 'number' && duration > maxDuration) {
    throw stsError(
      'ValidationError',
      400,
      `The requested DurationSeconds exceeds the MaxSessionDuration set for this role.`,
    );
  }

  const roleName = roleArn.split('/').pop() ?? 'role';
  const roleId = roleIdFor(roleArn);
  const accountId = /^arn:aws[\w-]*:iam::(\d{12}):/.exec(roleArn)?.[1] ?? OWNER_ACCOUNT_ID;
  const assumedRoleArn = `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`;
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
    webIdentity: true,
  });

  return (
    `<AssumeRoleWithWebIdentityResponse xmlns="${STS_NAMESPACE}"><AssumeRoleWithWebIdentityResult>` +
    `<Audience>${xmlEscape(String(audiences[0] ?? ''))}</Audience>` +
    `<AssumedRoleUser><AssumedRoleId>${roleId}:${xmlEscape(sessionName)}</AssumedRoleId><Arn>${xmlEscape(assumedRoleArn)}</Arn></AssumedRoleUser>` +
    `<Provider>${xmlEscape(issuerUrl.replace(/^https:\/\//, ''))}</Provider>` +
    `<Credentials><AccessKeyId>${accessKeyId}</AccessKeyId><SecretAccessKey>${xmlEscape(secretAccessKey)}</SecretAccessKey>` +
    `<SessionToken>${xmlEscape(sessionToken)}</SessionToken><Expiration>${expiration.toISOString()}</Expiration></Credentials>` +
    `<SubjectFromWebIdentityToken>${xmlEscape(subject)}</SubjectFromWebIdentityToken>` +
    `</AssumeRoleWithWebIdentityResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></AssumeRoleWithWebIdentityResponse>`
  );
}

/** The form's parameters, validated as the model says. */
function readInput(form: URLSearchParams) {
  const input: Record<string, unknown> = {
    RoleArn: form.get('RoleArn') ?? undefined,
    RoleSessionName: form.get('RoleSessionName') ?? undefined,
    WebIdentityToken: form.get('WebIdentityToken') ?? undefined,
    ...(form.has('DurationSeconds') ? { DurationSeconds: Number(form.get('DurationSeconds')) } : {}),
  };
  try {
    validateInput(input, {
      RoleArn: { required: true, length: [20, 2048] },
      RoleSessionName: { required: true, length: [2, 64], pattern: /^[\w+=,.@-]*$/ },
      WebIdentityToken: { required: true, length: [4, 20000] },
      DurationSeconds: { type: 'integer', range: [900, 43200] },
    });
  } catch (error) {
    throw stsError('ValidationError', 400, (error as Error).message);
  }
  const roleArn = String(input.RoleArn);
  const sessionName = String(input.RoleSessionName);
  const token = String(input.WebIdentityToken);
  return { input, roleArn, sessionName, token };
}

/** The token's claims: signature, expiry and issuer checked as IAM's OIDC provider checks them. */
function verifyToken({ issuer, issuerUrl }: Sts, token: string): JwtClaims {
  let claims;
  try {
    claims = issuer().verify(token, 0);
  } catch (error) {
    if (error instanceof JwtError && error.reason === 'expired') {
      throw stsError(
        'ExpiredTokenException',
        400,
        'Token expired: current date/time is later than the exp claim.',
      );
    }
    if (error instanceof JwtError && error.reason === 'not-yet-valid') {
      throw stsError('InvalidIdentityToken', 400, 'Token is not yet valid: the nbf claim is in the future.');
    }
    throw stsError(
      'InvalidIdentityToken',
      400,
      error instanceof JwtError && error.reason === 'signature'
        ? 'Signature of the token is invalid.'
        : "Couldn't parse the web identity token.",
    );
  }
  if (claims.iss !== issuerUrl) {
    throw stsError(
      'InvalidIdentityToken',
      400,
      `No OpenIDConnect provider found in your account for ${String(claims.iss)}`,
    );
  }
  return claims;
}

/** The role the token may assume: its audience, then its trust policy's subjects. */
function trustedRole(aws: AwsContext, roleArn: string, claims: JwtClaims) {
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  const role = aws.roles.find((r) => r.arn === roleArn);
  if (!audiences.includes(role?.audience ?? STS_AUDIENCE)) {
    throw stsError('InvalidIdentityToken', 400, 'Incorrect token audience');
  }
  const subject = String(claims.sub ?? '');
  if (!role || !role.trustedSubjects.some((pattern) => subjectMatches(pattern, subject))) {
    throw stsError('AccessDenied', 403, 'Not authorized to perform sts:AssumeRoleWithWebIdentity');
  }
  return { role, audiences, subject };
}
