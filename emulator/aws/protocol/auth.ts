// SigV4 checks on the server side, as SSO Admin and Identity Store make them: the access key must
// be one the emulator issued through STS (with its session token) or the static key pair, the
// signature must verify, and a session must not be expired.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export interface AwsCredential {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** Absent for long-term keys. */
  expiration?: Date;
  /** `arn:aws:sts::…:assumed-role/ROLE/SESSION` or `arn:aws:iam::…:user/NAME`. */
  principalArn: string;
  sessionName?: string;
  /** When STS issued the session (CloudTrail records it as the session's creationDate). */
  issuedAt?: Date;
  /** The session came from AssumeRoleWithWebIdentity. */
  webIdentity?: boolean;
}

/** A role's unique ID (`AROA…`), derived from its ARN so it is the same in every run. */
export const roleIdFor = (roleArn: string) =>
  `AROA${createHash('sha256').update(roleArn).digest('hex').slice(0, 17).toUpperCase()}`;

export type AuthOutcome =
  /** `region`: the Region of the signature's credential scope (`Credential=…/<date>/<region>/…`). */
  | { ok: true; credential: AwsCredential; region: string }
  | { ok: false; status: number; code: string; message: string };

/** Errors every AWS JSON service can answer before an operation runs (AWS "Common Errors"). */
export const COMMON_AUTH_ERRORS = [
  'MissingAuthenticationTokenException',
  'IncompleteSignatureException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ExpiredTokenException',
] as const;

const sha256 = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

/** RFC 3986 encoding, as SigV4 canonicalizes query strings. */
const encode = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const MAX_CLOCK_SKEW_MS = 5 * 60_000;

export function verifySigV4(
  req: IncomingMessage,
  body: string,
  signingName: string,
  lookup: (accessKeyId: string) => AwsCredential | undefined,
  now = Date.now(),
): AuthOutcome {
  const parsed = parseAuthorization(req.headers.authorization);
  if (!parsed.ok) return parsed;
  const [accessKeyId, date, region, service, signedHeaderList, signature] = parsed.parts;
  const credential = lookup(accessKeyId);
  const sessionToken = req.headers['x-amz-security-token'];
  if (!credential || (credential.sessionToken ?? undefined) !== (sessionToken ?? undefined)) {
    return {
      ok: false,
      status: 403,
      code: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
    };
  }
  if (service !== signingName) {
    return {
      ok: false,
      status: 400,
      code: 'InvalidSignatureException',
      message: `Credential should be scoped to correct service: '${signingName}'. `,
    };
  }
  const dated = signingTime(req, date, now);
  if (!dated.ok) return dated;
  const { amzDate } = dated;
  const signedHeaders = signedHeaderList.split(';');
  const expected = expectedSignature(req, body, credential, {
    date,
    region,
    service,
    signedHeaderList,
    amzDate,
  });
  if (!signedHeaders.includes('host') || !timingSafeEqual(expected, Buffer.from(signature, 'hex'))) {
    return {
      ok: false,
      status: 403,
      code: 'InvalidSignatureException',
      message:
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    };
  }
  if (credential.expiration && credential.expiration.getTime() <= now) {
    return {
      ok: false,
      status: 400,
      code: 'ExpiredTokenException',
      message: 'The security token included in the request is expired',
    };
  }
  return { ok: true, credential, region };
}

type Failure = Extract<AuthOutcome, { ok: false }>;

/** The request's `X-Amz-Date`: present, of the credential scope's day, and within the clock skew AWS allows. */
function signingTime(
  req: IncomingMessage,
  date: string,
  now: number,
): Failure | { ok: true; amzDate: string } {
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  const signedAt = Date.parse(
    amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'),
  );
  if (Number.isNaN(signedAt) || !amzDate.startsWith(date)) {
    return {
      ok: false,
      status: 400,
      code: 'IncompleteSignatureException',
      message: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    };
  }
  if (Math.abs(now - signedAt) > MAX_CLOCK_SKEW_MS) {
    return {
      ok: false,
      status: 400,
      code: 'InvalidSignatureException',
      message: `Signature expired: ${amzDate} is now earlier than ${new Date(now - MAX_CLOCK_SKEW_MS).toISOString().replace(/[-:]|\.\d{3}/g, '')}`,
    };
  }
  return { ok: true, amzDate };
}

/** The signature the request would carry if signed with `credential`'s secret (SigV4's canonical request). */
function expectedSignature(
  req: IncomingMessage,
  body: string,
  credential: AwsCredential,
  signed: { date: string; region: string; service: string; signedHeaderList: string; amzDate: string },
): Buffer {
  const { date, region, service, signedHeaderList, amzDate } = signed;
  const signedHeaders = signedHeaderList.split(';');
  const url = new URL(req.url ?? '/', 'http://emulator');
  const query = [...url.searchParams.entries()]
    .map(([k, v]) => [encode(k), encode(v)] as const)
    .sort(([a, av], [b, bv]) => (a === b ? av.localeCompare(bv) : a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalHeaders = signedHeaders
    .map((name) => {
      const value = req.headers[name];
      const text = Array.isArray(value) ? value.join(',') : (value ?? '');
      return `${name}:${text.trim().replace(/\s+/g, ' ')}\n`;
    })
    .join('');
  const payloadHash = String(req.headers['x-amz-content-sha256'] ?? sha256(body));
  const canonicalRequest = [
    req.method ?? 'POST',
    url.pathname,
    query,
    canonicalHeaders,
    signedHeaderList,
    payloadHash,
  ].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  const key = [date, region, service, 'aws4_request'].reduce<Buffer | string>(
    (k, part) => hmac(k, part),
    `AWS4${credential.secretAccessKey}`,
  );
  return createHmac('sha256', key).update(stringToSign, 'utf8').digest();
}

/** The Authorization header's parts: access key ID, date, Region, service, signed headers, signature. */
function parseAuthorization(
  header: string | undefined,
): Failure | { ok: true; parts: [string, string, string, string, string, string] } {
  if (!header) {
    return {
      ok: false,
      status: 403,
      code: 'MissingAuthenticationTokenException',
      message: 'Missing Authentication Token',
    };
  }
  const match =
    /^AWS4-HMAC-SHA256\s+Credential=([^/\s,]+)\/(\d{8})\/([^/\s,]+)\/([^/\s,]+)\/aws4_request,\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})\s*$/.exec(
      header,
    );
  if (!match) {
    return {
      ok: false,
      status: 400,
      code: 'IncompleteSignatureException',
      message: `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters. Authorization=${header.split(' ')[0] ?? ''}`,
    };
  }
  const [, ...parts] = match as unknown as [string, string, string, string, string, string, string];
  return { ok: true, parts };
}
