// The call runner of the Identity Store calls (user and group names): retried, classified and
// counted in the step's stats as the SSO Admin calls are, but paced under a quota of their own.
import type { CallPacer, CallRunner } from '../../engine/calls/call-runner.js';
import { AdaptiveRateLimiter } from '../../engine/limits/adaptive-limits.js';
import type { AdapterDeps, CallStats } from '../../engine/calls/driver.js';
import { createAwsCallRunner } from './aws-errors.js';

/**
 * "Identity Store APIs have a throttle limit of 20 TPS per API" (User Guide, quotas): a quota
 * apart from IAM Identity Center's collective 20 TPS, so name lookups take no place in the SSO
 * Admin calls' window. One window for every Identity Store operation together, at the SSO Admin
 * ceiling and window (aws/sso/session.ts): the conservative reading of "per API" (whether each operation's 20
 * or the store's), and one that costs little, as a step's lookups are mostly of one operation
 * (GetUserId, GetGroupId, or a directory's ListUsers / ListGroups pages).
 */
export const IDENTITY_STORE_CALLS_PER_WINDOW = 19;

export function createIdentityStoreCallRunner(
  deps: AdapterDeps,
  stats: CallStats,
  windowMs: number,
  limiter: CallPacer = new AdaptiveRateLimiter({ ceiling: IDENTITY_STORE_CALLS_PER_WINDOW, windowMs }),
): CallRunner {
  return createAwsCallRunner(deps, stats, limiter);
}
