// The permission-set kind's part in the AWS kinds' table (../kinds.ts), which names no effect of
// it: the effects it registers on an account assignment's delete (its session fence,
// ./session-fences.ts), and its section every operation that meets it runs: the sets a manifest
// defines as a reconcile reads and plans them (./known-contents.ts, ./defined-sets.ts), what a sweep
// takes out of what it wrote before (its expired fences, ./fence-sweep.ts), and their
// re-provisioning `operation: provision` runs (./provision-run.ts).
import type { AwsManifestSection } from '../../core/manifest/types.js';
import type { PolicyChecksMode } from '../../core/permission-sets/policy-checks.js';
import type { Deadline, WaitBound } from '../../engine/limits/deadline.js';
import type { SectionPlan } from '../../engine/run/reconciler.js';
import type { SsoSession } from '../sso/session.js';
import { definedSetsPlan, noDefinedSetsPlan } from './defined-sets.js';
import { keptSetFactsOf } from './fence-set-facts.js';
import { definedContentsReader, type KnownContent } from './known-contents.js';
import { AwsProvisioningDriver } from './provision-driver.js';
import { provisioningThrough, type PermissionSetProvisioning } from './provision-run.js';
import { sessionFencesOf } from './session-fences.js';

/** The effects the AWS assignment drivers of a session carry: one set per session, shared by its drivers. */
export const permissionSetEffectsOf = sessionFencesOf;

/**
 * The permission-set kind's section, as the AWS table lists it (../kinds.ts AWS_SECTIONS): the sets
 * a manifest defines, as a reconcile reads and plans them (their content read with the snapshot
 * when one is kept, then their plan beside the assignments, whose writes the assignment creates
 * that need a set name by address); a sweep's upkeep of its expired session fences, in the sets the
 * sweep's `created-by` sessions fenced within `lookback`; and `operation: provision`, re-provisioning
 * the sets it asks for where they are out of date.
 */
export const permissionSetSection = {
  definitions(
    session: SsoSession,
    section: AwsManifestSection,
    bound: WaitBound & { deadline: Deadline },
    /** Input `policy-checks`: what a changed set allows, proven before any write (./policy-checks.ts). */
    { policyChecks = 'on' }: { policyChecks?: PolicyChecksMode } = {},
  ) {
    const definitions = section.permissionSets?.definitions;
    let known: ReadonlyMap<string, KnownContent> | undefined;
    let planned: SectionPlan | undefined;
    return {
      contentsReader: definedContentsReader(session, definitions, (read) => (known = read)),
      factsReader: (sets: readonly string[]) => keptSetFactsOf(session, sets),
      async plan(read: Omit<Parameters<typeof definedSetsPlan>[2], 'known'>): Promise<SectionPlan> {
        // No set defined: the section plans none, and its checks say none was needed.
        if (!definitions) return noDefinedSetsPlan(session, bound, policyChecks);
        planned = await definedSetsPlan(session, definitions, { ...read, known }, bound, {
          mode: policyChecks,
          mustNotGrant: section.permissionSets?.mustNotGrant ?? [],
        });
        return planned;
      },
      writes: () => planned?.writes ?? [],
    };
  },

  sweepUpkeep: (async (...args) => {
    // Loaded by the sweep alone: it reads CloudTrail, whose client no assign or revoke loads.
    const { expiredFencesUpkeep } = await import('./fence-sweep.js');
    return expiredFencesUpkeep(...args);
  }) as typeof import('./fence-sweep.js').expiredFencesUpkeep,

  provisioning: (session: SsoSession, bound: WaitBound): PermissionSetProvisioning =>
    provisioningThrough(new AwsProvisioningDriver(session, bound)),
};
