// Which grants already exist: read per principal when a batch has fewer principals than places
// (account × permission set), per place otherwise, and per place whenever the first is refused or
// would cost more. Against the emulated IAM Identity Center, through the real SDK clients.
import { describe, expect, it } from '@jest/globals';
import { createAwsAssignments } from '../../../src/aws/index.js';
import type { AwsGrant, AwsResolvedIds } from '../../../src/core/types.js';
import {
  ACCOUNT,
  ADMIN,
  ALICE,
  BOB,
  READ_ONLY,
  awsPlan,
  emulatedDeps,
  emulatedSso,
} from '../../harness/emulated-sso.js';

const sso = emulatedSso();
const faults = () => sso.emulator.aws.faults;
const ACCOUNTS = ['111111111111', '222222222222', '333333333333', '444444444444'];

/** A driver prepared for `principal` × `target`, as the main step prepares it. */
async function preparedFor(principal: string, target: string) {
  const { deps, seams } = emulatedDeps(sso);
  const plan = awsPlan({ principal, target });
  const driver = createAwsAssignments(plan, deps, seams).driver;
  await driver.prepare({ operation: 'assign', grants: plan.grants as AwsGrant[], proveOwnership: false });
  return driver;
}

const ids = (principalId: string, accountId: string, roleId = READ_ONLY): AwsResolvedIds => ({
  cloud: 'aws',
  principalId,
  accountId,
  roleId,
});

describe('which grants exist', () => {
  it('two principals over four accounts: one ListAccountAssignmentsForPrincipal each, and the existing grant found', async () => {
    sso.addAssignment(ALICE, READ_ONLY, ACCOUNTS[2]);
    // Not the grant: another permission set, and a group with the user's ID.
    sso.addAssignment(ALICE, ADMIN, ACCOUNTS[0]);
    sso.addAssignment(BOB, READ_ONLY, ACCOUNTS[1], 'GROUP');
    const driver = await preparedFor(`${ALICE},${BOB}`, ACCOUNTS.join(','));

    const found = await Promise.all(
      [ALICE, BOB].flatMap((p) => ACCOUNTS.map((a) => driver.findExisting(ids(p, a)))),
    );

    expect(found.map((f) => f !== undefined)).toEqual([
      ...[false, false, true, false], // alice
      ...[false, false, false, false], // bob
    ]);
    expect(sso.count('ListAccountAssignmentsForPrincipal')).toBe(2);
    expect(sso.count('ListAccountAssignments')).toBe(0);
  });

  it('more principals than accounts: one ListAccountAssignments per account', async () => {
    sso.addAssignment(BOB);
    const driver = await preparedFor(`${ALICE},${BOB}`, ACCOUNT);

    const [alice, bob] = await Promise.all([
      driver.findExisting(ids(ALICE, ACCOUNT)),
      driver.findExisting(ids(BOB, ACCOUNT)),
    ]);

    expect([alice, bob]).toEqual([undefined, {}]);
    expect(sso.count('ListAccountAssignments')).toBe(1);
    expect(sso.count('ListAccountAssignmentsForPrincipal')).toBe(0);
  });

  it('a delegated administrator, refused the by-principal read, reads per place from then on', async () => {
    faults().accessDenied = ['ListAccountAssignmentsForPrincipal'];
    sso.addAssignment(BOB, READ_ONLY, ACCOUNTS[3]);
    const driver = await preparedFor(`${ALICE},${BOB}`, ACCOUNTS.join(','));

    expect(await driver.findExisting(ids(ALICE, ACCOUNTS[3]!))).toBeUndefined();
    expect(await driver.findExisting(ids(BOB, ACCOUNTS[3]!))).toEqual({});
    expect(await driver.findExisting(ids(BOB, ACCOUNTS[0]!))).toBeUndefined();

    expect(sso.count('ListAccountAssignmentsForPrincipal')).toBe(1);
    expect(sso.count('ListAccountAssignments')).toBe(2);
  });

  it('a principal whose assignments run past its share of pages is read per place instead', async () => {
    sso.pageSize(1);
    // Alice holds 3 assignments elsewhere: 3 pages, more than the 2 her share of 4 places allows.
    for (const account of ['555555555555', '666666666666', '777777777777'])
      sso.addAssignment(ALICE, READ_ONLY, account);
    sso.addAssignment(ALICE, READ_ONLY, ACCOUNTS[1]);
    const driver = await preparedFor(`${ALICE},${BOB}`, ACCOUNTS.join(','));

    expect(await driver.findExisting(ids(ALICE, ACCOUNTS[1]!))).toEqual({});

    expect(sso.count('ListAccountAssignmentsForPrincipal')).toBe(2);
    expect(sso.inputsOf('ListAccountAssignments')).toEqual([
      expect.objectContaining({ AccountId: ACCOUNTS[1], PermissionSetArn: READ_ONLY }),
    ]);
  });
});
