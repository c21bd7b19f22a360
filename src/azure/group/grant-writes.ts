// A grant's writes of a membership through PIM for groups (./driver.ts): the adminAssign that
// makes it and the adminRemove that ends it, the run's marker in `justification` and the run in
// `ticketInfo`, each sent where every path sends one (./writer.ts, sendMembershipRequest) and its
// answer followed to its terminal status by the engine. Apart from the driver, which finds a
// grant's group and membership and says what a write would do: this is what each answer makes of
// the grant.
import { azureRunMarkerOf } from '../../core/run-marks.js';
import { describeError } from '../../core/errors.js';
import type { AzureSettings } from '../../core/inputs/index.js';
import type { AzureGroupIds } from '../../core/types.js';
import type { WriteOutcome } from '../../engine/calls/driver.js';
import type { Directory } from '../graph/directory.js';
import { explainGroupPimError, graphErrorOf } from '../graph/group-pim-errors.js';
import {
  endOf,
  groupPimOf,
  snapshotOf,
  type GroupMembershipKind,
  type GroupScheduleRequest,
} from '../graph/group-pim.js';
import type { GroupPimAction } from '../graph/group-pim-status.js';
import { followToInstance, inForceFields } from '../graph/group-pim-instance.js';
import { sendMembershipRequest, type MembershipRequest } from './writer.js';

/** The schedule an adminRemove ended, as its request names it. */
const removedSchedule = (request: GroupScheduleRequest) =>
  request.targetScheduleId ? { assignmentId: request.targetScheduleId } : {};

export class GroupGrantWrites {
  constructor(
    private readonly kind: GroupMembershipKind,
    private readonly settings: AzureSettings,
    private readonly directory: Directory,
  ) {}

  private get pim() {
    return groupPimOf(this.directory);
  }

  /** The adminAssign, for `duration` when given; a membership there already is no failure. */
  async create(ids: AzureGroupIds): Promise<WriteOutcome> {
    const { duration } = this.settings;
    const expiresAt = duration ? Math.floor((Date.now() + duration.ms) / 1000) : undefined;
    try {
      const answer = await sendMembershipRequest(this.pim, this.requestOf('adminAssign', ids, expiresAt));
      if ('already' in answer)
        return { kind: 'done', changed: false, note: 'Graph answered that the membership exists already' };
      return this.outcome(answer.request, 'adminAssign', ids);
    } catch (error) {
      return this.refused(error, ids);
    }
  }

  /** The adminRemove; a membership gone already is no failure. */
  async remove(ids: AzureGroupIds): Promise<WriteOutcome> {
    try {
      const answer = await sendMembershipRequest(this.pim, this.requestOf('adminRemove', ids));
      if ('already' in answer)
        return { kind: 'done', changed: false, note: 'Graph answered that the membership is not there' };
      return this.outcome(answer.request, 'adminRemove', ids);
    } catch (error) {
      return this.refused(error, ids);
    }
  }

  /**
   * A request Graph answered with a refusal made nothing: the grant fails with Graph's code and
   * message (a missing permission named). Any other error (no answer came) is the engine's to judge.
   */
  private refused(error: unknown, ids: AzureGroupIds): WriteOutcome {
    const graph = graphErrorOf(error);
    const explained = explainGroupPimError(error, { part: this.kind, groupId: ids.groupId });
    if (!graph) throw explained;
    return { kind: 'failed', failureReason: describeError(explained) };
  }

  /**
   * A request's outcome: ended, or pending with a read that follows it (the engine paces it). An
   * adminAssign's success is followed to the schedule instance it put in force, whose ID and end
   * are the grant's (../graph/group-pim-instance.ts); an adminRemove's names the schedule it ended.
   */
  private async outcome(
    request: GroupScheduleRequest,
    action: GroupPimAction,
    ids: AzureGroupIds,
  ): Promise<WriteOutcome> {
    ids.name = request.id;
    const end = endOf(request, action);
    const ended = action === 'adminRemove' ? removedSchedule(request) : undefined;
    if (end.verdict === 'succeeded')
      return {
        kind: 'done',
        changed: true,
        requestId: request.id,
        ...(ended ?? (await this.inForce(request, ids))),
      };
    if (end.verdict === 'failed')
      return { kind: 'failed', requestId: request.id, failureReason: end.reason! };
    return {
      kind: 'pending',
      request: {
        requestId: request.id,
        ...ended,
        createdOnAcceptance: false,
        poll: async () => {
          const read = await this.pim.read(this.kind, request.id);
          const snapshot = snapshotOf(endOf(read, action));
          if (snapshot.status !== 'SUCCEEDED' || ended) return snapshot;
          // What is in force says when it ends, not the request's asking.
          const { expiresAt: _asked, ...succeeded } = snapshot;
          return { ...succeeded, ...(await this.inForce(read, ids)) };
        },
      },
    };
  }

  /** What an adminAssign put in force: its instance's ID and end, or a warning saying it was not found. */
  private async inForce(
    request: GroupScheduleRequest,
    ids: AzureGroupIds,
  ): Promise<{ assignmentId?: string; expiresAt?: string; warning?: string }> {
    return inForceFields(
      await followToInstance(this.pim, request, {
        kind: this.kind,
        groupId: ids.groupId,
        principalId: ids.principalId,
        access: ids.roleId,
      }),
    );
  }

  /** The request: the run's marker in `justification`, the run in `ticketInfo`. */
  private requestOf(action: GroupPimAction, ids: AzureGroupIds, expiresAt?: number): MembershipRequest {
    const { duration, description } = this.settings;
    const mark = this.settings.groups?.mark;
    const marker = !mark
      ? undefined
      : mark.ephemeral
        ? azureRunMarkerOf({ ...mark, ...(expiresAt ? { expiresAt } : {}) })
        : `cloud-access:${mark.repository}:run:${mark.runId}:${mark.attempt}`;
    return {
      action,
      type: this.kind,
      groupId: ids.groupId,
      principalId: ids.principalId,
      access: ids.roleId,
      duration,
      justification: marker ? `${description} [${marker}]` : description,
      runUrl: this.settings.groups?.runUrl,
    };
  }
}
