// Each cloud's adapter is reached through import(), so ncc puts its SDK in a chunk of its own
// and a step only loads the cloud it uses.
import type { Plan } from '../core/inputs.js';
import type { Deadline } from '../engine/deadline.js';
import type { GrantDriver } from '../engine/driver.js';
import type { OidcTokenSource } from '../github/oidc.js';

export interface DriverDeps {
  deadline: Deadline;
  requestToken: OidcTokenSource;
  signal?: AbortSignal;
  debug?: (message: string) => void;
}

export type LoadedDriver = GrantDriver & { readonly instance?: string };

export async function loadDriver(plan: Plan, deps: DriverDeps): Promise<LoadedDriver> {
  if (plan.cloud === 'aws') {
    const { createAwsDriver } = await import('../aws/index.js');
    return createAwsDriver(plan, deps);
  }
  const { createAzureDriver } = await import('../azure/index.js');
  return createAzureDriver(plan, deps);
}
