// The Azure kinds of access (core/kinds/), as the adapter makes and reads each: the driver a step
// writes its grants with, the driver a reconcile's plan writes it with, and what a reconcile reads
// of it beside the role assignments ARM lists. A kind is added here; ./index.ts and
// ./reconcile.ts go through the table, and name no kind.
import type { AzureScope } from '../core/azure-scope.js';
import type { Duration } from '../core/duration.js';
import type { AzureSettings } from '../core/inputs/index.js';
import type { KindOfCloud } from '../core/kinds/index.js';
import type { ManifestProblem } from '../core/manifest/nodes.js';
import type { AzureManifestEntry } from '../core/manifest/types.js';
import type { CurrentAssignment, DesiredAssignment } from '../core/plan/assignment-diff.js';
import type { AdapterDeps, GrantDriver } from '../engine/calls/driver.js';
import { AzureRoleAssignmentDriver } from './arm/assignments.js';
import type { ArmSession } from './arm/session.js';
import { AzurePimEligibilityDriver } from './eligible/driver.js';
import { eligibleReconcileReads } from './eligible/reconcile-reads.js';
import { AzurePimAssignmentDriver } from './pim/driver.js';
import { listEligibilitiesAround } from './report-eligible.js';

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

/** What a reconcile reads of a kind that ARM's role assignment list does not hold. */
export interface KindReconcileReads {
  /** The read of one scope, as the plan's read strategy says it (`one … list`). */
  list: string;
  /** The kind's assignments at or under the scopes: one request per scope. */
  current(
    session: ArmSession,
    scopes: AzureScope[],
    options: ReconcileReadOptions,
  ): Promise<CurrentAssignment<AzureScope>[]>;
  /**
   * What the plan says when the read is refused (an ARM 4xx) and no entry makes the kind: the
   * section goes on without them. Any other failure, or an entry of the kind, stops the plan.
   */
  unread(error: Error): string;
  /** The creates the kind's policy would refuse, each a problem at its entry's line: the plan stops before any write. */
  refusals(
    session: ArmSession,
    creates: DesiredAssignment<AzureCreateSettings, AzureScope>[],
  ): Promise<ManifestProblem[]>;
}

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
    reconcileReads: eligibleReconcileReads(listEligibilitiesAround),
  },
};

/** The kinds a reconcile reads beyond ARM's role assignment list, in the table's order. */
export const reconcileReadKinds = (): [AzureKindName, KindReconcileReads][] =>
  Object.entries(AZURE_KINDS).flatMap(([kind, k]) =>
    k.reconcileReads
      ? [[kind as AzureKindName, k.reconcileReads] as [AzureKindName, KindReconcileReads]]
      : [],
  );
