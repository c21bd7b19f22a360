// A claim in words, as a reconcile's plan, a report and a sweep say whose a grant is: its run's
// page, the job GitHub named for it, who asked and approved a request, until when. Only what
// GitHub's answer said, each part quoted so that no name passes for another part. Apart from the
// rule that judges a claim live (./live.ts), which says nothing in words but its reasons.
import { safeIso } from '../duration.js';
import { runUrlOf, type WorkflowContext } from '../run-context.js';
import type { JobOrigin, RunRef } from './claims.js';
import type { LiveClaim } from './live.js';

/**
 * The run's page when its repository is known by name (Azure markers carry it; an AWS session
 * name carries the repository's ID, which is this run's own or unknown).
 */
export function runShown(run: RunRef, context: WorkflowContext): string {
  const repository =
    run.repository ??
    (run.repositoryId && run.repositoryId === context.repositoryId ? context.repository : undefined);
  const url = repository
    ? runUrlOf({ serverUrl: context.serverUrl, repository, runId: run.runId, runAttempt: run.attempt })
    : undefined;
  return url ?? `${repository ?? `repository ${run.repositoryId ?? '?'}`} run ${run.runId}/${run.attempt}`;
}

/**
 * A job as GitHub named its run: `job "deploy" run 42 by octocat`, each part only where GitHub's
 * answer said it (the workflow's name quoted, its own `"` and `\\` escaped, so no name passes for
 * a run number or an actor); undefined when it said none.
 */
export function jobShown(job: JobOrigin | undefined): string | undefined {
  if (!job) return undefined;
  const parts = [
    ...(job.workflow !== undefined ? [`"${job.workflow.replace(/["\\]/g, '\\$&')}"`] : []),
    ...(job.runNumber !== undefined ? [`run ${job.runNumber}`] : []),
    ...(job.actor !== undefined ? [`by ${job.actor}`] : []),
  ];
  return parts.length > 0 ? `job ${parts.join(' ')}` : undefined;
}

/**
 * Where a claim came from, in words, as far as GitHub said: a request's `request by alice, approved
 * by carol`, a job's `job "deploy" run 42 by octocat`; undefined when it said nothing.
 */
export function originShown(claim: LiveClaim): string | undefined {
  if (claim.kind !== 'requested') return jobShown(claim.job);
  const { actor, approvers } = claim.job ?? {};
  if (actor === undefined && !approvers?.length) return undefined;
  return `request${actor !== undefined ? ` by ${actor}` : ''}${approvers?.length ? `, approved by ${approvers.join(', ')}` : ''}`;
}

/** A live claim in words: `requested, <run's page>, until 2026-…`; `ephemeral, <run's page>, until its run ends`. */
export function claimShown(claim: LiveClaim, context: WorkflowContext): string {
  return `${claimMadeShown(claim, context)}${claim.until !== undefined ? '' : ', until its run ends'}`;
}

/**
 * Whose a claim is, live or not, in words: `ephemeral, <run's page>` (until its expiry, where it
 * has one); `time-bound, by <creator>, until …`.
 */
export function claimMadeShown(claim: LiveClaim, context: WorkflowContext): string {
  const origin = originShown(claim);
  const whose = claim.run
    ? `${origin ? `${origin}, ` : ''}${runShown(claim.run, context)}`
    : `by ${claim.by ?? 'an identity ARM does not name'}`;
  return `${claim.kind}, ${whose}${claim.until !== undefined ? `, until ${safeIso(claim.until)}` : ''}`;
}
