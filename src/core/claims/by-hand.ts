// How a person removes a grant the sweep cannot end: the command its kind gives (../kinds/), built
// from the grant's IDs (the AWS instance, when the sweep read it). The IDs come from ARM's or
// CloudTrail's answers: each value is one shell word (../kinds/kind.ts shellWord). Pure.
import { KINDS, LISTED_KIND } from '../kinds/index.js';
import type { Claim } from './claims.js';

/** Where an AWS grant lives, beyond its IDs: the instance and its Region. */
export interface AwsInstance {
  instanceArn: string;
  region: string;
}

/** The command that deletes the claim's grant: `aws sso-admin delete-account-assignment`, `az role assignment delete`. */
export function removalCommand(claim: Claim, instance?: AwsInstance): string {
  const { ids } = claim;
  const kind = KINDS[LISTED_KIND[ids.cloud]];
  if (ids.cloud === 'aws')
    return kind.removeByHand(
      {
        principalId: ids.principalId,
        principalType: ids.principalType,
        roleId: ids.roleId,
        targetId: ids.accountId,
      },
      instance,
    );
  return kind.removeByHand({
    principalId: ids.principalId,
    roleId: ids.roleId,
    targetId: ids.scope.scope,
    name: ids.name || undefined,
  });
}
