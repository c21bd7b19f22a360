// What no sweep will end is said where people look: a warning per stuck grant with the command that
// removes it, and a failure once one has been stuck for more than a day (`fail-on-stuck`). How the
// step shows them is tested in index.test.ts; what they say, here.
import { describe, expect, it } from '@jest/globals';
import {
  STUCK_FAILS_AFTER_MS,
  stuckEntries,
  stuckFailure,
  stuckWarnings,
} from '../../../src/operations/sweep/sweep-stuck.js';
import type { SweepEntry } from '../../../src/core/claims/claims.js';

const NOW = Date.parse('2026-03-10T12:00:00.000Z');
const entry = (principal: string, more: Partial<SweepEntry> = {}): SweepEntry => ({
  claim: {
    ids: {
      cloud: 'aws',
      principalId: principal,
      principalType: 'USER',
      roleId: 'ps',
      accountId: '111111111111',
    },
    shown: { principal: `USER ${principal}`, role: 'ps', target: '111111111111' },
    madeBy: 'role',
    madeAt: 0,
    evidence: 'CloudTrail',
    standing: { holds: false, kind: 'unproven', reason: 'its create is not in CloudTrail' },
  },
  kind: 'unproven',
  reason: 'its create is not in CloudTrail',
  ...more,
});
const stuckFor = (principal: string, ms: number) => entry(principal, { stuckSince: NOW - ms });

describe('a grant no sweep will end is stuck', () => {
  it('only an unproven entry with a time since which it is stuck', () => {
    const stuck = stuckFor('p1', 1_000);
    expect(stuckEntries([stuck, entry('p2'), { ...stuck, kind: 'running' }])).toEqual([stuck]);
  });
});

describe('each stuck grant is a warning', () => {
  it('names the grant, since when, why, and the command that removes it by hand', () => {
    const [warning] = stuckWarnings([stuckFor('p1', 60_000)], { now: NOW, failOnStuck: true });
    expect(warning!.level).toBe('warning');
    expect(warning!.message).toMatch(
      /^no sweep will end USER p1 \/ ps \/ 111111111111: stuck since 2026-03-10T11:59:00\.000Z, every run that claims it has ended or cannot be proven: its create is not in CloudTrail\. Once nobody needs it, remove it by hand: aws sso-admin delete-account-assignment /,
    );
  });

  it('says when it has been stuck for more than a day', () => {
    const [warning] = stuckWarnings([stuckFor('p1', STUCK_FAILS_AFTER_MS + 1)], {
      now: NOW,
      failOnStuck: false,
    });
    expect(warning!.message).toContain('(more than a day)');
  });
});

describe('the sweep fails while a grant has been stuck for more than a day', () => {
  it('names every grant stuck that long, and how to end the failure', () => {
    const entries = [
      stuckFor('p1', 2 * STUCK_FAILS_AFTER_MS),
      stuckFor('p2', 60_000),
      stuckFor('p3', 3 * STUCK_FAILS_AFTER_MS),
    ];
    const failure = stuckFailure(entries, { now: NOW, failOnStuck: true })!;
    expect(failure.reason).toBe(
      '2 grant(s) no sweep will end have been stuck for more than a day: USER p1 / ps / 111111111111; USER p3 / ps / 111111111111',
    );
    expect(failure.failed).toMatch(/`fail-on-stuck: false` only warns$/);
  });

  it('not for a grant stuck a day or less, nor with `fail-on-stuck: false`', () => {
    expect(
      stuckFailure([stuckFor('p1', STUCK_FAILS_AFTER_MS)], { now: NOW, failOnStuck: true }),
    ).toBeUndefined();
    expect(
      stuckFailure([stuckFor('p1', 2 * STUCK_FAILS_AFTER_MS)], { now: NOW, failOnStuck: false }),
    ).toBeUndefined();
  });
});
