// What `operation: sweep` reasons about, for both clouds: a grant a cloud-access step made
// (a claim), the evidence that it is still that step's, and the state of the run that made it.
// Pure types.
import type { AssignmentIds, WrittenGrant } from '../types.js';

/** What the sweep does with a grant, and the `plan` output's keys. */
export type SweepKind = 'revoke' | 'running' | 'unproven' | 'permanent' | 'gone';
export const SWEEP_KINDS: readonly SweepKind[] = ['revoke', 'running', 'unproven', 'permanent', 'gone'];

/** The workflow run a grant's session name or marker names. */
export interface RunRef {
  /** `owner/repo` (Azure markers, or the sweep's own repository). */
  repository?: string | undefined;
  /** The repository's numeric ID (AWS session names). */
  repositoryId?: string | undefined;
  runId: string;
  attempt: string;
}

/**
 * A run's key: one GitHub request per distinct key. Attempts share it: a run has finished only when
 * its latest attempt has, since a re-run relies on what an earlier attempt left.
 */
export const runKeyOf = (run: RunRef): string => `${run.repositoryId ?? run.repository ?? ''}#${run.runId}`;

/**
 * How the run a grant names stands now, as the GitHub REST API says of its latest attempt (or why
 * it could not be read).
 */
export type RunState =
  | ({
      state: 'completed';
      conclusion: string | undefined;
      /** When its latest attempt ended (`updated_at`), epoch ms, when GitHub says. */
      endedAt?: number | undefined;
    } & RunSeen)
  | ({ state: 'going'; status: string } & RunSeen)
  | {
      state: 'unreadable';
      reason: string;
      /** A rate limit, an unreachable API or the deadline: the next sweep may read it. */
      transient?: boolean | undefined;
      /**
       * GitHub answered 404: no such run, or none the token may see. The one answer that makes a
       * claim unproven; any other (a rate limit, no answer, a refusal) leaves it unknown.
       */
      notFound?: boolean | undefined;
    };

/**
 * Which job a run is, as GitHub's answer says (its workflow's name, its run number, who started
 * it): only what the answer held in GitHub's shape, never guessed.
 */
export interface JobOrigin {
  /** The workflow's name (`name`). */
  workflow?: string | undefined;
  /** `run_number`. */
  runNumber?: number | undefined;
  /** Who started it (`actor.login`): a request's requester. */
  actor?: string | undefined;
  /** Who approved its deployments (its review history's `approved`), where that was asked. */
  approvers?: string[] | undefined;
}

/** What GitHub's answer says of a run it could read, for a reviewer: its latest attempt, its page, its job. */
export interface RunSeen extends JobOrigin {
  latestAttempt?: string | undefined;
  /** The run's page (`html_url`), held to the shape GitHub gives it. */
  url?: string | undefined;
  /** `owner/repo` (`repository.full_name`), where the grant named the repository by ID only. */
  repository?: string | undefined;
}

/** What is asked of each run beyond its state: who approved its deployments (a request's run). */
export interface RunReadWants {
  approvals?: boolean;
}

/** GitHub's word on runs, each asked about once (github/runs.ts): their states, and what stood in the way. */
export type ReadRuns = (
  runs: readonly RunRef[],
  wants?: RunReadWants,
) => Promise<{
  states: Map<string, RunState>;
  requests: number;
  rateLimited?: string;
  unreachable?: string;
}>;

/** A run's mark on a grant: the run, whether it ends with the run, when its `duration` ends. */
export interface ClaimMark {
  run: RunRef;
  ephemeral: boolean;
  /** Unix seconds. */
  expiresAt?: number | undefined;
  /**
   * An access request's time-bound claim or reliance (`-t`, `-tr`): ended by its expiry alone,
   * whatever its run's state (the request's job ends at once), so its run is never read.
   */
  timeBound?: boolean | undefined;
}

/**
 * A run that relied on a grant it found already there (session name `-r`, marker `:r`), or
 * another run's creation claim after the first: the grant must outlive it too.
 */
export interface Relier extends ClaimMark {
  madeBy: string;
  madeAt: number;
  evidence: string;
}

/**
 * A grant the sweep considers: a create that a role of `created-by` made (AWS), or an assignment
 * under the swept scopes carrying a run marker and made by `created-by` (Azure).
 */
export interface Claim<I extends object = AssignmentIds> {
  /**
   * The IDs a revoke acts on (AWS with its principal type; Azure with the assignment's name; a
   * kind of another shape, its own: a group membership's principal, group and access).
   */
  ids: I;
  /** What a person reads for it. */
  shown: WrittenGrant;
  /** The run it names and whether it is ephemeral; absent: not a cloud-access session name or marker. */
  mark?: ClaimMark | undefined;
  /** The runs that relied on it since (shared grants): it is revoked only once every one has ended. */
  reliers?: Relier[] | undefined;
  /**
   * Runs' reliance (`-r`, `-tr`, a first `:r`) on a grant no run's creation claim proves (a
   * person's, one older than the history): it keeps the grant while one of them needs it (a
   * reconcile leaves it), and never says who made it (the sweep revokes nothing for it; a report
   * classes the grant by its creation). `mark` is then the first relying run's.
   */
  reliance?: true | undefined;
  /** Who made it, and when (epoch ms). */
  madeBy: string;
  madeAt: number;
  /** What the evidence is, for `results` (e.g. a CloudTrail event, a description marker). */
  evidence: string;
  /**
   * What the cloud's evidence says before the run is asked about: the claim holds, or why it is
   * not a grant (`gone`) or cannot be proven the run's (`unproven`).
   */
  standing:
    | { holds: true }
    | {
        holds: false;
        kind: 'gone' | 'unproven';
        reason: string;
        /**
         * A run's grant (its life began with a run's creation claim) that a claim the sweep cannot
         * decide keeps (made at `since`, epoch ms): once every claimant has ended, it is stuck.
         */
        pinned?: { since: number } | undefined;
      };
}

/** A claim on a grant of any kind's shape: what judging it live reads (its mark, its standing), never its IDs. */
export type AnyClaim = Claim<object>;

/** One grant's place in the sweep's plan. */
export interface SweepEntry {
  claim: Claim;
  kind: SweepKind;
  reason: string;
  /** The run's state, when it was read. */
  run?: RunState | undefined;
  /**
   * `running`: the runs that relied on it and have ended (their latest attempt completed, or their
   * `duration` passed), whose reliance markers the sweep may remove from the grant it leaves.
   */
  endedReliers?: ClaimMark[];
  /**
   * Unproven, and no sweep will end it: every claimant has ended or cannot be proven. Since: the
   * latest of its claims' creates, its runs' completions and its passed expiries (epoch ms).
   */
  stuckSince?: number | undefined;
}

export type SweepCounts = Record<SweepKind, number>;
