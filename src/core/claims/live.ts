// Whether a claim on a grant is live: the one rule by which a reconcile leaves a grant the manifest
// does not list in place, and a report classes it. A claim is live while one of its claimants is:
// a run's ephemeral claim (`-e`, `:e`) or reliance (`-r`, `:r`) while its run has not finished
// and its `duration` has not passed; an access request's (`-t`, `-tr`) before its expiry,
// whatever its run; an Azure PIM schedule before its end. It is no claim when the evidence does not
// prove it (./aws-evidence.ts, azure/role-assignment/run-markers.ts: created-by identities, the first
// create of the current life, markers written by created-by identities), when every claimant has
// ended, or when an expiry lies more than 35 days ahead (no step writes one). Each claimant is
// weighed as the sweep weighs it (./claimant-state.ts), so nothing a sweep would still leave is
// deleted by a reconcile, and nothing a sweep would end is kept by one. Pure. A claim in words is
// ./claim-words.ts's.
import { safeIso } from '../duration.js';
import {
  claimantState,
  implausibleExpiry,
  MAX_EXPIRY_AHEAD_MS,
  type ClaimantState,
} from './claimant-state.js';
import {
  runKeyOf,
  type AnyClaim as Claim,
  type ClaimMark,
  type JobOrigin,
  type RunRef,
  type RunState,
} from './claims.js';

/** What a live claim is: a run's that ends with it (or its `duration`), a request's, a PIM schedule's. */
export type ClaimKind = 'ephemeral' | 'requested' | 'time-bound';
export const CLAIM_KINDS: readonly ClaimKind[] = ['ephemeral', 'requested', 'time-bound'];

export interface LiveClaim {
  kind: ClaimKind;
  /** When it ends at the latest, epoch ms; absent: when its run ends. */
  until?: number;
  /** The run whose claim it is (shown as its page). */
  run?: RunRef;
  /** Which job that run is, where GitHub's answer for it said (its workflow, number, actor). */
  job?: JobOrigin;
  /** Who made it, when no run names it (a PIM schedule's creator). */
  by?: string;
  /** Why it is live, in words. */
  reason: string;
}

/**
 * A claim's verdict: live; unknown (proven, but a run that decides it could not be read now: a
 * rate limit, GitHub unreachable, no token, the deadline), which is never a delete; or why not.
 * `permanent`: a cloud-access run made it without `revoke-on-exit` or `duration` (a grant meant to
 * stay, which no claim ends). `made`: the claim a proven cloud-access session made, whose kind a
 * report keeps whether or not it is still live (an ended run's ephemeral grant is `ephemeral`,
 * not live, never foreign); absent when nothing proves a cloud-access session made it.
 * `reliance`: the claim weighed is only runs' reliance on the grant (on one no run's claim made,
 * or on a run's permanent grant): it keeps the grant while live, and never says who made it.
 */
export type ClaimVerdict =
  | { live: LiveClaim; permanent?: true; reliance?: true }
  | { unknown: string; made: LiveClaim; permanent?: true; reliance?: true }
  | { none: string; permanent?: true; made?: LiveClaim; reliance?: true };

/** Whether a verdict's claim holds now: true, false, or `unknown` (never a delete). */
export type ClaimLiveness = boolean | 'unknown';

export const livenessOf = (verdict: ClaimVerdict): ClaimLiveness =>
  'live' in verdict ? true : 'unknown' in verdict ? 'unknown' : false;

/** Which job a run is, from GitHub's answer for it, when it said any of it. */
function jobOfRun(run: RunState | undefined): { job?: JobOrigin } {
  if (!run || run.state === 'unreadable') return {};
  const job: JobOrigin = {
    ...(run.workflow !== undefined ? { workflow: run.workflow } : {}),
    ...(run.runNumber !== undefined ? { runNumber: run.runNumber } : {}),
    ...(run.actor !== undefined ? { actor: run.actor } : {}),
    ...(run.approvers !== undefined ? { approvers: run.approvers } : {}),
  };
  return Object.keys(job).length > 0 ? { job } : {};
}

/**
 * The claim with which job its run is, from GitHub's answer for that run (`states`, by runKeyOf),
 * where it said any of it: a request's claim, whose run its verdict never reads, once it was asked.
 */
export const withRunOrigin = (claim: LiveClaim, states: ReadonlyMap<string, RunState>): LiveClaim =>
  claim.run ? { ...claim, ...jobOfRun(states.get(runKeyOf(claim.run))) } : claim;

/** The claim a run's mark makes, as a report names it: its kind, its run (and job, where read), until when. */
const madeOf = (mark: ClaimMark, reason: string, run?: RunState): LiveClaim => ({
  kind: mark.timeBound ? 'requested' : 'ephemeral',
  ...(mark.expiresAt !== undefined && Number.isSafeInteger(mark.expiresAt)
    ? { until: mark.expiresAt * 1000 }
    : {}),
  run: mark.run,
  ...jobOfRun(run),
  reason,
});

/** The first claimant whose run could not be read now, as an unknown verdict. */
function unknownAmong(
  claimants: readonly ClaimMark[],
  states: readonly ClaimantState[],
): { unknown: string; made: LiveClaim } | undefined {
  const at = states.findIndex((s) => s.kind === 'unproven' && s.unknown);
  if (at < 0) return undefined;
  const reason = states[at]!.reason;
  return {
    unknown: `its claim cannot be told live or ended now: ${reason}`,
    made: madeOf(claimants[at]!, reason),
  };
}

/** Every run a claim names whose state decides it: its creator's and its reliers', but those ended by their expiry alone. */
const claimantsOf = (claim: Claim): ClaimMark[] =>
  claim.mark?.ephemeral ? [claim.mark, ...(claim.reliers ?? [])] : [];

/**
 * The runs a permanent grant of a cloud-access run relies on being kept for: the runs that relied
 * on it since (`-r`, `-tr`). No sweep ends it, but a reconcile would, and those runs need it.
 */
const reliersOfPermanent = (claim: Claim): ClaimMark[] =>
  claim.mark && !claim.mark.ephemeral ? (claim.reliers ?? []) : [];

const runsOf = (claims: readonly Claim[], now: number, marksOf: (claim: Claim) => ClaimMark[]) => {
  const runs = new Map<string, RunRef>();
  for (const claim of claims) {
    if (!claim.standing.holds && !claim.standing.pinned) continue;
    for (const mark of marksOf(claim))
      if (!implausibleExpiry(mark, now) && !mark.timeBound) runs.set(runKeyOf(mark.run), mark.run);
  }
  return [...runs.values()];
};

/**
 * The runs to ask GitHub about for these claims, once each: every claimant's run but those an
 * expiry alone decides (`-t`, `-tr`) or whose expiry no step writes (the claimant at fault is not
 * read, the others are, so the fault is named). The sweep's: it never ends a permanent grant.
 */
export const runsDecidingClaims = (claims: readonly Claim[], now: number): RunRef[] =>
  runsOf(claims, now, claimantsOf);

/**
 * The runs whose state decides claimVerdict: those of runsDecidingClaims and the runs that relied
 * on a permanent grant of a cloud-access run (a reconcile leaves it while one of them needs it).
 */
export const runsDecidingVerdicts = (claims: readonly Claim[], now: number): RunRef[] =>
  runsOf(claims, now, (claim) => [...claimantsOf(claim), ...reliersOfPermanent(claim)]);

/** The verdict on a claim the evidence read (AWS CloudTrail, Azure markers), given its runs' states. */
export function claimVerdict(claim: Claim, runs: ReadonlyMap<string, RunState>, now: number): ClaimVerdict {
  const { standing, mark } = claim;
  if (!standing.holds) return { none: `its claim is not proven: ${standing.reason}` };
  if (!mark) return { none: `not a cloud-access run’s grant (made by ${claim.madeBy})` };
  if (!mark.ephemeral) {
    const reliers = reliersOfPermanent(claim);
    const states = reliers.map((m) => claimantState(m, runs, now));
    const live = liveAmong(reliers, runs, now, states);
    if (live) return { ...live, permanent: true, reliance: true };
    const unknown = unknownAmong(reliers, states);
    if (unknown) return { ...unknown, permanent: true, reliance: true };
    return {
      none: 'a permanent grant of a cloud-access run (made without `revoke-on-exit` or `duration`)',
      permanent: true,
    };
  }
  const claimants = claimantsOf(claim);
  const states = claimants.map((m) => claimantState(m, runs, now));
  const reliance = claim.reliance ? { reliance: true as const } : {};
  const live = liveAmong(claimants, runs, now, states);
  if (live) return { ...live, ...reliance };
  // A run that could not be read now is not a claim disproven: never a delete.
  const unknown = unknownAmong(claimants, states);
  if (unknown) return { ...unknown, ...reliance };
  const unproven = states.find((s) => s.kind === 'unproven');
  if (unproven) return { none: `its claim is not proven: ${unproven.reason}`, ...reliance };
  // A reliance that has ended made nothing: no run's grant for the sweep to end.
  if (claim.reliance)
    return { none: `every run that relied on it has ended: ${states[0]!.reason}`, ...reliance };
  return {
    none: `its claim has ended: ${states[0]!.reason}`,
    made: madeOf(mark, states[0]!.reason, states[0]!.run),
  };
}

/** The live claim of the first of these claimants still running, if one is. */
function liveAmong(
  claimants: readonly ClaimMark[],
  runs: ReadonlyMap<string, RunState>,
  now: number,
  states = claimants.map((m) => claimantState(m, runs, now)),
): { live: LiveClaim } | undefined {
  const running = states.findIndex((s) => s.kind === 'running');
  if (running < 0) return undefined;
  const holder = claimants[running]!;
  return {
    live: {
      kind: holder.timeBound ? 'requested' : 'ephemeral',
      ...(holder.expiresAt !== undefined ? { until: holder.expiresAt * 1000 } : {}),
      run: holder.run,
      ...jobOfRun(states[running]!.run),
      reason: states[running]!.reason,
    },
  };
}

/** An Azure PIM schedule as its claim: when it ends (epoch ms), and who created its assignment (ARM's `createdBy`). */
export interface ScheduleClaim {
  endsAt: number;
  createdBy: string | undefined;
}

/**
 * A PIM schedule with an end: Azure ends it itself, so it is live until then, when an identity of
 * `created-by` made it (a request's or a `duration` step's) and its end is no further than a step
 * writes.
 */
export function scheduleVerdict(
  schedule: ScheduleClaim,
  createdBy: ReadonlySet<string>,
  now: number,
): ClaimVerdict {
  const until = safeIso(schedule.endsAt);
  if (schedule.createdBy === undefined || !createdBy.has(schedule.createdBy.toLowerCase()))
    return {
      none: `its PIM schedule (until ${until}) was made by ${schedule.createdBy ?? 'an identity ARM does not name'}, not one of \`created-by\``,
    };
  if (schedule.endsAt <= now)
    return {
      none: `its PIM schedule ended at ${until}`,
      made: {
        kind: 'time-bound',
        until: schedule.endsAt,
        by: schedule.createdBy,
        reason: `a PIM schedule that ended at ${until}, made by ${schedule.createdBy}`,
      },
    };
  if (schedule.endsAt > now + MAX_EXPIRY_AHEAD_MS)
    return {
      none: `its PIM schedule ends at ${until}, more than 35 days from now: no step writes that (\`duration\` is at most 35 days), so it is not honoured`,
    };
  return {
    live: {
      kind: 'time-bound',
      until: schedule.endsAt,
      by: schedule.createdBy,
      reason: `a PIM schedule until ${until}, made by ${schedule.createdBy}`,
    },
  };
}
