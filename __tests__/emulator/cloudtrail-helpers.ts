// Test helpers for the emulated CloudTrail: the real client pointed at an emulator, a web identity
// session the way the action gets one (GitHub OIDC token → STS), and account assignments by name.
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { AssumeRoleWithWebIdentityCommand } from '@aws-sdk/nested-clients/sts';
import type { Emulator } from '../../emulator/index.js';
import { capturingHandler, staticCredentials, stsClient, type RawExchange } from './sdk.js';

export const ROLE_ARN = 'arn:aws:iam::123456789012:role/cloud-access';

export function cloudTrailClient(
  emulator: Emulator,
  options: { credentials?: AwsCredentialIdentity; maxAttempts?: number; exchanges?: RawExchange[] } = {},
) {
  return new CloudTrailClient({
    region: 'us-east-1',
    endpoint: emulator.env.AWS_ENDPOINT_URL_CLOUDTRAIL,
    credentials: options.credentials ?? staticCredentials(emulator),
    maxAttempts: options.maxAttempts ?? 1,
    ...(options.exchanges ? { requestHandler: capturingHandler(options.exchanges) } : {}),
  });
}

/** Credentials of a web identity session of the seeded role, named `sessionName`. */
export async function webIdentitySession(emulator: Emulator, sessionName: string) {
  const { Credentials } = await stsClient(emulator).send(
    new AssumeRoleWithWebIdentityCommand({
      RoleArn: ROLE_ARN,
      RoleSessionName: sessionName,
      WebIdentityToken: emulator.github.signToken('sts.amazonaws.com'),
    }),
  );
  return {
    accessKeyId: Credentials!.AccessKeyId!,
    secretAccessKey: Credentials!.SecretAccessKey!,
    sessionToken: Credentials!.SessionToken!,
  };
}

/** Alice's ReadOnlyAccess in `accountId`. */
export function aliceReadOnly(emulator: Emulator, accountId = '111111111111') {
  return {
    accountId,
    permissionSetArn: emulator.aws.permissionSetArn('ReadOnlyAccess'),
    principalType: 'USER' as const,
    principalId: emulator.aws.userId('alice'),
  };
}

/** The same assignment as SSO Admin's CreateAccountAssignment input. */
export function assignmentInput(emulator: Emulator, accountId = '111111111111') {
  const a = aliceReadOnly(emulator, accountId);
  return {
    InstanceArn: emulator.aws.instanceArn,
    TargetId: a.accountId,
    TargetType: 'AWS_ACCOUNT' as const,
    PermissionSetArn: a.permissionSetArn,
    PrincipalType: a.principalType,
    PrincipalId: a.principalId,
  };
}

/** The parsed `CloudTrailEvent` of a looked-up event. */
export const record = (event: { CloudTrailEvent?: string | undefined }) =>
  JSON.parse(event.CloudTrailEvent ?? '{}') as Record<string, unknown> & {
    userIdentity: Record<string, unknown> & { sessionContext?: Record<string, Record<string, unknown>> };
    requestParameters: Record<string, unknown>;
    responseElements: Record<string, Record<string, unknown>> | null;
  };
