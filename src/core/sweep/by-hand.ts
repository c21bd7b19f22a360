// How a person removes a grant the sweep cannot end: the cloud's own CLI command for it, built from
// the grant's validated IDs (the AWS instance, when the sweep read it). Pure.
import type { Claim } from './claims.js';

/** Where an AWS grant lives, beyond its IDs: the instance and its Region. */
export interface AwsInstance {
  instanceArn: string;
  region: string;
}

/** The command that deletes the claim's grant: `aws sso-admin delete-account-assignment`, `az role assignment delete`. */
export function removalCommand(claim: Claim, instance?: AwsInstance): string {
  const { ids } = claim;
  if (ids.cloud === 'aws')
    return [
      'aws sso-admin delete-account-assignment',
      `--instance-arn ${instance?.instanceArn ?? '<instance ARN>'}`,
      '--target-type AWS_ACCOUNT',
      `--target-id ${ids.accountId}`,
      `--permission-set-arn ${ids.roleId}`,
      `--principal-type ${ids.principalType ?? '<USER or GROUP>'}`,
      `--principal-id ${ids.principalId}`,
      ...(instance ? [`--region ${instance.region}`] : []),
    ].join(' ');
  if (ids.name)
    return `az role assignment delete --ids ${ids.scope.scope}/providers/Microsoft.Authorization/roleAssignments/${ids.name}`;
  return `az role assignment delete --assignee ${ids.principalId} --role ${ids.roleId} --scope ${ids.scope.scope}`;
}
