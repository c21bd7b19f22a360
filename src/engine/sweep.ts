// `operation: sweep` through the engine: a cloud's sweeper reads the claims and their evidence;
// the plan (core/plan/sweep.ts) decides; the revokes run as every other write does, each
// followed to its terminal status within the quotas and the step's deadline.
import type { Claim, SweepEntry } from '../core/sweep/types.js';
import type { Cloud, Grant, GrantResult } from '../core/types.js';
import type { Deadline } from './deadline.js';
import type { CallStats, GrantDriver } from './driver.js';
import type { BatchProgress } from './progress.js';
import { runGrants } from './run-grants.js';

export interface SweepRead {
  claims: Claim[];
  /** What was read, for the log (sources, counts, calls). */
  notes: string[];
}

/** What the evidence, checked again just before the revokes, no longer proves. */
export interface SweepRecheck {
  /** The claims no longer proven, with why. */
  dropped: Map<Claim, string>;
  notes: string[];
}

/** One cloud's side of the sweep (aws/sweep.ts, azure/sweep.ts). */
export interface Sweeper {
  readonly cloud: Cloud;
  readonly stats: CallStats;
  /** Signs in, and reads the claims and the evidence about each, as of `now`. */
  read(now: number): Promise<SweepRead>;
  /**
   * The claims about to be revoked, checked again just before the revokes (what may have happened
   * since they were read, and history only they need).
   */
  recheck?(claims: readonly Claim[], now: number): Promise<SweepRecheck>;
  /**
   * What a reviewer reads for each claim (names beside the IDs), best-effort: a name that cannot
   * be read leaves the ID, and what could not be read is said in `notes`.
   */
  nameClaims?(claims: readonly Claim[]): Promise<{ shown: Map<Claim, Claim['shown']>; notes: string[] }>;
  /** The grants that revoke these claims, and the driver that revokes them (each by its own IDs). */
  revoker(claims: readonly Claim[]): { grants: Grant[]; driver: GrantDriver };
}

export interface RevokeSweptOptions {
  dryRun: boolean;
  maxConcurrency: number;
  deadline: Deadline;
  onResult?: (result: GrantResult) => void;
  /** Says where the revokes stand while they wait (./progress.ts). */
  progress?: BatchProgress;
}

/** Revokes the plan's `revoke` entries; results in their order. */
export async function revokeSwept(
  entries: readonly SweepEntry[],
  sweeper: Sweeper,
  options: RevokeSweptOptions,
): Promise<GrantResult[]> {
  const revokes = entries.filter((e) => e.kind === 'revoke');
  if (revokes.length === 0) return [];
  const { grants, driver } = sweeper.revoker(revokes.map((e) => e.claim));
  return runGrants(grants, driver, {
    operation: 'revoke',
    dryRun: options.dryRun,
    wait: true,
    maxConcurrency: options.maxConcurrency,
    deadline: options.deadline,
    ...(options.onResult ? { onResult: options.onResult } : {}),
    ...(options.progress ? { progress: options.progress } : {}),
  });
}
