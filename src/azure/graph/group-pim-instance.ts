// What an adminAssign put in force: once its schedule request ends in success, the schedule
// instance PIM made of it (`…ScheduleInstances`), whose `id` and `endDateTime` are what the step
// reports as `assignment-id` and `expires-at`. The request only says what was asked; the instance
// is what holds. Graph lists instances only under a `groupId` (or `principalId`) `eq` filter and
// takes `eq` on `principalId` and `accessId` too, so one query names the membership; the instance
// is the one of the request's schedule: its `assignmentScheduleId` / `eligibilityScheduleId` is the
// request's `targetScheduleId`, or, where Graph gave the schedule an ID of its own, the ID of the
// schedule whose `createdUsing` is the request (a second read, made only then). It may appear a
// moment after the request ends: read again, as a request is, for at most INSTANCE_WAIT_MS (or
// until the step's deadline, when sooner); a read Graph refuses ends the wait at once (its calls
// already waited out throttling), so evidence never costs the step its deadline.
import { describeError } from '../../core/errors.js';
import { heldDirectly, membershipOf, type GroupMembershipRecord } from './group-pim-reads.js';
import {
  COLLECTION,
  GroupPim,
  GROUP_PIM_BASE,
  objectIdOf,
  type GroupAccess,
  type GroupMembershipKind,
  type GroupScheduleRequest,
} from './group-pim.js';

/** The membership an adminAssign asked for, as the step sent it (not as Graph's answer names it). */
export interface AskedMembership {
  kind: GroupMembershipKind;
  groupId: string;
  principalId: string;
  access: GroupAccess;
}

/** The instance found (its ID, its end; none: no end), or what is missing, in words. */
export type InstanceFollowed =
  { found: true; id: string; end: string | undefined } | { found: false; missing: string };

/** How long an instance is waited for after its request ended in success. */
export const INSTANCE_WAIT_MS = 60_000;

/**
 * Reads the instance of `request`'s membership until it appears, INSTANCE_WAIT_MS pass or the
 * deadline comes; when it does not, says what is missing (never a value made up from the request).
 */
export async function followToInstance(
  pim: GroupPim,
  request: GroupScheduleRequest,
  asked: AskedMembership,
): Promise<InstanceFollowed> {
  const collection = `${COLLECTION[asked.kind]}ScheduleInstances`;
  let lastError: unknown;
  const until = Date.now() + Math.min(INSTANCE_WAIT_MS, pim.deadline.remainingMs());
  for (let waitMs = GroupPim.FIRST_POLL_MS; ; waitMs = Math.min(waitMs * 1.5, 5_000)) {
    try {
      const instance = await readRequestInstance(pim, request, asked);
      if (instance) return { found: true, id: instance.id, end: instance.end };
    } catch (error) {
      lastError = error;
      break;
    }
    if (Date.now() + waitMs >= until || !(await pim.deadline.sleep(waitMs, pim.signal))) break;
  }
  const why = lastError
    ? `its read failed: ${describeError(lastError).slice(0, 300)}`
    : pim.signal?.aborted
      ? 'the step was cancelled while it waited'
      : `Graph listed none within the wait for it (at most ${INSTANCE_WAIT_MS / 1000} s, within \`${pim.deadline.input}\`)`;
  return {
    found: false,
    missing: `PIM for groups request ${request.id} ended ${request.status ?? 'in success'}, but the schedule instance it put in force was not found in ${collection} (${why}): \`assignment-id\` and \`expires-at\` are left empty rather than taken from the request; the membership's instance is in Privileged Identity Management → Groups → the group's assignments`,
  };
}

/** What a grant's result takes of it: the instance's ID and end, or the warning of what is missing. */
export const inForceFields = (
  followed: InstanceFollowed,
): { assignmentId?: string; expiresAt?: string; warning?: string } =>
  followed.found
    ? { assignmentId: followed.id, ...(followed.end ? { expiresAt: followed.end } : {}) }
    : { warning: followed.missing };

/** One read of the instance of `request`'s membership: the one of its schedule, or undefined. */
export async function readRequestInstance(
  pim: GroupPim,
  request: GroupScheduleRequest,
  asked: AskedMembership,
): Promise<GroupMembershipRecord | undefined> {
  const groupId = objectIdOf(asked.groupId, 'group');
  const principalId = objectIdOf(asked.principalId, 'principal');
  const filter = `groupId eq '${groupId}' and principalId eq '${principalId}' and accessId eq '${asked.access}'`;
  const answer = (await pim.calls.run([{ id: '0', path: pathOf(asked.kind, 'Instances', filter) }])).get(
    '0',
  )!;
  if (!answer.ok) throw answer.failure;
  const own = answer.items
    .map((item) => membershipOf(item, asked.kind))
    .filter(
      (m) =>
        m.groupId === groupId &&
        m.principalId === principalId &&
        m.access === asked.access &&
        m.accessUnknown === undefined &&
        heldDirectly(m),
    );
  if (own.length === 0) return undefined;
  const target = request.targetScheduleId?.toLowerCase();
  const byTarget = own.find((m) => target !== undefined && m.scheduleId?.toLowerCase() === target);
  if (byTarget) return byTarget;
  const scheduleId = await scheduleMadeBy(pim, request, asked.kind, groupId);
  return scheduleId === undefined ? undefined : own.find((m) => m.scheduleId?.toLowerCase() === scheduleId);
}

/** The ID (lower case) of the group's schedule whose `createdUsing` is the request, or undefined. */
async function scheduleMadeBy(
  pim: GroupPim,
  request: GroupScheduleRequest,
  kind: GroupMembershipKind,
  groupId: string,
): Promise<string | undefined> {
  const requestId = objectIdOf(request.id, 'request');
  const filter = `groupId eq '${groupId}' and createdUsing eq '${requestId}'`;
  const answer = (await pim.calls.run([{ id: '0', path: pathOf(kind, 's', filter) }])).get('0')!;
  if (!answer.ok) throw answer.failure;
  const made = answer.items.find(
    (s) => typeof s.createdUsing === 'string' && s.createdUsing.toLowerCase() === requestId,
  );
  return typeof made?.id === 'string' ? made.id.toLowerCase() : undefined;
}

const pathOf = (kind: GroupMembershipKind, what: 'Instances' | 's', filter: string) =>
  `${GROUP_PIM_BASE}/${COLLECTION[kind]}Schedule${what}?$filter=${encodeURIComponent(filter)}`;
