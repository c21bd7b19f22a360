// What CloudTrail says of a report's AWS rows: since when and by whom each assignment is held (the
// first create of its current life, since its last delete: a duplicate create of an existing
// assignment ends SUCCEEDED too, so a later create of the same life made nothing), and which a
// cloud-access run made, proven as the sweep proves a claim (core/claims/aws-evidence.ts). One
// history read (LookupEvents, paced at its own quota and counted apart from the assignments'
// read) serves both. Loaded with the report only. Nothing here writes.
import { safeIso } from '../../core/duration.js';
import { describeError } from '../../core/errors.js';
import { runMarkOfSessionName } from '../../core/run-marks.js';
import { awsClaimsOf } from '../../core/claims/aws-evidence.js';
import {
  inOrder,
  TRAIL_HISTORY_MS,
  UNDELIVERED_WINDOW_MS,
  withRelianceClaim,
} from '../../core/claims/aws-writers.js';
import { placeKeyOf, type AssignmentPlace, type TrailWrite } from '../../core/claims/aws-writes.js';
import type { Granted, HeldAssignment, ReadWindow } from '../../engine/run/access-reader.js';
import type { AdapterDeps } from '../../engine/calls/driver.js';
import type { SsoSession } from '../sso/session.js';
import { AssignmentTrail } from '../trail/cloudtrail.js';
import { RequestHistory } from '../trail/request-history.js';
import { undeliveredRequests } from '../trail/undelivered.js';

export type Run = Pick<HeldAssignment, 'mark' | 'runClaim'>;

export interface AssignmentHistory {
  /** By place key: the run that made it, where a `created-by` session's claim holds. */
  runs: Map<string, Run>;
  /** By place key: since when and by whom. */
  granted: Map<string, Granted>;
  /** When CloudTrail was read, and from when its history reaches. */
  window?: ReadWindow | undefined;
}

/**
 * Reads CloudTrail back `lookback` (90 days, all it keeps, by default) once, for every place read.
 * Without `created-by` no row is told as a run's, but each still has since when and by whom.
 */
export async function readAssignmentHistory(
  session: SsoSession,
  deps: AdapterDeps,
  places: readonly AssignmentPlace[],
  options: { createdBy: ReadonlySet<string>; lookbackSeconds: number },
  notes: string[],
): Promise<AssignmentHistory> {
  const { createdBy } = options;
  if (createdBy.size === 0)
    notes.push(
      'neither `created-by` nor `role-to-assume` names the role cloud-access steps assume, so no grant is told as a run’s',
    );
  if (places.length === 0) return { runs: new Map(), granted: new Map() };
  const started = Date.now();
  const lookbackMs = options.lookbackSeconds * 1000;
  const from = started - lookbackMs;
  const historyFrom = Math.max(from, started - TRAIL_HISTORY_MS);
  const trail = new AssignmentTrail(session.clients, deps, session.stats);
  const read = await trail.read(session.instance, from, started);
  const present = new Set(places.map(placeKeyOf));
  const runs = createdBy.size > 0 ? runsOf(read.writes, present, createdBy, from, lookbackMs) : new Map();
  const granted = grantedOf(read.writes, places, createdBy, historyFrom);
  await madeLately(session, granted, present, read.writes, started, notes);
  notes.push(
    `CloudTrail: ${read.events} account assignment event(s) since ${safeIso(historyFrom)} in ${read.pages} LookupEvents page(s); ${runs.size} assignment(s) made by a run${createdBy.size > 0 ? ` of ${[...createdBy].join(', ')}` : ''}; ${[...granted.values()].filter((g) => g.before).length} made before the history read`,
  );
  return {
    runs,
    granted,
    window: {
      source: 'CloudTrail LookupEvents',
      start: safeIso(started),
      end: safeIso(Date.now()),
      historyFrom: safeIso(historyFrom),
    },
  };
}

/**
 * What CloudTrail has not delivered yet (about 15 minutes): a grant made just now would read as
 * made before the history (unused since, to `last-used`, a prune and a review's `revoke-unused`;
 * not made after a review's due date), one deleted and made again as made at its first life's
 * create. The status lists have no delay: read back as far as the sweep reads them, a create there
 * that did not fail makes its place made then, unless its place's create CloudTrail shows came with
 * no delete since (a create of what exists makes nothing). Unread, no place is told made before
 * the history (its use is `unknown`): an unknown is never a delete.
 */
async function madeLately(
  session: SsoSession,
  granted: Map<string, Granted>,
  present: ReadonlySet<string>,
  delivered: readonly TrailWrite[],
  now: number,
  notes: string[],
): Promise<void> {
  const since = now - UNDELIVERED_WINDOW_MS;
  const shown = new Set(delivered.map((w) => w.requestId));
  const history = new RequestHistory(session);
  const undelivered = async (kind: 'create' | 'delete') => {
    await history.readNewer(kind, since);
    const unshown = history
      .shown(kind)
      .filter((r) => !shown.has(r.RequestId) && (r.CreatedDate?.getTime() ?? now) >= since);
    return (await undeliveredRequests(history, unshown, now, kind)).filter(
      (w) => w.status !== 'FAILED' && present.has(placeKeyOf(w.place)),
    );
  };
  const madeAt = (key: string) => Date.parse(granted.get(key)?.at ?? '');
  try {
    const creates = await undelivered('create');
    let deletesUnread: unknown;
    const deletes = creates.some((c) => madeAt(placeKeyOf(c.place)) < c.at)
      ? await undelivered('delete').catch((error: unknown) => {
          deletesUnread = error;
          return [];
        })
      : [];
    for (const create of creates) {
      const key = placeKeyOf(create.place);
      const made = madeAt(key);
      // A create after a known one remade its place only with a delete between (a create of what
      // exists makes nothing). The deletes unread, it may or may not have: not known when it was
      // made, never made now (which a review takes as granted after its due date, its decisions gone).
      if (Number.isNaN(made)) granted.set(key, { at: safeIso(create.at) });
      else if (made >= create.at) continue;
      else if (deletesUnread) granted.delete(key);
      else if (deletes.some((d) => placeKeyOf(d.place) === key && d.at >= made && d.at <= create.at))
        granted.set(key, { at: safeIso(create.at) });
    }
    if (deletesUnread)
      notes.push(
        `the deletion-status list was not read (${describeError(deletesUnread)}): a grant created again in the last minutes may have been deleted and made again, so it is not known when it was made; grant the step's role \`sso:ListAccountAssignmentDeletionStatus\` and \`sso:DescribeAccountAssignmentDeletionStatus\``,
      );
  } catch (error) {
    for (const [key, g] of granted) if (g.before) granted.delete(key);
    notes.push(
      `the creation-status list was not read (${describeError(error)}): a grant made in the last minutes, which CloudTrail has not shown yet, cannot be told from an older one, so no row is told made before the history and unused since; grant the step's role \`sso:ListAccountAssignmentCreationStatus\` and \`sso:DescribeAccountAssignmentCreationStatus\``,
    );
  }
}

export function runsOf(
  writes: readonly TrailWrite[],
  present: ReadonlySet<string>,
  createdBy: ReadonlySet<string>,
  from: number,
  lookbackMs: number,
): Map<string, Run> {
  const runs = new Map<string, Run>();
  const claims = awsClaimsOf(writes, [], {
    createdBy,
    exists: (place) => present.has(placeKeyOf(place)),
    claimsSince: from,
    fullHistory: lookbackMs >= TRAIL_HISTORY_MS - 60_000,
  });
  for (const found of claims) {
    if (found.ids.cloud !== 'aws' || !found.ids.principalType) continue;
    const key = placeKeyOf({
      principalType: found.ids.principalType,
      principalId: found.ids.principalId,
      permissionSetArn: found.ids.roleId,
      accountId: found.ids.accountId,
    });
    // A run's reliance on a grant no run's claim made, as a reconcile weighs it (./claims.ts).
    const claim = withRelianceClaim(
      found,
      writes.filter((w) => placeKeyOf(w.place) === key),
      createdBy,
      from,
    );
    if (claim.standing.holds && claim.mark) runs.set(key, { mark: claim.mark, runClaim: claim });
  }
  return runs;
}

/**
 * Each place's grant: the first create since its last delete, by its caller (a session of a
 * `created-by` role named as a run's: the run). A place with no create in the history, or whose
 * first is a run's reliance (sent only for a grant its step read as present), was made before the
 * history starts. A place deleted and made again where CloudTrail has not delivered the create yet
 * has neither.
 */
export function grantedOf(
  writes: readonly TrailWrite[],
  places: readonly AssignmentPlace[],
  createdBy: ReadonlySet<string>,
  historyFrom: number,
): Map<string, Granted> {
  const byPlace = new Map<string, TrailWrite[]>();
  for (const w of writes) {
    if (w.failed) continue;
    const key = placeKeyOf(w.place);
    byPlace.set(key, [...(byPlace.get(key) ?? []), w]);
  }
  const before: Granted = { before: safeIso(historyFrom) };
  const granted = new Map<string, Granted>();
  for (const place of places) {
    const key = placeKeyOf(place);
    const history = inOrder(byPlace.get(key) ?? [], createdBy);
    const lastDelete = history.filter((w) => w.kind === 'delete').at(-1);
    const first = history.find((w) => w.kind === 'create' && (!lastDelete || w.at >= lastDelete.at));
    if (!first) {
      if (!lastDelete) granted.set(key, before);
      continue;
    }
    const mark = first.sessionName ? runMarkOfSessionName(first.sessionName) : undefined;
    const ours = mark !== undefined && first.roleArn !== undefined && createdBy.has(first.roleArn);
    if (ours && mark.relies && !lastDelete) {
      granted.set(key, before);
      continue;
    }
    granted.set(key, {
      at: safeIso(first.at),
      by: { id: first.actor },
      ...(ours ? { run: { repositoryId: mark.repositoryId, runId: mark.runId, attempt: mark.attempt } } : {}),
    });
  }
  return granted;
}
