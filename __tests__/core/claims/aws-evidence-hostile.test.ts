// Staged CloudTrail histories a hostile reviewer tried against the edge-case rules of
// core/claims/aws-evidence.ts (a `-r` that made the grant again after a delete, a `-e` and a `-r` in
// one second, another run's `-e` shortly before a claim): none lets the sweep revoke a grant a
// person made or holds. Pure.
import { describe, expect, it } from '@jest/globals';
import { awsClaimsOf } from '../../../src/core/claims/aws-evidence.js';
import { recheckAwsClaims } from '../../../src/core/claims/aws-recheck.js';
import type { TrailWrite } from '../../../src/core/claims/aws-writes.js';
import { planSweep } from '../../../src/operations/sweep/sweep-plan.js';
import { DAY, MIN, ROLE, trailWrite } from '../../fixtures/trail-writes.js';

const NOW = Date.parse('2026-11-25T10:00:00Z');

const person = (kind: 'create' | 'delete', at: number): TrailWrite => ({
  ...trailWrite(kind, at, 'x'),
  actor: 'arn:aws:iam::123456789012:user/alice',
  roleArn: undefined,
  sessionName: undefined,
});
const run = (id: string, kind: 'e' | 'r' = 'e') => `cloud-access-123456789-${id}-1-${kind}`;
const claimOf = (newestFirst: TrailWrite[]) =>
  awsClaimsOf(newestFirst, [], {
    createdBy: new Set([ROLE]),
    exists: () => true,
    claimsSince: NOW - 35 * DAY,
  })[0]!;

describe('a person’s create around a `-r` that follows a delete', () => {
  it('a person’s create after the delete and before the `-r`: the person made it, unproven', () => {
    const claim = claimOf([
      trailWrite('create', NOW - 50 * MIN, run('2', 'r')),
      person('create', NOW - 55 * MIN),
      trailWrite('delete', NOW - 60 * MIN, run('1')),
    ]);
    expect(claim.standing).toMatchObject({ holds: false, kind: 'unproven' });
  });

  for (const order of ['delete, create, `-r`', '`-r`, create, delete'])
    it(`a delete, a person’s create and a \`-r\` in one second (listed ${order}): unproven`, () => {
      const second = NOW - 50 * MIN;
      const writes = [
        person('delete', second),
        person('create', second),
        trailWrite('create', second, run('2', 'r')),
      ];
      const claim = claimOf(order.startsWith('delete') ? writes : writes.reverse());
      expect(claim.standing).toMatchObject({ holds: false, kind: 'unproven' });
    });

  it('a person’s create one second before the delete (clocks apart): a rival within 15 minutes, unproven', () => {
    const claim = claimOf([
      trailWrite('create', NOW - 50 * MIN, run('2', 'r')),
      trailWrite('delete', NOW - 51 * MIN, run('1')),
      person('create', NOW - 51 * MIN - 1_000),
    ]);
    expect(claim.standing).toMatchObject({ holds: false, kind: 'unproven' });
  });

  it('the delete and the `-r` listed twice (pages that overlap): the same claim, still checked against the delete', () => {
    const reliance = trailWrite('create', NOW - 50 * MIN, run('2', 'r'));
    const deleted = person('delete', NOW - 60 * MIN);
    const claim = claimOf([reliance, { ...reliance }, deleted, { ...deleted }]);
    expect(claim.standing).toEqual({ holds: true });
    expect(claim.reliers ?? []).toEqual([]);
    expect(recheckAwsClaims([claim], [], []).get(claim)).toMatch(/could not be read/);
    expect(
      recheckAwsClaims([claim], [], [], new Map([[deleted.requestId!, 'IN_PROGRESS']])).get(claim),
    ).toMatch(/is IN_PROGRESS/);
  });

  it('a delete with no request ID: the `-r` is never taken for a creation once checked', () => {
    const deleted = { ...person('delete', NOW - 60 * MIN), requestId: undefined };
    const claim = claimOf([trailWrite('create', NOW - 50 * MIN, run('2', 'r')), deleted]);
    expect(recheckAwsClaims([claim], [], [], new Map([['', 'SUCCEEDED']])).get(claim)).toMatch(
      /no request ID/,
    );
  });
});

describe('another run’s `-e` shortly before a claim', () => {
  it('its run unreadable: the grant is left, unproven, naming that run', () => {
    const claim = claimOf([
      trailWrite('create', NOW - 50 * MIN, run('2', 'r')),
      trailWrite('delete', NOW - 55 * MIN, run('1')),
      trailWrite('create', NOW - 60 * MIN, run('1')),
    ]);
    expect(claim.reliers?.map((r) => r.run.runId)).toEqual(['1']);
    const key = (id: string) => `123456789#${id}`;
    const runs = new Map([
      [key('2'), { state: 'completed' as const, conclusion: 'success' }],
      [key('1'), { state: 'unreadable' as const, reason: 'Not Found' }],
    ]);
    const [entry] = planSweep([claim], runs, NOW);
    expect(entry).toMatchObject({
      kind: 'unproven',
      reason: expect.stringMatching(/run 1 attempt 1 could not be read/),
    });
  });
});
