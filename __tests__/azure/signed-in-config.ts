// The Azure step the credential tests sign in for: an app registration (client) in a tenant,
// exchanging a GitHub OIDC token whose subject is a pull request's.
import { parseInputs, type AzureConfig } from '../../src/core/inputs/index.js';

export const CLIENT = '11111111-1111-1111-1111-111111111111';
export const TENANT = '22222222-2222-2222-2222-222222222222';
export const SUB_CLAIM = 'repo:octo-org/octo-repo:pull_request';
export const plan = parseInputs(
  (name) =>
    ({
      cloud: 'azure',
      principal: 'ce2ce14e-85d7-4629-bdbc-454d0519d987',
      target: `/subscriptions/${CLIENT}`,
      role: 'Reader',
      'client-id': CLIENT,
      'tenant-id': TENANT,
    })[name] ?? '',
  {},
) as AzureConfig;
