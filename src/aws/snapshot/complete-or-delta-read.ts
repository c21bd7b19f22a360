// The two reads a reconcile with a snapshot makes of its places (./delta-read.ts decides which,
// and goes on from either's outcome alike): a complete read, the snapshot made anew from it and what
// the previous one, brought up to date by CloudTrail, missed; or the snapshot brought up to date, the
// places CloudTrail's writes touched and the desired places it never read read again, then every
// place the plan would change at.
import { keptGroups } from '../../core/snapshot/memberships.js';
import type { Touched } from '../../core/snapshot/events.js';
import { SNAPSHOT_FORMAT, type Snapshot } from '../../core/snapshot/format.js';
import { timesAhead } from '../../core/snapshot/usable.js';
import { mergedSnapshot, missedBy, placeKey, placeOf, type Missed } from '../../core/snapshot/merge.js';
import { keptUntouched } from '../../core/snapshot/set-contents.js';
import { readAwsAssignments, type ReadScope } from '../reads/every-assignment.js';
import { readAssignmentsAt } from '../reads/place-reads.js';
import type { SsoSession } from '../sso/session.js';
import type { SnapshotRun } from './snapshot-run.js';
import { DELIVERY_OVERLAP_MS, type TouchedRead } from './opened.js';
import { placesOf, placesThePlanChanges, scopeOf, type DesiredAt, type Places } from './places.js';
import { missedWarning } from './missed.js';
import type { SetsOutcome } from './kept-sets.js';

/** What one read gives: the places read, the snapshot to keep, and what to say. */
export interface ReadOutcome {
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
  /** After a complete read: the previous snapshot's group members, and CloudTrail's writes since, to compare the members read with (./members.ts). */
  membersAgainst?: { kept: Snapshot['groups']; touched: Touched };
  /** With the snapshot used: the notice that says so, given how many groups' members and sets were read. */
  used?: (groupsRead: number, setsRead: number, calls: number) => string;
}

/** What the reads share: the session, what they cover, and CloudTrail's writes since a snapshot. */
export interface ReadContext {
  session: SsoSession;
  scope: ReadScope;
  desired: readonly DesiredAt[];
  run: SnapshotRun;
  started: number;
  touchedSince(snapshot: Snapshot): Promise<TouchedRead>;
}

/** A complete read, the snapshot made anew from it, and what the previous one missed. */
export async function completeRead(
  { session, scope, desired, run, started, touchedSince }: ReadContext,
  parsed: Snapshot | string | undefined,
  why: string,
): Promise<ReadOutcome> {
  const complete = await (run.completeRead ?? ((s: ReadScope) => readAwsAssignments(session, s)))(scope);
  const places = placesOf(complete.assignments, desired);
  const warnings: string[] = [];
  let missed: Missed[] = [];
  let sets: SetsOutcome = {};
  let membersAgainst: ReadOutcome['membersAgainst'];
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
    membersAgainst = { kept: parsed.groups, touched };
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
    ...(membersAgainst ? { membersAgainst } : {}),
  };
}

/**
 * The snapshot brought up to date: the places CloudTrail's writes touched read again, and the
 * desired places it never read; then every place the plan would change at.
 */
export async function deltaRead(
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
    sets: { kept: keptUntouched(snapshot.permissionSetContents, touched.permissionSets) },
  };
}
