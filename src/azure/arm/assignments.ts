// Azure RBAC role assignments behind the engine's GrantDriver interface, over the step's
// ArmSession: the writes, and how each is followed. The reads are in reads.ts; whether a create
// is this step's, in own-create.ts.
import { randomUUID } from 'node:crypto';
import type { RoleAssignment, RoleAssignmentCreateParameters } from '@azure/arm-authorization';
import { assignmentNameFor, type AzureScope } from '../../core/azure-scope.js';
import { CloudAccessError } from '../../core/errors.js';
import { GUID } from '../../core/patterns.js';
import type { NameFields } from '../../core/shown-names.js';
import type { AzureSettings } from '../../core/inputs/index.js';
import type { AzureGrant, AzureResolvedIds } from '../../core/types.js';
import type {
  CallStats,
  CreateProof,
  ExistingAssignment,
  GrantDriver,
  OwnCreate,
  Preparation,
  WriteOutcome,
} from '../../engine/driver.js';
import type { StatusPacing, StatusSnapshot } from '../../engine/status.js';
import { matches, type ArmReads } from './reads.js';
import { ArmError, requestIdOf } from '../sdk/arm-errors.js';
import type { ArmSession } from './session.js';
import { responseInfo, urlPathArgument, type ResponseInfo } from './clients.js';
import { CreateAttempts } from './create-attempts.js';
import { heldConditionRefusal, updateCondition } from './condition-update.js';
import { conditionOf } from '../../core/plan/conditions.js';
import { judgeCreateAnswer, ownershipOfLostCreate } from './own-create.js';
import { registerReliance, soleOwnership } from './reliance.js';
import { planAssignmentLists } from './list-plan.js';

/**
 * ARM answers a role assignment write at once; its reads catch up within about half a second in
 * the same region (the batch learns when they take longer). Creates and deletes are learned apart.
 */
const READ_BACK_EXPECTED_MS = 500;

export class AzureRoleAssignmentDriver implements GrantDriver<AzureGrant> {
  readonly cloud = 'azure' as const;
  readonly stats: CallStats;
  private readonly reads: ArmReads;
  /** Assignment names this run made up (`resolve`). */
  private readonly freshNames = new Set<string>();
  /** An assign finds its assignment only with the condition it asks for (heldAsAsked). */
  private assigning = false;

  constructor(
    private readonly settings: AzureSettings,
    private readonly session: ArmSession,
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
    return existingOf(found);
  }

  async create(ids: AzureResolvedIds): Promise<WriteOutcome> {
    const scope = ids.scope;
    const name = this.nameOf(ids);
    const body = this.createBody(ids);
    const attempts = new CreateAttempts();
    try {
      // PrincipalNotFound (replication delay) is retried by the call runner for a bounded window,
      // unless the object ID is an application's client ID, which no wait would make a principal.
      const created = await this.session.sendNamingPrincipal(
        'RoleAssignments_Create',
        scope,
        ids.principalId,
        (client, signal) =>
          client.roleAssignments.create(urlPathArgument(scope.scope), name, body, attempts.options(signal)),
      );
      const requestId = attempts.lastAnswer?.requestId ?? '';
      const assignmentId = created.id ?? assignmentIdOf(scope.scope, name);
      const verdict = judgeCreateAnswer({
        status: attempts.lastAnswer?.status,
        record: created,
        earlierMayHaveApplied: attempts.earlierMayHaveApplied,
        started: attempts.started,
        objectId: this.session.objectId,
      });
      if (verdict.created) {
        return {
          kind: 'pending',
          request: {
            requestId,
            assignmentId,
            createdOnAcceptance: true,
            appliedOnAnswer: true,
            poll: this.pollUntil(scope, assignmentId, 'present'),
            pacing: readBackPacing('present'),
          },
        };
      }
      return {
        kind: 'done',
        requestId,
        changed: false,
        assignmentId,
        note: verdict.note,
      };
    } catch (error) {
      // Same scope, role and principal under another name. Matched on the code: ARM changed the
      // message in 2025 (azure-cli #32027).
      if (error instanceof ArmError && error.code === 'RoleAssignmentExists')
        return this.existsUnderAnotherName(error, scope, ids);
      attempts.markFailure(error);
      throw error;
    }
  }

  /** Shared grants: this run's reliance on an assignment it found in place (./reliance.ts). */
  async registerReliance(ids: AzureResolvedIds): Promise<WriteOutcome | undefined> {
    const mark = this.settings.relianceMark;
    return mark ? registerReliance(this.session, ids, mark) : undefined;
  }

  /** Post step: what this step created is still its alone, read again before the delete (./reliance.ts). */
  stillOwn(ids: AzureResolvedIds): Promise<CreateProof> {
    return soleOwnership(this.session, ids, {
      name: this.nameOf(ids),
      description: this.settings.description,
    });
  }

  /** The PUT's body: the role and principal, and what the inputs add to every assignment. */
  private createBody(ids: AzureResolvedIds): RoleAssignmentCreateParameters {
    return {
      roleDefinitionId: ids.roleId,
      principalId: ids.principalId,
      // Always sent: with it ARM accepts a principal that Entra has not replicated yet.
      principalType: ids.principalType ?? this.settings.principalType,
      description: this.settings.description,
      ...(this.settings.condition
        ? { condition: this.settings.condition, conditionVersion: this.settings.conditionVersion ?? '2.0' }
        : {}),
      ...(this.settings.delegatedManagedIdentityResourceId
        ? { delegatedManagedIdentityResourceId: this.settings.delegatedManagedIdentityResourceId }
        : {}),
    };
  }

  /** 409 RoleAssignmentExists: the assignment is there under another name, which a list finds. */
  private async existsUnderAnotherName(
    error: ArmError,
    scope: AzureScope,
    ids: AzureResolvedIds,
  ): Promise<WriteOutcome> {
    const existing = (await this.reads.listForPrincipal(scope, ids.principalId)).find((a) => matches(a, ids));
    this.session.debug?.(
      `RoleAssignmentExists: the assignment is ${existing?.id ?? 'not visible to a list yet'}`,
    );
    return {
      kind: 'done',
      changed: false,
      ...requestIdOf(error),
      ...(existing?.id ? { assignmentId: existing.id } : {}),
    };
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

  async remove(ids: AzureResolvedIds, existing: ExistingAssignment | undefined): Promise<WriteOutcome> {
    const scope = ids.scope;
    // The ID is built here from the scope as written and a GUID name, never taken from a server's
    // answer: a server-supplied ID would go into the DELETE URL as it is.
    const name = existing?.name ?? this.nameOf(ids);
    if (!GUID.test(name))
      throw new CloudAccessError(
        `ARM listed the assignment under the name \`${name}\`, which is not a GUID; it was not deleted`,
      );
    const assignmentId = assignmentIdOf(scope.scope, name);
    // Deleting what the reads did not show (the post step, whose own create reads may not show
    // yet): only while the name holds nothing else. Under a shared `assignment-name` it may hold
    // another principal's assignment by now, which a DELETE by name would end.
    if (!existing) {
      const underName = await this.reads.getAssignment(scope, { name });
      if (underName && !matches(underName, ids))
        return {
          kind: 'done',
          changed: false,
          note: `the name ${name} now holds another principal's, role's or scope's assignment: left alone`,
        };
    }
    let response: ResponseInfo | undefined;
    try {
      await this.session.send('RoleAssignments_Delete', scope, (client, signal) =>
        client.roleAssignments.deleteById(urlPathArgument(assignmentId), {
          abortSignal: signal,
          onResponse: (raw) => (response = responseInfo(raw)),
        }),
      );
    } catch (error) {
      if (error instanceof ArmError && error.statusCode === 404) {
        return { kind: 'done', changed: false, ...requestIdOf(error) };
      }
      throw error;
    }
    const requestId = response?.requestId ?? '';
    // 204: "Role assignment was already deleted or does not exist" (RoleAssignments_Delete).
    if (response?.status === 204) return { kind: 'done', requestId, changed: false, assignmentId };
    return {
      kind: 'pending',
      request: {
        requestId,
        assignmentId,
        appliedOnAnswer: true,
        poll: this.pollUntil(scope, assignmentId, 'absent'),
        pacing: readBackPacing('absent'),
      },
    };
  }

  /**
   * One read-back for the engine's follower: SUCCEEDED once ARM's reads show the write (they are
   * eventually consistent, and lag its answer). One read that shows it is enough: ARM applied the
   * write when it answered it (a 201, a 200 to the DELETE), so the read only waits for the reads
   * to catch up; a second that agrees would cost a read per write of ARM's reads bucket (250, then
   * 25 a second per subscription), which a batch needs for its lists.
   */
  private pollUntil(
    scope: AzureScope,
    assignmentId: string,
    wanted: 'present' | 'absent',
  ): () => Promise<StatusSnapshot> {
    return async () => {
      const found = await this.reads.getAssignment(scope, { id: assignmentId });
      return { status: (found !== undefined) === (wanted === 'present') ? 'SUCCEEDED' : 'IN_PROGRESS' };
    };
  }

  private nameOf(ids: AzureResolvedIds): string {
    return ids.name ?? assignmentNameFor(this.settings.assignmentName, ids);
  }
}

function readBackPacing(wanted: 'present' | 'absent'): StatusPacing {
  return { key: `azure:read-back-${wanted}`, expectedMs: READ_BACK_EXPECTED_MS };
}

function existingOf(assignment: RoleAssignment): ExistingAssignment {
  return {
    ...(assignment.id ? { assignmentId: assignment.id } : {}),
    ...(assignment.name ? { name: assignment.name } : {}),
  };
}

function assignmentIdOf(scope: string, name: string): string {
  return `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`;
}
