// What an IAM Identity Center session is made of, apart from what it does with them (./session.ts):
// the SDK clients, the call runners that pace, retry and count SSO Admin and Identity Store calls
// (each under its own quota), the instance's outstanding-create slots, and a sign-in as another
// session name. Built once per step; a session signed in again shares all of them but its clients.
import type { AwsSessionSettings } from '../../core/inputs/index.js';
import type { CallPacer, CallRunner } from '../../engine/calls/call-runner.js';
import { emptyStats, type AdapterDeps, type CallStats } from '../../engine/calls/driver.js';
import { AdaptiveRateLimiter } from '../../engine/limits/adaptive-limits.js';
import { AdaptiveSemaphore } from '../../engine/limits/adaptive-semaphore.js';
import { createAwsClients, type AwsClients, type AwsTransport } from '../sdk/clients.js';
import { createAwsCallRunner } from '../sdk/aws-errors.js';
import { createIdentityStoreCallRunner } from '../sdk/identity-store-calls.js';
import {
  callPriority,
  MAX_OUTSTANDING_CREATES,
  SSO_ADMIN_CALLS_PER_WINDOW,
  SSO_ADMIN_WINDOW_MS,
} from './quotas.js';

export interface SsoSessionParts {
  clients: AwsClients;
  call: CallRunner;
  /** Identity Store calls: retried and counted alike, paced apart (aws/sdk/identity-store-calls.ts). */
  identityStoreCall: CallRunner;
  stats: CallStats;
  limiter?: CallPacer;
  /** New SDK clients signed in as the step's role under another session name (`partsSignedInAs`). */
  signIn?: (roleSessionName: string) => AwsClients;
  /**
   * The instance's outstanding-create slots, held by every assignment driver over the session (a
   * reconcile has one per principal type) and by a session signed in again: the quota is the
   * instance's, however many send creates.
   */
  outstandingCreates: AdaptiveSemaphore;
}

/** The pacing tests replace (with the transport: `SsoSessionSeams`, ./session.ts). */
export interface SessionPacers {
  limiter?: CallPacer;
  identityStoreLimiter?: CallPacer;
}

/** A step's session's parts, signed in with `deps.requestToken` (or the default chain). */
export function sessionParts(
  settings: AwsSessionSettings,
  deps: AdapterDeps,
  seams: AwsTransport & SessionPacers,
): SsoSessionParts {
  const stats = emptyStats();
  const limiter =
    seams.limiter ??
    new AdaptiveRateLimiter({ ceiling: SSO_ADMIN_CALLS_PER_WINDOW, windowMs: SSO_ADMIN_WINDOW_MS });
  const call = createAwsCallRunner(deps, stats, limiter, callPriority);
  const identityStoreCall = createIdentityStoreCallRunner(
    deps,
    stats,
    SSO_ADMIN_WINDOW_MS,
    seams.identityStoreLimiter,
  );
  const signIn = (roleSessionName: string, announce?: (line: string) => void) =>
    createAwsClients({ ...settings, roleSessionName }, deps, seams, announce);
  return {
    // The step's own sign-in says whom it signed in as; a second one (a reliance's) does not.
    clients: signIn(settings.roleSessionName, deps.info),
    call,
    identityStoreCall,
    stats,
    limiter,
    signIn,
    outstandingCreates: new AdaptiveSemaphore(
      { ceiling: MAX_OUTSTANDING_CREATES },
      `one of the ${MAX_OUTSTANDING_CREATES} outstanding CreateAccountAssignment requests to finish`,
    ),
  };
}

/**
 * The parts signed in a second time, with the same role, as `roleSessionName`: SDK clients of
 * their own, which sign in on their first call through the same credential provider; the pace, the
 * counts and the outstanding-create slots shared.
 */
export function partsSignedInAs(parts: SsoSessionParts, roleSessionName: string): SsoSessionParts {
  if (!parts.signIn) throw new Error('this session cannot sign in again');
  return { ...parts, clients: parts.signIn(roleSessionName) };
}
