// The claims stage of `operation: reconcile`, between the diff and its decisions: for each
// assignment the plan would delete, the claim the evidence shows on it (read by the cloud's
// reconciler, only for those), the runs that decide it asked about once each, and the verdict
// (core/claims/live.ts). A delete a live, proven claim holds is planned `claimed` and left in place
// (a running job's ephemeral grant, an approved request's, a PIM schedule's); one whose claim is
// not honoured (forged, unproven, ended, an expiry more than 35 days ahead) stays a delete, and the
// plan says why. A proven claim whose runs could not be read now (no token, GitHub's rate limit,
// GitHub unreachable, the deadline) is unknown: an unknown is never a delete, so it is left in
// place and listed with why; only GitHub's 404 for its run makes it unproven. Each claim says where
// it came from as far as GitHub says: a job's run, a request's requester and approvers.
import { runKeyOf, type ReadRuns, type RunRef } from '../../core/claims/claims.js';
import {
  claimVerdict,
  runsDecidingVerdicts,
  withRunOrigin,
  type ClaimVerdict,
  type LiveClaim,
} from '../../core/claims/live.js';
import { originShown } from '../../core/claims/claim-words.js';
import type { ReconcilePlan } from '../../core/plan/assignment-diff.js';
import { withClaims } from '../../core/plan/claimed-deletes.js';
import type { Reconciler } from '../../engine/run/reconciler.js';

/** The plan with its claimed deletes left in place, and what the read and the verdicts say. */
export async function claimedPlan(
  plan: ReconcilePlan,
  reconciler: Pick<Reconciler, 'readClaims'>,
  readRuns: ReadRuns | undefined,
  now: number,
): Promise<{ plan: ReconcilePlan; notes: string[] }> {
  if (plan.deletes.length === 0 || !reconciler.readClaims) return { plan, notes: [] };
  const read = await reconciler.readClaims(plan.deletes, now);
  const holding = [...read.claims.values()].filter((c) => c.standing.holds);
  const asked = runsDecidingVerdicts(holding, now);
  const runs = asked.length > 0 && readRuns ? await readRuns(asked) : undefined;
  const states = runs?.states ?? new Map();
  const verdicts = new Map<string, ClaimVerdict>();
  for (const d of plan.deletes) {
    const claim = read.claims.get(d.key);
    const verdict = read.decided.get(d.key) ?? (claim ? claimVerdict(claim, states, now) : undefined);
    if (verdict) verdicts.set(d.key, verdict);
  }
  const origins = await requestOrigins(verdicts, readRuns);
  const decided = withClaims(plan, (d) => origins.verdicts.get(d.key));
  return {
    plan: withClaimNotes(decided.plan, decided.refused, read.untrusted),
    notes: [
      ...read.notes,
      ...(asked.length === 0
        ? []
        : runs
          ? [
              `GitHub: ${runs.states.size} run(s) claiming what the plan would delete asked about in ${runs.requests} request(s)`,
              ...(runs.rateLimited ? [runs.rateLimited] : []),
              ...(runs.unreachable ? [runs.unreachable] : []),
            ]
          : [
              `GitHub: ${asked.length} run(s) claim what the plan would delete, and no \`github-token\` was given to ask whether they have finished: their grants are left in place, unknown`,
            ]),
      ...origins.notes,
    ],
  };
}

/** A verdict's claim, live or made, with `change` applied. */
function withClaimOf(verdict: ClaimVerdict, change: (claim: LiveClaim) => LiveClaim): ClaimVerdict {
  if ('live' in verdict) return { ...verdict, live: change(verdict.live) };
  if ('unknown' in verdict) return { ...verdict, made: change(verdict.made) };
  return verdict.made ? { ...verdict, made: change(verdict.made) } : verdict;
}

/** A request's claim of a verdict: live, unknown or ended, its run known. */
function requestOf(verdict: ClaimVerdict): LiveClaim | undefined {
  const claim = 'live' in verdict ? verdict.live : verdict.made;
  return claim?.kind === 'requested' && claim.run ? claim : undefined;
}

/**
 * Who asked for each request's grant the plan names, and who approved it: its run (the requester
 * started it) and its review history, asked of GitHub once per run. A request's verdict never
 * reads its run (its expiry decides it), so this is for the words alone: no answer, nothing said.
 */
async function requestOrigins(
  verdicts: ReadonlyMap<string, ClaimVerdict>,
  readRuns: ReadRuns | undefined,
): Promise<{ verdicts: ReadonlyMap<string, ClaimVerdict>; notes: string[] }> {
  const runs = new Map<string, RunRef>();
  for (const verdict of verdicts.values()) {
    const run = requestOf(verdict)?.run;
    if (run) runs.set(runKeyOf(run), run);
  }
  if (runs.size === 0 || !readRuns) return { verdicts, notes: [] };
  const read = await readRuns([...runs.values()], { approvals: true });
  const withOrigins = new Map(
    [...verdicts].map(([key, verdict]) => [
      key,
      requestOf(verdict) ? withClaimOf(verdict, (c) => withRunOrigin(c, read.states)) : verdict,
    ]),
  );
  return {
    verdicts: withOrigins,
    notes: [
      `GitHub: ${runs.size} request run(s) asked who asked and approved in ${read.requests} request(s)`,
    ],
  };
}

/**
 * Each delete with what its claim is and why it does not keep it, said beside the delete (by the
 * names the plan reads later), with the job that made it where GitHub's answer named it: a claim not honoured (ended, not proven), and a session of an
 * identity `created-by` does not trust. A permanent grant claims nothing that would keep it
 * (the manifest's own, a run's made to stay): nothing is said.
 */
function withClaimNotes(
  plan: ReconcilePlan,
  refused: ReturnType<typeof withClaims>['refused'],
  untrusted: ReadonlyMap<string, string> | undefined,
): ReconcilePlan {
  const notHonoured = new Map(
    refused
      .filter(({ verdict }) => !('permanent' in verdict && verdict.permanent))
      .map(({ assignment, reason, verdict }) => {
        const origin = 'made' in verdict && verdict.made ? originShown(verdict.made) : undefined;
        return [assignment.key, `claim not honoured: ${reason}${origin ? `; made by ${origin}` : ''}`];
      }),
  );
  const deletes = plan.deletes.map((d) => {
    const said = [notHonoured.get(d.key), untrusted?.get(d.key)].filter(Boolean).join('; ');
    return said ? { ...d, claimNote: said } : d;
  });
  return { ...plan, deletes };
}
