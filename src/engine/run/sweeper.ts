// `operation: sweep` through the engine: a cloud's sweeper reads the claims and their evidence;
// the plan (operations/sweep/sweep-plan.ts) decides; the revokes run as every other write does, each
// followed to its terminal status within the quotas and the step's deadline.
import type { AwsInstance } from '../../core/claims/by-hand.js';
import type { Claim, SweepEntry } from '../../core/claims/claims.js';
import type { Cloud, Grant } from '../../core/types.js';
import type { GrantResult } from '../../core/grant-result.js';
import { describeError } from '../../core/errors.js';
import type { Deadline } from '../limits/deadline.js';
import type { CallStats, GrantDriver } from '../calls/driver.js';
import type { BatchProgress } from '../calls/progress.js';
import { runGrants } from './run-grants.js';
import type { AuditTrail } from '../audit/trail.js';

export interface SweepRead {
  claims: Claim[];
  /** What was read, for the log (sources, counts, calls). */
  notes: string[];
  /** AWS: the instance read, for the command that removes a stuck grant by hand. */
  instance?: AwsInstance | undefined;
}

/** What the evidence, checked again just before the revokes, no longer proves. */
export interface SweepRecheck {
  /** The claims no longer proven, with why. */
  dropped: Map<Claim, string>;
  notes: string[];
}

/** What a sweep tidies beside its revokes, of what the action wrote before (what a kind keeps up). */
export interface SweepUpkeep {
  /** The log's lines, one for each thing tidied (or, in a dry run, that would be). */
  lines: string[];
  /** Its entries in `results`. */
  results: object[];
  /** Why the step fails: a write of it that did not succeed. */
  failed?: string;
  /** What it adds to the `plan` output, by name (PIM for groups: `groupMemberships`). */
  plan?: Record<string, unknown>;
}

/** The upkeep of every kind a sweep keeps up, as one: their lines, results and plan, each failure said. */
export function joinedUpkeep(parts: readonly SweepUpkeep[]): SweepUpkeep {
  const failed = parts.flatMap((p) => (p.failed ? [p.failed] : []));
  const plans = parts.flatMap((p) => (p.plan ? [p.plan] : []));
  return {
    lines: parts.flatMap((p) => p.lines),
    results: parts.flatMap((p) => p.results),
    ...(failed.length > 0 ? { failed: failed.join('; ') } : {}),
    ...(plans.length > 0 ? { plan: Object.assign({}, ...plans) as Record<string, unknown> } : {}),
  };
}

/** One cloud's side of the sweep (aws/sweep.ts, azure/sweeper.ts). */
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
   * In each revoke's own turn, just before its delete is sent: what happened to the claim since the
   * re-check (a run relied on it while earlier deletes were made); a reason leaves it.
   */
  recheckBeforeDelete?(claim: Claim, now: number): Promise<string | undefined>;
  /**
   * The grants the sweep leaves while a run still relies on them: the reliance marks of runs that
   * have ended (`endedReliers`) removed, so that what records who relies on a grant does not fill
   * with the dead (Azure: a description holds 2048 characters). A dry run says what it would
   * remove and writes nothing. `tidied`: what was (or would be) done to each, for its reason.
   * `beforeWrite` (`audit-log`): awaited before each write, which is not made when it rejects.
   */
  tidy?(
    entries: readonly SweepEntry[],
    dryRun: boolean,
    beforeWrite?: () => Promise<void>,
  ): Promise<{ tidied: Map<Claim, string>; notes: string[] }>;
  /**
   * What a reviewer reads for each claim (names beside the IDs), best-effort: a name that cannot
   * be read leaves the ID, and what could not be read is said in `notes`.
   */
  nameClaims?(claims: readonly Claim[]): Promise<{ shown: Map<Claim, Claim['shown']>; notes: string[] }>;
  /**
   * Beside the revokes, whether or not there are any: what the action wrote before and no longer
   * needs, taken out (what the adapter's kinds wrote through `created-by` sessions within
   * `lookback`). A dry run lists it and writes nothing; with `audit`, no write goes before
   * the step's first record, and each is recorded.
   */
  upkeep?(now: number, options: { dryRun: boolean; audit?: AuditTrail }): Promise<SweepUpkeep>;
  /** How many deletions its upkeep would make: they count toward `max-deletions` with the revokes. */
  upkeepDeletions?(now: number): Promise<number>;
  /**
   * The grants that revoke these claims, and the driver that revokes them (each by its own IDs);
   * `claims`: the claim each grant revokes, in the grants' order.
   */
  revoker(claims: readonly Claim[]): { grants: Grant[]; claims: Claim[]; driver: GrantDriver };
}

export interface RevokeSweptOptions {
  dryRun: boolean;
  maxConcurrency: number;
  deadline: Deadline;
  onResult?: (result: GrantResult) => void;
  /** Says where the revokes stand while they wait (../calls/progress.ts). */
  progress?: BatchProgress;
  /** `audit-log`: each revoke is recorded, none sent before the step's first record is written. */
  audit?: AuditTrail;
}

/** What the revokes did: a result per `revoke` entry, in their order, and the claims left in their turn. */
export interface SweptRevokes {
  /** Each revoked claim's result (a claim the driver cannot revoke has none). */
  results: Map<Claim, GrantResult>;
  /** Claims not revoked after all: checked again in their own turn, they no longer held (why). */
  left: Map<Claim, string>;
}

/** Revokes the plan's `revoke` entries, each checked again in its own turn just before its delete. */
export async function revokeSwept(
  entries: readonly SweepEntry[],
  sweeper: Sweeper,
  options: RevokeSweptOptions,
  now: () => number = Date.now,
): Promise<SweptRevokes> {
  const left = new Map<Claim, string>();
  const revokes = entries.filter((e) => e.kind === 'revoke');
  if (revokes.length === 0) return { results: new Map(), left };
  const { grants, claims, driver } = sweeper.revoker(revokes.map((e) => e.claim));
  const claimOf = new Map(grants.map((grant, i) => [grant, claims[i]!]));
  const results = await runGrants(grants, driver, {
    operation: 'revoke',
    dryRun: options.dryRun,
    wait: true,
    maxConcurrency: options.maxConcurrency,
    deadline: options.deadline,
    confirmDelete: async (grant) => {
      const claim = claimOf.get(grant)!;
      let why: string | undefined;
      try {
        why = await sweeper.recheckBeforeDelete?.(claim, now());
      } catch (error) {
        why = `it could not be checked again just before its delete (${describeError(error)})`;
      }
      if (why === undefined) return undefined;
      left.set(claim, why);
      return { status: 'SUCCEEDED', reason: `left in place: ${why}` };
    },
    ...(options.onResult ? { onResult: options.onResult } : {}),
    ...(options.progress ? { progress: options.progress } : {}),
    ...(options.audit ? { audit: options.audit } : {}),
  });
  return { results: new Map(results.map((result, i) => [claims[i]!, result])), left };
}
