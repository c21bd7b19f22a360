// Who made a shared grant, in the edge cases CloudTrail's record leaves open (core/claims/
// aws-evidence.ts): a `-e` and a `-r` in the same second (CloudTrail's whole seconds and newest-
// first order say nothing about which came first), and a `-r` that made the grant again after a
// delete. Pure.
import { describe, expect, it } from '@jest/globals';
import { awsClaimsOf } from '../../../src/core/claims/aws-evidence.js';
import { recheckAwsClaims } from '../../../src/core/claims/aws-recheck.js';
import type { TrailWrite } from '../../../src/core/claims/aws-writes.js';
import { DAY, MIN, ROLE, trailWrite } from '../../fixtures/trail-writes.js';

const NOW = Date.parse('2026-11-25T10:00:00Z');

const run = (id: string, kind: 'e' | 'r' = 'e') => `cloud-access-123456789-${id}-1-${kind}`;
/** As CloudTrail answers: newest first, and within a second in no promised order. */
const claimsOf = (newestFirst: TrailWrite[], fullHistory = false) =>
  awsClaimsOf(newestFirst, [], {
    createdBy: new Set([ROLE]),
    exists: () => true,
    claimsSince: NOW - 35 * DAY,
    ...(fullHistory ? { fullHistory: true } : {}),
  });

describe('a `-e` and a `-r` in the same CloudTrail second', () => {
  const second = NOW - 30 * MIN;
  for (const order of ['the `-r` listed first', 'the `-e` listed first'])
    it(`the \`-e\` is the creator and the \`-r\` relies on it, whichever CloudTrail lists first (${order})`, () => {
      const creation = trailWrite('create', second, run('1'));
      const reliance = trailWrite('create', second, run('2', 'r'));
      const [claim] = claimsOf(order.startsWith('the `-r`') ? [reliance, creation] : [creation, reliance]);
      expect(claim?.standing).toEqual({ holds: true });
      expect(claim?.mark?.run.runId).toBe('1');
      expect(claim?.reliers?.map((r) => r.run.runId)).toEqual(['2']);
    });

  it('a person’s create in that second is still a rival: unproven', () => {
    const person: TrailWrite = {
      ...trailWrite('create', second, 'alice'),
      actor: 'arn:aws:iam::123456789012:user/alice',
      roleArn: undefined,
      sessionName: undefined,
    };
    const [claim] = claimsOf([
      trailWrite('create', second, run('2', 'r')),
      person,
      trailWrite('create', second, run('1')),
    ]);
    expect(claim?.standing).toMatchObject({ holds: false, kind: 'unproven' });
  });
});

describe('a `-r` that made the grant again after a delete', () => {
  // Run 1 created it; run 2 read it as present; run 1's post step deleted it; run 2's `-r` made it again.
  const history = () => [
    trailWrite('create', NOW - 60 * MIN, run('2', 'r')),
    trailWrite('delete', NOW - 61 * MIN, run('1')),
    trailWrite('create', NOW - 70 * MIN, run('1')),
  ];

  it('is that run’s creation claim, and the run whose create came shortly before is a claimant too', () => {
    const [claim] = claimsOf(history());
    expect(claim?.standing).toEqual({ holds: true });
    expect(claim?.mark?.run.runId).toBe('2');
    expect(claim?.reliers?.map((r) => r.run.runId)).toEqual(['1']);
    expect(claim?.basis?.remadeAfter?.kind).toBe('delete');
  });

  it('is revoked only once the delete is read as SUCCEEDED (one answered IN_PROGRESS may still fail)', () => {
    const [claim] = claimsOf(history());
    const deleteId = claim!.basis!.remadeAfter!.requestId!;
    expect(recheckAwsClaims([claim!], [], [], new Map([[deleteId, 'SUCCEEDED']])).size).toBe(0);
    expect(recheckAwsClaims([claim!], [], [], new Map([[deleteId, 'FAILED']])).get(claim!)).toMatch(
      /made it again only if that delete SUCCEEDED.* is FAILED/,
    );
    expect(recheckAwsClaims([claim!], [], []).get(claim!)).toMatch(/could not be read/);
  });

  it('a `-r` over a grant that existed before the history read (no delete) is still never a claim', () => {
    const [claim] = claimsOf([trailWrite('create', NOW - 60 * MIN, run('2', 'r'))], true);
    expect(claim?.standing).toMatchObject({
      holds: false,
      kind: 'unproven',
      reason: expect.stringMatching(/a reliance never proves who made a grant/),
    });
  });

  it('a person’s create shortly before the `-r` (before the delete): either may have made it, unproven', () => {
    const person: TrailWrite = {
      ...trailWrite('create', NOW - 65 * MIN, 'alice'),
      actor: 'arn:aws:iam::123456789012:user/alice',
      roleArn: undefined,
      sessionName: undefined,
    };
    const [claim] = claimsOf([...history(), person]);
    expect(claim?.standing).toMatchObject({ kind: 'unproven', reason: expect.stringMatching(/either may/) });
  });
});
