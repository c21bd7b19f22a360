// What the sweep does with each claim (core/plan/sweep.ts).
import { describe, expect, it } from '@jest/globals';
import { planSweep, runsToRead, sweepCounts, sweepRefusal } from '../../../src/core/plan/sweep.js';
import { runKeyOf, type Claim, type RunState } from '../../../src/core/sweep/types.js';

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

  it('an expiry passed: revoke though the run goes on, and the run is not asked about', () => {
    const expired = claim({ mark: { run: run('1'), ephemeral: true, expiresAt: NOW / 1000 - 60 } });
    expect(runsToRead([expired], NOW)).toEqual([]);
    expect(
      planSweep([expired], states([['1', { state: 'going', status: 'in_progress' }]]), NOW)[0]?.kind,
    ).toBe('revoke');
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
    const runs = runsToRead(
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
});
