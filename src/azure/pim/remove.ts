// Ending a time-bound assignment through a PIM AdminRemove request. An AdminRemove names only
// principal, role and scope, so Azure ends whatever is active for them: the post step sends one
// only while the instance active now is the one its own AdminAssign made, and checks again before
// each retry. Azure refuses to end an assignment in its first 5 minutes (ActiveDurationTooShort);
// it ends on time anyway, and the step says so rather than failing.
import type { RoleAssignmentScheduleInstance, RoleAssignmentScheduleRequest } from '@azure/arm-authorization';
import { randomUUID } from 'node:crypto';
import type { AzureScope } from '../../core/azure-scope.js';
import { CloudAccessError } from '../../core/errors.js';
import type { AzureWriteOptions } from '../../core/inputs/index.js';
import type { AzureResolvedIds } from '../../core/types.js';
import type { ExistingAssignment, WriteOutcome, WritePreview } from '../../engine/calls/driver.js';
import type { StatusSnapshot } from '../../engine/calls/status.js';
import { ActiveDurationTooShortError, ArmError, requestIdOf } from '../sdk/arm-errors.js';
import type { ArmSession } from '../arm/session.js';
import { urlPathArgument } from '../arm/clients.js';
import { cancelPending } from './cancel.js';
import type { ActiveNow } from './own-instance.js';
import { isoOf, type PimSchedules } from './schedules.js';
import { judgePimStatus, pimPacing, pimStatusFailure } from './status.js';

/** Dry run of a revoke: what it would end (or cancel). */
export function previewRemove(existing: ExistingAssignment | undefined): WritePreview {
  if (existing?.pendingRequest)
    return {
      note: `would cancel PIM request ${existing.pendingRequest.name} (${existing.pendingRequest.status})`,
    };
  return existing?.expiresAt
    ? { note: `would end the assignment active until ${existing.expiresAt}` }
    : { note: 'would end the assignment (permanent)' };
}

export class PimRemove {
  constructor(
    private readonly settings: AzureWriteOptions,
    private readonly session: ArmSession,
    private readonly schedules: PimSchedules,
  ) {}

  async remove(ids: AzureResolvedIds, existing: ExistingAssignment | undefined): Promise<WriteOutcome> {
    const scope = ids.scope;
    if (existing?.pendingRequest) return cancelPending(this.session, scope, existing.pendingRequest);
    // The post step (saved IDs name this step's request): AdminRemove names only principal, role
    // and scope, so it is sent only while the instance active now is the one that request made.
    // What findExisting saw does not say whose it is, and may miss what reads do not show yet.
    const ownRequest = ids.name;
    let own: RoleAssignmentScheduleInstance | undefined;
    if (ownRequest !== undefined) {
      const shown = await this.schedules.ownInstanceShown(scope, ids, ownRequest);
      if (!shown.own || shown.othersShown) return this.notOwn(ownRequest, shown, { readAgain: true });
      own = shown.own;
    }
    const body: RoleAssignmentScheduleRequest = {
      principalId: ids.principalId,
      roleDefinitionId: ids.roleId,
      requestType: 'AdminRemove',
      // Cut by whole characters: half an emoji would not be valid JSON text for Azure.
      justification: Array.from(`Removed by cloud-access. ${this.settings.description}`)
        .slice(0, 2048)
        .join(''),
    };
    let name = '';
    let attempts = 0;
    try {
      // ActiveDurationTooShort is retried, slowly, until the deadline would pass (../sdk/arm-errors.ts): for
      // minutes, in which this step's assignment may end and the role be assigned again. So each
      // retry in the post step checks again first, with what is active now. No read lag to wait
      // out here: this step's instance was shown before the first send, so not shown now is ended.
      const request = await this.session.send(
        'RoleAssignmentScheduleRequests_Create',
        scope,
        async (client, signal) => {
          if (ownRequest !== undefined && attempts++ > 0) {
            const shown = await this.schedules.activeNow(scope, ids, ownRequest);
            if (!shown.own || shown.othersShown)
              throw new NoLongerThisStepsError(this.notOwn(ownRequest, shown));
            own = shown.own;
          }
          name = randomUUID();
          return client.roleAssignmentScheduleRequests.create(urlPathArgument(scope.scope), name, body, {
            abortSignal: signal,
          });
        },
      );
      switch (judgePimStatus(request.status, 'AdminRemove')) {
        case 'failed':
          return { kind: 'failed', requestId: name, failureReason: pimStatusFailure(request.status, name) };
        case 'succeeded':
          return { kind: 'done', requestId: name, changed: true };
        default:
          return {
            kind: 'pending',
            request: { requestId: name, poll: this.followRemove(scope, name), pacing: pimPacing('remove') },
          };
      }
    } catch (error) {
      if (error instanceof NoLongerThisStepsError) return error.outcome;
      if (error instanceof ArmError && error.code === 'RoleAssignmentDoesNotExist')
        return { kind: 'done', changed: false, ...requestIdOf(error) };
      if (error instanceof ActiveDurationTooShortError) {
        if (ownRequest === undefined)
          return this.endsOnItsOwn(
            error,
            existing?.expiresAt ??
              isoOf((await this.schedules.activeInstance(scope, ids).catch(() => undefined))?.endDateTime),
          );
        // Azure refused to end whatever is active for the role and scope: said to end on its own
        // only of this step's instance, read once more (the last check came before the last send).
        const shown = await this.schedules.activeNow(scope, ids, ownRequest).catch(() => undefined);
        if (shown && (!shown.own || shown.othersShown)) return this.notOwn(ownRequest, shown);
        return this.endsOnItsOwn(error, isoOf((shown?.own ?? own)?.endDateTime));
      }
      throw error;
    }
  }

  private followRemove(scope: AzureScope, name: string): () => Promise<StatusSnapshot> {
    return async () => {
      const request = await this.session.reads.scheduleRequest(scope, name);
      switch (judgePimStatus(request?.status, 'AdminRemove')) {
        case 'succeeded':
          return { status: 'SUCCEEDED' };
        case 'failed':
          return { status: 'FAILED', failureReason: pimStatusFailure(request?.status, name) };
        default:
          return { status: 'IN_PROGRESS' };
      }
    };
  }

  /**
   * Post step: nothing is sent, as the reads do not show this step's own instance alone. Its own
   * extended (its end later than its request asked, or none) is kept by whoever extended it. One made
   * otherwise, shown beside it or instead of it, is someone else's (this step's ended, and the role
   * was assigned again). Nothing shown at all: this step's has ended, and an AdminRemove could
   * still end another party's assignment that reads do not show yet.
   */
  private notOwn(requestName: string, shown: ActiveNow, options: { readAgain?: boolean } = {}): WriteOutcome {
    if (shown.extended)
      return {
        kind: 'done',
        changed: false,
        after: 'present',
        note: `left in place: the assignment this step's PIM request (${requestName}) made ${shown.extended}, and an AdminRemove would end what was kept on purpose`,
      };
    if (shown.own && shown.othersShown)
      return {
        kind: 'done',
        changed: false,
        after: 'present',
        note: `left in place: Azure shows another assignment of the same principal, role and scope beside the one this step's PIM request (${requestName}) made, and an AdminRemove, which names only those, could end either`,
      };
    if (shown.othersShown)
      return {
        kind: 'done',
        changed: false,
        after: 'present',
        note: `left in place: Azure does not show the assignment active now as made by this step's PIM request (${requestName}); this step's ended, and the role was assigned again by another PIM request or outside PIM`,
      };
    return {
      kind: 'done',
      changed: false,
      after: 'absent',
      note: `nothing removed: Azure shows no active assignment made by this step's PIM request (${requestName})${options.readAgain ? ', also when read again' : ''}: this step's assignment has already ended. No AdminRemove was sent: it names only principal, role and scope, and Azure would end whatever is active for them, which may be another party's assignment that reads do not show yet`,
    };
  }

  /**
   * ActiveDurationTooShort until the deadline: Azure would not remove it yet. It is time-bound, so
   * Azure ends it on time anyway; the step reports when, and does not fail for it. In the post
   * step, only of an instance shown as this step's own.
   */
  private endsOnItsOwn(error: ActiveDurationTooShortError, expiresAt: string | undefined): WriteOutcome {
    const { deadline } = this.session;
    return {
      kind: 'done',
      changed: false,
      after: 'present',
      endsOnItsOwn: true,
      ...requestIdOf(error),
      ...(expiresAt ? { expiresAt } : {}),
      note: `not removed: Azure PIM refuses to end an assignment within 5 minutes of its start (ActiveDurationTooShort), and it still did when \`${deadline.input}\` (${deadline.seconds}s) ran out. It is time-bound: Azure ends it ${expiresAt ? `at ${expiresAt}` : 'at its end time'}`,
    };
  }
}

/** Ends the retries of a removal once the assignment it would end is no longer this step's (`outcome` says so). */
class NoLongerThisStepsError extends CloudAccessError {
  constructor(readonly outcome: WriteOutcome) {
    super('the assignment is no longer the one this step made');
  }
}
