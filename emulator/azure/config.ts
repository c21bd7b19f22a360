// The knobs of the Azure emulator: service behaviour (config) and injected faults.
import type { TransportFaults } from '../common/http.js';

export interface TokenBucketConfig {
  capacity: number;
  refillPerSecond: number;
}

export interface AzureConfig {
  /** Lifetime of the Entra access tokens (`expires_in`). */
  accessTokenLifetimeSeconds: number;
  /**
   * A principal created less than this long ago is not in the directory yet for ARM: creating a
   * role assignment for it answers PrincipalNotFound ("… might be related to a replication delay").
   */
  principalReplicationDelayMs: number;
  /**
   * Real ARM skips the directory lookup when the request names a principalType (the reason
   * PrincipalNotFound's message tells you to set it). Off by default so tests can exercise the
   * replication window with the action, which always sends principalType.
   */
  principalTypeSkipsReplicationCheck: boolean;
  /** A new assignment is invisible to GET and list (and a deleted one still visible) for this long. */
  readAfterWriteDelayMs: number;
  /** Page size of the list operations (`nextLink` beyond it). */
  pageSize: number;
  /** "Subscription writes: bucket 200, refill 10 per second" (ARM request limits, token bucket model). */
  writes: TokenBucketConfig;
  deletes: TokenBucketConfig;
  /** "Subscription reads: bucket 250, refill 25 per second." */
  reads: TokenBucketConfig;
  /** The global (cross-region) buckets are this many times the regional ones. */
  globalMultiplier: number;
  /** "Azure supports up to 4000 role assignments per subscription" (RBAC troubleshooting). */
  maxAssignmentsPerSubscription: number;
  /** "500 role assignments per management group." */
  maxAssignmentsPerManagementGroup: number;
  /** Retry-After (seconds) sent with an injected (fault) 429. */
  faultRetryAfterSeconds: number;
}

/**
 * An ARM error answer injected for matching requests: `method` (any when absent) and a path that
 * contains `pathIncludes` (case-insensitive; any when absent), `times` times (unlimited when
 * absent; each answer counts it down).
 */
export interface InjectedArmFailure {
  method?: string;
  pathIncludes?: string;
  status: number;
  /** `error.code` of the body, e.g. `InvalidRoleAssignment`. */
  code: string;
  message: string;
  times?: number;
}

export interface AzureFaults extends TransportFaults {
  /** Probability (0..1) that an ARM request is answered 429 (with Retry-After unless the next flag is set). */
  throttleRate: number;
  /** The injected 429s carry no Retry-After (Azure's own pipeline does not retry those). */
  throttleWithoutRetryAfter: boolean;
  /** Probability (0..1) that an ARM request is answered 500 or 503. */
  serverErrorRate: number;
  /** RBAC actions (`Microsoft.Authorization/roleAssignments/write`, `*` globs) answered 403 AuthorizationFailed whatever the caller's roles. */
  authorizationFailed: string[];
  /** The next N Entra token requests are answered 500 / 503 (alternately, 503 first). */
  entraServerErrors: number;
  /** Authenticated ARM requests answered `{ error: { code, message } }` (the first entry that matches). */
  armFailures: InjectedArmFailure[];
}

export const defaultAzureConfig = (): AzureConfig => ({
  accessTokenLifetimeSeconds: 3600,
  principalReplicationDelayMs: 0,
  principalTypeSkipsReplicationCheck: false,
  readAfterWriteDelayMs: 0,
  pageSize: 100,
  writes: { capacity: 200, refillPerSecond: 10 },
  deletes: { capacity: 200, refillPerSecond: 10 },
  reads: { capacity: 250, refillPerSecond: 25 },
  globalMultiplier: 15,
  maxAssignmentsPerSubscription: 4000,
  maxAssignmentsPerManagementGroup: 500,
  faultRetryAfterSeconds: 1,
});

export const defaultAzureFaults = (): AzureFaults => ({
  latencyMs: 0,
  resetRate: 0,
  hangRate: 0,
  throttleRate: 0,
  throttleWithoutRetryAfter: false,
  serverErrorRate: 0,
  authorizationFailed: [],
  entraServerErrors: 0,
  armFailures: [],
});
