// `operation: reconcile` on AWS, end to end: the bundled main step, a manifest in the workspace,
// the emulator's IAM Identity Center behind the unmodified SDK.
import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { awsInputs, runMain, useEmulator } from './fixture.js';
import { awsReconcileWorkspace } from './reconcile-fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 200 });
const { workspace, reconcile, group, writes, results } = awsReconcileWorkspace(emulator, 'reconcile-aws-');
const aws = () => emulator().aws;

const MANIFEST = `version: 1
aws:
  manages:
    permission-sets: [ReadOnlyAccess, ViewOnlyAccess]
  assignments:
    - principal: [Deployers, Auditors]
      principal-type: GROUP
      role: ReadOnlyAccess
      target: 111111111111
`;

describe('reconcile makes IAM Identity Center match the manifest, within what it manages', () => {
  it('creates what is missing, deletes a managed assignment added by hand, and leaves the rest alone', async () => {
    aws().addAssignment(group('Deployers', 'ReadOnlyAccess')); // unchanged
    aws().addAssignment(group('Platform', 'ReadOnlyAccess')); // added by hand: managed, not listed
    aws().addAssignment(group('Platform', 'AdministratorAccess')); // not a managed permission set
    const step = await reconcile(MANIFEST);
    expect(step.exitCode).toBe(0);
    expect(JSON.parse(step.outputs.plan!)).toEqual({
      create: 1,
      delete: 1,
      unchanged: 1,
      unmanaged: 0,
      update: 0,
      claimed: 0,
      unknown: 0,
    });
    expect(step.outputs.drift).toBe('true');
    expect(aws().hasAssignment(group('Auditors', 'ReadOnlyAccess'))).toBe(true);
    expect(aws().hasAssignment(group('Platform', 'ReadOnlyAccess'))).toBe(false);
    expect(aws().hasAssignment(group('Deployers', 'ReadOnlyAccess'))).toBe(true);
    expect(aws().hasAssignment(group('Platform', 'AdministratorAccess'))).toBe(true);
    // The unchanged assignment was never touched: one create, one delete, nothing else written.
    expect(
      writes()
        .map((w) => w.operation)
        .sort(),
    ).toEqual(['CreateAccountAssignment', 'DeleteAccountAssignment']);
    expect(results(step.outputs).map((r) => [r.operation, r.principal, r.status])).toEqual([
      ['assign', 'Auditors', 'SUCCEEDED'],
      // A principal the file never names is shown by its ID.
      ['revoke', aws().groupId('Platform'), 'SUCCEEDED'],
    ]);
    // Who loses access comes first, by kind and name; how the cloud was read stays in the log.
    expect(step.summary).toMatch(
      new RegExp(
        `<h4>Deletes \\(1\\)</h4>\n<table>.*<td>group Platform \\(${aws().groupId('Platform')}\\)</td>.*\n<h4>Creates \\(1\\)</h4>`,
      ),
    );
    expect(step.summary).not.toMatch(/call\(s\)|List[A-Z]/);
    expect(step.stdout).toMatch(/read: .*: \d+ call\(s\)/);
  });

  it('lists an unmanaged assignment at a place the manifest asks for, and never deletes it', async () => {
    aws().addAssignment(group('Deployers', 'ReadOnlyAccess'));
    aws().addAssignment(group('Auditors', 'ReadOnlyAccess'));
    aws().addAssignment(group('Platform', 'PowerUserAccess'));
    const step = await reconcile(`version: 1
aws:
  manages: {permission-sets: [ReadOnlyAccess]}
  assignments:
    - {principal: [Deployers, Auditors], principal-type: GROUP, role: ReadOnlyAccess, target: '111111111111'}
    - {principal: Deployers, principal-type: GROUP, role: PowerUserAccess, target: '111111111111'}
`);
    expect(step.exitCode).toBe(0);
    expect(JSON.parse(step.outputs.plan!)).toEqual({
      create: 1,
      delete: 0,
      unchanged: 2,
      unmanaged: 1,
      update: 0,
      claimed: 0,
      unknown: 0,
    });
    expect(aws().hasAssignment(group('Platform', 'PowerUserAccess'))).toBe(true);
    expect(step.summary).toContain('unmanaged');
  });

  it('changes a role without a gap: the new assignment exists before the old one is deleted', async () => {
    aws().addAssignment(group('Deployers', 'ViewOnlyAccess'));
    const step = await reconcile(MANIFEST.replace('[Deployers, Auditors]', 'Deployers'));
    expect(step.exitCode).toBe(0);
    expect(JSON.parse(step.outputs.plan!)).toMatchObject({ create: 1, delete: 1 });
    const created = [...aws().state.creations.values()].find((r) => r.status === 'SUCCEEDED')!;
    const deleteSent = emulator().requests.find((r) => r.operation === 'DeleteAccountAssignment')!;
    expect(deleteSent.at).toBeGreaterThanOrEqual(created.completesAt);
    expect(aws().hasAssignment(group('Deployers', 'ReadOnlyAccess'))).toBe(true);
    expect(aws().hasAssignment(group('Deployers', 'ViewOnlyAccess'))).toBe(false);
  });

  it('a failed create holds back the delete it replaces; a delete that replaces nothing still runs', async () => {
    aws().addAssignment(group('Deployers', 'ViewOnlyAccess')); // role change: ViewOnly → ReadOnly
    aws().addAssignment(group('Platform', 'ViewOnlyAccess')); // dropped from the file
    // Unchanged: the section still manages something without the create (else every delete waits
    // for a create that SUCCEEDED: safety-reconcile-deletes.test.ts).
    aws().addAssignment(group('Auditors', 'ReadOnlyAccess'));
    aws().faults.failCreations = [
      { reason: 'IAM role quota reached', principalId: aws().groupId('Deployers') },
    ];
    const step = await reconcile(MANIFEST);
    expect(step.exitCode).not.toBe(0);
    expect(JSON.parse(step.outputs.plan!)).toMatchObject({ create: 1, delete: 2, unchanged: 1 });
    expect(aws().hasAssignment(group('Deployers', 'ViewOnlyAccess'))).toBe(true);
    expect(aws().hasAssignment(group('Platform', 'ViewOnlyAccess'))).toBe(false);
    expect(step.errors.join('\n')).toMatch(/1 delete\(s\) did not run: the create that replaces each/);
    expect(step.errors.join('\n')).toMatch(/IAM role quota reached/);
  });

  it('a dry run reports the plan and drift and writes nothing', async () => {
    aws().addAssignment(group('Platform', 'ReadOnlyAccess'));
    const step = await reconcile(MANIFEST, { 'dry-run': 'true' }, { GITHUB_EVENT_NAME: 'pull_request' });
    expect(step.exitCode).toBe(0);
    expect(JSON.parse(step.outputs.plan!)).toEqual({
      create: 2,
      delete: 1,
      unchanged: 0,
      unmanaged: 0,
      update: 0,
      claimed: 0,
      unknown: 0,
    });
    expect(step.outputs.drift).toBe('true');
    expect(writes()).toEqual([]);
    expect(results(step.outputs).map((r) => r.action)).toEqual(['create', 'create', 'delete']);
  });

  it('reports no drift when the cloud matches the file', async () => {
    aws().addAssignment(group('Deployers', 'ReadOnlyAccess'));
    aws().addAssignment(group('Auditors', 'ReadOnlyAccess'));
    const step = await reconcile(MANIFEST, { 'dry-run': 'true' });
    expect(step.outputs.drift).toBe('false');
    expect(JSON.parse(step.outputs.plan!)).toEqual({
      create: 0,
      delete: 0,
      unchanged: 2,
      unmanaged: 0,
      update: 0,
      claimed: 0,
      unknown: 0,
    });
  });
});

describe('the read is complete, by the cheaper of the two plans', () => {
  const wide = (accounts: string[]) => `version: 1
aws:
  manages: {permission-sets: [ReadOnlyAccess, ViewOnlyAccess]}
  assignments:
    - {principal: Deployers, principal-type: GROUP, role: ReadOnlyAccess, target: [${accounts.map((a) => `'${a}'`).join(', ')}]}
`;
  const accounts = Array.from({ length: 40 }, (_, i) => String(100000000000 + i));

  it('few principals and many accounts: one ListAccountAssignmentsForPrincipal per principal, and a hand-made assignment found', async () => {
    for (const a of accounts) aws().addAssignment(group('Deployers', 'ReadOnlyAccess', a));
    for (const a of accounts) aws().addAssignment(group('Platform', 'ViewOnlyAccess', a));
    const step = await reconcile(wide(accounts), { 'dry-run': 'true', 'max-deletions': '40' });
    expect(step.exitCode).toBe(0);
    expect(JSON.parse(step.outputs.plan!)).toEqual({
      create: 0,
      delete: 40,
      unchanged: 40,
      unmanaged: 0,
      update: 0,
      claimed: 0,
      unknown: 0,
    });
    expect(step.stdout).toMatch(
      /read: ListAccountAssignmentsForPrincipal per user and group of the identity store \(6\): (\d+) call/,
    );
    const calls = Number(/read: ListAccountAssignmentsForPrincipal[^:]*: (\d+) call/.exec(step.stdout)![1]);
    // 6 principals, a page each of users and groups, and the one page that sized the other plan.
    expect(calls).toBeLessThanOrEqual(6 + 2 + 1);
    expect(emulator().requests.filter((r) => r.operation === 'ListAccountAssignments')).toEqual([]);
  });

  it('a delegated administrator, refused the list by principal, reads by place and plans the same', async () => {
    for (const a of accounts) aws().addAssignment(group('Deployers', 'ReadOnlyAccess', a));
    for (const a of accounts) aws().addAssignment(group('Platform', 'ViewOnlyAccess', a));
    aws().faults.accessDenied = ['ListAccountAssignmentsForPrincipal'];
    const step = await reconcile(wide(accounts), { 'dry-run': 'true', 'max-deletions': '40' });
    expect(step.exitCode).toBe(0);
    expect(JSON.parse(step.outputs.plan!)).toEqual({
      create: 0,
      delete: 40,
      unchanged: 40,
      unmanaged: 0,
      update: 0,
      claimed: 0,
      unknown: 0,
    });
    expect(step.stdout).toMatch(
      /read: ListAccountsForProvisionedPermissionSet per managed permission set \(2\)/,
    );
  });
  it('many principals at few places: the manifest’s assignments at one place count once, and the read is by place', async () => {
    const few = ['111111111111', '222222222222'];
    const teams = ['team-a', 'team-b', 'team-c', 'team-d', 'team-e'];
    for (const name of teams) aws().addGroup(name);
    for (const a of few) aws().addAssignment(group('team-a', 'ReadOnlyAccess', a));
    const step = await reconcile(
      `version: 1\naws:\n  manages: {permission-sets: [ReadOnlyAccess]}\n  assignments:\n    - {principal: [${teams.join(', ')}], principal-type: GROUP, role: ReadOnlyAccess, target: ['${few[0]}', '${few[1]}']}\n`,
      { 'dry-run': 'true' },
    );
    expect(step.exitCode).toBe(0);
    expect(JSON.parse(step.outputs.plan!)).toEqual({
      create: 8,
      delete: 0,
      unchanged: 2,
      unmanaged: 0,
      update: 0,
      claimed: 0,
      unknown: 0,
    });
    expect(step.stdout).toMatch(
      /read: ListAccountsForProvisionedPermissionSet per managed permission set \(1\)/,
    );
    expect(emulator().requests.filter((r) => r.operation === 'ListAccountAssignments')).toHaveLength(2);
    expect(emulator().requests.filter((r) => r.operation === 'ListAccountAssignmentsForPrincipal')).toEqual(
      [],
    );
  });

  it('by place, a permission set provisioned to more accounts than a page holds is read to its last page', async () => {
    const many = Array.from({ length: 120 }, (_, i) => String(300000000000 + i));
    for (const a of many) aws().addAssignment(group('Deployers', 'ReadOnlyAccess', a));
    aws().addAssignment(group('Platform', 'ReadOnlyAccess', many.at(-1)));
    aws().faults.accessDenied = ['ListAccountAssignmentsForPrincipal'];
    const step = await reconcile(
      `version: 1\naws:\n  manages: {permission-sets: [ReadOnlyAccess]}\n  assignments:\n    - {principal: Deployers, principal-type: GROUP, role: ReadOnlyAccess, target: [${many.map((a) => `'${a}'`).join(', ')}]}\n`,
      { 'dry-run': 'true' },
    );
    expect(step.exitCode).toBe(0);
    expect(JSON.parse(step.outputs.plan!)).toEqual({
      create: 0,
      delete: 1,
      unchanged: 120,
      unmanaged: 0,
      update: 0,
      claimed: 0,
      unknown: 0,
    });
    const pages = emulator().requests.filter(
      (r) => r.operation === 'ListAccountsForProvisionedPermissionSet',
    );
    expect(pages).toHaveLength(2);
  });
});

describe('OU, root and path targets expand to their ACTIVE accounts, in assignments and in manages', () => {
  it('expands an OU path (said once for the entries naming it), collapses an overlapping account, and narrows what is managed to an OU', async () => {
    aws().addAssignment(group('Platform', 'ReadOnlyAccess', '222222222222')); // in Prod: managed
    aws().addAssignment(group('Platform', 'ReadOnlyAccess', '333333333333')); // in Dev: not managed
    const step = await reconcile(`version: 1
aws:
  manages:
    permission-sets: [ReadOnlyAccess]
    targets: [Root/Workloads/Prod]
  assignments:
    - principal: Deployers
      principal-type: GROUP
      role: ReadOnlyAccess
      target: [Root/Workloads, '111111111111']
    - {principal: Auditors, principal-type: GROUP, role: ReadOnlyAccess, target: Root/Workloads}
`);
    expect(step.exitCode).toBe(0);
    expect(JSON.parse(step.outputs.plan!)).toEqual({
      create: 6,
      delete: 1,
      unchanged: 0,
      unmanaged: 1,
      update: 0,
      claimed: 0,
      unknown: 0,
    });
    for (const account of ['111111111111', '222222222222', '333333333333'])
      expect(aws().hasAssignment(group('Deployers', 'ReadOnlyAccess', account))).toBe(true);
    // The suspended account under Dev is left out, and said so.
    expect(aws().hasAssignment(group('Deployers', 'ReadOnlyAccess', '444444444444'))).toBe(false);
    expect(step.stdout).toMatch(/target Root\/Workloads \(ou-[^)]+\): 3 accounts.*left out: 444444444444/);
    // Two entries name the OU: what it stands for is said once, in the log and in the summary.
    expect(step.stdout.match(/target Root\/Workloads \(ou-/g)).toHaveLength(1);
    expect(step.summary.match(/<li>target Root\/Workloads \(ou-[^)]+\): 3 accounts/g)).toHaveLength(1);
    expect(aws().hasAssignment(group('Platform', 'ReadOnlyAccess', '222222222222'))).toBe(false);
    expect(aws().hasAssignment(group('Platform', 'ReadOnlyAccess', '333333333333'))).toBe(true);
  });

  it('a malformed OU ID is a manifest error at its line; an OU path the organization lacks, before any write', async () => {
    const malformed = await reconcile(MANIFEST.replace('target: 111111111111', 'target: ou-XYZ'));
    expect(malformed.exitCode).not.toBe(0);
    expect(emulator().requests).toEqual([]);
    expect(malformed.stdout).toContain('::error file=access.yml,line=9::');
    expect(malformed.errors.join('\n')).toMatch(/`ou-XYZ` is not an organizational unit ID/);
    const missing = await reconcile(MANIFEST.replace('target: 111111111111', 'target: Root/Workloads/Prd'));
    expect(missing.exitCode).not.toBe(0);
    expect(writes()).toEqual([]);
    expect(missing.stdout).toContain('::error file=access.yml,line=9::');
  });
});

describe('reconcile refuses before writing', () => {
  it('more deletes than max-deletions: the plan is reported, nothing is written, the step fails', async () => {
    for (const name of ['Platform', 'Deployers', 'Auditors'])
      aws().addAssignment(group(name, 'ViewOnlyAccess'));
    const step = await reconcile(MANIFEST, { 'max-deletions': '2' });
    expect(step.exitCode).not.toBe(0);
    expect(writes()).toEqual([]);
    expect(JSON.parse(step.outputs.plan!)).toMatchObject({ delete: 3 });
    expect(step.errors.join('\n')).toMatch(/deletes 3 assignments, more than `max-deletions` \(2\)/);
    expect(step.outputs.status).toBe('FAILED');
  });

  it('a section that would delete everything it manages, unless allow-delete-all is set', async () => {
    aws().addAssignment(group('Platform', 'ReadOnlyAccess'));
    const empty = `version: 1\naws:\n  manages: {permission-sets: [ReadOnlyAccess]}\n  assignments: []\n`;
    const refused = await reconcile(empty);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.errors.join('\n')).toMatch(
      /deletes every one of the 1 assignments the `aws` section manages/,
    );
    expect(writes()).toEqual([]);
    const allowed = await reconcile(
      empty.replace(
        '{permission-sets: [ReadOnlyAccess]}',
        '{permission-sets: [ReadOnlyAccess], allow-delete-all: true}',
      ),
    );
    expect(allowed.exitCode).toBe(0);
    expect(aws().hasAssignment(group('Platform', 'ReadOnlyAccess'))).toBe(false);
  });

  it('every manifest error at once, each on its file and line, before any request', async () => {
    const step = await reconcile(`version: 1
aws:
  manages: {permission-sets: [ReadOnlyAccess], target: ['111111111111']}
  assignments:
    - principal: Deployers
      principal-type: TEAM
      role: ReadOnlyAccess
      target: '1111'
`);
    expect(step.exitCode).not.toBe(0);
    expect(emulator().requests).toEqual([]);
    expect(step.stdout).toContain('::error file=access.yml,line=3::');
    expect(step.stdout).toContain('::error file=access.yml,line=6::');
    expect(step.stdout).toContain('::error file=access.yml,line=8::');
    expect(step.errors.join('\n')).toMatch(/unknown key `target`/);
  });

  it('unknown names, with did-you-mean, before any write', async () => {
    const step = await reconcile(MANIFEST.replace('role: ReadOnlyAccess', 'role: ReadOnlyAcess'));
    expect(step.exitCode).not.toBe(0);
    expect(writes()).toEqual([]);
    expect(step.stdout).toContain('::error file=access.yml,line=8::');
    expect(step.errors.join('\n')).toMatch(
      /permission set `ReadOnlyAcess` was not found.*did you mean `ReadOnlyAccess`/,
    );
  });

  it('many group names are resolved from ListGroups, not one GetGroupId each; an unknown one still at its line', async () => {
    const teams = Array.from({ length: 12 }, (_, i) => `team-${i}`);
    for (const t of teams) aws().addGroup(t);
    const listed = (names: string[]) =>
      `version: 1\naws:\n  manages: {permission-sets: [ReadOnlyAccess]}\n  assignments:\n    - principal: [${names.join(', ')}]\n      principal-type: GROUP\n      role: ReadOnlyAccess\n      target: '111111111111'\n`;
    const step = await reconcile(listed(teams), { 'dry-run': 'true' });
    expect(step.exitCode).toBe(0);
    expect(JSON.parse(step.outputs.plan!)).toMatchObject({ create: 12 });
    expect(emulator().requests.filter((r) => r.operation === 'GetGroupId')).toEqual([]);
    const typo = await reconcile(listed([...teams.slice(1), 'team-O']), { 'dry-run': 'true' });
    expect(typo.exitCode).not.toBe(0);
    expect(typo.stdout).toContain('::error file=access.yml,line=5::');
    expect(typo.errors.join('\n')).toMatch(
      /group display name `team-O` was not found.*did you mean `team-0`/,
    );
  });

  it('an unknown group name, with the closest names of the identity store, at its line', async () => {
    const step = await reconcile(MANIFEST.replace('[Deployers, Auditors]', '[Deployer, Auditors]'));
    expect(step.exitCode).not.toBe(0);
    expect(writes()).toEqual([]);
    expect(step.stdout).toContain('::error file=access.yml,line=6::');
    expect(step.errors.join('\n')).toMatch(
      /group display name `Deployer` was not found.*did you mean `Deployers`/,
    );
  });

  it('reads the manifest from the workspace only: a missing file, or a link out of the workspace, is refused', async () => {
    const missing = await runMain(awsInputs({ operation: 'reconcile', manifest: 'nowhere.yml' }), {
      GITHUB_WORKSPACE: workspace,
    });
    expect(missing.exitCode).not.toBe(0);
    expect(missing.errors.join('\n')).toMatch(
      /nowhere\.yml:1: .*was not found in the workspace.*actions\/checkout/,
    );
    const outside = join(mkdtempSync(join(tmpdir(), 'outside-')), 'secret.yml');
    writeFileSync(outside, MANIFEST);
    symlinkSync(outside, join(workspace, 'linked.yml'));
    const linked = await runMain(awsInputs({ operation: 'reconcile', manifest: 'linked.yml' }), {
      GITHUB_WORKSPACE: workspace,
    });
    expect(linked.exitCode).not.toBe(0);
    expect(linked.errors.join('\n')).toMatch(/linked\.yml:1: is outside the workspace/);
    expect(emulator().requests).toEqual([]);
    rmSync(dirname(outside), { recursive: true, force: true });
  });

  it('a missing manifest names the file beside it with a close name: another extension, another case', async () => {
    mkdirSync(join(workspace, 'access'), { recursive: true });
    writeFileSync(join(workspace, 'access', 'manifest.yaml'), MANIFEST);
    writeFileSync(join(workspace, 'access', 'Team.yml'), MANIFEST);
    writeFileSync(join(workspace, 'access', 'unrelated.txt'), '');
    const run = (manifest: string) =>
      runMain(awsInputs({ operation: 'reconcile', manifest }), { GITHUB_WORKSPACE: workspace });
    const extension = await run('access/manifest.yml');
    expect(extension.exitCode).not.toBe(0);
    expect(extension.errors.join('\n')).toMatch(
      /access\/manifest\.yml:1: was not found in the workspace .*: did you mean `access\/manifest\.yaml`\? Or check out the repository first/,
    );
    const cased = await run('access/team.yml');
    expect(cased.errors.join('\n')).toMatch(/did you mean `access\/Team\.yml`\?/);
    // Nothing close, or no such folder: no suggestion, only the fix.
    for (const far of ['access/permissions.yml', 'elsewhere/manifest.yml']) {
      const step = await run(far);
      expect(step.exitCode).not.toBe(0);
      expect(step.errors.join('\n')).not.toMatch(/did you mean/);
      expect(step.errors.join('\n')).toMatch(/or check out the repository first \(actions\/checkout\)/);
    }
    expect(emulator().requests).toEqual([]);
  });

  it('on `pull_request` a reconcile without `dry-run` plans: the plan is shown, a notice says nothing was written, and it passes', async () => {
    aws().addAssignment(group('Platform', 'ReadOnlyAccess')); // managed, not listed: a delete
    const step = await reconcile(MANIFEST, {}, { GITHUB_EVENT_NAME: 'pull_request' });
    expect(step.errors).toEqual([]);
    expect(step.exitCode).toBe(0);
    expect(writes()).toEqual([]);
    expect(aws().hasAssignment(group('Platform', 'ReadOnlyAccess'))).toBe(true);
    expect(step.stdout).toMatch(
      /::notice::nothing was written: on `pull_request` events a reconcile plans only, as with `dry-run: true`/,
    );
    expect(JSON.parse(step.outputs.plan!)).toMatchObject({ create: 2, delete: 1 });
    expect(step.outputs.drift).toBe('true');
    expect(results(step.outputs).map((r) => r.action)).toEqual(['create', 'create', 'delete']);
    expect(step.summary).toMatch(/<h4>Deletes \(1\)<\/h4>\n<table>.*<td>group Platform /);
    expect(step.summary).toContain('Dry run: nothing was written: on <code>pull_request</code> events');
  });

  it('on `pull_request_target` a reconcile that would write shows the plan it refused, writes nothing, and fails', async () => {
    aws().addAssignment(group('Platform', 'ReadOnlyAccess'));
    const step = await reconcile(MANIFEST, {}, { GITHUB_EVENT_NAME: 'pull_request_target' });
    expect(step.exitCode).not.toBe(0);
    expect(writes()).toEqual([]);
    expect(aws().hasAssignment(group('Platform', 'ReadOnlyAccess'))).toBe(true);
    expect(aws().hasAssignment(group('Deployers', 'ReadOnlyAccess'))).toBe(false);
    expect(step.errors.join('\n')).toMatch(
      /writes are refused on `pull_request_target` events.*the plan was not applied, nothing was written: set `dry-run: true`/,
    );
    expect(JSON.parse(step.outputs.plan!)).toMatchObject({ create: 2, delete: 1 });
    expect(step.outputs.status).toBe('FAILED');
    expect(step.summary).toContain('cloud-access: aws reconcile: plan refused');
    expect(step.summary).toMatch(
      /<h4>Deletes \(1\)<\/h4>\n<table>.*<td>group Platform .*would delete; FAILED: not run/,
    );
    expect(step.log.join('\n')).toMatch(/delete: group Platform/);
  });

  it("a fork's pull request (no OIDC token) checks the file, then skips the plan with a notice", async () => {
    const step = await reconcile(
      MANIFEST,
      { 'dry-run': 'true' },
      { GITHUB_EVENT_NAME: 'pull_request', ACTIONS_ID_TOKEN_REQUEST_URL: '' },
    );
    expect(step.exitCode).toBe(0);
    expect(emulator().requests).toEqual([]);
    expect(step.stdout).toMatch(/::notice::no OIDC token on this `pull_request` run/);
  });
});
