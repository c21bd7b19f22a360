// `unmanaged` and `drift` do not depend on the read plan: the same IAM Identity Center
// read by principal and by place gives the same `plan`, the same rows, the same `drift`. What is
// counted is what both plans read: every assignment of a managed permission set in a managed
// account, and every assignment at a place (account × permission set) the file assigns.
import { describe, expect, it } from '@jest/globals';
import { useEmulator } from './fixture.js';
import { awsReconcileWorkspace } from './reconcile-fixture.js';

const emulator = useEmulator();
const { reconcile, group } = awsReconcileWorkspace(emulator, 'reconcile-read-plans-');
const aws = () => emulator().aws;

const MANIFEST = `version: 1
aws:
  manages: {permission-sets: [ReadOnlyAccess]}
  assignments:
    - {principal: Deployers, principal-type: GROUP, role: ReadOnlyAccess, target: Root/Workloads}
    - {principal: Deployers, principal-type: GROUP, role: PowerUserAccess, target: '111111111111'}
`;
const handMade = Array.from({ length: 20 }, (_, i) => String(600000000000 + i));

function seed(): void {
  aws().addAssignment(group('Deployers', 'ReadOnlyAccess')); // unchanged
  for (const a of handMade) aws().addAssignment(group('Platform', 'ReadOnlyAccess', a)); // managed: deletes
  aws().addAssignment(group('Platform', 'PowerUserAccess')); // at a place the file assigns: unmanaged
  aws().addAssignment(group('Platform', 'AdministratorAccess')); // no place the file assigns, not managed: not read
  // A suspended account Root/Workloads holds and its expansion leaves out: never deleted from, unmanaged.
  aws().addAssignment({ ...group('Auditors', 'ReadOnlyAccess', '444444444444') });
}

const planned = (stdout: string) =>
  stdout
    .split('\n')
    .filter((l) => /^\s+(create|delete|unmanaged \(left alone\)): /.test(l))
    .sort();

describe('the two read plans give the same plan on the same cloud', () => {
  it('by principal and by place: equal plan, drift and rows, unmanaged ones included', async () => {
    seed();
    const byPrincipal = await reconcile(MANIFEST, { 'dry-run': 'true', 'max-deletions': '20' });
    expect(byPrincipal.exitCode).toBe(0);
    expect(byPrincipal.stdout).toMatch(/read: ListAccountAssignmentsForPrincipal per user and group/);

    emulator().reset();
    seed();
    aws().faults.accessDenied = ['ListAccountAssignmentsForPrincipal'];
    const byPlace = await reconcile(MANIFEST, { 'dry-run': 'true', 'max-deletions': '20' });
    expect(byPlace.exitCode).toBe(0);
    expect(byPlace.stdout).toMatch(
      /read: ListAccountsForProvisionedPermissionSet per managed permission set/,
    );

    expect(JSON.parse(byPrincipal.outputs.plan!)).toEqual({
      create: 3,
      delete: 20,
      unchanged: 1,
      unmanaged: 2,
      update: 0,
      claimed: 0,
      unknown: 0,
    });
    expect(JSON.parse(byPlace.outputs.plan!)).toEqual(JSON.parse(byPrincipal.outputs.plan!));
    expect(byPlace.outputs.drift).toBe(byPrincipal.outputs.drift);
    expect(planned(byPlace.stdout)).toEqual(planned(byPrincipal.stdout));
    expect(planned(byPrincipal.stdout).filter((l) => l.includes('unmanaged'))).toEqual([
      expect.stringContaining(
        `unmanaged (left alone): group Auditors (${aws().groupId('Auditors')}) / ReadOnlyAccess / account-444444444444 (444444444444)`,
      ),
      expect.stringContaining(
        `unmanaged (left alone): group Platform (${aws().groupId('Platform')}) / PowerUserAccess / account-111111111111 (111111111111)`,
      ),
    ]);
  });
});
