// The Azure kinds of access (core/kinds/), as the adapter makes and reads each: the driver a step
// writes its grants with, the driver a reconcile's plan writes it with, and what a reconcile reads
// of it beside the role assignments ARM lists. A kind is added here; ./index.ts and
// ./reconcile.ts go through the table, and name no kind.
import type { AzureSettings } from '../core/inputs/index.js';
import type { KindOfCloud } from '../core/kinds/index.js';
import type { AdapterDeps, GrantDriver } from '../engine/calls/driver.js';
import { AzureRoleAssignmentDriver } from './arm/assignments.js';
import type { ArmSession } from './arm/session.js';
import { AzurePimEligibilityDriver } from './eligible/driver.js';
import { eligibleReconcileReads } from './eligible/reconcile-reads.js';
import type { AzureCreateSettings, KindReconcileReads } from './kind/reconcile.js';
import { AzurePimAssignmentDriver } from './pim/driver.js';

export interface AzureKind {
  /** The driver of a step's grants of the kind (assign, revoke, the post step). */
  driver(settings: AzureSettings, session: ArmSession, deps: AdapterDeps): GrantDriver;
  /**
   * The driver of a reconcile's writes of the kind, with an entry's create settings and the
   * manifest's marker (`owner`); none for a kind no manifest makes.
   */
  reconcileWriter?(
    settings: AzureSettings & AzureCreateSettings,
    session: ArmSession,
    owner: string,
  ): GrantDriver;
  /** What a reconcile reads of it beyond ARM's role assignment list; none when that list holds it. */
  reconcileReads?: KindReconcileReads;
}

export type AzureKindName = KindOfCloud<'azure'>;

export const AZURE_KINDS: Record<AzureKindName, AzureKind> = {
  'azure-role-assignment': {
    driver: (settings, session, deps) => new AzureRoleAssignmentDriver(settings, session, deps.readRuns),
    // A manifest's names are fresh per create, and it delegates no identity.
    reconcileWriter: (settings, session) =>
      new AzureRoleAssignmentDriver(
        { ...settings, assignmentName: undefined, delegatedManagedIdentityResourceId: undefined },
        session,
      ),
  },
  // Time-bound through PIM schedule requests, which Azure ends itself.
  'azure-pim-active': {
    driver: (settings, session) => {
      const { duration } = settings;
      if (!duration) throw new Error('an active PIM assignment is made with a duration');
      return new AzurePimAssignmentDriver({ ...settings, duration }, session);
    },
  },
  'azure-pim-eligible': {
    driver: (settings, session) =>
      new AzurePimEligibilityDriver({ ...settings, assignmentType: 'eligible' }, session),
    // Its requests are named after the manifest (core/kinds/azure-pim-eligible.ts).
    reconcileWriter: (settings, session, owner) =>
      new AzurePimEligibilityDriver(
        { ...settings, assignmentType: 'eligible', requestOwner: owner },
        session,
      ),
    reconcileReads: eligibleReconcileReads,
  },
};

/** The kinds a reconcile reads beyond ARM's role assignment list, in the table's order. */
export const reconcileReadKinds = (): [AzureKindName, KindReconcileReads][] =>
  Object.entries(AZURE_KINDS).flatMap(([kind, k]) =>
    k.reconcileReads
      ? [[kind as AzureKindName, k.reconcileReads] as [AzureKindName, KindReconcileReads]]
      : [],
  );
