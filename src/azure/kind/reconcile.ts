// What a kind's module gives a reconcile beside ARM's role assignment list (../kinds.ts): its
// reads at the targets, what the plan says when they are refused, and its policy's refusals before
// any write (and a read refused where no entry makes the kind, let go: readKindAt); and what a
// reconcile's create writes besides the key. Generic over the kind's target (`T`: an Azure grant's
// scope, for the kinds written through ARM).
import type { Duration } from '../../core/duration.js';
import type { ManifestProblem } from '../../core/manifest/nodes.js';
import type { AzureManifestEntry } from '../../core/manifest/types.js';
import type { AzureGrant } from '../../core/types.js';
import type { CurrentAssignment, DesiredAssignment } from '../../core/plan/assignment-diff.js';
import type { ArmSession } from '../arm/session.js';
import { ArmError } from '../sdk/arm-errors.js';

/** What a reconcile's create writes besides the key. */
export interface AzureCreateSettings {
  principalType: AzureManifestEntry['principalType'];
  description: string;
  condition: string | undefined;
  conditionVersion: string | undefined;
  /** The length an entry gives a kind that takes one (`duration`). */
  duration?: Duration | undefined;
}

/** What a reconcile hands a kind's read: whose requests are the manifest's, and what it shows. */
export interface ReconcileReadOptions {
  /** The manifest's marker, `cloud-access:<owner>/<repo>:<path>`. */
  owner: string;
  managedScope: (scope: string) => boolean;
  /** The name the file wrote a role definition GUID (lower-cased) by, if it did. */
  roleName: (guid: string) => string | undefined;
}

/**
 * What a reconcile reads of a kind that ARM's role assignment list does not hold, over the session
 * the kind chose (`S`: ARM's, unless the kind says another), at its targets (`T`).
 */
export interface KindReconcileReads<S = ArmSession, T = AzureGrant['scope']> {
  /** The read of one target, as the plan's read strategy says it (`one … list`). */
  list: string;
  /** The kind's assignments at or under the targets: one request per target. */
  current(session: S, targets: T[], options: ReconcileReadOptions): Promise<CurrentAssignment<T>[]>;
  /**
   * What the plan says when the read is refused (an ARM 4xx) and no entry makes the kind: the
   * section goes on without them. Any other failure, or an entry of the kind, stops the plan.
   */
  unread(error: Error): string;
  /** The creates the kind's policy would refuse, each a problem at its entry's line: the plan stops before any write. */
  refusals(session: S, creates: DesiredAssignment<AzureCreateSettings, T>[]): Promise<ManifestProblem[]>;
}

/**
 * A kind's assignments at or under the targets, so that one the file no longer lists is deleted:
 * one request per target. A section with no entry of the kind (`made: false`) goes on without them
 * when ARM refuses the read (4xx), saying why (the kind's `unread`); any other failure, or an
 * entry of the kind, stops the plan.
 */
export async function readKindAt<S, T>(
  reads: KindReconcileReads<S, T>,
  session: S,
  targets: T[],
  options: ReconcileReadOptions,
  { made }: { made: boolean },
): Promise<{ current: CurrentAssignment<T>[]; calls: number; notes: string[] }> {
  try {
    return { current: await reads.current(session, targets, options), calls: targets.length, notes: [] };
  } catch (error) {
    if (made || !(error instanceof ArmError) || (error.statusCode ?? 500) >= 500) throw error;
    return { current: [], calls: targets.length, notes: [reads.unread(error)] };
  }
}
