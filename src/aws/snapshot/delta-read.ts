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
// write is planned there.
import { keptGroups, principalNamesAt } from '../../core/snapshot/memberships.js';
import { isPlainName, SNAPSHOT_FORMAT, type Snapshot } from '../../core/snapshot/format.js';
import { timesAhead } from '../../core/snapshot/usable.js';
import { mergedSnapshot, missedBy, placeKey, placeOf, type Missed } from '../../core/snapshot/merge.js';
import { keptSetContents } from '../../core/snapshot/set-contents.js';
import type { AdapterDeps } from '../../engine/calls/driver.js';
import type { ReadReport } from '../../engine/run/reconciler.js';
import {
  readAwsAssignments,
  totalCalls,
  type ReadAssignment,
  type ReadScope,
} from '../reads/every-assignment.js';
import { readAssignmentsAt } from '../reads/place-reads.js';
import type { SsoSession } from '../sso/session.js';
import type { SnapshotRun } from './snapshot-run.js';
import { DELIVERY_OVERLAP_MS, takeSnapshot, type TouchedRead } from './opened.js';
import { kept } from './kept.js';
import {
  placesOf,
  placesThePlanChanges,
  scopeOf,
  setsWrittenAt,
  type DesiredAt,
  type Places,
} from './places.js';
import { membersOf } from './members.js';
import { unreadReason, unreadWarnings, type UnreadHistory } from './other-histories.js';
import { whyNotUsed } from './not-used.js';
import { missedCauses, missedWarning } from './missed.js';
import { readKeptSets, type SetsOutcome } from './kept-sets.js';

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
}

/** What one read gives: the places read, the snapshot to keep, and what to say. */
interface ReadOutcome {
  places: Places;
  next: Snapshot;
  strategy: string;
  notices: string[];
  warnings: string[];
  /** The snapshot's groups whose members still hold (no membership write touched them). */
  knownGroups: Snapshot['groups'];
  /** What a complete read found that the snapshot and CloudTrail's writes since did not show. */
  missed: Missed[];
  /** The defined permission sets' content: kept, or compared (./kept-sets.ts). */
  sets: SetsOutcome;
  /** With the snapshot used: the notice that says so, given how many groups' members and sets were read. */
  used?: (groupsRead: number, setsRead: number, calls: number) => string;
}

/** What the reads share: the session, what they cover, and CloudTrail's writes since a snapshot. */
interface ReadContext {
  session: SsoSession;
  scope: ReadScope;
  desired: readonly DesiredAt[];
  run: SnapshotRun;
  started: number;
  touchedSince(snapshot: Snapshot): Promise<TouchedRead>;
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
  await run.namePrincipals?.(shownPrincipals(assignments, desired));
  result.next.principals = principalsOf(desired, session.principalNames);
  result.next.names = {
    ...session.permissionSetNames.known(),
    ...principalNamesAt(result.next.places, session.principalNames),
  };
  // Never a write from a snapshot's set names alone: the sets the plan writes at are described.
  if (run.readBeforeWrites !== false)
    await session.confirmPermissionSetNames(setsWrittenAt(result.places, desired, scope), run.store.where);
  const notices = [
    ...result.notices,
    ...(result.used ? [result.used(members?.read ?? 0, setsRead, totalCalls(session) - before)] : []),
    await kept(run, stored, result.next),
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
  };
}

/** A complete read, the snapshot made anew from it, and what the previous one missed. */
async function completeRead(
  { session, scope, desired, run, started, touchedSince }: ReadContext,
  parsed: Snapshot | string | undefined,
  why: string,
): Promise<ReadOutcome> {
  const complete = await (run.completeRead ?? ((s: ReadScope) => readAwsAssignments(session, s)))(scope);
  const places = placesOf(complete.assignments, desired);
  const warnings: string[] = [];
  let missed: Missed[] = [];
  let sets: SetsOutcome = {};
  // What the snapshot, brought up to date by CloudTrail, would have said, against what was read.
  // Not against a snapshot whose times lie ahead: CloudTrail refuses a lookup that ends before it starts.
  if (
    typeof parsed === 'object' &&
    parsed.instance === session.instance &&
    parsed.scope === run.scope &&
    timesAhead(parsed, started) === undefined
  ) {
    const { touched } = await touchedSince(parsed);
    const missedPlaces = missedBy(parsed, places, touched.places);
    if (missedPlaces.length > 0)
      warnings.push(missedWarning(missedPlaces, run.store.where, run.eventHistoryRoles?.length ?? 0));
    missed = missedPlaces;
    sets = { missedAgainst: { kept: parsed.permissionSetContents, touched: touched.permissionSets } };
  }
  return {
    places,
    next: {
      format: SNAPSHOT_FORMAT,
      instance: session.instance,
      scope: run.scope,
      completeReadAt: new Date(started).toISOString(),
      watermark: new Date(started).toISOString(),
      permissionSets: [...scope.managedPermissionSets].sort(),
      accounts: scope.managedAccounts ? [...scope.managedAccounts].sort() : null,
      places: Object.fromEntries(places),
      groups: {},
      removedMemberships: {},
      principals: {},
    },
    strategy: `a complete read (${complete.read.strategy})`,
    notices: [`snapshot: a complete read, because ${why}`],
    warnings,
    knownGroups: {},
    missed,
    sets,
  };
}

/**
 * The snapshot brought up to date: the places CloudTrail's writes touched read again, and the
 * desired places it never read; then every place the plan would change at.
 */
async function deltaRead(
  { session, scope, desired, run, started, touchedSince }: ReadContext,
  snapshot: Snapshot,
): Promise<ReadOutcome> {
  const { touched, pages, events } = await touchedSince(snapshot);
  const inScope = scopeOf(scope, desired);
  const known = new Set(Object.keys(snapshot.places));
  const toRead = new Set([...touched.places].filter(inScope.has));
  // A desired place the snapshot never read, outside what it covers, is read now.
  for (const key of inScope.desired) if (!known.has(key) && !inScope.managed(key)) toRead.add(key);
  const places: Places = new Map(
    Object.entries(snapshot.places)
      .filter(([key]) => inScope.has(key))
      .map(([k, v]) => [k, [...v]]),
  );
  const reread: Places = new Map();
  const readAgain = async (keys: readonly string[]) => {
    const found = await readAssignmentsAt(session, keys.map(placeOf));
    for (const key of keys) reread.set(key, []);
    for (const a of found)
      reread
        .get(placeKey(a.accountId, a.permissionSetArn))!
        .push({ principalType: a.principalType, principalId: a.principalId });
    for (const key of keys) places.set(key, reread.get(key)!);
  };
  await readAgain([...toRead]);
  // Never a write from the snapshot alone: every place the plan would change at is read again.
  const changing =
    run.readBeforeWrites === false
      ? []
      : [...placesThePlanChanges(places, desired, inScope.managed)].filter((k) => !reread.has(k));
  await readAgain(changing);
  const next = mergedSnapshot(snapshot, { places: reread, groups: new Map(), watermark: new Date(started) });
  // A place touched but not read again (outside this run's scope) is no longer known.
  for (const key of touched.places) if (!reread.has(key)) delete next.places[key];
  const knownGroups = keptGroups(snapshot, touched);
  const since = new Date(Date.parse(snapshot.watermark) - DELIVERY_OVERLAP_MS).toISOString();
  const everyGroup =
    touched.everyGroup && Object.keys(snapshot.groups).length > 0
      ? `; every kept group's members read again, because ${touched.everyGroupWhy ?? 'a membership write named no group'}`
      : '';
  return {
    places,
    next,
    strategy: `the snapshot of ${snapshot.completeReadAt} brought up to date: CloudTrail LookupEvents since ${since} (${pages} page(s), ${events} event(s)), ListAccountAssignments at the ${toRead.size} place(s) they touched or the snapshot lacked, and at the ${changing.length} place(s) the plan would change`,
    notices: [],
    used: (groupsRead, setsRead, calls) =>
      `snapshot: read from ${run.store.where} (last complete read ${snapshot.completeReadAt}) and CloudTrail's writes since ${since} (${events} event(s) read): ${toRead.size} place(s) read again, and ${changing.length} more before planning a write there; ${groupsRead} group(s)' members read again${everyGroup}; ${setsRead} permission set(s)' content read again (${touched.permissionSets.size} written since); ${calls} call(s)`,
    warnings: [],
    knownGroups,
    missed: [],
    sets: { kept: keptSetContents(snapshot.permissionSetContents, touched.permissionSets) },
  };
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
