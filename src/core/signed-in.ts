// Whom a step signed in as, said once at info level, as configure-aws-credentials and Azure/login
// make it visible: on AWS the assumed-role session (its ARN, which CloudTrail records with every
// write, and its session name), on Azure the application (client) ID and tenant the token was
// issued to. Identifiers only: never a credential or a token. Pure.

const ROLE_ARN = /^arn:([\w-]+):iam::(\d{12}):role\/(?:[\w+=,.@/-]*\/)?([\w+=,.@-]+)$/;

/**
 * The session's ARN for `roleArn` assumed as `sessionName`: `arn:<partition>:sts::<account>:
 * assumed-role/<role name>/<session name>` (a role's path is not part of it). Undefined for text
 * that is no IAM role ARN.
 */
export function assumedRoleArn(roleArn: string, sessionName: string): string | undefined {
  const match = ROLE_ARN.exec(roleArn);
  if (!match) return undefined;
  const [, partition, account, name] = match;
  return `arn:${partition}:sts::${account}:assumed-role/${name}/${sessionName}`;
}

/** The account an IAM role ARN names (its 12 digits); undefined for text that is no IAM role ARN. */
export function accountOfRole(roleArn: string): string | undefined {
  return ROLE_ARN.exec(roleArn)?.[2];
}

/** The line an AWS step says once its role is assumed. */
export function awsSignedInLine(roleArn: string, sessionName: string): string {
  const session = assumedRoleArn(roleArn, sessionName);
  return session
    ? `Signed in to AWS as ${session} (role session name ${sessionName})`
    : `Signed in to AWS with role ${roleArn} (role session name ${sessionName})`;
}

/** The line an AWS step says when no `role-to-assume` is given: the SDK finds the credentials. */
export const AWS_AMBIENT_LINE =
  "No `role-to-assume`: AWS calls are signed with the environment's credentials (the SDK's default chain, e.g. those configure-aws-credentials left)";

/** What an Entra access token says of whom it was issued to (v1 `appid`, v2 `azp`). */
export interface AccessTokenClaims {
  appid?: unknown;
  azp?: unknown;
  tid?: unknown;
  oid?: unknown;
}

/**
 * The line an Azure step says once Entra issued its first token: the application (client) ID and
 * tenant from the token's claims (what Entra actually signed in, whatever the inputs said), else
 * from the inputs; and the service principal's object ID when the token carries it.
 */
export function azureSignedInLine(
  claims: AccessTokenClaims,
  inputs: { clientId?: string | undefined; tenantId?: string | undefined },
): string {
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  const app = text(claims.appid) ?? text(claims.azp) ?? inputs.clientId ?? 'unknown';
  const tenant = text(claims.tid) ?? inputs.tenantId ?? 'unknown';
  const objectId = text(claims.oid);
  return `Signed in to Azure as application (client) ID ${app} in tenant ${tenant}${objectId ? ` (service principal object ID ${objectId})` : ''}`;
}
