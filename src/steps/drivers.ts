// Each cloud's adapter is reached through import(), so ncc puts its SDK in a chunk of its own
// and a step only loads the cloud it uses.
import type { Plan } from '../core/inputs.js';
import type { AdapterDeps, GrantDriver } from '../engine/driver.js';

export type LoadedDriver = GrantDriver & { readonly instance?: string };

export async function loadDriver(plan: Plan, deps: AdapterDeps): Promise<LoadedDriver> {
  if (plan.cloud === 'aws') {
    const { createAwsDriver } = await import('../aws/index.js');
    return createAwsDriver(plan, deps);
  }
  const { createAzureDriver } = await import('../azure/index.js');
  return createAzureDriver(plan, deps);
}
