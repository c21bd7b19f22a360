// `operation: reconcile` on Azure RBAC: the manifest's `azure` section expanded into concrete
// (principal, role definition, scope) assignments (./plan/desired.ts), one paged list per
// scope read, and the writes' driver. Ownership: `ownedOnly` (the default) deletes only
// assignments whose description carries this manifest's marker; `full` deletes every assignment
// at or under the managed scopes that the file does not list, but the exceptions
// (./role-assignment/current.ts). Loaded with import() only by a reconcile step.
import type { RoleAssignment } from '@azure/arm-authorization';
import { atOrUnder, type AzureScope } from '../core/azure-scope.js';
import { CloudAccessError } from '../core/errors.js';
import type { AzureSettings, ReconcileRequest } from '../core/inputs/index.js';
import { carriesMarker } from '../core/state/manifest-marker.js';
import type { AzureManifestSection } from '../core/manifest/types.js';
import {
  type AssignmentAt,
  type CurrentAssignment,
  type DesiredAssignment,
  type PlannedUpdate,
} from '../core/plan/assignment-diff.js';
import { principalTypeContradictions, type TypedByEntry } from '../core/plan/principal-types.js';
import type { AdapterDeps } from '../engine/calls/driver.js';
import type { ExpandedSection, Reconciler, SectionPlan } from '../engine/run/reconciler.js';
import type { PlannedWrites } from '../engine/run/planned-writes.js';
import { createArmSession, type ArmSession } from './arm/session.js';
import { readKindAt, type AzureCreateSettings, type ReconcileReadOptions } from './kind/reconcile.js';
import {
  AZURE_KINDS,
  AZURE_SECTIONS,
  azureSessionsOf,
  reconcileReadKinds,
  type AzureKindName,
} from './kinds.js';
import { listAssignmentsAtOrUnder } from './arm/assignment-reads.js';
import { nameAzureRows } from './kind/names.js';
import { expandAzureSection } from './plan/desired.js';
import { plannedAzureWrites } from './plan/writes.js';
import { readAzureClaimsOn } from './role-assignment/claims.js';
import { createdByIdentities } from './role-assignment/run-markers.js';
import { currentOfListed, unmatchedExceptions } from './role-assignment/current.js';
import type { ReadRuns } from '../engine/calls/driver.js';

const lower = (s: string) => s.toLowerCase();

type Desired = DesiredAssignment<AzureCreateSettings, AzureScope>;
type Current = CurrentAssignment<AzureScope>;
type Update = PlannedUpdate<AzureCreateSettings, AzureScope>;

export class AzureReconciler implements Reconciler<AzureCreateSettings, AzureScope> {
  readonly cloud = 'azure' as const;
  /** Role definition GUID (lower-cased) → the name the file wrote it by: what the plan shows. */
  private readonly roleNames = new Map<string, string>();
  /** Desired key → its object ID as the first entry asking for it wrote it (none for a name). */
  private readonly typedByEntry = new Map<string, TypedByEntry | undefined>();
  /** What the reads could not read, said once with the names' notes. */
  private readonly readNotes: string[] = [];
  /** Each listed role assignment as ARM answered it, by key: its claims are read from it. */
  private readonly listedByKey = new Map<string, RoleAssignment>();

  constructor(
    private readonly settings: AzureSettings,
    private readonly section: AzureManifestSection,
    private readonly session: ArmSession,
    /** `cloud-access:<owner>/<repo>:<manifest path>`. */
    private readonly marker: string,
    /** Whose claims leave what the plan would delete in place (`created-by`). */
    private readonly claimInputs: Pick<ReconcileRequest, 'createdBy'> = { createdBy: [] },
    /** GitHub's word on the runs that claim a membership the plan would end. */
    private readonly readRuns?: ReadRuns,
  ) {}

  get stats() {
    return this.session.stats;
  }

  prepare(): Promise<void> {
    return this.session.prepare();
  }

  /**
   * The seam: every principal through `principal` (an object ID is itself; Graph names resolve
   * here), every role through the scope's role definitions, every target as the scope it is
   * (./plan/desired.ts).
   */
  async expand(): Promise<ExpandedSection<AzureCreateSettings, AzureScope>> {
    const { expanded, problems } = await expandAzureSection(
      this.session,
      this.section,
      this.marker,
      this.roleNames,
      (id) => this.underManagedScope(id),
    );
    // In the file's order: the plan keeps the first entry's row of a key.
    for (const { row, typed } of expanded)
      if (!this.typedByEntry.has(row.key)) this.typedByEntry.set(row.key, typed);
    const desired = expanded.map(({ row }) => row);
    return {
      desired,
      problems,
      notes: [`ownership marker: ${this.marker} (mode ${this.section.manages.mode})`],
    };
  }

  /**
   * One unfiltered, paged list per scope (the managed scopes, and desired scopes outside them),
   * and each kind's own read there that ARM's role assignment list does not hold (./kinds.ts).
   */
  async readCurrent(desired: Desired[]) {
    // Each scope once, whatever its casing.
    const scopes = new Map<string, AzureScope>();
    for (const s of this.section.manages.scopes) scopes.set(lower(s.value.scope), s.value);
    for (const d of desired) if (!this.underManagedScope(d.targetId)) scopes.set(lower(d.targetId), d.target);
    const kinds = reconcileReadKinds();
    const [lists, found] = await Promise.all([
      Promise.all([...scopes.values()].map((scope) => listAssignmentsAtOrUnder(this.session, scope))),
      Promise.all(
        kinds.map(([kind, reads]) =>
          readKindAt(reads, azureSessionsOf(this.session), [...scopes.values()], this.readOptions(), {
            made: desired.some((d) => d.kind === kind),
          }),
        ),
      ),
    ]);
    const seen = new Set<string>();
    const current = lists.flatMap((l) => l.assignments).flatMap((a): Current[] => this.listed(a, seen));
    // Requests: a page each (the call runner counts a paged list as one call).
    const calls = lists.reduce((sum, l) => sum + l.pages, 0) + found.reduce((sum, r) => sum + r.calls, 0);
    this.readNotes.push(...found.flatMap((r) => r.notes));
    // A create a kind's policy refuses stops the plan, before any write.
    const refused = await Promise.all(
      kinds.map(([kind, reads], i) => {
        const present = new Set(found[i]!.current.map((c) => c.key));
        return reads.refusals(
          azureSessionsOf(this.session),
          desired.filter((d) => d.kind === kind && !present.has(d.key)),
        );
      }),
    );
    return {
      current: [...current, ...found.flatMap((r) => r.current)],
      problems: [...unmatchedExceptions(this.section, seen), ...refused.flat()],
      read: {
        strategy: `${['one paged role assignment list', ...kinds.map(([, r]) => r.list)].join(' and ')} per scope (${scopes.size})`,
        calls,
        alternatives: [],
      },
    };
  }

  /** A listed role assignment as the plan holds it (./role-assignment/current.ts), kept by its key for its claims. */
  private listed(a: RoleAssignment, seen: Set<string>): Current[] {
    const current = currentOfListed(
      a,
      seen,
      (listed) => this.isManaged(listed),
      (guid) => this.roleNames.get(guid),
    );
    if (!current) return [];
    this.listedByKey.set(current.key, a);
    return [current];
  }

  /**
   * The claims on what the plan would delete: a role assignment's run markers, or the PIM schedule
   * that made it (./role-assignment/claims.ts), judged by `created-by` (else the reconcile's own identity).
   */
  async readClaims(deletes: Current[], now: number) {
    const createdBy = createdByIdentities(
      this.claimInputs.createdBy,
      this.session.objectId,
      "the reconcile's",
    );
    if (!createdBy)
      return {
        claims: new Map(),
        decided: new Map(),
        notes: [
          "claims: `created-by` is not set and the reconcile's own object ID could not be read from its Entra token: no assignment is told as a run's or a request's",
        ],
      };
    const scopesOf = (some: readonly Current[]) =>
      this.section.manages.scopes
        .map((s) => s.value)
        .filter((scope) => some.some((d) => atOrUnder(d.targetId, scope.scope)));
    return readAzureClaimsOn(this.session, deletes, this.listedByKey, createdBy, scopesOf, now);
  }

  /**
   * The names the plan shows: what the file's names resolved to, the rest read at once
   * (kind/names.ts). What that read says each create's object ID is must be the type its
   * entry writes: ARM would refuse the create at apply (core/plan/principal-types.ts).
   */
  async names(rows: AssignmentAt<AzureScope>[], creates: Desired[]) {
    const { nameOf, notes, typeOf } = await nameAzureRows(rows, this.session, this.roleNames);
    const typed = creates.flatMap((c) => this.typedByEntry.get(c.key) ?? []);
    return {
      nameOf,
      notes: [...this.readNotes, ...notes],
      problems: principalTypeContradictions(typed, typeOf),
    };
  }

  /**
   * The plan's writes: each create under a fresh name of this run's, each update under its
   * assignment's own (./plan/writes.ts).
   */
  writes(creates: Desired[], deletes: Current[], updates: Update[] = []): PlannedWrites {
    // A kind may name its requests after this manifest (./kinds.ts).
    return plannedAzureWrites(
      { creates, deletes, updates },
      this.settings,
      this.session,
      this.marker,
      (kind) => {
        const writer = AZURE_KINDS[kind as AzureKindName]?.reconcileWriter;
        return writer && ((settings, session, owner) => writer(settings, azureSessionsOf(session), owner));
      },
    );
  }

  /**
   * The section's entries of each kind with a section of its own (./kinds.ts, AZURE_SECTIONS),
   * planned beside its assignments and written through the same write plan.
   */
  async planSections(): Promise<SectionPlan[]> {
    const createdBy = createdByIdentities(
      this.claimInputs.createdBy,
      this.session.objectId,
      "the reconcile's",
    );
    const context = {
      directory: this.session.directory,
      settings: this.settings,
      section: this.section,
      marker: this.marker,
      judge: {
        createdBy: createdBy?.ids ?? new Set<string>(),
        shown: createdBy?.shown ?? 'none',
        repository: undefined,
      },
      readRuns: this.readRuns,
      now: Date.now(),
    };
    const plans = await Promise.all(AZURE_SECTIONS.map((kind) => kind.plan(context)));
    return plans.filter((p): p is SectionPlan => p !== undefined);
  }

  /** What a kind's read is handed: whose requests are the manifest's, and the names it shows. */
  private readOptions(): ReconcileReadOptions {
    return {
      owner: this.marker,
      managedScope: (scope) => this.underManagedScope(scope),
      roleName: (guid) => this.roleNames.get(guid),
    };
  }

  private underManagedScope(id: string): boolean {
    return this.section.manages.scopes.some((s) => atOrUnder(id, s.value.scope));
  }

  private isManaged(a: RoleAssignment): boolean {
    if (!this.underManagedScope(a.scope!)) return false;
    // The step's own identity keeps its access: a `full` scope that does not list it must not
    // delete, halfway through the plan, the assignment the rest of the plan is written with.
    if (this.session.objectId && lower(a.principalId!) === this.session.objectId) return false;
    if (this.section.manages.mode === 'full')
      return !this.section.manages.exceptions.some((e) => lower(e.value) === lower(a.id!));
    return carriesMarker(a.description ?? '', this.marker);
  }
}

export function createAzureReconciler(
  settings: AzureSettings,
  section: AzureManifestSection,
  deps: AdapterDeps,
  marker: string,
  claimInputs?: Pick<ReconcileRequest, 'createdBy'>,
): AzureReconciler {
  if (!marker.startsWith('cloud-access:')) throw new CloudAccessError('the ownership marker is malformed');
  return new AzureReconciler(
    settings,
    section,
    createArmSession(settings, deps),
    marker,
    claimInputs,
    deps.readRuns,
  );
}
