// The claims stage of a reconcile (operations/reconcile/reconcile-claims.ts): what the evidence
// says of each delete, weighed by core/claims/live.ts, and what the plan then decides.
import { describe, expect, it } from '@jest/globals';
import { runKeyOf, type Claim, type ReadRuns } from '../../../src/core/claims/claims.js';
import {
  keyedAs,
  planCounts,
  type CurrentAssignment,
  type ReconcilePlan,
} from '../../../src/core/plan/assignment-diff.js';
import type { ClaimsOnDeletes } from '../../../src/engine/run/reconciler.js';
import { claimedPlan } from '../../../src/operations/reconcile/reconcile-claims.js';
import { claimShown } from '../../../src/core/claims/claim-words.js';
import { decideReconcile } from '../../../src/operations/reconcile/reconcile-plan.js';
import { hasDrift } from '../../../src/operations/reconcile/reconcile-drift.js';

const NOW = Date.parse('2026-11-25T10:00:00Z');
const run = { repositoryId: '1', runId: '9', attempt: '1' };

const current = (principalId: string): CurrentAssignment<string> => ({
  ...keyedAs('aws-account-assignment', {
    principalId,
    principalType: 'USER',
    roleId: 'ps',
    targetId: '111111111111',
    target: '111111111111',
  }),
  managed: true,
  shown: { principal: principalId, role: 'ps', target: '111111111111' },
});

const planDeleting = (...deletes: CurrentAssignment<string>[]): ReconcilePlan => ({
  creates: [],
  deletes,
  claimed: [],
  unknown: [],
  updates: [],
  unchanged: [],
  unmanaged: [],
  managedNow: deletes.length + 1,
});

const claimOn = (more: Partial<Claim> = {}): Claim => ({
  ids: { cloud: 'aws', principalId: 'p', principalType: 'USER', roleId: 'ps', accountId: '111111111111' },
  shown: { principal: 'p', role: 'ps', target: '111111111111' },
  mark: { run, ephemeral: true },
  madeBy: 'arn:aws:sts::1:assumed-role/deployer/cloud-access-1-9-1-e',
  madeAt: NOW - 60_000,
  evidence: 'CloudTrail',
  standing: { holds: true },
  ...more,
});

/** A reconciler whose evidence is `read`, counting what it is asked. */
function evidence(read: Partial<ClaimsOnDeletes>) {
  const asked: CurrentAssignment[][] = [];
  return {
    asked,
    reconciler: {
      readClaims: async (deletes: CurrentAssignment[]) => {
        asked.push(deletes);
        return { claims: new Map(), decided: new Map(), notes: [], ...read };
      },
    },
  };
}

const runGoing: ReadRuns = async (runs) => ({
  states: new Map(runs.map((r) => [runKeyOf(r), { state: 'going', status: 'in_progress' } as const])),
  requests: runs.length,
});

describe('a request’s claim names who asked and who approved, where GitHub says, and nothing it did not', () => {
  const requestClaim = () =>
    claimOn({ mark: { run, ephemeral: true, timeBound: true, expiresAt: NOW / 1000 + 3600 } });
  const context = { repository: 'octo-org/octo-repo', repositoryId: '1', serverUrl: 'https://github.com' };

  it('asks GitHub for the request’s run and its approvals once, and says `request by alice, approved by carol`', async () => {
    const alice = current('alice');
    const { reconciler } = evidence({ claims: new Map([[alice.key, requestClaim()]]) });
    const asked: { runs: string[]; approvals: boolean | undefined }[] = [];
    const readRuns: ReadRuns = async (runs, wants) => {
      asked.push({ runs: runs.map((r) => r.runId), approvals: wants?.approvals });
      return {
        states: new Map(
          runs.map((r) => [
            runKeyOf(r),
            { state: 'completed', conclusion: 'success', actor: 'alice', approvers: ['carol'] } as const,
          ]),
        ),
        requests: runs.length * 2,
      };
    };
    const { plan, notes } = await claimedPlan(planDeleting(alice), reconciler, readRuns, NOW);
    expect(asked).toEqual([{ runs: ['9'], approvals: true }]);
    expect(claimShown(plan.claimed[0]!.claim, context)).toBe(
      'requested, request by alice, approved by carol, https://github.com/octo-org/octo-repo/actions/runs/9/attempts/1, until 2026-11-25T11:00:00.000Z',
    );
    expect(notes).toContainEqual(
      expect.stringMatching(/^GitHub: 1 request run\(s\) asked who asked and approved/),
    );
  });

  it('without a token, says the request’s run alone: no requester or approver is guessed', async () => {
    const alice = current('alice');
    const { reconciler } = evidence({ claims: new Map([[alice.key, requestClaim()]]) });
    const { plan } = await claimedPlan(planDeleting(alice), reconciler, undefined, NOW);
    expect(plan.claimed[0]!.claim).not.toHaveProperty('job');
    expect(claimShown(plan.claimed[0]!.claim, context)).toBe(
      'requested, https://github.com/octo-org/octo-repo/actions/runs/9/attempts/1, until 2026-11-25T11:00:00.000Z',
    );
  });
});

describe('a delete a live claim holds is claimed: left in place, not drift, not a deletion', () => {
  it('moves to `claimed` with its claim, is counted there, and leaves no drift nor a refusal', async () => {
    const alice = current('alice');
    const { reconciler } = evidence({ claims: new Map([[alice.key, claimOn()]]) });
    const { plan } = await claimedPlan(planDeleting(alice), reconciler, runGoing, NOW);
    expect(plan.deletes).toEqual([]);
    expect(plan.claimed).toEqual([{ ...alice, claim: expect.objectContaining({ kind: 'ephemeral', run }) }]);
    expect(planCounts(plan)).toMatchObject({ delete: 0, claimed: 1 });
    expect(hasDrift(plan)).toBe(false);
    const decision = decideReconcile(plan, {
      dryRun: false,
      maxDeletions: 0,
      allowDeleteAll: false,
      section: 'aws',
    });
    expect(decision.refusal).toBeUndefined();
  });

  it('a claim decided without a run (a PIM schedule’s end) is taken as it is', async () => {
    const alice = current('alice');
    const { reconciler } = evidence({
      decided: new Map([[alice.key, { live: { kind: 'time-bound', until: NOW + 1, by: 'x', reason: 'r' } }]]),
    });
    const { plan } = await claimedPlan(planDeleting(alice), reconciler, undefined, NOW);
    expect(plan.claimed.map((c) => c.claim.kind)).toEqual(['time-bound']);
  });
});

describe('an unknown is never a delete: a proven claim whose run cannot be read now is left in place', () => {
  const rateLimited: ReadRuns = async (runs) => ({
    states: new Map(
      runs.map((r) => [
        runKeyOf(r),
        { state: 'unreadable', reason: 'GitHub’s API rate limit was reached', transient: true },
      ]),
    ),
    requests: 0,
    rateLimited: 'GitHub’s API rate limit was reached',
  });

  it('GitHub’s rate limit: listed unknown with why, counted, no delete and no drift', async () => {
    const alice = current('alice');
    const { reconciler } = evidence({ claims: new Map([[alice.key, claimOn()]]) });
    const { plan } = await claimedPlan(planDeleting(alice), reconciler, rateLimited, NOW);
    expect(plan.deletes).toEqual([]);
    expect(plan.unknown).toEqual([
      {
        ...alice,
        unknown: {
          reason: expect.stringMatching(/run 9 attempt 1 could not be read: GitHub’s API rate limit/),
          made: expect.objectContaining({ kind: 'ephemeral', run }),
        },
      },
    ]);
    expect(planCounts(plan)).toMatchObject({ delete: 0, claimed: 0, unknown: 1 });
    expect(hasDrift(plan)).toBe(false);
    expect(plan.deletes).toEqual([]);
  });

  it('no token: its run not read, unknown, left in place, saying so', async () => {
    const alice = current('alice');
    const { reconciler } = evidence({ claims: new Map([[alice.key, claimOn()]]) });
    const { plan, notes } = await claimedPlan(planDeleting(alice), reconciler, undefined, NOW);
    expect(plan.deletes).toEqual([]);
    expect(plan.unknown.map((u) => u.unknown.reason)).toEqual([expect.stringMatching(/was not read/)]);
    expect(notes).toEqual([expect.stringMatching(/no `github-token` was given.*left in place, unknown/)]);
  });

  it('a plan whose other deletes would empty the section is still refused without `allow-delete-all`', async () => {
    const alice = current('alice');
    const bob = current('bob');
    const { reconciler } = evidence({ claims: new Map([[alice.key, claimOn()]]) });
    const { plan } = await claimedPlan(
      { ...planDeleting(alice, bob), managedNow: 2 },
      reconciler,
      rateLimited,
      NOW,
    );
    const decision = decideReconcile(plan, {
      dryRun: false,
      maxDeletions: 5,
      allowDeleteAll: false,
      section: 'aws',
    });
    expect(decision.refusal?.reason).toMatch(/deletes every one/);
  });
});

describe('a claim not honoured leaves the delete, and the plan says why', () => {
  it('a run GitHub answers 404 for: unproven, deleted as drift, saying so', async () => {
    const alice = current('alice');
    const { reconciler } = evidence({ claims: new Map([[alice.key, claimOn()]]) });
    const missing: ReadRuns = async (runs) => ({
      states: new Map(
        runs.map((r) => [
          runKeyOf(r),
          { state: 'unreadable', reason: 'GitHub answered 404', notFound: true },
        ]),
      ),
      requests: runs.length,
    });
    const { plan } = await claimedPlan(planDeleting(alice), reconciler, missing, NOW);
    expect(plan.deletes).toEqual([{ ...alice, claimNote: expect.stringMatching(/^claim not honoured: /) }]);
    expect(plan.unknown).toEqual([]);
    expect(plan.deletes.map((d) => d.claimNote)).toContainEqual(
      expect.stringMatching(
        /^claim not honoured: its claim is not proven: run 9 attempt 1 could not be read: GitHub answered 404/,
      ),
    );
  });

  it('a forged claim is none: deleted, and its run never asked about', async () => {
    const alice = current('alice');
    const asked: unknown[] = [];
    const { reconciler } = evidence({
      claims: new Map([
        [alice.key, claimOn({ standing: { holds: false, kind: 'unproven', reason: 'forged' } })],
      ]),
    });
    const { plan } = await claimedPlan(
      planDeleting(alice),
      reconciler,
      async (runs) => (asked.push(...runs), runGoing(runs)),
      NOW,
    );
    expect(plan.deletes).toEqual([{ ...alice, claimNote: expect.stringMatching(/^claim not honoured: /) }]);
    expect(asked).toEqual([]);
  });
});

describe('what it reads', () => {
  it('nothing, when the plan deletes nothing', async () => {
    const { reconciler, asked } = evidence({});
    await claimedPlan(planDeleting(), reconciler, runGoing, NOW);
    expect(asked).toEqual([]);
  });
});
