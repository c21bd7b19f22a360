// `operation: reconcile` on IAM Identity Center: the manifest's `aws` section expanded into
// concrete (principal, permission set, account) assignments, the instance's read, and the writes'
// driver. Loaded with import() only by a reconcile step.
import { CloudAccessError } from '../core/errors.js';
import type { AwsSessionSettings, ReconcileRequest } from '../core/inputs/index.js';
import type { ManifestProblem } from '../core/manifest/nodes.js';
import type { AwsManifestSection, Located } from '../core/manifest/types.js';
import { type AssignmentKeyParts } from '../core/plan/assignment-diff.js';
import { keyedAs } from '../core/plan/assignment-diff.js';
import { nameFields } from '../core/shown-names.js';
import type { AwsTarget } from '../core/inputs/org-targets.js';
import type { AwsPrincipalRef, PermissionSetRef } from '../core/types.js';
import { LabelsBudget } from '../engine/limits/best-effort.js';
import type { AdapterDeps } from '../engine/calls/driver.js';
import { type ExpandedSection, type Reconciler } from '../engine/run/reconciler.js';
import type { PlannedWrite, PlannedWrites } from '../engine/run/planned-writes.js';
import { AwsAssignmentDriver } from './sso/assignments.js';
import { desiredOfEntries, type AwsCurrent, type AwsDesired } from './reconcile/desired.js';
import { nameAwsRows } from './reads/names.js';
import { readAwsAssignments } from './reads/every-assignment.js';
import { ReconcileTargets } from './reads/targets.js';
import { readManagedPermissionSets, withTagReads, type ManagedSets } from './reconcile/management.js';
import { StoreNames } from './reads/store-names.js';
import { createSsoSession, type SsoSession, type SsoSessionSeams } from './sso/session.js';
import { ClaimHistory, createdByRoles } from './trail/claim-history.js';
import { readAwsClaimsOn } from './reconcile/claims.js';
import { writesRefusedFor } from '../core/inputs/write-events.js';
import { snapshotObjectKey, snapshotScope } from '../core/snapshot/format.js';
import { readWithSnapshot, type SnapshotRun } from './snapshot/delta-read.js';
import { createSnapshotStore, type SnapshotStore } from './snapshot/store.js';

/** What a reconcile reads claims by: whose creates count, and how far back; and where its snapshot is kept. */
export type ReconcileClaimInputs = Pick<ReconcileRequest, 'createdBy' | 'lookbackSeconds'> &
  Partial<Pick<ReconcileRequest, 'manifest' | 'snapshot' | 'fullReadEveryMs'>>;

type PrincipalType = AwsSessionSettings['principalType'];

/** What the section manages, resolved: only these are ever deleted. */
export interface AwsManaged {
  permissionSets: Set<string>;
  /** undefined: every account. */
  accounts: Set<string> | undefined;
}

export class AwsReconciler implements Reconciler<undefined, string> {
  readonly cloud = 'aws' as const;
  private managed: AwsManaged = { permissionSets: new Set(), accounts: undefined };
  private readonly writtenNames = new Map<string, string>();
  private readonly storeNames: StoreNames;
  private readonly targets: ReconcileTargets;
  private managedSets: ManagedSets | undefined;

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
    const groupNames = new Set(
      section.assignments
        .filter((e) => e.principalType === 'GROUP')
        .flatMap((e) => e.principals.flatMap((p) => (p.value.kind === 'name' ? [p.value.name] : []))),
    );
    this.storeNames = new StoreNames(session, groupNames.size);
    this.targets = new ReconcileTargets(session, deps);
  }

  get stats() {
    return this.session.stats;
  }

  prepare(): Promise<void> {
    const names = this.section.assignments.some((e) => e.principals.some((p) => p.value.kind === 'name'));
    return this.session.prepare({ identityStore: names });
  }

  /**
   * The seam: every principal through `principal`, every permission set through `permissionSet`,
   * every target through `accounts` (an account ID is itself; an OU expands to its accounts). A
   * name that is not found is a problem at its line, with the closest names when known.
   */
  async expand(): Promise<ExpandedSection<undefined, string>> {
    const problems: ManifestProblem[] = [];
    const attempt = async <T>(
      path: string,
      line: number,
      lookUp: () => Promise<T>,
    ): Promise<T | undefined> => {
      try {
        return await lookUp();
      } catch (error) {
        if (!(error instanceof CloudAccessError)) throw error;
        problems.push({
          line,
          message: `\`${path}\`: ${error.message}`,
          ...(error.fix ? { fix: error.fix } : {}),
        });
        return undefined;
      }
    };
    const permissionSet = (l: Located<PermissionSetRef>, path: string) =>
      attempt(path, l.line, () => this.session.permissionSetArn(l.value));
    const principal = (l: Located<AwsPrincipalRef>, type: PrincipalType, path: string) =>
      attempt(path, l.line, () => this.storeNames.principalId(l.value, type));
    const accounts = (l: Located<AwsTarget>, path: string, entry = true) =>
      attempt(path, l.line, () => this.targets.accountsOf(l, entry));

    const { manages } = this.section;
    this.managedSets = await readManagedPermissionSets(this.session, manages, attempt);
    problems.push(...this.managedSets.problems);
    for (const [arn, name] of this.managedSets.names) this.writtenNames.set(arn, name);
    const managedAccounts = manages.targets
      ? await Promise.all(manages.targets.map((l) => accounts(l, 'aws.manages.targets', false)))
      : undefined;
    this.managed = {
      permissionSets: this.managedSets.arns,
      accounts: managedAccounts ? new Set(managedAccounts.flatMap((a) => a ?? [])) : undefined,
    };

    const resolved = await Promise.all(
      this.section.assignments.map(async (entry) => {
        const [principals, roles, targets] = await Promise.all([
          Promise.all(
            entry.principals.map((p) => principal(p, entry.principalType, `${entry.path}.principal`)),
          ),
          Promise.all(entry.roles.map((r) => permissionSet(r, `${entry.path}.role`))),
          Promise.all(entry.targets.map((t) => accounts(t, `${entry.path}.target`))),
        ]);
        return { entry, principals, roles, targets };
      }),
    );
    const { desired, problem } = desiredOfEntries(
      resolved,
      (ps, a) => this.isManaged(ps, a),
      this.writtenNames,
    );
    if (problem) problems.push(problem);
    const { warnings, byTag } = this.managedSets;
    // What each OU target stands for, once, beside what the tags match: a reviewer reads both.
    const management = [...this.targets.notes(), ...byTag, ...this.targets.keptLines()];
    return {
      desired,
      problems,
      notes: this.notes(),
      warnings: [...warnings, ...this.targets.namedNotActive(this.section.assignments)],
      management,
    };
  }

  async readCurrent(desired: AwsDesired[]) {
    const scope = {
      managedPermissionSets: [...this.managed.permissionSets],
      managedAccounts: this.managed.accounts,
      desiredPlaces: desired.map((d) => ({ accountId: d.target, permissionSetArn: d.roleId })),
    };
    const { assignments, read } = this.snapshot
      ? await readWithSnapshot(
          this.session,
          scope,
          desired.map((d) => ({
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
        ...keyedAs('aws-account-assignment', parts),
        managed: this.isManaged(a.permissionSetArn, a.accountId),
        shown: {
          principal: this.writtenNames.get(a.principalId) ?? a.principalId,
          role: this.writtenNames.get(a.permissionSetArn) ?? a.permissionSetArn,
          target: a.accountId,
        },
      };
    });
    return { current, read: withTagReads(read, this.managedSets) };
  }

  /**
   * The claims on what the plan would delete: CloudTrail read for those places only, proven as
   * the sweep proves a claim (./reconcile/claims.ts).
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
      permissionSets: this.writtenNames,
      accountName: (id) => this.targets.accountName(id),
      labels: new LabelsBudget(this.deps.deadline),
    });
  }

  /**
   * One driver per principal type over the one session (so one pace), creates holding the
   * instance's 15 outstanding slots together (the session's).
   */
  writes(creates: AwsDesired[], deletes: AwsCurrent[]): PlannedWrites {
    const bound = { deadline: this.deps.deadline, signal: this.deps.signal };
    const drivers = new Map<string, AwsAssignmentDriver>();
    const driverFor = (type: string) => {
      let driver = drivers.get(type);
      if (!driver) {
        driver = new AwsAssignmentDriver(
          { ...this.settings, principalType: type as PrincipalType },
          this.session,
          bound,
        );
        drivers.set(type, driver);
      }
      return driver;
    };
    const writeOf = (
      change: 'create' | 'delete',
      a: AwsCurrent | AwsDesired,
      shown: AwsCurrent['shown'],
    ): PlannedWrite => {
      const resolved = {
        cloud: 'aws' as const,
        principalId: a.principalId,
        principalType: a.principalType as PrincipalType,
        roleId: a.roleId,
        accountId: a.target,
      };
      return {
        change,
        kind: a.kind,
        grant: {
          cloud: 'aws',
          written: { ...shown, ...nameFields(a.names) },
          principal: { kind: 'id', id: a.principalId },
          accountId: a.target,
          permissionSet: { kind: 'arn', arn: a.roleId },
          resolved,
        },
        driver: driverFor(a.principalType),
        existing: change === 'create' ? undefined : {},
      };
    };
    return {
      cloud: this.cloud,
      stats: this.stats,
      creates: creates.map((c) => writeOf('create', c, c.written)),
      deletes: deletes.map((d) => writeOf('delete', d, d.shown)),
      updates: [],
    };
  }

  private snapshotRun({ storeFor, ...run }: NonNullable<AwsReconciler['snapshot']>): SnapshotRun {
    const scope = snapshotScope({
      instance: this.session.instance,
      manifest: this.claimInputs.manifest ?? '',
    });
    return { ...run, scope, store: storeFor(scope) };
  }

  private isManaged(permissionSetArn: string, accountId: string): boolean {
    return (
      this.managed.permissionSets.has(permissionSetArn) &&
      (this.managed.accounts?.has(accountId) ?? true) &&
      !this.targets.isLeftOut(accountId)
    );
  }

  private notes(): string[] {
    return [
      `manages ${this.managed.permissionSets.size} permission set(s) in ${this.managed.accounts ? `${this.managed.accounts.size} account(s)` : 'every account'}`,
    ];
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
  const { snapshot, fullReadEveryMs } = claimInputs ?? {};
  const refused = writesRefusedFor(process.env.GITHUB_EVENT_NAME || undefined);
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
          mayWrite: refused === undefined,
          notWritten:
            "the event that started this run may not write (a pull request's code must not shape what later runs trust)",
        }
      : undefined,
  );
}
