// The permission-set kind's part in the AWS kinds' table (../kinds.ts), which names no effect of
// it: the effects it registers on an account assignment's delete (its session fence,
// ./session-fences.ts), what a sweep takes out of what it wrote before (its expired fences,
// ./fence-sweep.ts), the sets a manifest defines as a reconcile reads and plans them
// (./known-contents.ts, ./defined-sets.ts), and their re-provisioning `operation: provision` runs
// (./provision-run.ts).
import type { AwsManifestSection } from '../../core/manifest/types.js';
import type { PolicyChecksMode } from '../../core/permission-sets/policy-checks.js';
import type { Deadline, WaitBound } from '../../engine/limits/deadline.js';
import type { KindPlan } from '../../engine/run/reconciler.js';
import type { SsoSession } from '../sso/session.js';
import { definedSetsPlan } from './defined-sets.js';
import { definedContentsReader, type KnownContent } from './known-contents.js';
import { AwsProvisioningDriver } from './provision-driver.js';
import { provisioningThrough, type PermissionSetProvisioning } from './provision-run.js';
import { sessionFencesOf } from './session-fences.js';

/** The effects the AWS assignment drivers of a session carry: one set per session, shared by its drivers. */
export const permissionSetEffectsOf = sessionFencesOf;

/**
 * The permission-set kind's upkeep in a sweep: its expired session fences, in the sets the
 * sweep's `created-by` sessions fenced within `lookback`.
 */
export const permissionSetUpkeep: typeof import('./fence-sweep.js').expiredFencesUpkeep = async (...args) => {
  // Loaded by the sweep alone: it reads CloudTrail, whose client no assign or revoke loads.
  const { expiredFencesUpkeep } = await import('./fence-sweep.js');
  return expiredFencesUpkeep(...args);
};

/**
 * The sets a manifest's section defines, as a reconcile reads and plans them: their content read
 * with the snapshot, when one is kept (its `setContents`), then their plan beside the assignments,
 * whose writes the assignment writes that need a set's ARN are ordered after.
 */
export function definedSetsOf(
  session: SsoSession,
  section: AwsManifestSection,
  bound: WaitBound & { deadline: Deadline },
  /** Input `policy-checks`: what a changed set allows, proven before any write (./policy-checks.ts). */
  policyChecks: PolicyChecksMode = 'on',
) {
  const definitions = section.permissionSets?.definitions;
  let known: ReadonlyMap<string, KnownContent> | undefined;
  let planned: KindPlan | undefined;
  return {
    contentsReader: definedContentsReader(session, definitions, (read) => (known = read)),
    async plan(read: Omit<Parameters<typeof definedSetsPlan>[2], 'known'>): Promise<KindPlan | undefined> {
      if (!definitions) return undefined;
      planned = await definedSetsPlan(session, definitions, { ...read, known }, bound, {
        mode: policyChecks,
        mustNotGrant: section.permissionSets?.mustNotGrant ?? [],
      });
      return planned;
    },
    /** The plan's writes of sets, once planned. */
    writes: () => planned?.writes ?? [],
  };
}

/** `operation: provision` over the step's session: the sets it asks for, re-provisioned where they are out of date. */
export function permissionSetProvisioning(session: SsoSession, bound: WaitBound): PermissionSetProvisioning {
  return provisioningThrough(new AwsProvisioningDriver(session, bound));
}
