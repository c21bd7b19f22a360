// `operation: reconcile` on IAM Identity Center: the manifest's `aws` section expanded into
// concrete (principal, permission set, account) assignments (./manifest/expansion.ts), the
// instance's read, and the writes' driver. Loaded with import() only by a reconcile step.
import { LISTED_KIND } from '../core/kinds/index.js';
import type { AwsSessionSettings, ReconcileRequest } from '../core/inputs/index.js';
import type { AwsManifestSection } from '../core/manifest/types.js';
import { type AssignmentKeyParts } from '../core/plan/assignment-diff.js';
import { keyedAs } from '../core/plan/assignment-diff.js';
import { LabelsBudget } from '../engine/limits/best-effort.js';
import type { AdapterDeps } from '../engine/calls/driver.js';
import { type SectionPlan, type ExpandedSection, type Reconciler } from '../engine/run/reconciler.js';
import type { PlannedWrites } from '../engine/run/planned-writes.js';
import type { AwsCurrent, AwsDesired } from './manifest/desired.js';
import { AwsSectionExpansion } from './manifest/expansion.js';
import { isPlannedSetArn } from './manifest/planned-sets.js';
import { assignmentWrites } from './reconcile-writes.js';
import { AWS_SECTIONS, type AwsSectionDefinitions } from './kinds.js';
import { nameAwsPrincipals, nameAwsRows } from './reads/names.js';
import { readAwsAssignments } from './reads/every-assignment.js';
import { withTagReads } from './manifest/management.js';
import { createSsoSession, type SsoSession, type SsoSessionSeams } from './sso/session.js';
import { ClaimHistory, createdByRoles } from './trail/claim-history.js';
import { readAwsClaimsOn } from './account-assignment/claims.js';
import { writesRefusedFor } from '../core/check/events.js';
import { snapshotObjectKey, snapshotScope } from '../core/snapshot/format.js';
import { readWithSnapshot, type SnapshotRun } from './snapshot/delta-read.js';
import { createSnapshotStore, type SnapshotStore } from './snapshot/store.js';
import { knowKeptPrincipals } from './snapshot/opened.js';

/**
 * What a reconcile reads claims by: whose creates count, and how far back; where its snapshot is
 * kept, and the run's event (core/run-context.ts), which decides whether the snapshot is written.
 */
export type ReconcileClaimInputs = Pick<ReconcileRequest, 'createdBy' | 'lookbackSeconds'> &
  Partial<
    Pick<ReconcileRequest, 'manifest' | 'snapshot' | 'fullReadEveryMs' | 'eventHistoryRoles' | 'policyChecks'>
  > & {
    eventName?: string | undefined;
  };

export class AwsReconciler implements Reconciler<undefined, string> {
  readonly cloud = 'aws' as const;
  private readonly expansion: AwsSectionExpansion;
  /** The step's snapshot run, made once the instance is known. */
  private run: SnapshotRun | undefined;
  /** What the section defines beside its assignments, each kind's (./kinds.ts AWS_SECTIONS): read, then planned. */
  private readonly definitions: AwsSectionDefinitions[];
  /** The step's one budget for lookups that only label rows (engine/limits/best-effort.ts). */
  private readonly labels: LabelsBudget;

  constructor(
    private readonly settings: AwsSessionSettings,
    private readonly section: AwsManifestSection,
    private readonly session: SsoSession,
    private readonly deps: Pick<AdapterDeps, 'deadline' | 'signal' | 'debug' | 'activity'>,
    private readonly claimInputs: ReconcileClaimInputs = { createdBy: [], lookbackSeconds: 0 },
    /** `snapshot`: the object read from and written to; undefined, a complete read every run. */
    private readonly snapshot?: Omit<SnapshotRun, 'scope' | 'store'> & {
      /** The scope's object (core/snapshot/format.ts snapshotObjectKey). */
      storeFor(scope: string): SnapshotStore;
    },
  ) {
    this.expansion = new AwsSectionExpansion(section, session, deps);
    this.labels = new LabelsBudget(deps.deadline);
    const bound = { deadline: deps.deadline, signal: deps.signal };
    this.definitions = AWS_SECTIONS.flatMap((kind) =>
      kind.definitions ? [kind.definitions(session, section, bound, claimInputs)] : [],
    );
  }

  get stats() {
    return this.session.stats;
  }

  prepare(): Promise<void> {
    const names = this.section.assignments.some((e) => e.principals.some((p) => p.value.kind === 'name'));
    return this.session.prepare({ identityStore: names });
  }

  /** The seam: the section's entries resolved and multiplied out (./manifest/expansion.ts). */
  async expand(): Promise<ExpandedSection<undefined, string>> {
    // The principals the snapshot kept are not described again (./snapshot/opened.ts).
    if (this.snapshot) await knowKeptPrincipals(this.session, this.snapshotRun(this.snapshot), this.deps);
    return this.expansion.expand();
  }

  async readCurrent(desired: AwsDesired[]) {
    // A set still to be created holds no assignment: the read never sends its placeholder.
    const held = desired.filter((d) => !isPlannedSetArn(d.roleId));
    const scope = {
      managedPermissionSets: [...this.expansion.managed.permissionSets].filter((a) => !isPlannedSetArn(a)),
      managedAccounts: this.expansion.managed.accounts,
      desiredPlaces: held.map((d) => ({ accountId: d.target, permissionSetArn: d.roleId })),
    };
    const { assignments, read } = this.snapshot
      ? await readWithSnapshot(
          this.session,
          scope,
          held.map((d) => ({
            accountId: d.target,
            permissionSetArn: d.roleId,
            principalType: d.principalType,
            principalId: d.principalId,
          })),
          this.snapshotRun(this.snapshot),
          this.deps,
        ).then(({ assignments, read, notices, warnings }) => ({
          assignments,
          read: { ...read, notices, warnings },
        }))
      : await readAwsAssignments(this.session, scope);
    const current = assignments.map((a): AwsCurrent => {
      const parts = {
        principalId: a.principalId,
        principalType: a.principalType,
        roleId: a.permissionSetArn,
        targetId: a.accountId,
        target: a.accountId,
      };
      return {
        ...keyedAs(LISTED_KIND.aws, parts),
        managed: this.expansion.isManaged(a.permissionSetArn, a.accountId),
        shown: {
          principal: this.expansion.writtenNames.get(a.principalId) ?? a.principalId,
          role: this.expansion.writtenNames.get(a.permissionSetArn) ?? a.permissionSetArn,
          target: a.accountId,
        },
      };
    });
    return { current, read: withTagReads(read, this.expansion.managedSets) };
  }

  /**
   * The claims on what the plan would delete: CloudTrail read for those places only, proven as
   * the sweep proves a claim (./account-assignment/claims.ts).
   */
  readClaims(deletes: AwsCurrent[], now: number) {
    const createdBy = createdByRoles(this.claimInputs.createdBy, this.settings.roleToAssume);
    return readAwsClaimsOn(
      new ClaimHistory(this.session, this.deps),
      deletes,
      { createdBy, lookbackSeconds: this.claimInputs.lookbackSeconds },
      now,
    );
  }

  /** The names the plan shows: known from what the step read, else looked up at once (reads/names.ts). */
  names(rows: AssignmentKeyParts[]) {
    return nameAwsRows(rows, {
      session: this.session,
      permissionSets: this.expansion.writtenNames,
      accountName: (id) => this.expansion.targets.accountName(id),
      labels: this.labels,
    });
  }

  /** What the section defines beside its assignments (its permission sets), each kind's section planned in turn. */
  async planSections(
    current: AwsCurrent[],
    deletes: AwsCurrent[],
    creates: AwsDesired[],
    context: { files: ReadonlyMap<string, { text: string } | { error: string }>; owner: string },
  ): Promise<SectionPlan[]> {
    const named = async (rows: AssignmentKeyParts[]) => (await this.names(rows)).nameOf;
    const plans = await Promise.all(
      this.definitions.map((d) => d.plan({ current, deletes, creates, ...context, named })),
    );
    return plans.filter((p): p is SectionPlan => p !== undefined);
  }

  /** The assignments' writes, each after the defined set's write it needs (./reconcile-writes.ts). */
  writes(creates: AwsDesired[], deletes: AwsCurrent[]): PlannedWrites {
    return assignmentWrites(creates, deletes, {
      settings: this.settings,
      session: this.session,
      bound: { deadline: this.deps.deadline, signal: this.deps.signal },
      plannedSetNames: this.expansion.plannedSets.names,
      sectionWrites: this.definitions.flatMap((d) => d.writes()),
    });
  }

  private snapshotRun({ storeFor, ...run }: NonNullable<AwsReconciler['snapshot']>): SnapshotRun {
    const scope = snapshotScope({
      instance: this.session.instance,
      manifest: this.claimInputs.manifest ?? '',
    });
    // One run per step: the snapshot opened before the manifest is resolved is the one read.
    // The snapshot keeps the content of the one kind whose content it reads (a defined set's), and
    // the facts of the sets it references.
    const setContents = this.definitions.find((d) => d.contentsReader)?.contentsReader;
    const setFacts = this.definitions.find((d) => d.factsReader)?.factsReader;
    // The names the plan shows are read before the snapshot is kept, so it keeps them.
    const namePrincipals = async (principals: Parameters<NonNullable<SnapshotRun['namePrincipals']>>[0]) =>
      void (await nameAwsPrincipals(this.session, principals, this.labels));
    this.run ??= { ...run, scope, store: storeFor(scope), setContents, setFacts, namePrincipals };
    return this.run;
  }
}

export function createAwsReconciler(
  settings: AwsSessionSettings,
  section: AwsManifestSection,
  deps: AdapterDeps,
  claimInputs?: ReconcileClaimInputs,
  seams?: SsoSessionSeams,
): AwsReconciler {
  const withInstance =
    section.instanceArn && !settings.instanceArn
      ? { ...settings, instanceArn: section.instanceArn }
      : settings;
  const { snapshot, fullReadEveryMs, eventHistoryRoles, eventName } = claimInputs ?? {};
  const refused = writesRefusedFor(eventName || undefined);
  return new AwsReconciler(
    withInstance,
    section,
    createSsoSession(withInstance, deps, seams),
    deps,
    claimInputs,
    snapshot
      ? {
          // One object per instance and manifest; the instance is known once signed in, so the
          // key names the manifest and the object says its instance (another's is not used).
          // One object per scope (the instance, known once signed in, and the manifest's path).
          storeFor: (scope: string) =>
            createSnapshotStore(withInstance, snapshot, snapshotObjectKey(snapshot.prefix, scope), deps),
          fullReadEveryMs: fullReadEveryMs ?? 7 * 86_400_000,
          ...(eventHistoryRoles ? { eventHistoryRoles } : {}),
          mayWrite: refused === undefined,
          notWritten:
            "the event that started this run may not write (a pull request's code must not shape what later runs trust)",
        }
      : undefined,
  );
}
