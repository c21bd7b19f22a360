// The principal names a reconcile's snapshot keeps, on the emulated IAM Identity Center, CloudTrail
// and S3 through the real SDKs: the group display names (and user names) of the principals its
// plan shows, so a run from the snapshot reads a name again only where CloudTrail's writes since
// say the principal changed (UpdateGroup, from the Identity Store's API or the console). A name
// only labels a row: a forged one never reaches the runner as a command, and never changes a plan.
import { describe, expect, it } from '@jest/globals';
import { ACCOUNT, BOB, DEPLOYERS, READ_ONLY, STORE_ID, emulatedSso } from '../../harness/emulated-sso.js';
import { snapshotPlanner } from '../../harness/snapshot-plan.js';
import type { ReadForPlan } from '../../../src/operations/reconcile/reconcile-read.js';

const sso = emulatedSso();
const { plan, tamper, stored } = snapshotPlanner(sso);
const admin = { principalArn: 'arn:aws:iam::123456789012:user/admin' };

const describedGroups = () => sso.count('DescribeGroup') + sso.count('ListGroups');
/** The plan's deletes, by principal ID, with the name each row shows. */
const deletes = (read: ReadForPlan) =>
  read.plan.deletes.map((d) => ({ id: d.principalId, target: d.target, name: d.names?.principal }));

/** Deployers holds ReadOnlyAccess in ACCOUNT by hand: a managed place, so the plan deletes it and names it. */
function deployersByHand() {
  sso.addAssignment(DEPLOYERS, READ_ONLY, ACCOUNT, 'GROUP');
}

/** The stored snapshot's names, as anyone with the bucket's write access can edit them. */
type WithNames = { names?: Record<string, string> };

describe('the group names a snapshot keeps', () => {
  it('a run from the snapshot reads no group name again when the directory did not change', async () => {
    deployersByHand();
    const first = await plan();
    expect(deletes(first)).toEqual([{ id: DEPLOYERS, target: ACCOUNT, name: 'Deployers' }]);
    expect((stored() as WithNames).names?.[DEPLOYERS]).toBe('Deployers');
    const before = describedGroups();
    const second = await plan();
    expect(second.read.notices?.[0]).toMatch(/^snapshot: read from /);
    expect(describedGroups() - before).toBe(0);
    expect(deletes(second)).toEqual([{ id: DEPLOYERS, target: ACCOUNT, name: 'Deployers' }]);
  });

  it.each([
    ['identitystore.amazonaws.com', { identityStoreId: STORE_ID }],
    ['sso-directory.amazonaws.com', { directoryId: STORE_ID }],
  ])(
    'reads again the name of a group an UpdateGroup from %s renamed since, and shows the new one',
    async (eventSource, store) => {
      deployersByHand();
      await plan();
      sso.emulator.aws.state.groups.get(DEPLOYERS)!.displayName = 'Deployers (prod)';
      sso.emulator.aws.addCloudTrailEvent({
        eventSource,
        eventName: 'UpdateGroup',
        principalArn: admin.principalArn,
        requestParameters: { ...store, groupId: DEPLOYERS, operations: 'HIDDEN_DUE_TO_SECURITY_REASONS' },
      });
      const before = sso.count('DescribeGroup');
      const read = await plan();
      expect(read.read.notices?.[0]).toMatch(/^snapshot: read from /);
      expect(sso.count('DescribeGroup') - before).toBe(1);
      expect(deletes(read)).toEqual([{ id: DEPLOYERS, target: ACCOUNT, name: 'Deployers (prod)' }]);
      expect((stored() as WithNames).names?.[DEPLOYERS]).toBe('Deployers (prod)');
    },
  );

  it('forgets the name of a group deleted since', async () => {
    deployersByHand();
    await plan();
    sso.emulator.aws.addCloudTrailEvent({
      eventSource: 'identitystore.amazonaws.com',
      eventName: 'DeleteGroup',
      principalArn: admin.principalArn,
      requestParameters: { identityStoreId: STORE_ID, groupId: DEPLOYERS },
    });
    const before = sso.count('DescribeGroup');
    await plan();
    expect(sso.count('DescribeGroup') - before).toBe(1);
  });
});

describe('a name the snapshot cannot hold as plain text', () => {
  it('is not kept (a `%` in a name): the snapshot stays usable, and the name is read again', async () => {
    sso.emulator.aws.state.groups.get(DEPLOYERS)!.displayName = '100% Deployers';
    // The manifest's own principal, given by ID: its name is not kept with it either.
    sso.emulator.aws.state.users.get(BOB)!.userName = 'bob%ops';
    deployersByHand();
    await plan();
    expect((stored() as WithNames).names?.[DEPLOYERS]).toBeUndefined();
    const before = sso.count('DescribeGroup');
    const read = await plan();
    expect(read.read.notices?.[0]).toMatch(/^snapshot: read from /);
    expect(sso.count('DescribeGroup') - before).toBe(1);
    expect(deletes(read)).toEqual([{ id: DEPLOYERS, target: ACCOUNT, name: '100% Deployers' }]);
    expect((stored() as unknown as { principals: Record<string, unknown> }).principals[BOB]).toBeUndefined();
  });
});

describe('a forged name in the snapshot', () => {
  it('never reaches the runner as a command: a name that is not plain text makes the object unused', async () => {
    deployersByHand();
    await plan();
    tamper((s) => {
      (s as WithNames).names = { ...(s as WithNames).names, [DEPLOYERS]: 'x\n::error::forged' };
    });
    const read = await plan();
    expect(read.read.notices?.[0]).toMatch(
      /^snapshot: a complete read, because .*its name for .* is not a plain name/,
    );
    expect(deletes(read)).toEqual([{ id: DEPLOYERS, target: ACCOUNT, name: 'Deployers' }]);
  });

  it('changes no plan: a plain but false name only labels its row, and the writes are those of the true directory', async () => {
    deployersByHand();
    const truth = await plan();
    tamper((s) => {
      (s as WithNames).names = { ...(s as WithNames).names, [DEPLOYERS]: 'Auditors' };
    });
    const forged = await plan();
    expect(forged.read.notices?.[0]).toMatch(/^snapshot: read from /);
    const writes = (read: ReadForPlan) => ({
      creates: read.plan.creates.map((c) => c.key),
      deletes: read.plan.deletes.map((d) => d.key),
    });
    expect(writes(forged)).toEqual(writes(truth));
    expect(deletes(forged)).toEqual([{ id: DEPLOYERS, target: ACCOUNT, name: 'Auditors' }]);
  });
});
