// The claims on what a reconcile would delete, on Azure: a role assignment's run markers, proven as
// the sweep proves them (./run-markers.ts: created and last written by `created-by`, a
// creation marker first), and, for one without, the PIM schedule that made it, whose end Azure
// keeps (core/claims/live.ts scheduleVerdict: made by `created-by`, no further ahead than a step
// writes). The schedule instances are read only at the managed scopes holding an unmarked delete,
// one list each. Nothing here writes.
import type { RoleAssignment } from '@azure/arm-authorization';
import type { AzureGrant } from '../../core/types.js';
import { scheduleVerdict } from '../../core/claims/live.js';
import { describeError } from '../../core/errors.js';
import type { CurrentAssignment } from '../../core/plan/assignment-diff.js';
import { azureRunMarkOf, azureRunMarksOf } from '../../core/run-marks.js';
import { untrustedNote } from '../../core/claims/untrusted.js';
import type { ClaimsOnDeletes } from '../../engine/run/reconciler.js';
import { azureClaimsOf, azureRelianceClaim, type CreatedBy } from './run-markers.js';
import type { ArmSession } from '../arm/session.js';
import { listScheduleInstancesAround, placeKey } from '../arm/assignment-reads.js';

type Current = CurrentAssignment<AzureGrant['scope']>;

/**
 * Each delete's claim, by its key. `listed`: the role assignment each delete was read as;
 * `scopesOf`: the managed scopes a schedule list reads for the unmarked ones.
 */
export async function readAzureClaimsOn(
  session: ArmSession,
  deletes: readonly Current[],
  listed: ReadonlyMap<string, RoleAssignment>,
  createdBy: CreatedBy,
  scopesOf: (deletes: readonly Current[]) => AzureGrant['scope'][],
  now: number,
): Promise<ClaimsOnDeletes> {
  const read: ClaimsOnDeletes = { claims: new Map(), decided: new Map(), notes: [] };
  const unmarked: { d: Current; raw: RoleAssignment }[] = [];
  for (const d of deletes) {
    const raw = listed.get(d.key);
    if (!raw) continue;
    if (!azureRunMarkOf(raw.description ?? '')) {
      unmarked.push({ d, raw });
      continue;
    }
    const claim = azureClaimsOf([raw], createdBy).claims[0];
    // A run's reliance on a grant no run's claim made keeps it while that run needs it.
    const held = claim?.standing.holds ? claim : (azureRelianceClaim(raw, createdBy) ?? claim);
    if (held) read.claims.set(d.key, held);
    const untrusted = held?.standing.holds ? undefined : untrustedMarker(raw, createdBy);
    if (untrusted) (read.untrusted ??= new Map()).set(d.key, untrusted);
  }
  if (unmarked.length === 0) return read;
  const scopes = scopesOf(unmarked.map((u) => u.d));
  let ends: Map<string, number>;
  try {
    ends = await scheduleEnds(session, scopes);
  } catch (error) {
    read.notes.push(
      `claims: PIM schedule instances could not be read (${describeError(error)}): no assignment the plan would delete is told as a PIM schedule's; that needs \`Microsoft.Authorization/roleAssignmentScheduleInstances/read\``,
    );
    return read;
  }
  read.notes.push(
    `claims: PIM schedule instances read at ${scopes.length} scope(s) for the ${unmarked.length} assignment(s) the plan would delete without a run's marker`,
  );
  for (const { d, raw } of unmarked) {
    const endsAt = ends.get(placeKey(d.principalId, d.roleId, d.targetId));
    if (endsAt === undefined) continue;
    const creator = typeof raw.createdBy === 'string' ? raw.createdBy.toLowerCase() : undefined;
    read.decided.set(d.key, scheduleVerdict({ endsAt, createdBy: creator }, createdBy.ids, now));
  }
  return read;
}

/** The end of each time-bound schedule instance at or under the scopes, by place. */
async function scheduleEnds(
  session: ArmSession,
  scopes: readonly AzureGrant['scope'][],
): Promise<Map<string, number>> {
  const ends = new Map<string, number>();
  const lists = await Promise.all(scopes.map((scope) => listScheduleInstancesAround(session, scope)));
  for (const i of lists.flatMap((l) => l.instances)) {
    const end = i.endDateTime instanceof Date ? i.endDateTime.getTime() : Number.NaN;
    if (Number.isFinite(end) && i.principalId && i.roleDefinitionId && i.scope)
      ends.set(placeKey(i.principalId.toLowerCase(), i.roleDefinitionId, i.scope), end);
  }
  return ends;
}

/**
 * A run's creation marker (`:e`) on an assignment one identity outside `created-by` created and
 * last wrote: a request's or a job's step signed in as that identity, which `created-by` does not
 * trust. What to say beside its delete.
 */
function untrustedMarker(raw: RoleAssignment, createdBy: CreatedBy): string | undefined {
  const first = azureRunMarksOf(raw.description ?? '').marks[0];
  const creator = typeof raw.createdBy === 'string' ? raw.createdBy.toLowerCase() : undefined;
  const writer = typeof raw.updatedBy === 'string' ? raw.updatedBy.toLowerCase() : undefined;
  if (!first?.ephemeral || first.relies || !creator || creator !== writer || createdBy.ids.has(creator))
    return undefined;
  return untrustedNote(first, creator, 'identity');
}
