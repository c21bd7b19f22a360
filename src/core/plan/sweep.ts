// The sweep's plan: from each claim's standing, its run mark and the state of its run, what is
// revoked and why everything else is left. A grant is revoked only when the evidence holds, it is
// ephemeral, and either its `duration` has passed or its run has completed (any conclusion); a run
// that cannot be read is never guessed at. Pure.
import {
  runKeyOf,
  SWEEP_KINDS,
  type Claim,
  type RunRef,
  type RunState,
  type SweepCounts,
  type SweepEntry,
} from '../sweep/types.js';

const when = (unixSeconds: number) => new Date(unixSeconds * 1000).toISOString();

/** The runs whose state decides a claim: those of holding ephemeral claims not yet expired. */
export function runsToRead(claims: readonly Claim[], now: number): RunRef[] {
  const runs = new Map<string, RunRef>();
  for (const claim of claims) {
    const { mark } = claim;
    if (!claim.standing.holds || !mark?.ephemeral) continue;
    if (mark.expiresAt !== undefined && mark.expiresAt * 1000 <= now) continue;
    runs.set(runKeyOf(mark.run), mark.run);
  }
  return [...runs.values()];
}

export function planSweep(
  claims: readonly Claim[],
  runs: ReadonlyMap<string, RunState>,
  now: number,
): SweepEntry[] {
  return claims.map((claim) => entryOf(claim, runs, now));
}

function entryOf(claim: Claim, runs: ReadonlyMap<string, RunState>, now: number): SweepEntry {
  const { standing, mark } = claim;
  if (!standing.holds) return { claim, kind: standing.kind, reason: standing.reason };
  if (!mark)
    return {
      claim,
      kind: 'unproven',
      reason: `not made through a cloud-access session name or marker (${claim.madeBy}): the run that made it cannot be told`,
    };
  if (!mark.ephemeral)
    return {
      claim,
      kind: 'permanent',
      reason: 'a permanent grant: its step ran without `revoke-on-exit` or `duration`',
    };
  const runName = `run ${mark.run.runId} attempt ${mark.run.attempt}`;
  if (mark.expiresAt !== undefined && mark.expiresAt * 1000 <= now)
    return { claim, kind: 'revoke', reason: `its \`duration\` ended at ${when(mark.expiresAt)}` };
  const run = runs.get(runKeyOf(mark.run));
  if (!run) return { claim, kind: 'unproven', reason: `${runName} was not read` };
  if (run.state === 'unreadable')
    return { claim, kind: 'unproven', reason: `${runName} could not be read: ${run.reason}`, run };
  if (run.state === 'going')
    return {
      claim,
      kind: 'running',
      reason: `${runName} is still ${run.status}${mark.expiresAt !== undefined ? `; its \`duration\` ends at ${when(mark.expiresAt)}` : ''}`,
      run,
    };
  return {
    claim,
    kind: 'revoke',
    reason: `${runName} has completed${run.conclusion ? ` (${run.conclusion})` : ''}`,
    run,
  };
}

export function sweepCounts(entries: readonly SweepEntry[]): SweepCounts {
  const counts = Object.fromEntries(SWEEP_KINDS.map((k) => [k, 0])) as SweepCounts;
  for (const entry of entries) counts[entry.kind]++;
  return counts;
}

/** More revokes than `max-deletions`: the plan is reported and nothing is written. */
export function sweepRefusal(
  entries: readonly SweepEntry[],
  maxDeletions: number,
): { reason: string; fix: string } | undefined {
  const revokes = entries.filter((e) => e.kind === 'revoke').length;
  if (revokes <= maxDeletions) return undefined;
  return {
    reason: `the sweep would revoke ${revokes} grant(s), more than \`max-deletions\` (${maxDeletions}); nothing was revoked`,
    fix: 'check the plan above; if it is right, raise `max-deletions` for one run',
  };
}
