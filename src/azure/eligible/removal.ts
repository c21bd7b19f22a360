// Ending a PIM eligibility: the AdminRemove, and Azure's refusal to end one within 5 minutes of its
// start (ActiveDurationTooShort), which the step answers before sending when those 5 minutes
// outlast its deadline. Apart from the AdminAssign (writes.ts) because nothing of the assign's
// naming, policy or following is used here: ARM names a removal by principal, role and scope only.
// The driver (driver.ts) sends it only for a schedule whose request this repository's runs made.
import type { RoleEligibilityScheduleRequest } from '@azure/arm-authorization';
import { randomUUID } from 'node:crypto';
import type { AzureResolvedIds } from '../../core/types.js';
import type { WriteOutcome } from '../../engine/calls/driver.js';
import { ActiveDurationTooShortError, ArmError } from '../sdk/arm-errors.js';
import type { ArmSession } from '../arm/session.js';
import { urlPathArgument } from '../arm/clients.js';
import { requestRoleIdOf, type EligibilityReads } from './reads.js';
import type { EligibleSettings } from './writes.js';
import { judgePimStatus, pimPacing, pimStatusFailure } from '../pim/status.js';

export class EligibilityRemoval {
  constructor(
    private readonly settings: EligibleSettings,
    private readonly session: ArmSession,
    private readonly reads: EligibilityReads,
  ) {}

  /**
   * The AdminRemove of the grant's eligibility (ARM names it by principal, role and scope only).
   * Azure refuses it in the eligibility's first 5 minutes from `startedAt`: when those end after
   * the step's deadline, nothing is sent and the step leaves at once, saying until when it lasts.
   */
  async remove(
    ids: AzureResolvedIds,
    expiresAt: string | undefined,
    startedAt?: number,
  ): Promise<WriteOutcome> {
    const removableFrom = startedAt === undefined ? undefined : startedAt + PIM_REMOVAL_FLOOR_MS;
    if (removableFrom !== undefined && removableFrom > this.session.deadline.endsAt)
      return this.notBeforeTheFloor(new Date(removableFrom).toISOString(), expiresAt);
    const scope = ids.scope;
    const body: RoleEligibilityScheduleRequest = {
      principalId: ids.principalId,
      roleDefinitionId: requestRoleIdOf(ids),
      requestType: 'AdminRemove',
      justification: Array.from(`Removed by cloud-access. ${this.settings.description}`)
        .slice(0, 2048)
        .join(''),
    };
    const name = randomUUID();
    try {
      const request = await this.session.send(
        'RoleEligibilityScheduleRequests_Create',
        scope,
        (client, signal) =>
          client.roleEligibilityScheduleRequests.create(urlPathArgument(scope.scope), name, body, {
            abortSignal: signal,
          }),
      );
      if (judgePimStatus(request.status, 'AdminRemove') === 'failed')
        return { kind: 'failed', requestId: name, failureReason: pimStatusFailure(request.status, name) };
      return {
        kind: 'pending',
        request: {
          requestId: name,
          poll: async () =>
            (await this.reads.schedulesOf(ids)).length === 0
              ? { status: 'SUCCEEDED' }
              : { status: 'IN_PROGRESS' },
          pacing: pimPacing('remove'),
        },
      };
    } catch (error) {
      if (error instanceof ArmError && error.code === 'RoleAssignmentDoesNotExist')
        return { kind: 'done', changed: false, requestId: name };
      // Azure would not end it yet, until the deadline: one with an end ends then anyway.
      if (error instanceof ActiveDurationTooShortError && expiresAt)
        return endsOnItsOwn(
          expiresAt,
          `not removed: Azure PIM refuses to end an eligibility within 5 minutes of its start (ActiveDurationTooShort), and still did when \`${this.session.deadline.input}\` (${this.session.deadline.seconds}s) ran out; Azure ends it at ${expiresAt}`,
        );
      throw error;
    }
  }

  /**
   * Azure would refuse the AdminRemove until `removableFrom`, which comes after the deadline: no
   * waiting for nothing. An eligibility with an end lasts until it; one without fails, naming when
   * it can be removed by hand.
   */
  private notBeforeTheFloor(removableFrom: string, expiresAt: string | undefined): WriteOutcome {
    const { input, seconds } = this.session.deadline;
    const why = `Azure PIM ends no eligibility within 5 minutes of its start (ActiveDurationTooShort until ${removableFrom}), which is after \`${input}\` (${seconds}s) runs out, so the step did not wait for it`;
    if (!expiresAt)
      return {
        kind: 'failed',
        failureReason: `not removed: ${why}; remove the eligibility by hand after ${removableFrom}`,
      };
    return endsOnItsOwn(
      expiresAt,
      `not removed: ${why}. The eligibility lasts until ${expiresAt}, when Azure ends it; to end it sooner, remove it by hand after ${removableFrom}`,
    );
  }
}

/** Not removed, and left in place: Azure ends the eligibility at `expiresAt` (`note` says why). */
function endsOnItsOwn(expiresAt: string, note: string): WriteOutcome {
  return { kind: 'done', changed: false, after: 'present', endsOnItsOwn: true, expiresAt, note };
}

/**
 * Azure PIM ends no eligibility within 5 minutes of its start (ActiveDurationTooShort): terraform's
 * pim_eligible_role_assignment_resource.go retries its Delete for that long.
 */
export const PIM_REMOVAL_FLOOR_MS = 5 * 60_000;
