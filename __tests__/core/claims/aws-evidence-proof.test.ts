// The sweep's proof (docs/sweep.md, "What it revokes, and what it leaves"): what a claim on AWS must stand on before a revoke —
// the assignment's first create since its last delete is a run's creation claim (`-e`), nobody
// else's create shortly before or at any time after it, reliances (`-r`) as runs it must outlive,
// the 15 minutes before `lookback`, the older history and the status list read again. Pure.
import { describe, expect, it } from '@jest/globals';
import { needingOlderHistory, recheckAwsClaims, recheckSince } from '../../../src/core/claims/aws-recheck.js';
import { awsClaimsOf } from '../../../src/core/claims/aws-evidence.js';
import { type RecentCreate, type TrailWrite } from '../../../src/core/claims/aws-writes.js';
import { DAY, MIN, PLACE, ROLE, trailWrite } from '../../fixtures/trail-writes.js';

const NOW = Date.parse('2026-11-25T10:00:00Z');
const SINCE = NOW - 7 * DAY;

const run = (id: string, kind: 'e' | 'r' | '' = 'e', attempt = '1') =>
  `cloud-access-123456789-${id}-${attempt}${kind ? `-${kind}` : ''}`;
const person = (kind: 'create' | 'delete', at: number): TrailWrite => ({
  ...trailWrite(kind, at, 'alice'),
  actor: 'arn:aws:iam::123456789012:user/alice',
  roleArn: undefined,
  sessionName: undefined,
});
const claimsOf = (writes: TrailWrite[], more: { recent?: RecentCreate[]; fullHistory?: boolean } = {}) =>
  awsClaimsOf(writes, more.recent ?? [], {
    createdBy: new Set([ROLE]),
    exists: () => true,
    claimsSince: SINCE,
    ...(more.fullHistory ? { fullHistory: true } : {}),
  });

describe('shared grants: the first create is the creation claim, later runs rely on it', () => {
  it('a creation claim and a later reliance: one claim, the reliance a run it must outlive', () => {
    const [claim] = claimsOf([
      trailWrite('create', NOW - 60 * MIN, run('1')),
      trailWrite('create', NOW - 30 * MIN, run('2', 'r')),
    ]);
    expect(claim?.standing).toEqual({ holds: true });
    expect(claim?.mark?.run.runId).toBe('1');
    expect(claim?.reliers?.map((r) => r.run.runId)).toEqual(['2']);
  });

  it('a reliance first in the history read is never taken for the creation', () => {
    const [claim] = claimsOf([trailWrite('create', NOW - 60 * MIN, run('2', 'r'))]);
    expect(claim?.standing).toMatchObject({
      holds: false,
      kind: 'unproven',
      reason: expect.stringMatching(/reliance, not its creation/),
    });
  });

  it('a person’s grant relied on by two runs: never the runs’ (the person’s create first)', () => {
    const [claim] = claimsOf([
      person('create', NOW - 3 * DAY),
      trailWrite('create', NOW - 60 * MIN, run('1', 'r')),
      trailWrite('create', NOW - 30 * MIN, run('2', 'r')),
    ]);
    expect(claim?.standing).toMatchObject({
      kind: 'unproven',
      reason: expect.stringMatching(/existed before the run/),
    });
  });

  it('a person’s create after the creation claim: they may rely on it, unproven', () => {
    const [claim] = claimsOf([
      trailWrite('create', NOW - 60 * MIN, run('1')),
      person('create', NOW - 30 * MIN),
    ]);
    expect(claim?.standing).toMatchObject({
      kind: 'unproven',
      reason: expect.stringMatching(/may rely on it/),
    });
  });

  it('a permanent step’s create after the creation claim: unproven, not a relier', () => {
    const [claim] = claimsOf([
      trailWrite('create', NOW - 60 * MIN, run('1')),
      trailWrite('create', NOW - 30 * MIN, run('3', '')),
    ]);
    expect(claim?.standing).toMatchObject({ kind: 'unproven' });
  });
});

describe('the edge of `lookback` and the 15 minutes before a claim', () => {
  it('a person’s create 10 minutes before the run’s, the run’s just inside `lookback`: unproven', () => {
    const [claim] = claimsOf([
      person('create', SINCE - 5 * MIN),
      trailWrite('create', SINCE + 5 * MIN, run('1')),
    ]);
    expect(claim?.standing).toMatchObject({
      kind: 'unproven',
      reason: expect.stringMatching(/existed before the run/),
    });
  });

  it('a person’s create and delete 10 minutes before the run’s: either may have made it, unproven', () => {
    const [claim] = claimsOf([
      person('create', SINCE - 5 * MIN),
      person('delete', SINCE - 4 * MIN),
      trailWrite('create', SINCE + 5 * MIN, run('1')),
    ]);
    expect(claim?.standing).toMatchObject({
      kind: 'unproven',
      reason: expect.stringMatching(/10 min before/),
    });
  });

  it('a life that began before `lookback` (in the 15 minutes read before it) is not decided', () => {
    const [claim] = claimsOf([
      trailWrite('delete', SINCE - 12 * MIN, run('9')),
      trailWrite('create', SINCE - 10 * MIN, run('1')),
      trailWrite('create', SINCE + 5 * MIN, run('2', 'r')),
    ]);
    expect(claim?.standing).toMatchObject({
      kind: 'unproven',
      reason: expect.stringMatching(/before `lookback`/),
    });
  });
});

describe('just before the revokes', () => {
  it('a claim whose life began before the window needs the older history; a person’s older create, never deleted, drops it', () => {
    const claims = claimsOf([trailWrite('create', NOW - 60 * MIN, run('1'))]);
    expect(needingOlderHistory(claims)).toHaveLength(1);
    const older = [person('create', NOW - 8 * DAY)];
    expect(recheckAwsClaims(claims, older, []).get(claims[0]!)).toMatch(
      /existed before the run: created by .*alice/,
    );
    // Deleted before the run's create: the run's create made it.
    expect(recheckAwsClaims(claims, [...older, person('delete', NOW - 7.5 * DAY)], []).size).toBe(0);
    // Not read at all: never revoked on a guess.
    expect(recheckAwsClaims(claims, undefined, []).get(claims[0]!)).toMatch(/older history was not read/);
  });

  it('a delete seen in the window before the claim: the older history is not needed', () => {
    const claims = claimsOf([
      person('create', NOW - 3 * DAY),
      person('delete', NOW - 2 * DAY),
      trailWrite('create', NOW - 60 * MIN, run('1')),
    ]);
    expect(claims[0]?.standing).toEqual({ holds: true });
    expect(needingOlderHistory(claims)).toEqual([]);
  });

  it('the status list read again shows another create since (CloudTrail has not delivered it): dropped', () => {
    const claims = claimsOf([trailWrite('create', NOW - 3 * DAY, run('1'))], { fullHistory: true });
    expect(recheckSince(claims)).toBeLessThanOrEqual(NOW - 3 * DAY - 15 * MIN);
    const late: RecentCreate = { requestId: 'late-1', at: NOW - MIN, place: PLACE, status: 'IN_PROGRESS' };
    expect(recheckAwsClaims(claims, undefined, [late]).get(claims[0]!)).toMatch(
      /late-1.*just before the revoke/,
    );
    expect(recheckAwsClaims(claims, undefined, [{ ...late, status: 'FAILED' }]).size).toBe(0);
    // One CloudTrail already showed (the run's own) is no rival.
    const own = claims[0]!.basis!.creator.requestId!;
    expect(recheckAwsClaims(claims, undefined, [{ ...late, requestId: own }]).size).toBe(0);
  });

  it('a create an hour and more after the claim, delivered late: the status list reaches it', () => {
    const claims = claimsOf([trailWrite('create', NOW - 80 * MIN, run('1'))], { fullHistory: true });
    const late: RecentCreate = { requestId: 'late-2', at: NOW - 75 * MIN, place: PLACE, status: 'SUCCEEDED' };
    expect(recheckSince(claims)! <= late.at).toBe(true);
    expect(recheckAwsClaims(claims, undefined, [late]).size).toBe(1);
  });
});
