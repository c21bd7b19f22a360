// The sweep's plan: from each claim's standing, its run marks and the state of the runs they name,
// what is revoked and why everything else is left. A grant is revoked only when the evidence holds,
// it is ephemeral, and every run that claims it — the run that created it and each run that relied
// on it since — has ended: its `duration` has passed, or its latest attempt has completed (any
// conclusion). A run that cannot be read is never guessed at, not even past its expiry, and a mark
// whose expiry no step could have written proves nothing. An access request's time-bound mark
// (`-t`, `-tr`) is the exception: its grant is meant to outlive its run, which ends at once, so its
// expiry alone decides it and its run is never read. Pure.
import { claimantState, implausibleExpiry, type ClaimantState } from '../../core/claims/claimant-state.js';
import { safeIso } from '../../core/duration.js';
import {
  SWEEP_KINDS,
  type Claim,
  type Relier,
  type RunState,
  type SweepCounts,
  type SweepEntry,
} from '../../core/claims/claims.js';

export function planSweep(
  claims: readonly Claim[],
  runs: ReadonlyMap<string, RunState>,
  now: number,
): SweepEntry[] {
  return claims.map((claim) => entryOf(claim, runs, now));
}

function entryOf(claim: Claim, runs: ReadonlyMap<string, RunState>, now: number): SweepEntry {
  const { standing, mark } = claim;
  if (!standing.holds) {
    const entry: SweepEntry = { claim, kind: standing.kind, reason: standing.reason };
    if (!standing.pinned || !mark?.ephemeral) return entry;
    const states = [mark, ...(claim.reliers ?? [])].map((m) => claimantState(m, runs, now));
    const since = stuckSince(claim, states, now, standing.pinned.since);
    return { ...entry, run: states[0]!.run, ...(since !== undefined ? { stuckSince: since } : {}) };
  }
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
  const reliers = claim.reliers ?? [];
  const states = [mark, ...reliers].map((m) => claimantState(m, runs, now));
  const own = states[0]!;
  // Whose state decides: the creator's alone, or each relying run's after it.
  const said = (i: number, s: ClaimantState) =>
    i === 0
      ? s.reason
      : `relied on by ${reliers[i - 1]!.run.runId === mark.run.runId ? 'another attempt of its run' : 'another run'} (its claim: ${by(reliers[i - 1]!)}): ${s.reason}`;
  const unproven = states.findIndex((s) => s.kind === 'unproven');
  if (unproven >= 0) {
    const since = stuckSince(claim, states, now);
    return {
      claim,
      kind: 'unproven',
      reason: said(unproven, states[unproven]!),
      run: own.run,
      ...(since !== undefined ? { stuckSince: since } : {}),
    };
  }
  const running = states.findIndex((s) => s.kind === 'running');
  if (running >= 0) {
    const endedReliers = reliers.filter((_, i) => states[i + 1]!.kind === 'ended');
    return {
      claim,
      kind: 'running',
      reason: said(running, states[running]!),
      run: own.run,
      ...(endedReliers.length > 0 ? { endedReliers } : {}),
    };
  }
  const reason =
    reliers.length === 0
      ? own.reason
      : `${own.reason}; and every run that relied on it has ended (${states
          .slice(1)
          .map((s, i) => `run ${reliers[i]!.run.runId} attempt ${reliers[i]!.run.attempt}: ${s.reason}`)
          .join('; ')})`;
  return { claim, kind: 'revoke', reason, run: own.run };
}

const by = (relier: Relier) => `${relier.madeBy} at ${safeIso(relier.madeAt)}`;

/**
 * When no sweep will end a claim's grant unless someone acts: once no claimant may still need it
 * (each has ended, or cannot be proven and its run is not seen going), from the latest of its
 * claims' creates (`pinnedSince`: the claim at fault's), its runs' completions and its passed
 * expiries. Undefined while any claimant may still need it.
 */
function stuckSince(
  claim: Claim,
  states: readonly ClaimantState[],
  now: number,
  pinnedSince?: number,
): number | undefined {
  const claimants = [
    { mark: claim.mark!, madeAt: claim.madeAt },
    ...(claim.reliers ?? []).map((r) => ({ mark: r, madeAt: r.madeAt })),
  ];
  let since = pinnedSince ?? -Infinity;
  for (const [i, { mark, madeAt }] of claimants.entries()) {
    const state = states[i]!;
    const expired =
      mark.expiresAt !== undefined && Number.isSafeInteger(mark.expiresAt) && mark.expiresAt * 1000 <= now
        ? mark.expiresAt * 1000
        : Infinity;
    // A claimant whose run is still going may still need the grant, until its expiry.
    if (expired === Infinity && (state.kind === 'running' || state.run?.state === 'going')) return undefined;
    // A run not read this time (a rate limit, GitHub unreachable, the deadline) is not a fault; a
    // time-bound claimant's run is never read, its expiry alone ends it.
    const unread = state.run === undefined && !implausibleExpiry(mark, now) && !mark.timeBound;
    if (unread || (state.run?.state === 'unreadable' && state.run.transient)) return undefined;
    const completed = (state.run?.state === 'completed' ? state.run.endedAt : undefined) ?? Infinity;
    const ended = Math.min(expired, completed);
    since = Math.max(since, madeAt, ended === Infinity ? madeAt : ended);
  }
  return since;
}

export function sweepCounts(entries: readonly SweepEntry[]): SweepCounts {
  const counts = Object.fromEntries(SWEEP_KINDS.map((k) => [k, 0])) as SweepCounts;
  for (const entry of entries) counts[entry.kind]++;
  return counts;
}

/**
 * The entries that would be revoked, with those the evidence re-checked just before the revokes
 * no longer proves (another caller's create since, an older create before) dropped to unproven.
 */
export function withRechecks(
  entries: readonly SweepEntry[],
  dropped: ReadonlyMap<Claim, string>,
): SweepEntry[] {
  return entries.map((entry) => {
    const why = entry.kind === 'revoke' ? dropped.get(entry.claim) : undefined;
    return why === undefined ? entry : { ...entry, kind: 'unproven', reason: why };
  });
}

/**
 * More revokes than `max-deletions`, with what the sweep ends beside them (`besides`: a kind's
 * upkeep, memberships of groups): the plan is reported and nothing is written.
 */
export function sweepRefusal(
  entries: readonly SweepEntry[],
  maxDeletions: number,
  besides = 0,
): { reason: string; fix: string } | undefined {
  const revokes = entries.filter((e) => e.kind === 'revoke').length + besides;
  if (revokes <= maxDeletions) return undefined;
  const of = besides > 0 ? ` (${besides} of them ended beside the revokes)` : '';
  return {
    reason: `the sweep would revoke ${revokes} grant(s)${of}, more than \`max-deletions\` (${maxDeletions}); nothing was revoked`,
    fix: 'check the plan above; if it is right, raise `max-deletions` for one run',
  };
}
