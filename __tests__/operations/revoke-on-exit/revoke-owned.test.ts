// The post step revokes only what the service shows its main step created, and counts what became
// of each saved grant: revoked, already absent, failed, left in place (and whether it may be the
// step's), left to expire on its own. Over an in-memory cloud; the ownership proofs themselves are
// tested in __tests__/engine/run/ownership.test.ts.
import { describe, expect, it } from '@jest/globals';
import type { AwsGrant, AwsResolvedIds } from '../../../src/core/types.js';
import { emptyStats, type GrantDriver, type WriteOutcome } from '../../../src/engine/calls/driver.js';
import type { CreateProof, OwnCreate } from '../../../src/engine/calls/ownership-proofs.js';
import { Deadline } from '../../../src/engine/limits/deadline.js';
import { revokeOwned, type OwnedCreate } from '../../../src/operations/revoke-on-exit/revoke-owned.js';

const ids = (principalId: string): AwsResolvedIds => ({
  cloud: 'aws',
  principalId,
  accountId: '111111111111',
  roleId: 'ps-admin',
});
const saved = (
  principalId: string,
  ownership: OwnedCreate['ownership'] = 'created',
): OwnedCreate<AwsGrant> => ({
  grant: {
    cloud: 'aws',
    kind: 'aws-account-assignment',
    written: { principal: principalId, target: '111111111111', role: 'Admin' },
    principal: { kind: 'id', id: principalId },
    accountId: '111111111111',
    permissionSet: { kind: 'name', name: 'Admin' },
    resolved: ids(principalId),
  },
  ids: ids(principalId),
  ownership,
  requestId: `req-${principalId}`,
  sentAt: Date.now() - 60_000,
});

interface CloudSetup {
  /** The principals whose assignment is there now. */
  held: string[];
  /** How a delete of a principal's assignment is answered, when not simply done. */
  removeAnswers?: Record<string, WriteOutcome>;
  /** What the service shows of a create whose answer was lost. */
  ownCreate?: OwnCreate;
  /** Whether the assignment is still the step's alone, just before its delete. */
  stillOwn?: (principalId: string) => CreateProof;
}

function cloud(setup: CloudSetup) {
  const assignments = new Set(setup.held);
  const removed: string[] = [];
  const driver: GrantDriver<AwsGrant> = {
    cloud: 'aws',
    stats: emptyStats(),
    prepare: async () => {},
    resolve: () => Promise.reject(new Error('a saved grant carries its IDs')),
    findExisting: async (i) => (assignments.has(i.principalId) ? {} : undefined),
    create: () => Promise.reject(new Error('the post step creates nothing')),
    remove: async (i) => {
      const answer = setup.removeAnswers?.[i.principalId];
      if (answer) return answer;
      const changed = assignments.delete(i.principalId);
      if (changed) removed.push(i.principalId);
      return { kind: 'done', changed };
    },
    findOwnCreate: async () => setup.ownCreate ?? { ownership: 'created' },
    ...(setup.stillOwn ? { stillOwn: async (i: AwsResolvedIds) => setup.stillOwn!(i.principalId) } : {}),
  };
  return { driver, removed };
}

const options = { maxConcurrency: 4, deadline: new Deadline(10), existedBefore: 2 };

describe('the post step revokes what its main step created', () => {
  it('revokes each grant shown created, and counts those already gone as already absent', async () => {
    const { driver, removed } = cloud({ held: ['p1'] });
    const { results, tally } = await revokeOwned([saved('p1'), saved('p2')], driver, options);
    expect(removed).toEqual(['p1']);
    expect(results.map((r) => [r.principal, r.status, r.changed])).toEqual([
      ['p1', 'SUCCEEDED', true],
      ['p2', 'SUCCEEDED', false],
    ]);
    expect(tally).toEqual({ revoked: 1, alreadyAbsent: 1, failed: 0, existedBefore: 2, notShownOwn: 0 });
  });

  it('counts a revoke the service refused as failed', async () => {
    const { driver } = cloud({
      held: ['p1'],
      removeAnswers: { p1: { kind: 'failed', failureReason: 'AccessDeniedException' } },
    });
    const { results, tally } = await revokeOwned([saved('p1')], driver, options);
    expect(results[0]).toMatchObject({ status: 'FAILED', failureReason: 'AccessDeniedException' });
    expect(tally.failed).toBe(1);
  });

  it('leaves a time-bound grant the service will end on its own to expire, and says which', async () => {
    const { driver } = cloud({
      held: ['p1'],
      removeAnswers: { p1: { kind: 'done', changed: false, after: 'present', endsOnItsOwn: true } },
    });
    const { tally, leftToExpire } = await revokeOwned([saved('p1')], driver, options);
    expect(tally.leftToExpire).toBe(1);
    expect(leftToExpire.map((r) => r.result.principal)).toEqual(['p1']);
  });
});

describe('what the service cannot show the step created is left in place', () => {
  it('a create another party ran too (contested): left in place, as maybe the step’s, never deleted', async () => {
    const { driver, removed } = cloud({ held: ['p1'] });
    const entry = saved('p1', 'contested');
    const { results, tally, mayBeOwn } = await revokeOwned([entry], driver, options);
    expect(removed).toEqual([]);
    expect(results[0]).toMatchObject({ status: 'SUCCEEDED', changed: false, change: 'none' });
    expect(results[0]!.note).toMatch(/^left in place: /);
    expect(tally.notShownOwn).toBe(1);
    expect(mayBeOwn).toEqual([entry]);
  });

  it('a create whose answer was lost, that the service shows was never made: nothing to revoke', async () => {
    const { driver, removed } = cloud({
      held: [],
      ownCreate: { ownership: 'not-created', why: 'no create of this step is recorded', absent: true },
    });
    const { results, tally } = await revokeOwned([saved('p1', 'unknown')], driver, options);
    expect(removed).toEqual([]);
    expect(results[0]!.note).toBe('nothing to revoke: no create of this step is recorded');
    expect(tally.alreadyAbsent).toBe(1);
  });

  it('one that is no longer the step’s alone just before its delete: left in place, not deleted', async () => {
    const { driver, removed } = cloud({
      held: ['p1', 'p2'],
      stillOwn: (principal) =>
        principal === 'p1'
          ? { created: false, why: 'it was deleted and made again since', mayBeOwn: true }
          : { created: true },
    });
    const entries = [saved('p1'), saved('p2')];
    const { results, tally, mayBeOwn } = await revokeOwned(entries, driver, options);
    expect(removed).toEqual(['p2']);
    expect(results[0]).toMatchObject({
      status: 'SUCCEEDED',
      note: 'left in place: it was deleted and made again since',
    });
    expect(tally).toMatchObject({ revoked: 1, notShownOwn: 1 });
    expect(mayBeOwn).toEqual([entries[0]]);
  });
});

describe('every saved grant is reported, in the order it was saved', () => {
  it('gives each result to onResult once', async () => {
    const { driver } = cloud({ held: ['p1', 'p3'] });
    const said: string[] = [];
    await revokeOwned([saved('p1'), saved('p2', 'contested'), saved('p3')], driver, {
      ...options,
      onResult: (r) => said.push(r.principal),
    });
    expect(said.sort()).toEqual(['p1', 'p2', 'p3']);
  });
});
