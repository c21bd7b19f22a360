// The sweep's revokes, as the engine runs them for either cloud: only the entries planned for
// revoke, each checked again just before its delete (a claim that no longer holds is left in
// place, saying why), each result given back by its claim. Over an in-memory cloud; each cloud's
// own sweeper is tested beside its adapter (__tests__/azure/sweep.test.ts).
import { describe, expect, it } from '@jest/globals';
import type { Claim, SweepEntry } from '../../../src/core/claims/claims.js';
import type { AwsGrant, AwsResolvedIds } from '../../../src/core/types.js';
import { emptyStats, type GrantDriver } from '../../../src/engine/calls/driver.js';
import { Deadline } from '../../../src/engine/limits/deadline.js';
import { revokeSwept, type Sweeper } from '../../../src/engine/run/sweeper.js';

const claimOf = (principalId: string): Claim => ({
  ids: { cloud: 'aws', principalId, principalType: 'USER', roleId: 'ps', accountId: '111111111111' },
  shown: { principal: `USER ${principalId}`, role: 'ps', target: '111111111111' },
  mark: { run: { repositoryId: '1', runId: '7', attempt: '1' }, ephemeral: true },
  madeBy: 'role',
  madeAt: 0,
  evidence: 'CloudTrail',
  standing: { holds: true },
});
const entry = (principalId: string, kind: SweepEntry['kind'] = 'revoke'): SweepEntry => ({
  claim: claimOf(principalId),
  kind,
  reason: kind === 'revoke' ? 'run 7 has completed' : 'run 7 is still going',
});

/** A cloud holding an assignment per principal ID, and a sweeper over it that rechecks as told. */
function cloud(held: string[], recheck?: (claim: Claim) => Promise<string | undefined>) {
  const assignments = new Set(held);
  const removed: string[] = [];
  let revokerAsked = 0;
  const driver: GrantDriver<AwsGrant> = {
    cloud: 'aws',
    stats: emptyStats(),
    prepare: async () => {},
    resolve: () => Promise.reject(new Error('a swept grant carries its IDs')),
    findExisting: async (ids) => (assignments.has(ids.principalId) ? {} : undefined),
    create: () => Promise.reject(new Error('a sweep creates nothing')),
    remove: async (ids) => {
      assignments.delete(ids.principalId);
      removed.push(ids.principalId);
      return { kind: 'done', changed: true };
    },
    findOwnCreate: () => Promise.reject(new Error('a sweep proves no create')),
  };
  const sweeper: Sweeper = {
    cloud: 'aws',
    stats: emptyStats(),
    read: async () => ({ claims: [], notes: [] }),
    ...(recheck ? { recheckBeforeDelete: (claim: Claim) => recheck(claim) } : {}),
    revoker: (claims) => {
      revokerAsked++;
      const grants = claims.map((claim): AwsGrant => ({
        cloud: 'aws',
        kind: 'aws-account-assignment',
        written: { principal: claim.shown.principal, target: claim.shown.target, role: claim.shown.role },
        principal: { kind: 'id', id: claim.ids.principalId },
        accountId: '111111111111',
        permissionSet: { kind: 'arn', arn: claim.ids.roleId },
        resolved: claim.ids as AwsResolvedIds,
      }));
      return { grants, claims: [...claims], driver: driver as GrantDriver };
    },
  };
  return { sweeper, removed, revokerAsked: () => revokerAsked };
}

const options = (dryRun = false) => ({ dryRun, maxConcurrency: 4, deadline: new Deadline(10) });

describe('the sweep revokes what it planned to, and nothing else', () => {
  it('deletes each entry planned for revoke, and gives its result back by its claim', async () => {
    const { sweeper, removed } = cloud(['p1', 'p2', 'p3']);
    const entries = [entry('p1'), entry('p2', 'running'), entry('p3')];
    const { results, left } = await revokeSwept(entries, sweeper, options());
    expect(removed.sort()).toEqual(['p1', 'p3']);
    expect([...results.keys()]).toEqual([entries[0]!.claim, entries[2]!.claim]);
    expect(results.get(entries[0]!.claim)).toMatchObject({
      status: 'SUCCEEDED',
      changed: true,
      after: 'absent',
    });
    expect(left.size).toBe(0);
  });

  it('asks nothing of the cloud when nothing is planned for revoke', async () => {
    const { sweeper, revokerAsked } = cloud(['p1']);
    const { results } = await revokeSwept([entry('p1', 'permanent')], sweeper, options());
    expect(results.size).toBe(0);
    expect(revokerAsked()).toBe(0);
  });

  it('a dry run deletes nothing', async () => {
    const { sweeper, removed } = cloud(['p1']);
    const entries = [entry('p1')];
    const { results } = await revokeSwept(entries, sweeper, options(true));
    expect(removed).toEqual([]);
    expect(results.get(entries[0]!.claim)).toMatchObject({ change: 'delete', after: 'present' });
  });
});

describe('each claim is checked again just before its delete', () => {
  it('one that no longer holds is left in place, and says why', async () => {
    const why = 'run 8 now relies on it';
    const { sweeper, removed } = cloud(['p1', 'p2'], async (claim) =>
      claim.ids.principalId === 'p1' ? why : undefined,
    );
    const entries = [entry('p1'), entry('p2')];
    const { results, left } = await revokeSwept(entries, sweeper, options());
    expect(removed).toEqual(['p2']);
    expect(left).toEqual(new Map([[entries[0]!.claim, why]]));
    expect(results.get(entries[0]!.claim)).toMatchObject({
      status: 'SUCCEEDED',
      note: `left in place: ${why}`,
    });
  });

  it('one that could not be checked again is left in place too, saying what the check failed with', async () => {
    const { sweeper, removed } = cloud(['p1'], () => Promise.reject(new Error('ThrottlingException')));
    const entries = [entry('p1')];
    const { left } = await revokeSwept(entries, sweeper, options());
    expect(removed).toEqual([]);
    expect(left.get(entries[0]!.claim)).toBe(
      'it could not be checked again just before its delete (ThrottlingException)',
    );
  });
});
