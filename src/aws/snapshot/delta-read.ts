// A reconcile's read from its snapshot (`snapshot`): the object read, and either used (the places
// CloudTrail's assignment, provisioning and group membership writes since its watermark, less 30
// minutes for CloudTrail's delivery lag (./write-events.ts), touched are read again, with the desired places it never read) or not (a complete
// read, ../reads/every-assignment.ts, saying why). Then every place the plan would create or delete
// at is read again, so no write is planned from the snapshot alone: a lost or tampered snapshot can
// hide drift until the next complete read, never cause a wrong write. The new snapshot is written
// on the previous one's ETag; a run that loses that race reads the winner's and merges into it
// (older watermark and complete read kept, so nothing either missed is taken as read). The
// snapshot is kept before the plan is applied, with the run's start as its watermark: the run's own
// writes come after it, so the next run looks them up; and until CloudTrail delivers them, each
// place the run wrote is one where the snapshot differs from the manifest, read again before any
// write is planned there. The two reads themselves are ./complete-or-delta-read.ts's.
import { principalNamesAt } from '../../core/snapshot/memberships.js';
import { isPlainName, type Snapshot } from '../../core/snapshot/format.js';
import { placeKey, placeOf } from '../../core/snapshot/merge.js';
import type { AdapterDeps } from '../../engine/calls/driver.js';
import type { ReadReport } from '../../engine/run/reconciler.js';
import { totalCalls, type ReadAssignment, type ReadScope } from '../reads/every-assignment.js';
import type { SsoSession } from '../sso/session.js';
import type { SnapshotRun } from './snapshot-run.js';
import { takeSnapshot } from './opened.js';
import { kept } from './kept.js';
import { setsWrittenAt, type DesiredAt } from './places.js';
import { membersOf } from './members.js';
import { unreadReason, unreadWarnings, type UnreadHistory } from './other-histories.js';
import { whyNotUsed } from './not-used.js';
import { missedCauses, sayMissedMembers } from './missed.js';
import { readKeptSets } from './kept-sets.js';
import { completeRead, deltaRead, type ReadContext } from './complete-or-delta-read.js';

export { DELIVERY_OVERLAP_MS } from './opened.js';

export type { DesiredAt } from './places.js';

export type { SnapshotRun } from './snapshot-run.js';

export interface SnapshotRead {
  assignments: ReadAssignment[];
  read: ReadReport;
  notices: string[];
  warnings: string[];
  /** With `groupsOf`: each group's user IDs. */
  members?: Map<string, string[]>;
  /** With `keepLater`: the snapshot kept, with `usage` (the ledger's JSON), and what it says. */
  keep?: (usage: unknown) => Promise<string>;
  /** With `keepLater`: the usage ledger the snapshot held, or why there is none to continue. */
  usage?: { value: unknown } | { none: string };
}

export async function readWithSnapshot(
  session: SsoSession,
  scope: ReadScope,
  desired: readonly DesiredAt[],
  run: SnapshotRun,
  deps: Pick<AdapterDeps, 'deadline' | 'signal' | 'debug' | 'activity'>,
): Promise<SnapshotRead> {
  const opened = await takeSnapshot(session, run, deps);
  const { stored, parsed, started, touchedSince } = opened;
  // CloudTrail's pages read before the manifest was resolved are this read's too.
  const before = totalCalls(session) - opened.callsSoFar();
  const context: ReadContext = { session, scope, desired, run, started, touchedSince };
  let why = whyNotUsed(parsed, stored.found, session.instance, scope, run, started);
  let unread: UnreadHistory[] = [];
  if (why === undefined) {
    const read = await context.touchedSince(parsed as Snapshot);
    ({ unread } = read);
    // What such a write touched cannot be said: reading everything is the one safe answer.
    if (read.touched.unreadable > 0)
      why = `CloudTrail recorded ${read.touched.unreadable} write event(s) since the snapshot whose parameters are not what their name carries`;
    // Nor what an account whose history was not read changed: it administers the instance, so any
    // place, group or set may be. Its own history failing would fail the step; another account's
    // is a warning, and the safe equivalent of not reading its events is not trusting the snapshot
    // for anything this run: a complete read, so an unknown is never a kept assignment planned
    // from, nor a watermark moved past writes no one read.
    else if (unread.length > 0) why = unreadReason(unread);
  }
  const result =
    why === undefined
      ? await deltaRead(context, parsed as Snapshot)
      : await completeRead(context, parsed, why);
  const setsRead = await readKeptSets(run, result, missedCauses(run.eventHistoryRoles?.length ?? 0));
  // The managed sets the manifest does not define: their name, session duration and tags, kept
  // where no write touched them, read where one did or the snapshot kept none.
  if (run.setFacts) {
    const defined = new Set(Object.keys(result.next.permissionSetContents ?? {}));
    const referenced = scope.managedPermissionSets.filter((arn) => !defined.has(arn));
    result.next.permissionSetFacts = await run.setFacts(referenced);
  } else delete result.next.permissionSetFacts;
  const assignments = [...result.places].flatMap(([key, principals]) =>
    principals.map((p) => ({ ...placeOf(key), ...p })),
  );
  const previous =
    typeof parsed === 'object' && parsed.instance === session.instance && parsed.scope === run.scope
      ? parsed
      : undefined;
  const members = run.groupsOf
    ? await membersOf(session, run.groupsOf(assignments), result.knownGroups, {
        next: result.next,
        previous,
        now: started,
      })
    : undefined;
  if (members) sayMissedMembers(result, run.store.where, run.eventHistoryRoles?.length ?? 0);
  await run.namePrincipals?.([...shownPrincipals(assignments, desired), ...membersShown(members?.members)]);
  result.next.principals = principalsOf(desired, session.principalNames);
  result.next.names = {
    ...session.permissionSetNames.known(),
    ...principalNamesAt(result.next.places, session.principalNames, members ? result.next.groups : {}),
  };
  // Never a write from a snapshot's set names alone: the sets the plan writes at are described.
  if (run.readBeforeWrites !== false)
    await session.confirmPermissionSetNames(setsWrittenAt(result.places, desired, scope), run.store.where);
  // The usage ledger is the report's usage reader's: kept as it was unless that reader replaces it.
  if (previous?.usage !== undefined) result.next.usage = previous.usage;
  const keep = (usage: unknown) => kept(run, stored, { ...result.next, usage });
  const notices = [
    ...result.notices,
    ...(result.used ? [result.used(members?.read ?? 0, setsRead, totalCalls(session) - before)] : []),
    ...(run.keepLater ? [] : [await kept(run, stored, result.next)]),
  ];
  return {
    assignments,
    read: {
      strategy: result.strategy,
      calls: totalCalls(session) - before,
      alternatives: [],
      missed: result.missed,
    },
    notices,
    warnings: [...unreadWarnings(unread), ...result.warnings],
    ...(members ? { members: members.members } : {}),
    ...(run.keepLater ? { keep, usage: usageKept(stored, parsed, previous) } : {}),
  };
}

/** The usage ledger the snapshot held, or why there is none to continue. */
function usageKept(
  stored: { found: boolean; unreadable?: string },
  parsed: Snapshot | string | undefined,
  previous: Snapshot | undefined,
): { value: unknown } | { none: string } {
  if (!stored.found) return { none: 'there is no snapshot yet' };
  if (stored.unreadable) return { none: `the snapshot is unreadable: ${stored.unreadable}` };
  if (typeof parsed === 'string') return { none: `the snapshot is not used: ${parsed}` };
  if (!previous) return { none: 'the snapshot is of another instance or scope' };
  return previous.usage === undefined
    ? { none: 'the snapshot holds no usage ledger yet' }
    : { value: previous.usage };
}

/** The manifest's principals, confirmed of their type, with the names the step knows them by. */
function principalsOf(
  desired: readonly DesiredAt[],
  names: ReadonlyMap<string, string>,
): Snapshot['principals'] {
  const kept: Snapshot['principals'] = {};
  for (const { principalType, principalId } of desired) {
    const name = names.get(principalId);
    // A name the snapshot's reader would refuse is not kept: the principal is confirmed again instead.
    if ((principalType === 'USER' || principalType === 'GROUP') && name !== undefined && isPlainName(name))
      kept[principalId] = { principalType, name };
  }
  return kept;
}

/** The users of the groups whose members the run shows: rows of their own, shown by name. */
const membersShown = (members: ReadonlyMap<string, readonly string[]> | undefined) =>
  [...new Set([...(members?.values() ?? [])].flat())].map((principalId) => ({
    principalId,
    principalType: 'USER' as const,
  }));

/** The principals assigned at a place the manifest does not ask them at: the rows a plan shows by name. */
function shownPrincipals(
  assignments: readonly ReadAssignment[],
  desired: readonly DesiredAt[],
): ReadAssignment[] {
  const wanted = new Set(desired.map((d) => `${placeKey(d.accountId, d.permissionSetArn)}|${d.principalId}`));
  return assignments.filter(
    (a) => !wanted.has(`${placeKey(a.accountId, a.permissionSetArn)}|${a.principalId}`),
  );
}
