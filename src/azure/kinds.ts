// The Azure kinds of access (core/kinds/), as the adapter makes and reads each: the driver a step
// writes its grants with, the driver a reconcile's plan writes it with, what a reconcile reads of
// it beside the role assignments ARM lists, and what a report reads of it. Each kind chooses the
// session it goes through (ARM's, or Microsoft Graph's directory) and is written against that
// session's type; the table holds every kind alike (onSession). A kind is added here; ./index.ts,
// ./reconcile.ts and ./access-reader.ts go through the table, and name no kind. A kind with a
// section of its own (AZURE_SECTIONS) adds itself from its room (./kind/section.ts
// registerAzureSection), which this module loads.
import type { AzureSettings } from '../core/inputs/index.js';
import type { KindOfCloud } from '../core/kinds/index.js';
import type { GroupMembershipKindName } from '../core/kinds/azure-pim-group.js';
import { emptyStats, type AdapterDeps, type GrantDriver } from '../engine/calls/driver.js';
import { AzureRoleAssignmentDriver } from './arm/assignments.js';
import type { ArmSession } from './arm/session.js';
import { AzurePimEligibilityDriver } from './eligible/driver.js';
import { eligibleReconcileReads } from './eligible/reconcile-reads.js';
import { reportedEligibilities } from './eligible/report-reads.js';
import type { Directory } from './graph/directory.js';
import { GroupMembershipDriver } from './group/driver.js';
// PIM for groups' section registers itself (./kind/section.ts registerAzureSection) as it loads.
import './group/kind.js';
import type { AzureCreateSettings, KindReconcileReads } from './kind/reconcile.js';
import type { ReportedKind } from './kind/report.js';
import { AzurePimAssignmentDriver } from './pim/driver.js';
import { reportedAssignments } from './report/assignments.js';

/** The sessions a step opens, of which each kind chooses one: ARM, or Microsoft Graph's directory. */
export interface AzureSessions {
  arm: ArmSession;
  graph: Directory;
}

/** The sessions over ARM's: Graph is the directory it signed in to. */
export const azureSessionsOf = (arm: ArmSession): AzureSessions => ({ arm, graph: arm.directory });

/** What the adapter makes and reads of a kind, over the session it chose (`S`). */
export interface AzureKindOver<S> {
  /** The driver of a step's grants of the kind (assign, revoke, the post step). */
  driver(settings: AzureSettings, session: S, deps: AdapterDeps): GrantDriver;
  /**
   * The driver of a reconcile's writes of the kind, with an entry's create settings and the
   * manifest's marker (`owner`); none for a kind no manifest makes.
   */
  reconcileWriter?(settings: AzureSettings & AzureCreateSettings, session: S, owner: string): GrantDriver;
  /** What a reconcile reads of it beyond ARM's role assignment list; none when that list holds it. */
  reconcileReads?: KindReconcileReads<S>;
  /** What a report reads of it; none when another kind's read lists it (an active PIM assignment is a role assignment). */
  reportRead?: ReportedKind<unknown, S>;
}

/** A kind in the table: the session it chose, and its parts over every session the step opened. */
export interface AzureKind extends AzureKindOver<AzureSessions> {
  session: keyof AzureSessions;
}

/** `kind`, written against the session named `session`, as the table holds it. */
export function onSession<N extends keyof AzureSessions>(
  session: N,
  kind: AzureKindOver<AzureSessions[N]>,
): AzureKind {
  const { reconcileWriter, reconcileReads: reads, reportRead: report } = kind;
  const its = (sessions: AzureSessions): AzureSessions[N] => sessions[session];
  return {
    session,
    driver: (settings, sessions, deps) => kind.driver(settings, its(sessions), deps),
    ...(reconcileWriter
      ? { reconcileWriter: (settings, sessions, owner) => reconcileWriter(settings, its(sessions), owner) }
      : {}),
    ...(reads
      ? {
          reconcileReads: {
            list: reads.list,
            current: (sessions, scopes, options) => reads.current(its(sessions), scopes, options),
            unread: (error) => reads.unread(error),
            refusals: (sessions, creates) => reads.refusals(its(sessions), creates),
          },
        }
      : {}),
    ...(report
      ? {
          reportRead: {
            kind: report.kind,
            lists: report.lists,
            read: (sessions, scopes, notes) => report.read(its(sessions), scopes, notes),
            unread: (reads) => report.unread(reads),
            said: (reads, scopes) => report.said(reads, scopes),
            shownAt: (reads) => report.shownAt(reads),
            held: (reads, context) => report.held(reads, { ...context, session: its(context.session) }),
            ...(report.usage
              ? {
                  usage: (sessions, held, request, say, reads) =>
                    report.usage!(its(sessions), held, request, say, reads),
                }
              : {}),
          },
        }
      : {}),
  };
}

export type AzureKindName = KindOfCloud<'azure'> | GroupMembershipKindName;

export const AZURE_KINDS: Record<AzureKindName, AzureKind> = {
  'azure-role-assignment': onSession('arm', {
    driver: (settings, session, deps) => new AzureRoleAssignmentDriver(settings, session, deps.readRuns),
    // A manifest's names are fresh per create, and it delegates no identity.
    reconcileWriter: (settings, session) =>
      new AzureRoleAssignmentDriver(
        { ...settings, assignmentName: undefined, delegatedManagedIdentityResourceId: undefined },
        session,
      ),
    // ARM's role assignment lists, which hold the active PIM assignments too.
    reportRead: reportedAssignments as ReportedKind<unknown>,
  }),
  // Time-bound through PIM schedule requests, which Azure ends itself.
  'azure-pim-active': onSession('arm', {
    driver: (settings, session) => {
      const { duration } = settings;
      if (!duration) throw new Error('an active PIM assignment is made with a duration');
      return new AzurePimAssignmentDriver({ ...settings, duration }, session);
    },
  }),
  'azure-pim-eligible': onSession('arm', {
    driver: (settings, session) =>
      new AzurePimEligibilityDriver({ ...settings, assignmentType: 'eligible' }, session),
    // Its requests are named after the manifest (core/kinds/azure-pim-eligible.ts).
    reconcileWriter: (settings, session, owner) =>
      new AzurePimEligibilityDriver(
        { ...settings, assignmentType: 'eligible', requestOwner: owner },
        session,
      ),
    reconcileReads: eligibleReconcileReads,
    reportRead: reportedEligibilities as ReportedKind<unknown>,
  }),
  // Memberships of Entra groups through PIM for groups (`target: group:…`), over Graph.
  'azure-group-active': onSession('graph', {
    driver: (settings, directory, deps) =>
      new GroupMembershipDriver('active', settings, directory, deps, emptyStats()) as GrantDriver,
  }),
  'azure-group-eligible': onSession('graph', {
    driver: (settings, directory, deps) =>
      new GroupMembershipDriver('eligible', settings, directory, deps, emptyStats()) as GrantDriver,
  }),
};

/** The kinds a reconcile reads beyond ARM's role assignment list, in the table's order. */
export const reconcileReadKinds = (): [AzureKindName, KindReconcileReads<AzureSessions>][] =>
  Object.entries(AZURE_KINDS).flatMap(([kind, k]) =>
    k.reconcileReads
      ? [[kind as AzureKindName, k.reconcileReads] as [AzureKindName, KindReconcileReads<AzureSessions>]]
      : [],
  );

/** What a report reads, kind by kind, in the table's order. */
export const REPORTED_KINDS: readonly ReportedKind<unknown, AzureSessions>[] = Object.values(
  AZURE_KINDS,
).flatMap((k) => (k.reportRead ? [k.reportRead] : []));

/**
 * Every kind with a section of its own beside the scopes' kinds (PIM for groups' `group:` targets
 * and `azure.groups`, ./group/kind.ts), each registered from its room: a reconcile plans each, a
 * sweep keeps each up and a report reads each, in turn.
 */
export { AZURE_SECTIONS, registerAzureSection, savedSectionsOf } from './kind/section.js';
