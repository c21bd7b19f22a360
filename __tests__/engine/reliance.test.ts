// Shared grants in the engine: an assign whose grants end with the job relies on a grant it finds
// in place through its driver, once per grant; a reliance that cannot be registered never fails
// the grant, and nothing is registered in a dry run or for what the step created itself.
import { describe, expect, it } from '@jest/globals';
import type { AwsGrant, AwsResolvedIds } from '../../src/core/types.js';
import { Deadline } from '../../src/engine/deadline.js';
import { emptyStats, type GrantDriver, type Reliance } from '../../src/engine/driver.js';
import { runGrants, type RunGrantsOptions } from '../../src/engine/run-grants.js';

/** A cloud where account 111111111111 holds the grant already, and every create is done at once. */
function cloud(relyOn: (ids: AwsResolvedIds) => Promise<Reliance | undefined>) {
  const reliedOn: string[] = [];
  const driver: GrantDriver<AwsGrant> = {
    cloud: 'aws',
    stats: emptyStats(),
    prepare: async () => {},
    resolve: async ({ written: g }) => ({
      cloud: 'aws',
      principalId: g.principal,
      accountId: g.target,
      roleId: g.role,
    }),
    findExisting: async (ids) => (ids.accountId === '111111111111' ? {} : undefined),
    create: async () => ({ kind: 'done', changed: true, requestId: 'r-1' }),
    remove: async () => ({ kind: 'done', changed: true }),
    findOwnCreate: async () => ({ ownership: 'not-created', why: 'no record' }),
    relyOn: (ids) => {
      reliedOn.push(ids.accountId);
      return relyOn(ids);
    },
  };
  return { driver, reliedOn };
}

const grant = (target: string): AwsGrant => ({
  cloud: 'aws',
  written: { principal: 'alice', target, role: 'Admin' },
  principal: { kind: 'name', name: 'alice' },
  accountId: target,
  permissionSet: { kind: 'name', name: 'Admin' },
});
const options = (o: Partial<RunGrantsOptions<AwsGrant>> = {}): RunGrantsOptions<AwsGrant> => ({
  operation: 'assign',
  dryRun: false,
  wait: true,
  maxConcurrency: 2,
  deadline: new Deadline(30),
  relyOnFound: true,
  ...o,
});
const grants = [grant('111111111111'), grant('222222222222')];

describe('an assign that finds its grant in place relies on it', () => {
  it('registers the reliance on the grant found, and on no grant it created', async () => {
    const { driver, reliedOn } = cloud(async () => ({ registered: true, note: 'registered' }));
    const [found, made] = await runGrants(grants, driver, options());
    expect(reliedOn).toEqual(['111111111111']);
    expect(found).toMatchObject({ status: 'SUCCEEDED', before: 'present', reliance: { registered: true } });
    expect(found!.note).toContain('registered');
    expect(made).not.toHaveProperty('reliance');
  });

  it('keeps the grant SUCCEEDED with a warning when the reliance cannot be written', async () => {
    const { driver } = cloud(async () => {
      throw new Error('AuthorizationFailed');
    });
    const [found] = await runGrants(grants, driver, options());
    expect(found).toMatchObject({
      status: 'SUCCEEDED',
      reliance: { registered: false, warning: expect.stringContaining('AuthorizationFailed') },
    });
  });

  it('says why nothing was registered, without a warning, when there was nothing to rely on', async () => {
    const { driver } = cloud(async () => ({ registered: false, note: 'no creation marker' }));
    const [found] = await runGrants(grants, driver, options());
    expect(found).not.toHaveProperty('reliance');
    expect(found!.note).toBe('no creation marker');
  });

  it('registers nothing in a dry run, or for a step whose grants do not end with the job', async () => {
    for (const o of [{ dryRun: true }, { relyOnFound: false }]) {
      const { driver, reliedOn } = cloud(async () => ({ registered: true, note: 'registered' }));
      await runGrants(grants, driver, options(o));
      expect(reliedOn).toEqual([]);
    }
  });
});
