// How a person removes a grant the sweep cannot end: the cloud's own CLI command for it, built from
// the grant's IDs (the AWS instance, when the sweep read it). The IDs come from ARM's or
// CloudTrail's answers, and an ARM scope under a resource may hold `$`, backticks, quotes, `;` or
// `(`: each value is one shell word, quoted where it holds anything but the characters IDs are
// made of, so the command copied into a shell deletes that grant and runs nothing else. Pure.
import type { Claim } from './claims.js';

/** Where an AWS grant lives, beyond its IDs: the instance and its Region. */
export interface AwsInstance {
  instanceArn: string;
  region: string;
}

/** `value` as one POSIX shell word: bare when it holds only ID characters, else in single quotes. */
export function shellWord(value: string): string {
  if (/^[\w@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

const option = (name: string, value: string) => `--${name} ${shellWord(value)}`;

/** The command that deletes the claim's grant: `aws sso-admin delete-account-assignment`, `az role assignment delete`. */
export function removalCommand(claim: Claim, instance?: AwsInstance): string {
  const { ids } = claim;
  if (ids.cloud === 'aws')
    return [
      'aws sso-admin delete-account-assignment',
      option('instance-arn', instance?.instanceArn ?? '<instance ARN>'),
      option('target-type', 'AWS_ACCOUNT'),
      option('target-id', ids.accountId),
      option('permission-set-arn', ids.roleId),
      option('principal-type', ids.principalType ?? '<USER or GROUP>'),
      option('principal-id', ids.principalId),
      ...(instance ? [option('region', instance.region)] : []),
    ].join(' ');
  if (ids.name)
    return `az role assignment delete ${option('ids', `${ids.scope.scope}/providers/Microsoft.Authorization/roleAssignments/${ids.name}`)}`;
  return [
    'az role assignment delete',
    option('assignee', ids.principalId),
    option('role', ids.roleId),
    option('scope', ids.scope.scope),
  ].join(' ');
}
