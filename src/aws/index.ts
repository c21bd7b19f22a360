// The AWS adapter, loaded with import() only when `cloud: aws`, so an Azure step never loads it.
import type { AwsConfig } from '../core/inputs/index.js';
import { createCallRunner } from '../engine/calls.js';
import { emptyStats, type AdapterDeps } from '../engine/driver.js';
import { RateLimiter } from '../engine/limits.js';
import { AwsAssignmentDriver } from './assignments.js';
import { createAwsClients } from './clients.js';
import { classifyAwsError } from './errors.js';
import { PermissionSetProvisioner } from './provisioning.js';

/**
 * "IAM Identity Center APIs have a collective throttle limit of 20 transactions per second"
 * (User Guide, quotas). Calls leave evenly spaced at 18 a second with no burst: a one-second
 * window holds at most 19 departures, which leaves room for two delayed by a busy event loop or
 * network to arrive bunched with the next ones.
 */
export const SSO_ADMIN_CALLS_PER_SECOND = 18;

export function createAwsDriver(plan: AwsConfig, deps: AdapterDeps): AwsAssignmentDriver {
  const stats = emptyStats();
  const call = createCallRunner({
    classify: classifyAwsError,
    deadline: deps.deadline,
    stats,
    limiter: new RateLimiter(SSO_ADMIN_CALLS_PER_SECOND, 1),
    signal: deps.signal,
    ...(deps.debug ? { debug: deps.debug } : {}),
  });
  return new AwsAssignmentDriver(
    plan,
    createAwsClients(plan, deps.requestToken),
    call,
    stats,
    { deadline: deps.deadline, signal: deps.signal },
    deps.saved,
  );
}

/** `operation: provision`: the provisioner, over the same signed-in session as assignments. */
export function createAwsProvisioner(plan: AwsConfig, deps: AdapterDeps) {
  const driver = createAwsDriver(plan, deps);
  return { driver, provisioner: new PermissionSetProvisioner(plan, driver, deps.deadline) };
}
