// Where one run that claims a grant stands, as the sweep weighs it and as a relying step weighs
// the markers it would remove to make room for its own (azure/arm/reliance.ts): ended (its grant
// may go), still running, or not proven. One rule for both, so a step never removes the marker of
// a run the sweep would still count as running. Pure.
import { LONGEST_RUN_MS, safeIso } from '../duration.js';
import { runKeyOf, type ClaimMark, type RunState } from './claims.js';

/** The longest `duration` a step accepts (AWS, 35 days): an expiry further away than this from now was not written by a step. */
export const MAX_EXPIRY_AHEAD_MS = LONGEST_RUN_MS;

const when = (unixSeconds: number) => safeIso(unixSeconds * 1000);

/** An expiry no step writes: more than 35 days from now, or not a time at all. */
export const implausibleExpiry = (mark: ClaimMark, now: number) =>
  mark.expiresAt !== undefined &&
  (!Number.isSafeInteger(mark.expiresAt) || mark.expiresAt * 1000 > now + MAX_EXPIRY_AHEAD_MS);

/** Where one claimant stands: ended (its grant may go), still running, or not proven. */
export type ClaimantState =
  | { kind: 'ended'; reason: string; run?: RunState | undefined }
  | { kind: 'running'; reason: string; run?: RunState | undefined }
  | {
      kind: 'unproven';
      reason: string;
      run?: RunState | undefined;
      /**
       * Its run could not be read now (no token, a rate limit, GitHub unreachable or refusing, the
       * deadline): not disproven, only unknown. GitHub's 404 alone disproves a run's claim.
       */
      unknown?: true;
    };

export function claimantState(
  mark: ClaimMark,
  runs: ReadonlyMap<string, RunState>,
  now: number,
): ClaimantState {
  const runName = `run ${mark.run.runId} attempt ${mark.run.attempt}`;
  if (implausibleExpiry(mark, now))
    return {
      kind: 'unproven',
      reason: `${runName}'s mark says its grant ends at ${when(mark.expiresAt!)}, more than 35 days from now: no step writes that (\`duration\` is at most 35 days), so the mark proves nothing`,
    };
  if (mark.timeBound) return timeBoundState(mark, runName, now);
  const run = runs.get(runKeyOf(mark.run));
  if (!run) return { kind: 'unproven', reason: `${runName} was not read`, unknown: true };
  if (run.state === 'unreadable')
    return {
      kind: 'unproven',
      reason: `${runName} could not be read: ${run.reason}`,
      run,
      ...(run.notFound ? {} : { unknown: true as const }),
    };
  if (run.latestAttempt !== undefined && Number(run.latestAttempt) < Number(mark.run.attempt))
    return {
      kind: 'unproven',
      reason: `GitHub's latest attempt of run ${mark.run.runId} is ${run.latestAttempt}, before the attempt ${mark.run.attempt} its mark names`,
      run,
    };
  if (mark.expiresAt !== undefined && mark.expiresAt * 1000 <= now)
    return { kind: 'ended', reason: `its \`duration\` ended at ${when(mark.expiresAt)}`, run };
  const latest =
    run.latestAttempt !== undefined && run.latestAttempt !== mark.run.attempt
      ? ` (its latest attempt, ${run.latestAttempt})`
      : '';
  if (run.state === 'going')
    return {
      kind: 'running',
      reason: `${runName} is still ${run.status}${latest}${mark.expiresAt !== undefined ? `; its \`duration\` ends at ${when(mark.expiresAt)}` : ''}`,
      run,
    };
  return {
    kind: 'ended',
    reason: `${runName} has completed${latest}${run.conclusion ? ` (${run.conclusion})` : ''}`,
    run,
  };
}

/**
 * An access request's claim or reliance (`-t`, `-tr`): it ends at its expiry, whatever its run's
 * state. The request's job ends at once, so a completed run says nothing, and one still going (or
 * one no token can read) does not keep the grant past the expiry the policy allowed.
 */
function timeBoundState(mark: ClaimMark, runName: string, now: number): ClaimantState {
  const until = when(mark.expiresAt!);
  if (mark.expiresAt! * 1000 <= now)
    return {
      kind: 'ended',
      reason: `${runName}'s access request ended at ${until} (a time-bound claim: its expiry alone ends it, whatever the run's state)`,
    };
  return {
    kind: 'running',
    reason: `${runName}'s access request lasts until ${until} (a time-bound claim: its expiry alone ends it, whatever the run's state)`,
  };
}
