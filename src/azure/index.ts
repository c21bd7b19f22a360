import type { AzurePlan } from '../core/inputs.js';
import type { GrantDriver } from '../engine/driver.js';
import type { AdapterDeps } from '../aws/index.js';

export function createAzureDriver(_plan: AzurePlan, _deps: AdapterDeps): GrantDriver {
  throw new Error('the Azure adapter is being built');
}
