// The snapshot a run starts from, read once: the object, and CloudTrail's write events since its
// watermark (less 30 minutes for CloudTrail's delivery lag). A reconcile opens it before it
// resolves its manifest, so the principals the snapshot kept (confirmed of their type, with their
// names) are not described again; the read from the snapshot (./delta-read.ts) then takes the same
// object and events, with the time it was opened as the next watermark, so no write falls between.
import { touchedBy, type Touched } from '../../core/snapshot/events.js';
import { parseSnapshot, type Snapshot } from '../../core/snapshot/format.js';
import { keptPrincipalNames, keptPrincipals } from '../../core/snapshot/memberships.js';
import { keptUntouched, keptSetNames } from '../../core/snapshot/set-contents.js';
import { snapshotUse } from '../../core/snapshot/usable.js';
import type { AdapterDeps } from '../../engine/calls/driver.js';
import { totalCalls } from '../reads/every-assignment.js';
import type { SsoSession } from '../sso/session.js';
import type { SnapshotRun } from './snapshot-run.js';
import type { StoredSnapshot } from './store.js';
import { readDeltaEvents, type UnreadHistory } from './other-histories.js';

/** CloudTrail delivers an event within about 15 minutes of the call; twice that is read again. */
export const DELIVERY_OVERLAP_MS = 30 * 60_000;

export interface TouchedRead {
  touched: Touched;
  pages: number;
  events: number;
  /** The other accounts (`event-history-roles`) whose history could not be read. */
  unread: UnreadHistory[];
}

export interface OpenedSnapshot {
  /** When it was opened: the next snapshot's watermark. */
  started: number;
  stored: StoredSnapshot;
  parsed: Snapshot | string | undefined;
  /** CloudTrail's writes since the snapshot's watermark, read once. */
  touchedSince(snapshot: Snapshot): Promise<TouchedRead>;
  /** The calls that read has made so far: the read counts them, wherever they were made. */
  callsSoFar(): number;
}

type Deps = Pick<AdapterDeps, 'deadline' | 'signal' | 'debug' | 'activity'>;
const opened = new WeakMap<SnapshotRun, Promise<OpenedSnapshot>>();

async function open(session: SsoSession, run: SnapshotRun, deps: Deps): Promise<OpenedSnapshot> {
  const started = Date.now();
  const stored = await run.store.read(deps.signal);
  const parsed = !stored.found ? undefined : (stored.unreadable ?? parseSnapshot(stored.content));
  let since: Promise<TouchedRead> | undefined;
  let calls = 0;
  return {
    started,
    stored,
    parsed,
    callsSoFar: () => calls,
    touchedSince(snapshot) {
      const before = totalCalls(session);
      since ??= readDeltaEvents(session.clients, deps, session.stats, run.eventHistoryRoles ?? [], {
        since: Date.parse(snapshot.watermark) - DELIVERY_OVERLAP_MS,
        until: Date.now(),
      }).then((events) => {
        const touched = touchedBy(events.writes, snapshot);
        touched.unreadable += events.unreadable;
        calls = totalCalls(session) - before;
        return { touched, pages: events.pages, events: events.events, unread: events.unread };
      });
      return since;
    },
  };
}

/** The run's snapshot, opened once: a later open gets the same. */
export function openSnapshot(session: SsoSession, run: SnapshotRun, deps: Deps): Promise<OpenedSnapshot> {
  let entry = opened.get(run);
  if (!entry) {
    entry = open(session, run, deps);
    opened.set(run, entry);
  }
  return entry;
}

/** The snapshot opened before, for the read that uses it (then forgotten), or opened now. */
export function takeSnapshot(session: SsoSession, run: SnapshotRun, deps: Deps): Promise<OpenedSnapshot> {
  const entry = openSnapshot(session, run, deps);
  opened.delete(run);
  return entry;
}

/**
 * The principals the snapshot kept, given to the session before the manifest is resolved, and the
 * names it kept of the principals the plan shows: those CloudTrail says were deleted or changed
 * since are described again, and none when the snapshot is not one this run may use.
 */
export async function knowKeptPrincipals(session: SsoSession, run: SnapshotRun, deps: Deps): Promise<void> {
  const { parsed, started } = await openSnapshot(session, run, deps);
  if (typeof parsed !== 'object' || parsed.instance !== session.instance || parsed.scope !== run.scope)
    return;
  const use = snapshotUse(parsed, {
    instance: session.instance,
    scope: run.scope,
    now: started,
    fullReadEveryMs: run.fullReadEveryMs,
  });
  if (!use.use) return;
  const { touched, unread } = await (await openSnapshot(session, run, deps)).touchedSince(parsed);
  // Another account's writes unknown: a kept principal may have been deleted or renamed there.
  if (touched.unreadable > 0 || unread.length > 0) return;
  session.knowPrincipals(keptPrincipals(parsed, touched));
  session.knowPermissionSetNames(keptSetNames(parsed.names, touched.permissionSets));
  session.knowPermissionSetContents(keptUntouched(parsed.permissionSetContents, touched.permissionSets));
  session.knowPermissionSetFacts(keptUntouched(parsed.permissionSetFacts, touched.permissionSets));
  // Display text only: a name this step reads (a lookup, a confirmation, a listing) replaces it.
  for (const [id, name] of Object.entries(keptPrincipalNames(parsed.names, touched)))
    if (!session.principalNames.has(id)) session.principalNames.set(id, name);
}
