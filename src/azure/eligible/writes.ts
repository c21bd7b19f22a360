// Writing a PIM eligibility: the AdminAssign under the name derived for the grant
// (core/kinds/azure-pim-eligible.ts), the role's eligibility policy read first, and followed to
// the schedule it makes. The AdminRemove that ends one is removal.ts's.
import type { RoleEligibilityScheduleRequest } from '@azure/arm-authorization';
import { randomUUID } from 'node:crypto';
import { roleGuidOf } from '../../core/azure-scope.js';
import type { Duration } from '../../core/duration.js';
import type { AzureWriteOptions } from '../../core/inputs/index.js';
import type { AzureResolvedIds } from '../../core/types.js';
import type { WriteOutcome } from '../../engine/calls/driver.js';
import type { StatusSnapshot } from '../../engine/calls/status.js';
import { ArmError, PimPolicyRefusal } from '../sdk/arm-errors.js';
import type { ArmSession } from '../arm/session.js';
import { urlPathArgument } from '../arm/clients.js';
import { createUnderOneName } from '../arm/create-attempts.js';
import {
  eligibilityRefusal,
  eligibilityRefusedUnread,
  eligibilityRuleOf,
  type EligibilityRule,
} from './policy.js';
import { rulesNamedIn } from '../pim/policy.js';
import {
  endOf,
  eligibilityScheduleIdAt,
  nameAlreadyUsed,
  requestRoleIdOf,
  type EligibilityReads,
} from './reads.js';
import { adminAssignOutcome, adminAssignSchedule, judgePimStatus, pimStatusFailure } from '../pim/status.js';

export type EligibleSettings = AzureWriteOptions & { assignmentType: 'eligible' };

export class EligibleWrites {
  constructor(
    private readonly settings: EligibleSettings,
    private readonly session: ArmSession,
    private readonly reads: EligibilityReads,
  ) {}

  private get duration(): Duration | undefined {
    return this.settings.duration;
  }

  /** The role's eligibility rule at the scope; a 403 on the read leaves it to Azure, said in the debug log. */
  async rule(ids: AzureResolvedIds): Promise<EligibilityRule | undefined> {
    const assignments = await this.session.policyAssignmentsIfReadable(ids.scope);
    return assignments && eligibilityRuleOf(assignments, ids.roleId, ids.scope.scope);
  }

  /** Throws the rule's refusal, before any write. */
  async checkPolicy(ids: AzureResolvedIds): Promise<EligibilityRule | undefined> {
    const rule = await this.rule(ids);
    const refusal = eligibilityRefusal(rule, this.duration, { role: ids.roleId, scope: ids.scope.scope });
    if (refusal) throw refusal;
    return rule;
  }

  /**
   * The AdminAssign, under the name the IDs carry; a name refused as used (a life of this grant
   * before, whose request ARM no longer returns) gives way to the next the derivation allows, and
   * the IDs carry that one from then on (the post step removes by it).
   */
  async create(ids: AzureResolvedIds, nextName: (name: string) => string | undefined): Promise<WriteOutcome> {
    await this.checkPolicy(ids);
    for (;;) {
      const name = ids.name ?? randomUUID();
      try {
        return await this.assignUnder(ids, name);
      } catch (error) {
        // An eligibility made since the step read (Graph's answer for one: 400 RoleAssignmentExists):
        // it is there, and not this step's. Only where Azure lists it: ARM's wording for a request
        // name used before is unconfirmed, so a RoleAssignmentExists with none listed is that.
        const exists = error instanceof ArmError && error.code === 'RoleAssignmentExists';
        if (exists && !nameAlreadyUsed(error) && (await this.reads.schedulesOf(ids)).length > 0)
          return {
            kind: 'done',
            changed: false,
            note: 'already eligible: Azure answered RoleAssignmentExists, an eligibility made since this step read; it is left as it is',
          };
        const next = exists || nameAlreadyUsed(error) ? nextName(name) : undefined;
        if (!next) throw error;
        this.session.debug?.(`eligibility request name ${name} was used before; taking ${next}`);
        ids.name = next;
      }
    }
  }

  private async assignUnder(ids: AzureResolvedIds, name: string): Promise<WriteOutcome> {
    const scope = ids.scope;
    const body: RoleEligibilityScheduleRequest = {
      principalId: ids.principalId,
      roleDefinitionId: requestRoleIdOf(ids),
      requestType: 'AdminAssign',
      scheduleInfo: adminAssignSchedule(this.duration),
      justification: this.settings.description,
    };
    try {
      const { answer } = await createUnderOneName(
        (attempts) =>
          this.session.sendNamingPrincipal(
            'RoleEligibilityScheduleRequests_Create',
            scope,
            ids.principalId,
            (client, signal) =>
              client.roleEligibilityScheduleRequests.create(
                urlPathArgument(scope.scope),
                name,
                body,
                attempts.options(signal),
              ),
          ),
        async () => {
          const earlier = await this.reads.request(scope, name);
          return earlier && this.isOwnRequest(earlier, ids) ? earlier : undefined;
        },
      );
      return this.answered(ids, name, answer);
    } catch (error) {
      if (error instanceof PimPolicyRefusal) throw await this.explainRefusal(ids, error);
      throw error;
    }
  }

  /**
   * Azure's policy refusal, explained by the rule where the step can read it; where it cannot and
   * Azure named the expiration rule alone, by what was asked; any other as Azure said it.
   */
  private async explainRefusal(ids: AzureResolvedIds, error: PimPolicyRefusal): Promise<Error> {
    const where = { role: ids.roleId, scope: ids.scope.scope };
    const rule = await this.rule(ids).catch(() => undefined);
    if (rule)
      return eligibilityRefusal({ ...rule, isExpirationRequired: true }, this.duration, where) ?? error;
    return rulesNamedIn(error.message).every((r) => r === 'ExpirationRule')
      ? eligibilityRefusedUnread(error.message, this.duration, where)
      : error;
  }

  /** This grant's AdminAssign, made by the identity the step signs in as (when its token named it). */
  isOwnRequest(request: RoleEligibilityScheduleRequest, ids: AzureResolvedIds): boolean {
    const objectId = this.session.objectId;
    return (
      request.requestType === 'AdminAssign' &&
      request.principalId?.toLowerCase() === ids.principalId.toLowerCase() &&
      request.roleDefinitionId !== undefined &&
      roleGuidOf(request.roleDefinitionId).toLowerCase() === roleGuidOf(ids.roleId).toLowerCase() &&
      (objectId === undefined || request.requestorId?.toLowerCase() === objectId)
    );
  }

  /** The 201 (or the request found under the name): created once Provisioned; followed to its schedule. */
  private answered(
    ids: AzureResolvedIds,
    name: string,
    request: RoleEligibilityScheduleRequest,
  ): WriteOutcome {
    const assignmentId = eligibilityScheduleIdAt(ids.scope, request.targetRoleEligibilityScheduleId);
    return adminAssignOutcome(name, request.status, assignmentId, () => this.follow(ids, name));
  }

  /**
   * One read: the schedule the request made, with its end time, once it shows; until then the
   * request's status (a request ARM no longer returns is judged by the schedule alone).
   */
  private follow(ids: AzureResolvedIds, name: string): () => Promise<StatusSnapshot> {
    return async () => {
      const schedule = (await this.reads.schedulesOf(ids)).find(
        (s) => tailOf(s.roleEligibilityScheduleRequestId) === name,
      );
      if (schedule) {
        const expiresAt = endOf(schedule);
        return { status: 'SUCCEEDED', ...(expiresAt ? { expiresAt } : {}) };
      }
      const request = await this.reads.request(ids.scope, name);
      if (judgePimStatus(request?.status, 'AdminAssign') === 'failed')
        return { status: 'FAILED', failureReason: pimStatusFailure(request?.status, name) };
      return { status: 'IN_PROGRESS' };
    };
  }
}

/** The GUID that ends a request or schedule ID, lower case. */
export const tailOf = (id: string | undefined): string | undefined => id?.split('/').pop()?.toLowerCase();
