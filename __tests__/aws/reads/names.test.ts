// The names an AWS reconcile's plan shows, over the emulated Identity Store through the real SDK:
// what the step read names for free, the rest in as few Identity Store calls as fit, and a store
// that cannot answer leaves the IDs, said once.
import { describe, expect, it } from '@jest/globals';
import { nameAwsRows } from '../../../src/aws/reads/names.js';
import { createSsoSession } from '../../../src/aws/sso/session.js';
import { LabelsBudget } from '../../../src/engine/limits/best-effort.js';
import { Deadline } from '../../../src/engine/limits/deadline.js';
import {
  ACCOUNT,
  ALICE,
  BOB,
  DEPLOYERS,
  READ_ONLY,
  awsPlan,
  emulatedDeps,
  emulatedSso,
} from '../../harness/emulated-sso.js';

const sso = emulatedSso();
const aws = () => sso.emulator.aws;

function session() {
  const { deps, seams } = emulatedDeps(sso);
  return createSsoSession({ ...awsPlan(), identityStoreId: aws().identityStoreId }, deps, seams);
}
const row = (principalId: string, principalType: 'USER' | 'GROUP') => ({
  principalId,
  principalType,
  roleId: READ_ONLY,
  targetId: ACCOUNT,
});
const sources = (
  s: ReturnType<typeof session>,
  permissionSets = new Map([[READ_ONLY, 'ReadOnlyAccess']]),
) => ({
  session: s,
  permissionSets,
  accountName: () => undefined,
  labels: new LabelsBudget(new Deadline(60)),
});

describe('a plan names its principals in as few Identity Store calls as fit', () => {
  it('a few principals no read named: a Describe each, once however many rows hold them', async () => {
    const s = session();
    const { nameOf, notes } = await nameAwsRows(
      [row(ALICE, 'USER'), row(ALICE, 'USER'), row(DEPLOYERS, 'GROUP')],
      sources(s),
    );
    expect(notes).toEqual([]);
    expect(nameOf(row(ALICE, 'USER'))).toEqual({
      principal: 'alice',
      role: 'ReadOnlyAccess',
      target: undefined,
    });
    expect(nameOf(row(DEPLOYERS, 'GROUP')).principal).toBe('Deployers');
    expect([sso.count('DescribeUser'), sso.count('DescribeGroup')]).toEqual([1, 1]);
  });

  it('fifteen principals of a store a page holds: one page of each listing names them all, no Describe', async () => {
    sso.pageSize(100);
    const users = Array.from({ length: 10 }, (_, i) => aws().addUser(`person-${i}`));
    const groups = Array.from({ length: 5 }, (_, i) => aws().addGroup(`crew-${i}`));
    const rows = [...users.map((u) => row(u, 'USER')), ...groups.map((g) => row(g, 'GROUP'))];
    const { nameOf, notes } = await nameAwsRows(rows, sources(session()));
    expect(notes).toEqual([]);
    expect(rows.map((r) => nameOf(r).principal)).toEqual([
      ...users.map((_, i) => `person-${i}`),
      ...groups.map((_, i) => `crew-${i}`),
    ]);
    expect([sso.count('ListUsers'), sso.count('ListGroups')]).toEqual([1, 1]);
    expect(sso.count('DescribeUser') + sso.count('DescribeGroup')).toBe(0);
  });

  it('one principal of each type: a Describe each, no listing (a page costs as much, and may not hold it)', async () => {
    sso.pageSize(100);
    const { nameOf } = await nameAwsRows([row(BOB, 'USER'), row(DEPLOYERS, 'GROUP')], sources(session()));
    expect([nameOf(row(BOB, 'USER')).principal, nameOf(row(DEPLOYERS, 'GROUP')).principal]).toEqual([
      'bob',
      'Deployers',
    ]);
    expect(sso.calls().sort()).toEqual(['AWSIdentityStore.DescribeGroup', 'AWSIdentityStore.DescribeUser']);
  });

  it('a few principals in a store larger than a page: one call more than a Describe each at most, whatever the store holds', async () => {
    for (let i = 0; i < 150; i++) aws().addUser(`other-${i}`);
    const wanted = Array.from({ length: 3 }, (_, i) => aws().addUser(`late-${i}`));
    sso.pageSize(100);
    const { nameOf } = await nameAwsRows(
      wanted.map((u) => row(u, 'USER')),
      sources(session()),
    );
    expect(wanted.map((u) => nameOf(row(u, 'USER')).principal)).toEqual(wanted.map((_, i) => `late-${i}`));
    expect(sso.count('ListUsers')).toBe(1);
    expect(sso.count('ListUsers') + sso.count('DescribeUser')).toBeLessThanOrEqual(wanted.length + 1);
  });

  it('a principal a read already named costs nothing', async () => {
    const s = session();
    s.principalNames.set(BOB, 'bob');
    const { nameOf } = await nameAwsRows([row(BOB, 'USER')], sources(s));
    expect(nameOf(row(BOB, 'USER')).principal).toBe('bob');
    expect(sso.calls()).toEqual([]);
  });

  it('more than one window of the store’s quota: the listing of the type, a call per page, not a Describe each', async () => {
    const groups = Array.from({ length: 30 }, (_, i) => aws().addGroup(`team-${i}`));
    sso.pageSize(100);
    const s = session();
    const { nameOf } = await nameAwsRows(
      groups.map((g) => row(g, 'GROUP')),
      sources(s),
    );
    expect(groups.map((g) => nameOf(row(g, 'GROUP')).principal)).toEqual(groups.map((_, i) => `team-${i}`));
    expect(sso.count('DescribeGroup')).toBe(0);
    expect(sso.count('ListGroups')).toBe(1);
  });

  it('a store far larger than the principals to name: the listing stops once it costs more than a Describe each would, and the rest are described', async () => {
    for (let i = 0; i < 40; i++) aws().addGroup(`other-${i}`);
    const wanted = Array.from({ length: 20 }, (_, i) => aws().addGroup(`team-${i}`));
    sso.pageSize(1);
    const { nameOf } = await nameAwsRows(
      wanted.map((g) => row(g, 'GROUP')),
      sources(session()),
    );
    expect(wanted.map((g) => nameOf(row(g, 'GROUP')).principal)).toEqual(wanted.map((_, i) => `team-${i}`));
    expect(sso.count('ListGroups') + sso.count('DescribeGroup')).toBeLessThanOrEqual(2 * wanted.length);
    expect(sso.count('ListUsers')).toBe(0);
  });

  it('a store that refuses leaves the IDs and says so once; a principal it no longer holds keeps its ID', async () => {
    // The listing refused leaves the principals to a Describe each, refused too.
    sso.failNext('ListUsers', 'AccessDeniedException', 400, 'not authorized');
    sso.failNext('DescribeUser', 'AccessDeniedException', 400, 'not authorized', 2);
    const s = session();
    const refused = await nameAwsRows([row(ALICE, 'USER'), row(BOB, 'USER')], sources(s));
    expect(refused.notes).toEqual([expect.stringMatching(/could not name 2 principal\(s\).*shown by ID/)]);
    expect(refused.nameOf(row(ALICE, 'USER')).principal).toBeUndefined();
    const gone = '90674400-0000-4000-8000-000000000000';
    const orphan = await nameAwsRows([row(gone, 'USER')], sources(session()));
    expect(orphan.notes).toEqual([]);
    expect(orphan.nameOf(row(gone, 'USER')).principal).toBeUndefined();
  });
});

describe('names only label rows: they get the labels budget, not the step’s deadline', () => {
  it('a store that throttles every lookup past the budget leaves the IDs, said once, in about the budget', async () => {
    sso.failNext('DescribeUser', 'ThrottlingException', 400, 'Rate exceeded', 1_000);
    const { nameOf, notes } = await nameAwsRows([row(ALICE, 'USER')], {
      ...sources(session()),
      labels: new LabelsBudget(new Deadline(300), 1_000),
    });
    // Given up at the budget's end (the note says so), not retried to the step's 300 s deadline:
    // a few attempts, far from the 1,000 throttled answers the store had left.
    const attempts = sso.count('DescribeUser');
    expect(attempts).toBeGreaterThan(0);
    expect(attempts).toBeLessThan(20);
    expect(notes).toEqual([
      expect.stringMatching(
        /^the identity store could not name 1 principal\(s\) \(no answer within 1 s\): they are shown by ID; to show their names, check that the runner reaches the Identity Store endpoint/,
      ),
    ]);
    expect(nameOf(row(ALICE, 'USER')).principal).toBeUndefined();
  });
});
