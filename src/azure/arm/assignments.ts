// Azure RBAC role assignments behind the engine's GrantDriver interface, over the step's
// ArmSession: which assignment a grant is, and which write each step sends. The reads are in
// reads.ts; the create, in create-assignment.ts; whether a create is this step's, in
// own-create.ts; the delete, in remove.ts; the read-back, in read-back.ts.
import { randomUUID } from 'node:crypto';
import type { RoleAssignment } from '@azure/arm-authorization';
import { assignmentNameFor } from '../../core/azure-assignment-name.js';
import type { NameFields } from '../../core/shown-names.js';
import type { AzureSettings } from '../../core/inputs/index.js';
import type { AzureGrant, AzureResolvedIds } from '../../core/types.js';
import type {
  CallStats,
  ExistingAssignment,
  GrantDriver,
  Preparation,
  ReadRuns,
  WriteOutcome,
} from '../../engine/calls/driver.js';
import type { CreateProof, OwnCreate } from '../../engine/calls/ownership-proofs.js';
import type { ArmReads } from './reads.js';
import { matches } from './roles.js';
import type { ArmSession } from './session.js';
import { createAssignment } from './create-assignment.js';
import { removeAssignment } from './remove.js';
import { EndedReliers } from './ended-reliers.js';
import { heldConditionRefusal, updateCondition } from './condition-update.js';
import { ephemeralRunOf } from './found-assignments.js';
import { conditionOf } from '../../core/plan/conditions.js';
import { ownershipOfLostCreate } from './own-create.js';
import { registerReliance } from './reliance.js';
import { soleOwnership } from './sole-ownership.js';
import { planAssignmentLists } from './list-plan.js';

export class AzureRoleAssignmentDriver implements GrantDriver<AzureGrant> {
  readonly cloud = 'azure' as const;
  readonly stats: CallStats;
  private readonly reads: ArmReads;
  /** Assignment names this run made up (`resolve`). */
  private readonly freshNames = new Set<string>();
  /** An assign finds its assignment only with the condition it asks for (heldAsAsked). */
  private assigning = false;
  /** Which runs named on full descriptions have ended, as GitHub said: asked once for every grant. */
  private endedReliers: EndedReliers | undefined;

  constructor(
    private readonly settings: AzureSettings,
    private readonly session: ArmSession,
    /** GitHub's word on the repository's runs, for the room a relying step makes (./ended-reliers.ts). */
    private readonly readRuns?: ReadRuns,
  ) {
    this.stats = session.stats;
    this.reads = session.reads;
  }

  /** Signs in, resolves the principals named, and plans the fewest lists that find the grants' assignments. */
  async prepare(preparation?: Preparation<AzureGrant>): Promise<void> {
    this.assigning = preparation?.operation === 'assign';
    const grants = preparation?.grants ?? [];
    await this.session.prepare(grants);
    this.reads.planLists(
      planAssignmentLists(
        grants.flatMap((grant) => {
          const principalId = this.principalIdOf(grant);
          return principalId ? [{ scope: grant.scope, principalId }] : [];
        }),
      ),
    );
  }

  /** The grant's principal's object ID, when it is known (a name Graph could not resolve fails at `resolve`). */
  private principalIdOf(grant: AzureGrant): string | undefined {
    if (grant.resolved) return grant.resolved.principalId;
    try {
      return this.session.directory.principalOf(grant.principal).objectId;
    } catch {
      return undefined;
    }
  }

  /**
   * The grant's IDs, with the name its assignment is written under: `assignment-name` when given,
   * else a fresh GUID of this run's own. A name shared between runs (as a name derived from scope,
   * principal and role would be) lets a concurrent run's create answer 200 to ours, or ours to
   * theirs, and neither could tell whose the assignment is; with a name of its own, the second
   * create collides with RoleAssignmentExists (409) instead.
   */
  async resolve(grant: AzureGrant): Promise<AzureResolvedIds> {
    const ids = await this.session.idsOf(grant);
    if (this.settings.assignmentName)
      return { ...ids, name: assignmentNameFor(this.settings.assignmentName, ids) };
    const name = randomUUID();
    this.freshNames.add(name);
    return { ...ids, name };
  }

  /** The principal's name, where the inputs named it and Graph resolved it (no read of its own). */
  namesOf(ids: AzureResolvedIds): NameFields {
    const principalName = this.session.directory.resolvedNames().get(ids.principalId)?.name;
    return principalName ? { principalName } : {};
  }

  /** The assignment by its name first (one GET), else in the list that shows it (made once for every grant it serves). */
  async findExisting(ids: AzureResolvedIds): Promise<ExistingAssignment | undefined> {
    const scope = ids.scope;
    // A name this run just made up has nothing under it yet: only the list can find the assignment.
    if (ids.name && !this.freshNames.has(ids.name)) {
      const byName = await this.reads.getAssignment(scope, { name: ids.name });
      if (byName && matches(byName, ids)) return this.heldAsAsked(byName);
    }
    const listed = await this.reads.sharedAssignmentsFor(scope, ids.principalId);
    const found = listed.find((a) => matches(a, ids));
    return found ? this.heldAsAsked(found) : undefined;
  }

  /** The assignment found, when an assign finds it holding the condition asked (./condition-update.ts heldConditionRefusal). */
  private heldAsAsked(found: RoleAssignment): ExistingAssignment {
    const refusal = this.assigning ? heldConditionRefusal(found, this.settings) : undefined;
    if (refusal) throw refusal;
    const endsWithRun = this.assigning && !this.settings.relianceMark ? ephemeralRunOf(found) : undefined;
    return endsWithRun ? { ...existingOf(found), warning: endsWithRun } : existingOf(found);
  }

  /** The PUT under the grant's name, and what its answer says of whose the assignment is (./create-assignment.ts). */
  create(ids: AzureResolvedIds): Promise<WriteOutcome> {
    return createAssignment(this.session, this.settings, this.assigning, ids, this.nameOf(ids));
  }

  /** Shared grants: this run's reliance on an assignment it found in place (./reliance.ts). */
  async registerReliance(ids: AzureResolvedIds): Promise<WriteOutcome | undefined> {
    const mark = this.settings.relianceMark;
    if (!mark) return undefined;
    // One for the step's every grant: GitHub is asked about each run once.
    this.endedReliers ??= this.readRuns ? new EndedReliers(mark, this.readRuns) : undefined;
    return registerReliance(this.session, ids, mark, this.endedReliers);
  }

  /** Post step: what this step created is still its alone, read again before the delete (./sole-ownership.ts). */
  stillOwn(ids: AzureResolvedIds): Promise<CreateProof> {
    return soleOwnership(this.session, ids, {
      name: this.nameOf(ids),
      description: this.settings.description,
    });
  }

  /**
   * Post step: whether a create the main step sent without hearing back made the assignment, by
   * what ARM recorded (own-create.ts).
   */
  async findOwnCreate(ids: AzureResolvedIds, since: number): Promise<OwnCreate> {
    const scope = ids.scope;
    const name = this.nameOf(ids);
    return ownershipOfLostCreate(this.reads, {
      scope,
      name,
      ids,
      description: this.settings.description,
      objectId: this.session.objectId,
      since,
      deadline: this.session.deadline,
    });
  }

  /**
   * A reconcile's update: the assignment keeps its name and all it holds but its condition, which
   * becomes this driver's (none: removed) (./condition-update.ts).
   */
  update(ids: AzureResolvedIds, existing: ExistingAssignment): Promise<WriteOutcome> {
    const { condition, conditionVersion } = this.settings;
    return updateCondition(
      this.session,
      ids,
      existing.name ?? this.nameOf(ids),
      conditionOf(condition, condition ? (conditionVersion ?? '2.0') : undefined),
    );
  }

  remove(ids: AzureResolvedIds, existing: ExistingAssignment | undefined): Promise<WriteOutcome> {
    return removeAssignment(this.session, ids, existing?.name ?? this.nameOf(ids), existing);
  }

  private nameOf(ids: AzureResolvedIds): string {
    return ids.name ?? assignmentNameFor(this.settings.assignmentName, ids);
  }
}

function existingOf(assignment: RoleAssignment): ExistingAssignment {
  return {
    ...(assignment.id ? { assignmentId: assignment.id } : {}),
    ...(assignment.name ? { name: assignment.name } : {}),
  };
}
