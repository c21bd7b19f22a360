// A time-bound assignment made through a PIM AdminAssign request: the role's PIM policy checked
// first, the request sent under the name the grant's IDs carry (so a lost answer is found by it),
// followed to Provisioned and then to the instance it made; and, in the post step, the request the
// main step left unanswered or unfinished.
import type { RoleAssignmentScheduleRequest } from '@azure/arm-authorization';
import { randomUUID } from 'node:crypto';
import type { AzureScope } from '../../core/azure-scope.js';
import type { Duration } from '../../core/duration.js';
import type { AzureWriteOptions } from '../../core/inputs/index.js';
import { GUID } from '../../core/patterns.js';
import type { AzureResolvedIds } from '../../core/types.js';
import type { WriteOutcome, WritePreview } from '../../engine/calls/driver.js';
import type { OwnCreate } from '../../engine/calls/ownership-proofs.js';
import type { StatusSnapshot } from '../../engine/calls/status.js';
import { ArmError, PimPolicyRefusal, requestIdOf } from '../sdk/arm-errors.js';
import type { ArmSession } from '../arm/session.js';
import { urlPathArgument } from '../arm/clients.js';
import { createUnderOneName } from '../arm/create-attempts.js';
import { cancelRequest } from './cancel.js';
import {
  describeLimit,
  pimPolicyOf,
  policyError,
  rulesBroken,
  rulesNamedIn,
  type PimPolicy,
} from './policy.js';
import { isoOf, scheduleIdAt, type PimSchedules } from './schedules.js';
import {
  adminAssignOutcome,
  adminAssignSchedule,
  awaitingApproval,
  judgePimStatus,
  ownAdminAssign,
  pimStatusFailure,
} from './status.js';

export type TimeBoundSettings = AzureWriteOptions & { duration: Duration };

export class PimAssign {
  constructor(
    private readonly settings: TimeBoundSettings,
    private readonly session: ArmSession,
    private readonly schedules: PimSchedules,
  ) {}

  /** Dry run: until when the assignment would last, and what the role's PIM policy allows. */
  async preview(ids: AzureResolvedIds): Promise<WritePreview> {
    const policy = await this.checkPolicy(ids.scope, ids);
    const expiresAt = new Date(Date.now() + this.settings.duration.ms).toISOString();
    return {
      expiresAt,
      note: `would be active for ${this.settings.duration.iso}, until about ${expiresAt}; ${describeLimit(policy)}`,
    };
  }

  async create(ids: AzureResolvedIds): Promise<WriteOutcome> {
    const scope = ids.scope;
    await this.checkPolicy(scope, ids);
    const name = ids.name ?? randomUUID();
    const body: RoleAssignmentScheduleRequest = {
      principalId: ids.principalId,
      roleDefinitionId: ids.roleId,
      requestType: 'AdminAssign',
      scheduleInfo: adminAssignSchedule(this.settings.duration),
      justification: this.settings.description,
      ...(this.settings.condition
        ? { condition: this.settings.condition, conditionVersion: this.settings.conditionVersion ?? '2.0' }
        : {}),
    };
    try {
      const { answer, attempts } = await createUnderOneName(
        (attempts) =>
          this.session.sendNamingPrincipal(
            'RoleAssignmentScheduleRequests_Create',
            scope,
            ids.principalId,
            (client, signal) =>
              client.roleAssignmentScheduleRequests.create(
                urlPathArgument(scope.scope),
                name,
                body,
                attempts.options(signal),
              ),
          ),
        async () => {
          const earlier = await this.session.reads.scheduleRequest(scope, name);
          return earlier && this.schedules.isOwnRequest(earlier, ids) ? earlier : undefined;
        },
      );
      return this.assignAnswered(scope, ids, name, answer, attempts.lastAnswer?.requestId);
    } catch (error) {
      if (error instanceof ArmError && error.code === 'RoleAssignmentExists')
        return this.existedAlready(scope, ids, error);
      if (error instanceof PimPolicyRefusal)
        throw policyError(rulesNamedIn(error.message), await this.policyContext(scope, ids), error.message);
      throw error;
    }
  }

  /**
   * Post step, for a create whose answer was lost: the request under the name this step sent it
   * with, if Azure has it and it is this step's (same principal, role and requester).
   */
  async findOwnCreate(ids: AzureResolvedIds): Promise<OwnCreate> {
    if (!ids.name) return { ownership: 'not-created', why: 'no PIM request name was saved for it' };
    const scope = ids.scope;
    const request = await this.session.reads.scheduleRequest(scope, ids.name);
    if (!request)
      return { ownership: 'not-created', why: `Azure has no PIM request ${ids.name}: it was never made` };
    if (!this.schedules.isOwnRequest(request, ids))
      return { ownership: 'not-created', why: `PIM request ${ids.name} is not this step's` };
    return ownAdminAssign(request.status, ids.name);
  }

  /**
   * Post step: the AdminAssign the main step left unfinished. One still pending (awaiting approval,
   * or still provisioning) is cancelled, so that it cannot grant access after the job; if it became
   * Provisioned meanwhile, it is this step's and is removed.
   */
  async readCreate(requestId: string, ids: AzureResolvedIds): Promise<StatusSnapshot> {
    const scope = ids.scope;
    const request = GUID.test(requestId)
      ? await this.session.reads.scheduleRequest(scope, requestId)
      : undefined;
    if (!request || !this.schedules.isOwnRequest(request, ids))
      return { status: 'FAILED', failureReason: `PIM request ${requestId} is not a request of this step's` };
    const verdict = judgePimStatus(request.status, 'AdminAssign');
    if (verdict === 'succeeded') return { status: 'SUCCEEDED' };
    if (verdict === 'failed')
      return { status: 'FAILED', failureReason: pimStatusFailure(request.status, requestId) };
    const refusal = await cancelRequest(this.session, scope, requestId);
    const after = await this.session.reads.scheduleRequest(scope, requestId);
    switch (judgePimStatus(after?.status, 'AdminAssign')) {
      case 'succeeded':
        return { status: 'SUCCEEDED' };
      case 'failed':
        return {
          status: 'FAILED',
          failureReason: `it was still ${request.status ?? 'pending'} when the job ended, and was cancelled (now ${after?.status ?? 'unknown'})`,
        };
      default:
        // A refused cancel is Azure's answer: asking again until the deadline would change nothing,
        // and would hold back the revokes of the step's other grants, which wait for this one.
        return refusal
          ? {
              status: 'IN_PROGRESS',
              awaiting: `is still ${after?.status ?? 'pending'}, and Azure refused to cancel it (${refusal.message}): it grants access if it is approved; cancel it in Privileged Identity Management → Azure resources → Requests`,
            }
          : { status: 'IN_PROGRESS' };
    }
  }

  /** The policy's rules for the role at the scope, checked before a write: a broken one fails the grant, unwritten. */
  private async checkPolicy(scope: AzureScope, ids: AzureResolvedIds): Promise<PimPolicy | undefined> {
    const policy = await this.policyFor(scope, ids);
    const broken = policy ? rulesBroken(policy, this.settings.duration) : [];
    if (broken.length > 0) throw policyError(broken, { ...this.describe(scope, ids), policy });
    return policy;
  }

  private async policyFor(scope: AzureScope, ids: AzureResolvedIds): Promise<PimPolicy | undefined> {
    const assignments = await this.session.policyAssignmentsIfReadable(scope);
    return assignments && pimPolicyOf(assignments, ids.roleId, scope.scope);
  }

  private async policyContext(scope: AzureScope, ids: AzureResolvedIds) {
    return { ...this.describe(scope, ids), policy: await this.policyFor(scope, ids).catch(() => undefined) };
  }

  private describe(scope: AzureScope, ids: AzureResolvedIds) {
    return { role: ids.roleId, scope: scope.scope, duration: this.settings.duration };
  }

  /** The 201 (or a request found under this step's name): followed to Provisioned, then to its instance. */
  private assignAnswered(
    scope: AzureScope,
    ids: AzureResolvedIds,
    name: string,
    request: RoleAssignmentScheduleRequest,
    armRequestId: string | undefined,
  ): WriteOutcome {
    this.session.debug?.(
      `PIM request ${name} (ARM request ${armRequestId ?? 'unknown'}): ${request.status ?? 'no status'}`,
    );
    const assignmentId = scheduleIdAt(scope, request.targetRoleAssignmentScheduleId);
    return adminAssignOutcome(name, request.status, assignmentId, (provisioned) =>
      this.followAssign(scope, ids, name, provisioned),
    );
  }

  /** One status read: the request until Provisioned, then the instance it made, with its real end time. */
  private followAssign(
    scope: AzureScope,
    ids: AzureResolvedIds,
    name: string,
    provisioned: boolean,
  ): () => Promise<StatusSnapshot> {
    let seenProvisioned = provisioned;
    return async () => {
      if (!seenProvisioned) {
        const request = await this.session.reads.scheduleRequest(scope, name);
        switch (judgePimStatus(request?.status, 'AdminAssign')) {
          case 'failed':
            return { status: 'FAILED', failureReason: pimStatusFailure(request?.status, name) };
          case 'awaiting-approval':
            return { status: 'IN_PROGRESS', awaiting: awaitingApproval(name, request?.status) };
          case 'pending':
            return { status: 'IN_PROGRESS' };
          case 'succeeded':
            seenProvisioned = true;
        }
      }
      const instance = await this.schedules.activeInstance(scope, ids);
      if (!instance) return { status: 'IN_PROGRESS' };
      const expiresAt = isoOf(instance.endDateTime);
      return { status: 'SUCCEEDED', ...(expiresAt ? { expiresAt } : {}) };
    };
  }

  /** RoleAssignmentExists: an active assignment is there already; it is left as it is, and the log says until when. */
  private async existedAlready(
    scope: AzureScope,
    ids: AzureResolvedIds,
    error: ArmError,
  ): Promise<WriteOutcome> {
    const instance = await this.schedules.activeInstance(scope, ids);
    const expiresAt = isoOf(instance?.endDateTime);
    const assignmentId = scheduleIdAt(scope, instance?.roleAssignmentScheduleId);
    return {
      kind: 'done',
      changed: false,
      ...requestIdOf(error),
      ...(assignmentId ? { assignmentId } : {}),
      ...(expiresAt ? { expiresAt } : {}),
      note: this.schedules.alreadyActive(expiresAt),
    };
  }
}
