// The AWS adapter, loaded with import() only when `cloud: aws`, so an Azure step never loads it.
import type { AwsPlan } from '../core/inputs.js';
import { createCallRunner } from '../engine/calls.js';
import { emptyStats, type AdapterDeps } from '../engine/driver.js';
import { RateLimiter } from '../engine/limits.js';
import { AwsAssignmentDriver } from './assignments.js';
import { createAwsClients } from './clients.js';
import { classifyAwsError } from './errors.js';

/**
 * "IAM Identity Center APIs have a collective throttle limit of 20 transactions per second"
 * (User Guide, quotas). Calls leave evenly spaced at 18 a second with no burst: a one-second
 * window holds at most 19 departures, which leaves room for two delayed by a busy event loop or
 * network to arrive bunched with the next ones.
 */
export const SSO_ADMIN_CALLS_PER_SECOND = 18;

export function createAwsDriver(plan: AwsPlan, deps: AdapterDeps): AwsAssignmentDriver {
  const stats = emptyStats();
  const call = createCallRunner({
    classify: classifyAwsError,
    deadline: deps.deadline,
    stats,
    limiter: new RateLimiter(SSO_ADMIN_CALLS_PER_SECOND, 1),
    signal: deps.signal,
    ...(deps.debug ? { debug: deps.debug } : {}),
  });
  return new AwsAssignmentDriver(plan, createAwsClients(plan, deps.requestToken), call, stats, {
    deadline: deps.deadline,
    signal: deps.signal,
  });
}

export { PermissionSetProvisioner } from './provisioning.js';
