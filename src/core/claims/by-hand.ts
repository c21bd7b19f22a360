// How a person removes a grant the sweep cannot end: the command its kind gives (../kinds/), built
// from the grant's IDs (the AWS instance, when the sweep read it). The IDs come from ARM's or
// CloudTrail's answers: each value is one shell word (../kinds/kind.ts shellWord). Pure.
import { KINDS, LISTED_KIND, type RemovalParts } from '../kinds/index.js';
import { targetIdOf, type ResolvedIds } from '../types.js';
import type { Claim } from './claims.js';

/** Where an AWS grant lives, beyond its IDs: the instance and its Region. */
export interface AwsInstance {
  instanceArn: string;
  region: string;
}

/**
 * What a kind's command to remove a grant by hand is built from (../kinds/kind.ts RemovalParts): its
 * IDs, and on AWS the principal type it was written as (a claim's own; a saved grant's is in its
 * settings). A sweep's stuck claim and a post step's grant left behind build theirs here.
 */
export function removalParts(ids: ResolvedIds, principalType?: string): RemovalParts {
  return {
    principalId: ids.principalId,
    principalType,
    roleId: ids.roleId,
    targetId: targetIdOf(ids),
    name: ids.cloud === 'azure' ? ids.name || undefined : undefined,
  };
}

/** The command that deletes the claim's grant: `aws sso-admin delete-account-assignment`, `az role assignment delete`. */
export function removalCommand(claim: Claim, instance?: AwsInstance): string {
  const { ids } = claim;
  const kind = KINDS[LISTED_KIND[ids.cloud]];
  if (ids.cloud === 'aws') return kind.removeByHand(removalParts(ids, ids.principalType), instance);
  return kind.removeByHand(removalParts(ids));
}
