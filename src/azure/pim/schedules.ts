// The PIM reads of a time-bound grant: the assignment active now (a schedule instance, with its end
// time), a request still pending, and, for the post step, which active instance is this step's own
// (the pure judgement is own-instance.ts; here, the reads it judges).
import type { RoleAssignmentScheduleInstance, RoleAssignmentScheduleRequest } from '@azure/arm-authorization';
import type { AzureScope } from '../../core/azure-scope.js';
import type { Duration } from '../../core/duration.js';
import { GUID } from '../../core/patterns.js';
import type { AzureResolvedIds } from '../../core/types.js';
import type { ExistingAssignment } from '../../engine/calls/driver.js';
import { matches } from '../arm/roles.js';
import type { ArmSession } from '../arm/session.js';
import { activeNow, guidAtEnd, isOwnRequest, sameAssignment, type ActiveNow } from './own-instance.js';
import { judgePimStatus } from './status.js';

/**
 * How long the post step reads again for its own instance before it concludes that the instance
 * has ended (at most half of what is left of its deadline): ARM's reads catch up with a write
 * within seconds, and the post step may follow the main step's create closely.
 */
const OWN_INSTANCE_READ_LAG_MS = 5_000;
const READ_AGAIN_EVERY_MS = 1_000;

export class PimSchedules {
  /** Post step: this step's own AdminAssign requests by name, once read with the schedule they created. */
  private readonly ownRequests = new Map<string, RoleAssignmentScheduleRequest>();

  constructor(
    private readonly session: ArmSession,
    /** The `duration` asked for, which an assignment found active was not given. */
    private readonly duration: Duration,
  ) {}

  /** The assignment active now, from the schedule instances (which carry the end time), else the plain list. */
  async findActive(scope: AzureScope, ids: AzureResolvedIds): Promise<ExistingAssignment | undefined> {
    const instance = await this.activeInstance(scope, ids, { shared: true });
    if (instance) {
      const expiresAt = isoOf(instance.endDateTime);
      const assignmentId = scheduleIdAt(scope, instance.roleAssignmentScheduleId);
      return {
        ...(assignmentId ? { assignmentId } : {}),
        ...(expiresAt ? { expiresAt } : {}),
        note: this.alreadyActive(expiresAt),
      };
    }
    // Permanent assignments made outside PIM are listed as instances too ("a one-to-one mapping"),
    // but a service that does not list them must not make the step think the grant absent.
    const plain = (await this.session.reads.sharedAssignmentsFor(scope, ids.principalId)).find((a) =>
      matches(a, ids),
    );
    return plain
      ? { ...(plain.id ? { assignmentId: plain.id } : {}), note: this.alreadyActive(undefined) }
      : undefined;
  }

  /** An AdminAssign of the grant that has not made the assignment yet (awaiting approval, say). */
  async pendingAssign(scope: AzureScope, ids: AzureResolvedIds): Promise<ExistingAssignment | undefined> {
    const pending = (await this.session.reads.scheduleRequestsFor(scope, ids.principalId)).find(
      (r) =>
        r.requestType === 'AdminAssign' &&
        r.name !== undefined &&
        GUID.test(r.name) &&
        sameAssignment({ ...r, memberType: undefined }, ids) &&
        ['pending', 'awaiting-approval'].includes(judgePimStatus(r.status, 'AdminAssign')),
    );
    return pending?.name
      ? { pendingRequest: { name: pending.name, status: pending.status ?? 'pending' } }
      : undefined;
  }

  /**
   * The grant's schedule instance active now (its end time, and the schedule that made it), read
   * afresh, or `shared` with the other grants of the principal at the scope (reads before writes).
   */
  async activeInstance(
    scope: AzureScope,
    ids: AzureResolvedIds,
    options: { shared?: boolean } = {},
  ): Promise<RoleAssignmentScheduleInstance | undefined> {
    const instances = options.shared
      ? await this.session.reads.sharedScheduleInstancesFor(scope, ids.principalId)
      : await this.session.reads.scheduleInstancesFor(scope, ids.principalId);
    return instances.find((i) => sameAssignment(i, ids));
  }

  /** What the log says of an assignment found active: until when, and that `duration` was not applied to it. */
  alreadyActive(expiresAt: string | undefined): string {
    return `an active assignment exists already, ${expiresAt ? `until ${expiresAt}` : 'permanently (no end time)'}; the requested duration ${this.duration.iso} was not applied`;
  }

  /** Whether a request is this step's AdminAssign of the grant (own-instance.ts). */
  isOwnRequest(request: RoleAssignmentScheduleRequest, ids: AzureResolvedIds): boolean {
    return isOwnRequest(request, ids, this.session.objectId);
  }

  /**
   * Post step: the grant as the reads show it now, this step's own instance told apart by the
   * schedule its request created. That request is read by name once it names its schedule.
   */
  async activeNow(scope: AzureScope, ids: AzureResolvedIds, requestName: string): Promise<ActiveNow> {
    let request = this.ownRequests.get(requestName);
    if (!request) {
      const read = await this.session.reads.scheduleRequest(scope, requestName);
      if (read && this.isOwnRequest(read, ids)) {
        request = read;
        if (guidAtEnd(read.targetRoleAssignmentScheduleId)) this.ownRequests.set(requestName, read);
      }
    }
    const [schedules, instances] = await Promise.all([
      this.session.reads.schedulesFor(scope, ids.principalId),
      this.session.reads.scheduleInstancesFor(scope, ids.principalId),
    ]);
    return activeNow(ids, requestName, request, schedules, instances);
  }

  /**
   * activeNow, read again for a few seconds while nothing of the grant is shown at all: reads may
   * not show this step's own instance yet. Anything shown settles it at once (one active
   * assignment per principal, role and scope).
   */
  async ownInstanceShown(scope: AzureScope, ids: AzureResolvedIds, requestName: string): Promise<ActiveNow> {
    const until = Date.now() + Math.min(OWN_INSTANCE_READ_LAG_MS, this.session.deadline.remainingMs() / 2);
    let shown = await this.activeNow(scope, ids, requestName);
    while (!shown.own && !shown.othersShown && Date.now() + READ_AGAIN_EVERY_MS <= until) {
      if (!(await this.session.sleep(READ_AGAIN_EVERY_MS))) break;
      shown = await this.activeNow(scope, ids, requestName);
    }
    return shown;
  }
}

/**
 * The `assignment-id` of a schedule: built from the scope as written and the GUID that ends the
 * ID Azure gave (a bare GUID in the examples, a full ID elsewhere), never that text as it is; a
 * workflow may pass the output on to a command.
 */
export function scheduleIdAt(scope: AzureScope, scheduleId: string | undefined): string | undefined {
  const guid = scheduleId?.split('/').pop();
  return guid && GUID.test(guid)
    ? `${scope.scope}/providers/Microsoft.Authorization/roleAssignmentSchedules/${guid}`
    : undefined;
}

/** A date Azure answered, as ISO 8601 UTC; undefined when it is missing or not a date. */
export function isoOf(date: Date | undefined): string | undefined {
  return date instanceof Date && !Number.isNaN(date.getTime()) ? date.toISOString() : undefined;
}
