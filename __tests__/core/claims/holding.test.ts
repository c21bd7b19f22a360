// One classification (core/claims/holding.ts): the report's rows and the reconcile's plan class a
// grant the same way, from the same verdicts (core/claims/live.ts). Each form of claim, live and
// not, weighed once and then handed to both: the reconcile leaves it `claimed` exactly when the
// report classes it as a live claim's kind or says a running job relies on it, and deletes it
// when the report says it is foreign and no job relies on it. A reliance never makes the class.
import { describe, expect, it } from '@jest/globals';
import { runKeyOf, type Claim, type ClaimMark, type RunState } from '../../../src/core/claims/claims.js';
import { CLAIMED_CLASSES, holdingOf } from '../../../src/core/claims/holding.js';
import { claimVerdict, scheduleVerdict, type ClaimVerdict } from '../../../src/core/claims/live.js';
import { keyedAs, type ReconcilePlan } from '../../../src/core/plan/assignment-diff.js';
import { withClaims } from '../../../src/core/plan/claimed-deletes.js';
import { accessRows } from '../../../src/operations/report/access-rows.js';

const NOW = Date.parse('2026-11-25T10:00:00Z');
const SECONDS = NOW / 1000;
const DAY = 24 * 3600;
const OURS = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const run = (runId: string) => ({ repositoryId: '1', runId, attempt: '1' });
const runs = new Map<string, RunState>([
  [runKeyOf(run('going')), { state: 'going', status: 'in_progress' }],
  [runKeyOf(run('done')), { state: 'completed', conclusion: 'success' }],
]);
const claim = (mark: ClaimMark | undefined, holds = true): Claim => ({
  ids: { cloud: 'aws', principalId: 'u', principalType: 'USER', roleId: 'ps', accountId: '111111111111' },
  shown: { principal: 'u', role: 'ps', target: '111111111111' },
  mark,
  madeBy: 'arn:aws:sts::1:assumed-role/deployer/s',
  madeAt: NOW - 60_000,
  evidence: 'CloudTrail',
  standing: holds ? { holds: true } : { holds: false, kind: 'unproven', reason: 'existed before the run' },
});

const CASES: [string, ClaimVerdict, string, boolean | null][] = [
  [
    'a running job’s `-e`',
    claimVerdict(claim({ run: run('going'), ephemeral: true }), runs, NOW),
    'ephemeral',
    true,
  ],
  [
    'a finished run’s `:e`',
    claimVerdict(claim({ run: run('done'), ephemeral: true }), runs, NOW),
    'ephemeral',
    false,
  ],
  [
    'an expired `-e<expiry>`',
    claimVerdict(claim({ run: run('going'), ephemeral: true, expiresAt: SECONDS - 60 }), runs, NOW),
    'ephemeral',
    false,
  ],
  [
    'a `-e<expiry>` 40 days ahead',
    claimVerdict(claim({ run: run('going'), ephemeral: true, expiresAt: SECONDS + 40 * DAY }), runs, NOW),
    'foreign',
    null,
  ],
  [
    'a request’s `-t` before its expiry',
    claimVerdict(
      claim({ run: run('done'), ephemeral: true, timeBound: true, expiresAt: SECONDS + 60 }),
      runs,
      NOW,
    ),
    'requested',
    true,
  ],
  [
    'a request’s `-t` after its expiry',
    claimVerdict(
      claim({ run: run('done'), ephemeral: true, timeBound: true, expiresAt: SECONDS - 60 }),
      runs,
      NOW,
    ),
    'requested',
    false,
  ],
  [
    'a forged `-e` (not the first create of the life)',
    claimVerdict(claim({ run: run('going'), ephemeral: true }, false), runs, NOW),
    'foreign',
    null,
  ],
  [
    'a run’s permanent grant',
    claimVerdict(claim({ run: run('done'), ephemeral: false }), runs, NOW),
    'permanent',
    null,
  ],
  [
    'a run’s permanent grant a running job relies on (`-r`)',
    claimVerdict(
      {
        ...claim({ run: run('done'), ephemeral: false }),
        reliers: [{ run: run('going'), ephemeral: true, madeBy: 'r', madeAt: NOW, evidence: 'CloudTrail' }],
      },
      runs,
      NOW,
    ),
    'permanent',
    null,
  ],
  [
    'a person’s grant older than the history a running job relies on (`-r`)',
    claimVerdict({ ...claim({ run: run('going'), ephemeral: true }), reliance: true }, runs, NOW),
    'foreign',
    null,
  ],
  [
    'a person’s grant older than the history whose relying job has finished',
    claimVerdict({ ...claim({ run: run('done'), ephemeral: true }), reliance: true }, runs, NOW),
    'foreign',
    null,
  ],
  [
    'a person’s grant a request relies on (`-tr`) before its expiry',
    claimVerdict(
      {
        ...claim({ run: run('done'), ephemeral: true, timeBound: true, expiresAt: SECONDS + 60 }),
        reliance: true,
      },
      runs,
      NOW,
    ),
    'foreign',
    null,
  ],
  [
    'a run’s permanent grant whose relying job has finished',
    claimVerdict(
      {
        ...claim({ run: run('done'), ephemeral: false }),
        reliers: [{ run: run('done'), ephemeral: true, madeBy: 'r', madeAt: NOW, evidence: 'CloudTrail' }],
      },
      runs,
      NOW,
    ),
    'permanent',
    null,
  ],
  [
    'a PIM schedule with an end, made by `created-by`',
    scheduleVerdict({ endsAt: NOW + 3_600_000, createdBy: OURS }, new Set([OURS]), NOW),
    'time-bound',
    true,
  ],
  [
    'a PIM schedule made by another identity',
    scheduleVerdict({ endsAt: NOW + 3_600_000, createdBy: 'someone' }, new Set([OURS]), NOW),
    'foreign',
    null,
  ],
  [
    'a running job’s `-e` whose run GitHub’s rate limit kept from being read',
    claimVerdict(
      claim({ run: run('going'), ephemeral: true }),
      new Map([[runKeyOf(run('going')), { state: 'unreadable', reason: 'rate limit', transient: true }]]),
      NOW,
    ),
    'ephemeral',
    null,
  ],
];

describe('the report and the reconcile class a grant alike', () => {
  it.each(CASES)('%s', (_, verdict, expected, live) => {
    // The report: the row of the grant, with the verdict on its claim (a reliance's: what it says).
    const [row] = accessRows(
      'aws',
      [
        {
          kind: 'aws-account-assignment',
          principal: { id: 'u', kind: 'user' },
          role: { id: 'ps' },
          target: { id: '111111111111' },
          verdict,
        },
      ],
      {},
    );
    expect(row!.held).toBe(expected);
    expect(row!.live).toBe(live);
    if (verdict.reliance)
      expect(row!.warning).toMatch(/^relied on by (a )?run .*: a reliance, never who made it$/);
    expect(holdingOf({ claim: verdict })).toBe(expected);

    // The reconcile: the same grant, managed and not listed, with the same verdict.
    const current = {
      ...keyedAs('aws-account-assignment', {
        principalId: 'u',
        principalType: 'USER',
        roleId: 'ps',
        targetId: '111111111111',
        target: '111111111111',
      }),
      managed: true,
      shown: { principal: 'u', role: 'ps', target: '111111111111' },
    };
    const plan: ReconcilePlan = {
      creates: [],
      deletes: [current],
      claimed: [],
      unknown: [],
      updates: [],
      unchanged: [],
      unmanaged: [],
      managedNow: 1,
    };
    const { plan: decided } = withClaims(plan, () => verdict);
    // Left `claimed` exactly when the report says its claim is live, with the report's class, or
    // that a job relies on it now; left `unknown` when its liveness could not be read; otherwise
    // deleted, whoever made it.
    const claimedAs = decided.claimed.map((c) => c.claim.kind as string);
    const relied = verdict.reliance && 'live' in verdict ? verdict.live.kind : undefined;
    expect(claimedAs).toEqual(live === true ? [row!.held] : relied ? [relied] : []);
    if (live === true) expect(CLAIMED_CLASSES).toContain(row!.held);
    if (relied) expect(row!.warning).toMatch(/\(.*\): a reliance/);
    const unknown = 'unknown' in verdict;
    expect(decided.unknown.map((u) => u.unknown.made.kind as string)).toEqual(unknown ? [row!.held] : []);
    expect(decided.deletes).toHaveLength(live === true || relied || unknown ? 0 : 1);
  });
});
