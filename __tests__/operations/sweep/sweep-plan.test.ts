// What the sweep does with each claim (operations/sweep/sweep-plan.ts).
import { describe, expect, it } from '@jest/globals';
import { planSweep, sweepCounts, sweepRefusal } from '../../../src/operations/sweep/sweep-plan.js';
import { runKeyOf, type Claim, type RunState } from '../../../src/core/claims/claims.js';
import { runsDecidingClaims } from '../../../src/core/claims/live.js';

const NOW = Date.parse('2026-11-25T10:00:00Z');
const run = (runId: string) => ({ repositoryId: '123', runId, attempt: '1' });
const claim = (more: Partial<Claim> = {}): Claim => ({
  ids: { cloud: 'aws', principalId: 'p', principalType: 'USER', roleId: 'ps', accountId: '111111111111' },
  shown: { principal: 'USER p', role: 'ps', target: '111111111111' },
  mark: { run: run('1'), ephemeral: true },
  madeBy: 'arn:aws:sts::1:assumed-role/r/s',
  madeAt: NOW - 3_600_000,
  evidence: 'CloudTrail',
  standing: { holds: true },
  ...more,
});
const states = (entries: [string, RunState][]) => new Map(entries.map(([id, s]) => [runKeyOf(run(id)), s]));

describe('the sweep revokes a holding ephemeral claim whose run completed or whose duration passed', () => {
  it('a completed run (any conclusion): revoke', () => {
    const [entry] = planSweep(
      [claim()],
      states([['1', { state: 'completed', conclusion: 'cancelled' }]]),
      NOW,
    );
    expect(entry).toMatchObject({ kind: 'revoke', reason: expect.stringMatching(/completed \(cancelled\)/) });
  });

  it('a run still going: left, running', () => {
    expect(
      planSweep([claim()], states([['1', { state: 'going', status: 'in_progress' }]]), NOW)[0]?.kind,
    ).toBe('running');
  });

  it('an expiry passed: revoke though the run goes on; the run is still asked about, and one no token can read leaves it', () => {
    const expired = claim({ mark: { run: run('1'), ephemeral: true, expiresAt: NOW / 1000 - 60 } });
    expect(runsDecidingClaims([expired], NOW)).toEqual([run('1')]);
    expect(
      planSweep([expired], states([['1', { state: 'going', status: 'in_progress' }]]), NOW)[0]?.kind,
    ).toBe('revoke');
    expect(
      planSweep([expired], states([['1', { state: 'unreadable', reason: 'GitHub answered 404' }]]), NOW)[0],
    ).toMatchObject({ kind: 'unproven', reason: expect.stringMatching(/404/) });
  });

  it('a run the token cannot read: unproven, never guessed', () => {
    const [entry] = planSweep(
      [claim()],
      states([['1', { state: 'unreadable', reason: 'GitHub answered 404' }]]),
      NOW,
    );
    expect(entry).toMatchObject({ kind: 'unproven', reason: expect.stringMatching(/404/) });
  });

  it('permanent grants, claims without a mark, and failed evidence are left with their reason', () => {
    const entries = planSweep(
      [
        claim({ mark: { run: run('1'), ephemeral: false } }),
        claim({ mark: undefined }),
        claim({ standing: { holds: false, kind: 'gone', reason: 'not there now' } }),
      ],
      states([['1', { state: 'completed', conclusion: 'success' }]]),
      NOW,
    );
    expect(entries.map((e) => e.kind)).toEqual(['permanent', 'unproven', 'gone']);
    expect(sweepCounts(entries)).toEqual({ revoke: 0, running: 0, unproven: 1, permanent: 1, gone: 1 });
  });

  it('runs are read once each, and only for holding ephemeral claims', () => {
    const runs = runsDecidingClaims(
      [
        claim(),
        claim(),
        claim({ mark: { run: run('2'), ephemeral: false } }),
        claim({ standing: { holds: false, kind: 'gone', reason: '' } }),
      ],
      NOW,
    );
    expect(runs).toEqual([run('1')]);
  });

  it('more revokes than `max-deletions`: refused, naming the limit', () => {
    const entries = planSweep(
      [claim(), claim()],
      states([['1', { state: 'completed', conclusion: 'success' }]]),
      NOW,
    );
    expect(sweepRefusal(entries, 1)?.reason).toMatch(/2 grant\(s\), more than `max-deletions` \(1\)/);
    expect(sweepRefusal(entries, 2)).toBeUndefined();
  });

  it('counts what the sweep ends beside its revokes (memberships of groups) toward max-deletions', () => {
    const entries = planSweep([claim()], states([['1', { state: 'completed', conclusion: 'success' }]]), NOW);
    expect(sweepRefusal(entries, 2, 2)?.reason).toMatch(
      /3 grant\(s\) \(2 of them ended beside the revokes\), more than `max-deletions` \(2\)/,
    );
    expect(sweepRefusal(entries, 3, 2)).toBeUndefined();
  });
});

describe('a grant shared by live runs ends with the last of them', () => {
  const relier = (runId: string, attempt = '1', expiresAt?: number) => ({
    run: { repositoryId: '123', runId, attempt },
    ephemeral: true,
    ...(expiresAt !== undefined ? { expiresAt } : {}),
    madeBy: 'arn:aws:sts::1:assumed-role/r/s',
    madeAt: NOW - 1_800_000,
    evidence: 'CloudTrail',
  });

  it('the creator finished, a relier still going: running; both finished: revoke, naming both', () => {
    const shared = claim({ reliers: [relier('2')] });
    expect(runsDecidingClaims([shared], NOW)).toEqual([
      run('1'),
      { repositoryId: '123', runId: '2', attempt: '1' },
    ]);
    const done = { state: 'completed', conclusion: 'success', latestAttempt: '1' } as const;
    const going = planSweep(
      [shared],
      states([
        ['1', done],
        ['2', { state: 'going', status: 'in_progress' }],
      ]),
      NOW,
    );
    expect(going[0]).toMatchObject({
      kind: 'running',
      reason: expect.stringMatching(/relied on by another run \(its claim: .*\): run 2 .*in_progress/),
    });
    const ended = planSweep(
      [shared],
      states([
        ['1', done],
        ['2', done],
      ]),
      NOW,
    );
    expect(ended[0]).toMatchObject({
      kind: 'revoke',
      reason: expect.stringMatching(/every run that relied on it has ended/),
    });
  });

  it('left while a run goes, it names the reliers that have ended (their marks may go), never the creator', () => {
    const shared = claim({ reliers: [relier('2'), relier('3'), relier('4', '1', NOW / 1000 - 60)] });
    const done = { state: 'completed', conclusion: 'success', latestAttempt: '1' } as const;
    const going = { state: 'going', status: 'in_progress' } as const;
    const [entry] = planSweep(
      [shared],
      states([
        ['1', done],
        ['2', done],
        ['3', going],
        ['4', going],
      ]),
      NOW,
    );
    expect(entry?.kind).toBe('running');
    // Run 4's duration has passed though it still goes: it relies on the grant no longer.
    expect(entry?.endedReliers?.map((m) => m.run.runId)).toEqual(['2', '4']);
    const [creatorGoing] = planSweep(
      [claim({ reliers: [relier('3')] })],
      states([
        ['1', going],
        ['3', going],
      ]),
      NOW,
    );
    expect(creatorGoing?.endedReliers).toBeUndefined();
  });

  it('a relier no token can read: unproven', () => {
    const shared = claim({ reliers: [relier('2')] });
    const [entry] = planSweep(
      [shared],
      states([
        ['1', { state: 'completed', conclusion: 'success' }],
        ['2', { state: 'unreadable', reason: 'GitHub answered 404' }],
      ]),
      NOW,
    );
    expect(entry?.kind).toBe('unproven');
  });
});

describe('a run has finished when its latest attempt has', () => {
  it('attempt 1’s grant while attempt 2 of the run goes: running', () => {
    const [entry] = planSweep(
      [claim()],
      states([['1', { state: 'going', status: 'in_progress', latestAttempt: '2' }]]),
      NOW,
    );
    expect(entry).toMatchObject({ kind: 'running', reason: expect.stringMatching(/latest attempt, 2/) });
  });

  it('a claim naming an attempt later than GitHub’s latest: unproven', () => {
    const [entry] = planSweep(
      [claim({ mark: { run: { ...run('1'), attempt: '3' }, ephemeral: true } })],
      states([['1', { state: 'completed', conclusion: 'success', latestAttempt: '2' }]]),
      NOW,
    );
    expect(entry).toMatchObject({
      kind: 'unproven',
      reason: expect.stringMatching(/latest attempt of run 1 is 2/),
    });
  });
});

describe('one malformed claim never stops a sweep', () => {
  it('an expiry of 9000000000000 (beyond any Date): unproven and named, the run not read, no throw', () => {
    const wild = claim({ mark: { run: run('1'), ephemeral: true, expiresAt: 9_000_000_000_000 } });
    expect(runsDecidingClaims([wild], NOW)).toEqual([]);
    const [entry] = planSweep(
      [wild, claim({ mark: { run: run('2'), ephemeral: true } })],
      states([['2', { state: 'completed', conclusion: 'success' }]]),
      NOW,
    );
    expect(entry).toMatchObject({
      kind: 'unproven',
      reason: expect.stringMatching(/more than 35 days from now/),
    });
  });

  it('an expiry 36 days away (a valid date, but no step writes it): unproven', () => {
    const far = claim({
      mark: { run: run('1'), ephemeral: true, expiresAt: Math.floor(NOW / 1000) + 36 * 86_400 },
    });
    expect(planSweep([far], states([]), NOW)[0]?.kind).toBe('unproven');
  });
});
