// A sweep's memberships of the `group:` targets (PIM for groups): each membership an identity of
// `created-by` made with a run's ephemeral marker in its request's `justification` is weighed as
// every claim is (core/claims/live.ts); one whose claim has ended (its `duration` passed, or its run
// ended) is ended with an `adminRemove`, followed to its end, through the engine's one write path
// and the one place a membership is written (./writer.ts). One whose request Graph no longer
// returns is unproven: left, and said. Anything else is not the action's to end. A dry run says what
// it would end and sends nothing.
import { claimVerdict, runsDecidingVerdicts } from '../../core/claims/live.js';
import { describeError } from '../../core/errors.js';
import { groupShown, type AzureGroupRef } from '../../core/inputs/azure-group-refs.js';
import type { ReadRuns } from '../../engine/calls/driver.js';
import type { SweepUpkeep } from '../../engine/run/sweeper.js';
import type { AuditTrail } from '../../engine/audit/trail.js';
import { changeRecord } from '../../engine/audit/grant-record.js';
import type { GrantResult } from '../../core/grant-result.js';
import type { Directory } from '../graph/directory.js';
import { groupHeld, type GroupJudge } from './held.js';
import { readHoldingsOf, type GroupHolding } from './holdings.js';
import { groupPimOf, type GroupPim } from '../graph/group-pim.js';
import { AZURE_GROUP_ACTIVE, AZURE_GROUP_ELIGIBLE } from '../../core/kinds/azure-pim-group.js';
import type { KindWriter, WriteEnded } from '../../engine/calls/write-plan.js';
import { runWrites } from '../../engine/run/run-writes.js';
import { sendMembershipWrite } from './writer.js';

export interface GroupSweepOptions {
  judge: GroupJudge;
  readRuns?: ReadRuns | undefined;
  now: number;
}

export interface GroupEndOptions {
  dryRun: boolean;
  /** `audit-log`: no end is sent before the step's first record, and each is recorded. */
  audit?: AuditTrail | undefined;
}

/** What a sweep of groups read and weighed: the memberships whose claim has ended, and what it says of the rest. */
export interface GroupSweepPlan {
  lines: string[];
  ending: GroupHolding[];
  /**
   * The `plan` output's `groupMemberships`: the action's run claims weighed, as the sweep's own
   * counts weigh its grants' (`end`: their claim has ended; `running`: a run still holds it;
   * `unknown`: its run could not be read now; `unproven`: whose it is, or its run, is not proven).
   */
  counts: { end: number; running: number; unknown: number; unproven: number };
}

const described = (h: GroupHolding) =>
  `${h.membership.principalId} as ${h.membership.kind} ${h.membership.access} of ${groupShown(h.membership.groupId)}`;

/** The ended ephemeral memberships of `groups` ended; the rest left, the unproven said. */
export async function sweepGroups(
  directory: Directory,
  groups: readonly AzureGroupRef[],
  options: GroupSweepOptions & GroupEndOptions,
): Promise<SweepUpkeep> {
  return endGroupMemberships(directory, await planGroupSweep(directory, groups, options), options);
}

/**
 * The memberships of `groups` read and weighed, nothing written: those whose claim has ended are
 * to end (they count toward `max-deletions` with the revokes); the rest left, the unproven said.
 */
export async function planGroupSweep(
  directory: Directory,
  groups: readonly AzureGroupRef[],
  options: GroupSweepOptions,
): Promise<GroupSweepPlan> {
  const { ids, holdings, unread } = await readHoldingsOf(directory, groups);
  const lines = [
    `Microsoft Graph: ${holdings.length} PIM for groups membership(s) of ${ids.length} group(s) read`,
    ...[...unread].map(
      ([id, why]) => `the memberships of group ${id} could not be read (${why}): none of them is swept`,
    ),
    ...holdings
      .filter((h) => h.unproven)
      .map((h) => `left: ${described(h)}: ${h.unproven}, so who made it is not proven`),
  ];
  const claimed = holdings.flatMap((h) => {
    const claim = h.unproven ? undefined : groupHeld(h, new Map(), options.judge).runClaim;
    return claim ? [{ h, claim }] : [];
  });
  const asked = runsDecidingVerdicts(
    claimed.map((c) => c.claim),
    options.now,
  );
  const states = asked.length > 0 && options.readRuns ? await options.readRuns(asked) : new Map();
  const ending: GroupHolding[] = [];
  const counts = { end: 0, running: 0, unknown: 0, unproven: holdings.filter((h) => h.unproven).length };
  for (const { h, claim } of claimed) {
    const verdict = claimVerdict(claim, states, options.now);
    if ('none' in verdict && verdict.made) ending.push(h);
    else
      lines.push(
        `left: ${described(h)}: ${'live' in verdict ? verdict.live.reason : 'unknown' in verdict ? verdict.unknown : verdict.none}`,
      );
    counts[
      'live' in verdict ? 'running' : 'unknown' in verdict ? 'unknown' : verdict.made ? 'end' : 'unproven'
    ]++;
  }
  return { lines, ending, counts };
}

/**
 * The plan's memberships ended (a dry run: said), each after the step's first record: the engine's
 * one write path (engine/run/run-writes.ts), each end sent as a reconcile's delete is
 * (./writer.ts, sendMembershipWrite).
 */
export async function endGroupMemberships(
  directory: Directory,
  plan: GroupSweepPlan,
  options: GroupEndOptions,
): Promise<SweepUpkeep> {
  const lines = [...plan.lines];
  const plannedCounts = { groupMemberships: plan.counts };
  if (options.dryRun) {
    lines.push(...plan.ending.map((h) => `would end: ${described(h)}: its claim has ended`));
    return { lines, results: plan.ending.map((h) => resultOf(h, 'SUCCEEDED', false)), plan: plannedCounts };
  }
  const pim = groupPimOf(directory);
  const run = await runWrites(
    {
      writes: plan.ending.map((h) => ({
        kind: h.membership.kind === 'eligible' ? AZURE_GROUP_ELIGIBLE : AZURE_GROUP_ACTIVE,
        change: 'delete' as const,
        item: h,
      })),
    },
    {
      // One at a time, as each end is followed to its end before the next is sent.
      maxConcurrency: 1,
      bound: { deadline: pim.deadline, ...(pim.signal ? { signal: pim.signal } : {}) },
      writerOf: () => endWriter(pim, options.audit) as KindWriter,
      audit: options.audit,
    },
  );
  const results = run.ends.flatMap((ended) => ended?.rows ?? []);
  const failures: string[] = [];
  plan.ending.forEach((h, i) => {
    const row = run.ends[i]?.rows[0];
    const failure = row?.status === 'SUCCEEDED' ? undefined : (row?.failureReason ?? 'not sent');
    lines.push(
      failure ? `FAILED to end ${described(h)}: ${failure}` : `ended: ${described(h)}: its claim has ended`,
    );
    if (failure) failures.push(`${described(h)}: ${failure}`);
  });
  return {
    lines,
    results,
    plan: plannedCounts,
    ...(failures.length > 0 ? { failed: failures.join('; ') } : {}),
  };
}

/** The writer of a sweep's ends: each sent once the step's first record is written, and recorded. */
function endWriter(pim: GroupPim, audit: AuditTrail | undefined): KindWriter<GroupHolding> {
  const ended = (h: GroupHolding, failure: string | undefined): WriteEnded => {
    const result = resultOf(h, failure ? 'FAILED' : 'SUCCEEDED', !failure, failure);
    audit?.recordChange(`sweep-revoke of ${described(h)}`, changeRecord(result, 'sweep-revoke'));
    return { status: result.status, rows: [result] };
  };
  return {
    async write(_write, h) {
      try {
        await audit?.beforeFirstWrite('revoke', () => []);
      } catch (refused) {
        return ended(h, `not sent: ${describeError(refused)}`);
      }
      const m = h.membership;
      const end = await sendMembershipWrite(
        pim,
        { change: 'delete' },
        {
          type: m.kind,
          groupId: m.groupId,
          principalId: m.principalId,
          access: m.access,
          duration: undefined,
        },
        { justification: 'Ended by cloud-access sweep: its claim has ended', runUrl: undefined },
      );
      return ended(h, end.status === 'SUCCEEDED' ? undefined : (end.failureReason ?? `still ${end.status}`));
    },
    unsent(_write, why) {
      const reason =
        'refused' in why
          ? describeError(why.refused)
          : `not sent: the ${why.deadline.seconds}s deadline (\`${why.deadline.input}\`) passed before its turn`;
      return ended(_write.item, reason);
    },
  };
}

function resultOf(
  h: GroupHolding,
  status: 'SUCCEEDED' | 'FAILED',
  changed: boolean,
  failureReason?: string,
): GrantResult {
  const m = h.membership;
  return {
    durationMs: 0,
    cloud: 'azure',
    operation: 'revoke',
    principal: m.principalId,
    target: groupShown(m.groupId),
    role: m.access,
    ...(m.kind === 'eligible' ? { assignmentType: 'eligible' as const } : {}),
    status,
    changed,
    change: 'delete',
    before: 'present',
    after: status === 'SUCCEEDED' && changed ? 'absent' : 'present',
    ...(h.request ? { requestId: h.request.id } : {}),
    ...(failureReason ? { failureReason } : {}),
  };
}
