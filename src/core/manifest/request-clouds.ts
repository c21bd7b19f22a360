// What an access policy's rule means on each cloud: the person's identity there and how a resolved
// target and role are compared. Pure.
import { roleGuidOf, scopeKey } from '../azure-scope.js';
import type { StepConfig } from '../inputs/index.js';

/** What a request's rule means on each cloud, so the request's check names no cloud. */
export interface RequestCloud {
  /** The person's identity on it, as the policy's `people` names it (and how). */
  identity: 'aws' | 'azure';
  identityNamed: string;
  /** The principal type a person is granted as. */
  personType: StepConfig['principalType'];
  /**
   * What a resolved target (an account ID; a scope) and role (a permission set ARN; a role
   * definition ID) are compared by, as the cloud compares them: AWS's as the service writes them;
   * Azure's scopes as ARM folds them (scopeKey) and role definitions by their GUID (ARM writes one
   * with or without its subscription).
   */
  targetKey(targetId: string): string;
  roleKey(roleId: string): string;
}

export const REQUEST_CLOUDS = {
  aws: {
    identity: 'aws',
    identityNamed: 'Identity Store user ID as `aws`',
    personType: 'USER',
    targetKey: (id) => id,
    roleKey: (id) => id,
  },
  azure: {
    identity: 'azure',
    identityNamed: 'Entra object ID as `azure`',
    personType: 'User',
    targetKey: scopeKey,
    roleKey: roleGuidOf,
  },
} as const satisfies Record<'aws' | 'azure', RequestCloud>;
