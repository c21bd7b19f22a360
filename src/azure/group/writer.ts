// A membership's writes, sent in one place for every path (sendMembershipRequest): an assign's,
// a revoke's and the post step's through the engine's driver (./grant-writes.ts), a reconcile's
// and a sweep's through its write plan (engine/calls/write-plan.ts KindWriter, here and in
// ./sweep.ts). A create is an `adminAssign` with the marker in `justification` and the run in
// `ticketInfo`, a delete an `adminRemove`, each followed to its end (../graph/group-pim.ts); a
// membership that is there already (or gone already) is no failure. A dry run sends nothing: each
// write a row of what it would do.
import type { Duration } from '../../core/duration.js';
import { describeError } from '../../core/errors.js';
import { groupShown } from '../../core/inputs/azure-group-refs.js';
import type { GroupAccessWord, GroupMembershipType } from '../../core/kinds/azure-pim-group.js';
import type { GrantResult } from '../../core/grant-result.js';
import type { KindWriter, PlannedWriteOf, WriteEnded } from '../../engine/calls/write-plan.js';
import { changeRecord } from '../../engine/audit/grant-record.js';
import type { RecordBody } from '../../engine/audit/record.js';
import { runTicket, snapshotOf, type GroupPim, type GroupScheduleRequest } from '../graph/group-pim.js';
import type { GroupPimAction } from '../graph/group-pim-status.js';
import { explainGroupPimError, membershipExists, membershipMissing } from '../graph/group-pim-errors.js';
import { onboardedWarning } from '../graph/group-pim-checks.js';
import { followToInstance, inForceFields } from '../graph/group-pim-instance.js';

/** One membership to make or end, with the words its row shows. */
export interface MembershipWrite {
  type: GroupMembershipType;
  principalId: string;
  groupId: string;
  access: GroupAccessWord;
  duration: Duration | undefined;
  shown: { principal: string; group: string };
}

/** The row of one write: `group: <name>` as its target, `member` or `owner` as its role. */
export function membershipRow(
  write: PlannedWriteOf<MembershipWrite>,
  ended: Pick<GrantResult, 'status' | 'changed'> & Partial<GrantResult>,
): GrantResult {
  const m = write.item;
  const create = write.change === 'create';
  return {
    cloud: 'azure',
    operation: create ? 'assign' : 'revoke',
    principal: m.shown.principal,
    target: groupShown(m.shown.group),
    role: m.access,
    durationMs: 0,
    before: create ? 'absent' : 'present',
    after: ended.status === 'SUCCEEDED' && ended.changed ? (create ? 'present' : 'absent') : 'unknown',
    change: create ? 'create' : 'delete',
    ...(m.type === 'eligible' ? { assignmentType: 'eligible' as const } : {}),
    ...ended,
  };
}

/** The writer of a reconcile's memberships, with the manifest's marker (`cloud-access:…`). */
export function membershipWriter(
  pim: GroupPim,
  marker: string,
  runUrl: string | undefined,
  say: (result: GrantResult) => void,
  dryRun: boolean,
  /** `audit-log`: each write's end recorded, as every reconcile write is. */
  record?: (what: string, record: RecordBody) => void,
  /** Groups the plan's creates onboard to PIM (`pim-onboard: true`), and how a group is named. */
  groups: { onboarding: ReadonlySet<string>; nameOf: (id: string) => string } = {
    onboarding: new Set(),
    nameOf: (id) => id,
  },
): KindWriter<MembershipWrite> {
  const told = (
    write: PlannedWriteOf<MembershipWrite>,
    ended: Parameters<typeof membershipRow>[1],
  ): WriteEnded => {
    const row = membershipRow(write, ended);
    if (!dryRun)
      record?.(
        `${row.change} of ${row.principal} as ${row.role} of ${row.target}`,
        changeRecord(row, write.change === 'create' ? 'reconcile-create' : 'reconcile-delete'),
      );
    say(row);
    return { status: row.status, rows: [row] };
  };
  return {
    async write(write, m) {
      if (dryRun)
        return told(write, {
          status: 'SUCCEEDED',
          changed: false,
          after: write.change === 'create' ? 'absent' : 'present',
        });
      const ended = await sendMembershipWrite(pim, write, m, {
        justification: `Managed by cloud-access [${marker}]`,
        runUrl,
      });
      // A request sent for a group PIM did not manage onboarded it for good, whatever its end (as
      // an assign's does: ./driver.ts): said as a warning of its row.
      const onboarded =
        write.change === 'create' && ended.requestId !== undefined && groups.onboarding.has(m.groupId);
      const name = groups.nameOf(m.groupId);
      const group = name === m.groupId ? name : `${name} (${m.groupId})`;
      if (!onboarded) return told(write, ended);
      const warning = [onboardedWarning(group), ended.warning].filter(Boolean).join('; ');
      return told(write, { ...ended, warning });
    },
    unsent(write, why) {
      const reason =
        'refused' in why
          ? describeError(why.refused)
          : `not started: the ${why.deadline.seconds}s deadline (\`${why.deadline.input}\`) passed before its turn; nothing was requested; ${why.deadline.advice}`;
      const ended = told(write, { status: 'FAILED', changed: false, failureReason: reason });
      return 'refused' in why ? ended : { ...ended, status: 'IN_PROGRESS' };
    },
  };
}

type Ended = Parameters<typeof membershipRow>[1];

/** A membership's request: the adminAssign that makes it or the adminRemove that ends it. */
export interface MembershipRequest {
  action: GroupPimAction;
  type: GroupMembershipType;
  groupId: string;
  principalId: string;
  access: GroupAccessWord;
  /** An adminAssign's: the membership ends this long after it starts; absent, it has no end. */
  duration: Duration | undefined;
  /** Why, with the marker of the run or manifest that sends it. */
  justification: string;
  /** The run's page, in `ticketInfo`. */
  runUrl: string | undefined;
}

/**
 * Graph's answer to a membership's request: the request it took, or that the membership was as
 * asked already (there already for an adminAssign, gone already for an adminRemove).
 */
export type MembershipAnswer = { request: GroupScheduleRequest } | { already: 'present' | 'absent' };

/**
 * The one place a membership's request is sent, for every path that makes or ends one: an assign,
 * a revoke and the post step (./grant-writes.ts, through the engine's driver), a reconcile and a
 * sweep (sendMembershipWrite, through the engine's write plan). A membership there already, or
 * gone already, is what was asked: no failure. Any other error is thrown as Graph gave it, for the
 * path to judge (the driver tells a refusal from no answer; a reconcile's row fails on either).
 */
export async function sendMembershipRequest(pim: GroupPim, r: MembershipRequest): Promise<MembershipAnswer> {
  try {
    const request = await pim.write({
      action: r.action,
      kind: r.type,
      groupId: r.groupId,
      principalId: r.principalId,
      access: r.access,
      ...(r.action === 'adminAssign' && r.duration ? { duration: r.duration } : {}),
      justification: r.justification,
      ...(r.runUrl ? { ticket: runTicket(r.runUrl) } : {}),
    });
    return { request };
  } catch (error) {
    if (r.action === 'adminAssign' ? membershipExists(error) : membershipMissing(error))
      return { already: r.action === 'adminAssign' ? 'present' : 'absent' };
    throw error;
  }
}

/**
 * One adminAssign or adminRemove of a reconcile or a sweep, sent (sendMembershipRequest) and
 * followed to its end: how it ended, as its row says it. `justification` says why, as each writes it.
 */
export async function sendMembershipWrite(
  pim: GroupPim,
  write: Pick<PlannedWriteOf<MembershipWrite>, 'change'>,
  m: Omit<MembershipWrite, 'shown'>,
  { justification, runUrl }: { justification: string; runUrl: string | undefined },
): Promise<Ended> {
  const action = write.change === 'create' ? 'adminAssign' : 'adminRemove';
  const started = Date.now();
  try {
    const answer = await sendMembershipRequest(pim, { action, ...m, justification, runUrl });
    // There already, or gone already, before the write: what the plan wanted holds, and `existed`
    // says so, as for every kind.
    if ('already' in answer)
      return { status: 'SUCCEEDED', changed: false, before: answer.already, after: answer.already };
    const { request } = answer;
    const end = await pim.follow(request, action);
    const { status } = snapshotOf(end);
    // A membership made is followed to the instance PIM put in force, as an assign's is: a
    // reconcile run right after this one reads it there.
    const inForce =
      status === 'SUCCEEDED' && action === 'adminAssign'
        ? await followToInstance(pim, end.request, {
            kind: m.type,
            groupId: m.groupId,
            principalId: m.principalId,
            access: m.access,
          })
        : undefined;
    return {
      status,
      changed: status === 'SUCCEEDED',
      requestId: request.id,
      durationMs: Date.now() - started,
      ...(end.reason ? { failureReason: end.reason } : {}),
      ...(end.verdict === 'awaiting-approval' ? { awaiting: true } : {}),
      ...(inForce ? inForceFields(inForce) : {}),
    };
  } catch (error) {
    const explained = explainGroupPimError(error, { part: m.type, groupId: m.groupId });
    return {
      status: 'FAILED',
      changed: false,
      failureReason: describeError(explained),
      durationMs: Date.now() - started,
    };
  }
}
