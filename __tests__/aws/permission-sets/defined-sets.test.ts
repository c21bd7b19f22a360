// A set planned `- delete` is deleted only with no assignment of it left after this run's deletes,
// wherever it is assigned: the reconcile's read covers the managed permission sets in the managed
// accounts only (and may be a snapshot's), so a set's assignments are listed in every account it
// is provisioned to (ListAccountAssignments), and one left refuses the whole plan before any
// write, naming it. The plan names every principal that holds it.
import { describe, expect, it } from '@jest/globals';
import { runWrites } from '../../../src/engine/run/run-writes.js';
import { definedSetsPlan, SET_WORDS } from '../../../src/aws/permission-sets/defined-sets.js';
import { nameAwsRows } from '../../../src/aws/reads/names.js';
import type { SsoSession } from '../../../src/aws/sso/session.js';
import { keyedAs, type CurrentAssignment } from '../../../src/core/plan/assignment-diff.js';
import { OWNERSHIP_TAG } from '../../../src/core/permission-sets/fields.js';
import { LabelsBudget } from '../../../src/engine/limits/best-effort.js';
import { Deadline } from '../../../src/engine/limits/deadline.js';
import { ALICE, DEPLOYERS, emulatedSso } from '../../harness/emulated-sso.js';
import { definitionsOf, OWN, POLICY, preparedSession } from './fixture.js';

const sso = emulatedSso();

const MANAGED_ACCOUNT = '111111111111';
const OTHER_ACCOUNT = '222222222222';

const definitions = (more: string[] = []) =>
  definitionsOf(['    - name: ReadOnly', `      inline-policy: '${POLICY}'`, ...more]);

/** An assignment as the reconcile's read found it. */
const readRow = (
  principalId: string,
  principalType: 'USER' | 'GROUP',
  roleId: string,
  accountId: string,
  principal: string,
): CurrentAssignment<string> => ({
  ...keyedAs('aws-account-assignment', {
    principalId,
    principalType,
    roleId,
    targetId: accountId,
    target: accountId,
  }),
  managed: true,
  shown: { principal, role: roleId, target: accountId },
});

/**
 * The definitions planned as a reconcile plans them, its read having covered `retired` in the
 * managed account only and found `current` there, `deletes` of them planned.
 */
async function planned(
  session: SsoSession,
  retired: string,
  current: CurrentAssignment<string>[],
  deletes: CurrentAssignment<string>[],
  creates: { roleId: string; target: string; written: { principal: string } }[] = [],
  more: string[] = [],
) {
  const deadline = new Deadline(30);
  return definedSetsPlan(
    session,
    definitions(more),
    {
      current,
      deletes,
      creates,
      files: new Map(),
      owner: OWN,
      named: async (rows) =>
        (
          await nameAwsRows(rows, {
            session,
            permissionSets: new Map(),
            accountName: () => undefined,
            labels: new LabelsBudget(deadline),
          })
        ).nameOf,
    },
    { deadline },
  );
}

describe('the delete of a set this manifest no longer defines', () => {
  it('refuses the whole plan, naming an assignment in an account the reconcile did not read', async () => {
    const retired = sso.emulator.aws.addPermissionSet('Retired', { [OWNERSHIP_TAG]: OWN });
    sso.addAssignment(ALICE, retired, OTHER_ACCOUNT, 'USER');
    const plan = await planned(await preparedSession(sso), retired, [], []);
    expect(plan.refusal?.reason).toMatch(
      /the permission set `Retired` would be deleted while 1 assignment\(s\) of it remain: alice in 222222222222/,
    );
    // Its deletes are counted, and its changes shown, as permission sets (a refusal's count, the summary).
    expect(plan.words).toBe(SET_WORDS);
    expect(sso.inputsOf('ListAccountAssignments')).toEqual([
      expect.objectContaining({ AccountId: OTHER_ACCOUNT, PermissionSetArn: retired }),
    ]);
  });

  it('says to remove a holder outside `manages` by hand, or widen `manages.targets`; one inside, to delete it from the manifest', async () => {
    const retired = sso.emulator.aws.addPermissionSet('Retired', { [OWNERSHIP_TAG]: OWN });
    sso.addAssignment(ALICE, retired, OTHER_ACCOUNT, 'USER');
    const outside = await planned(await preparedSession(sso), retired, [], []);
    expect(outside.refusal?.fix).toMatch(
      /alice in 222222222222 is outside `manages`: remove it by hand, or widen `manages.targets`/,
    );
    sso.addAssignment(DEPLOYERS, retired, MANAGED_ACCOUNT, 'GROUP');
    const deployers = readRow(DEPLOYERS, 'GROUP', retired, MANAGED_ACCOUNT, 'Deployers');
    const inside = await planned(await preparedSession(sso), retired, [deployers], []);
    expect(inside.refusal?.fix).toMatch(/delete .*manifest’s managed places first/);
    expect(inside.refusal?.fix).toMatch(/remove it by hand, or widen `manages.targets`/);
  });

  it('lists every account, the managed one too, takes away its planned deletes, and names every holder in the plan', async () => {
    const retired = sso.emulator.aws.addPermissionSet('Retired', { [OWNERSHIP_TAG]: OWN });
    sso.addAssignment(DEPLOYERS, retired, MANAGED_ACCOUNT, 'GROUP');
    sso.addAssignment(ALICE, retired, OTHER_ACCOUNT, 'USER');
    const deployers = readRow(DEPLOYERS, 'GROUP', retired, MANAGED_ACCOUNT, 'Deployers');
    const plan = await planned(await preparedSession(sso), retired, [deployers], [deployers]);
    // The managed account too: the reconcile's read may be a snapshot's, or by principal.
    expect(sso.inputsOf('ListAccountAssignments')).toHaveLength(2);
    expect(plan.refusal?.reason).toMatch(/1 assignment\(s\) of it remain: alice in 222222222222;/);
    expect(plan.lines.join('\n')).toMatch(
      /provisioned to 2 account\(s\) \(111111111111, 222222222222\) and 2 principal\(s\) \(group Deployers, alice\)/,
    );
  });

  it('deletes a set whose only assignments this run deletes', async () => {
    const retired = sso.emulator.aws.addPermissionSet('Retired', { [OWNERSHIP_TAG]: OWN });
    sso.addAssignment(DEPLOYERS, retired, MANAGED_ACCOUNT, 'GROUP');
    const deployers = readRow(DEPLOYERS, 'GROUP', retired, MANAGED_ACCOUNT, 'Deployers');
    const plan = await planned(await preparedSession(sso), retired, [deployers], [deployers]);
    expect(plan.refusal).toBeUndefined();
    expect(plan.counts?.counts).toMatchObject({ delete: 1 });
  });

  it('refuses it while this run creates an assignment of it (the manifest still assigns the set)', async () => {
    const retired = sso.emulator.aws.addPermissionSet('Retired', { [OWNERSHIP_TAG]: OWN });
    const create = { roleId: retired, target: MANAGED_ACCOUNT, written: { principal: 'alice' } };
    const plan = await planned(await preparedSession(sso), retired, [], [], [create]);
    expect(plan.refusal?.reason).toMatch(
      /the permission set `Retired` would be deleted while 1 assignment\(s\) of it remain: alice in 111111111111/,
    );
  });
});

describe('the blast radius of a defined set’s update', () => {
  it('names every principal assigned to it in every account it is provisioned to, alice assigned by hand outside `manages` too', async () => {
    const arn = sso.emulator.aws.addPermissionSet('ReadOnly', { [OWNERSHIP_TAG]: OWN });
    sso.addAssignment(DEPLOYERS, arn, MANAGED_ACCOUNT, 'GROUP');
    sso.addAssignment(ALICE, arn, OTHER_ACCOUNT, 'USER');
    const deployers = readRow(DEPLOYERS, 'GROUP', arn, MANAGED_ACCOUNT, 'Deployers');
    const plan = await planned(await preparedSession(sso), arn, [deployers], []);
    expect(plan.counts?.counts).toMatchObject({ update: 1, provision: 1 });
    const reach =
      /reaches 2 account\(s\) \(111111111111, 222222222222\) and 2 principal\(s\) \(group Deployers, alice\)/;
    expect(plan.lines.filter((l) => reach.test(l))).toHaveLength(2);
  });
});

describe('the provisioning of a defined set’s update', () => {
  it('is one `results` row per account, each with its status and the service’s reason', async () => {
    const arn = sso.emulator.aws.addPermissionSet('ReadOnly', { [OWNERSHIP_TAG]: OWN });
    sso.provision(arn, { [MANAGED_ACCOUNT]: 'current', [OTHER_ACCOUNT]: 'current' });
    sso.emulator.aws.addCustomerManagedPolicy([MANAGED_ACCOUNT], 'deny-secrets', '/');
    const plan = await planned(
      await preparedSession(sso),
      arn,
      [],
      [],
      [],
      ['      customer-managed-policies: [{name: deny-secrets}]'],
    );
    const writer = plan.writer(
      () => undefined,
      () => undefined,
      false,
    );
    const run = await runWrites(
      { writes: plan.writes },
      { maxConcurrency: 4, bound: { deadline: new Deadline(30) }, writerOf: () => writer },
    );
    const rows = run.ends.flatMap((e) => e?.rows ?? []);
    expect(rows.filter((r) => r.change === 'provision')).toEqual([
      expect.objectContaining({ role: 'ReadOnly', target: MANAGED_ACCOUNT, status: 'SUCCEEDED' }),
      expect.objectContaining({
        role: 'ReadOnly',
        target: OTHER_ACCOUNT,
        status: 'FAILED',
        failureReason: expect.stringMatching(/deny-secrets/),
      }),
    ]);
  });
});
