// `operation: report` with `last-used: true` on AWS, through the bundle as the runner runs it: who
// last used each grant, from the GetRoleCredentials events IAM Identity Center writes when its
// portal issues credentials, in every Region the instance serves; a group's newest member and how
// many used it; `none since` where nobody did; a set made again under a deleted set's name does not
// inherit its sign-ins, even with no snapshot; errors, look-alike sources, other instances and
// older records that name no kept user are no use; the cost said before the reads; the evidence
// incomplete (and said) when the window outgrows CloudTrail's 90 days; inputs checked before any call.
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsInputs, csvRowsOf, forgedCommands, runMain, useEmulator } from './fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 50 });
const aws = () => emulator().aws;
const workspace = mkdtempSync(join(tmpdir(), 'aws-report-last-used-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

const DAY = 86_400_000;
interface Row {
  principalName: string | null;
  principalKind: string;
  targetId: string;
  viaGroup: string | null;
  lastUsed?: string;
  lastUsedEvent?: string | null;
  lastUsedBy?: string | null;
  usedBy?: number | null;
}

const report = (inputs: Record<string, string> = {}) =>
  runMain(awsInputs({ operation: 'report', ...inputs }), {
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: mkdtempSync(join(workspace, 'runner-temp-')),
    GITHUB_EVENT_NAME: 'schedule',
  });
const rowsOf = (step: { outputs: Record<string, string> }) =>
  (JSON.parse(readFileSync(step.outputs['report-json']!, 'utf8')) as { rows: Row[] }).rows;
const rowIn = (rows: Row[], accountId: string) => rows.find((r) => r.targetId === accountId && !r.viaGroup)!;

const hold = (accountId: string, principalType: 'USER' | 'GROUP', principalId: string) =>
  aws().addAssignment({
    accountId,
    permissionSetArn: aws().permissionSetArn('ReadOnlyAccess'),
    principalType,
    principalId,
  });

describe('a report with last-used: true', () => {
  it("shows each row's last use, a group's members' uses, and none since where nobody signed in", async () => {
    aws().config.cloudTrailTps = 20;
    aws().config.replicaRegions = ['eu-west-1'];
    hold('111111111111', 'USER', aws().userId('alice'));
    hold('333333333333', 'USER', aws().userId('bob'));
    const auditors = aws().groupId('Auditors');
    hold('444444444444', 'GROUP', auditors);
    aws().addMembership(auditors, aws().userId('carol'));
    aws().addMembership(auditors, aws().userId('bob'));
    const alice = aws().signInToPortal({
      user: 'alice',
      accountId: '111111111111',
      permissionSet: 'ReadOnlyAccess',
      at: Date.now() - 2 * DAY,
    });
    // carol signs in through the group, in the instance's other Region.
    const carol = aws().addRoleCredentialsEvent({
      userId: aws().userId('carol'),
      accountId: '444444444444',
      roleName: 'ReadOnlyAccess',
      awsRegion: 'eu-west-1',
      at: Date.now() - 5 * DAY,
    });
    // None of these is bob's use of 333333333333.
    const bob = { userId: aws().userId('bob'), accountId: '333333333333', roleName: 'ReadOnlyAccess' };
    aws().addRoleCredentialsEvent({ ...bob, errorCode: 'ForbiddenException' });
    aws().addRoleCredentialsEvent({ ...bob, eventSource: 'sso.amazonaws.com.example.net' });
    aws().addRoleCredentialsEvent({ ...bob, eventName: 'ListAccountRoles' });
    aws().addRoleCredentialsEvent({
      ...bob,
      identityStoreArn: 'arn:aws:identitystore::999999999999:identitystore/d-9999999999',
    });
    aws().addRoleCredentialsEvent({ ...bob, format: 'older', userName: 'bob' });
    aws().addRoleCredentialsEvent({ ...bob, roleName: '::error::forged' });
    // A member whose name carries runner commands, who used the group's grant last.
    const forger = aws().addUser('x\n::warning::pwned');
    aws().addMembership(aws().groupId('Platform'), forger);
    hold('555555555555', 'GROUP', aws().groupId('Platform'));
    aws().addRoleCredentialsEvent({ userId: forger, accountId: '555555555555', roleName: 'ReadOnlyAccess' });
    const writesBefore = emulator().requests.filter((r) => r.write).length;

    const step = await report({ 'last-used': 'true' });
    expect(step.exitCode).toBe(0);
    const cost = step.stdout.indexOf("usage: reading CloudTrail's GetRoleCredentials events since");
    expect(cost).toBeGreaterThan(-1);
    expect(step.stdout).toContain('in 2 Region(s) (us-east-1, eu-west-1)');
    expect(cost).toBeLessThan(step.stdout.indexOf('GetRoleCredentials event(s) read in'));

    const rows = rowsOf(step);
    expect(rowIn(rows, '111111111111')).toMatchObject({
      principalName: 'alice',
      lastUsed: new Date(Math.floor(alice.event.at / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
      lastUsedEvent: alice.event.eventId,
      lastUsedBy: null,
    });
    expect(rowIn(rows, '444444444444')).toMatchObject({
      principalKind: 'group',
      lastUsedEvent: carol.eventId,
      lastUsedBy: 'carol',
      usedBy: 1,
    });
    expect(rowIn(rows, '333333333333')).toMatchObject({
      lastUsed: expect.stringMatching(/^none since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      lastUsedEvent: null,
    });
    expect(step.outputs['evidence-complete']).toBe('true');
    // The older record names bob only by name, kept nowhere: unmatched, and counted.
    expect(step.stdout).toMatch(/1 sign-in\(s\) matched no user or set/);
    expect(step.stdout).toMatch(/not uses: .*1 error/);

    const csv = csvRowsOf(step);
    expect(Object.keys(csv[0]!).slice(-4)).toEqual(['lastUsed', 'lastUsedEvent', 'lastUsedBy', 'usedBy']);
    expect(step.summary).toContain('Last used (CloudTrail');
    expect(rowIn(rows, '555555555555')).toMatchObject({
      usedBy: 1,
      lastUsedBy: expect.stringContaining('pwned'),
    });
    expect(forgedCommands(step)).toEqual([]);
    // A report writes nothing.
    expect(emulator().requests.filter((r) => r.write).length).toBe(writesBefore);
  });

  it("a set made again under a deleted set's name is not given the old set's sign-ins, with no snapshot of names", async () => {
    const alice = aws().userId('alice');
    // The old Auditing set, used two days ago, then deleted.
    aws().addRoleCredentialsEvent({
      userId: alice,
      accountId: '111111111111',
      roleName: 'Auditing',
      at: Date.now() - 2 * DAY,
    });
    // The new one, made an hour ago (CreatedDate), and held by alice.
    const made = aws().state.addPermissionSet('Auditing', { createdDate: new Date(Date.now() - 3_600_000) });
    aws().addAssignment({
      accountId: '111111111111',
      permissionSetArn: made.arn,
      principalType: 'USER',
      principalId: alice,
    });
    const step = await report({ 'last-used': 'true' });
    expect(step.exitCode).toBe(0);
    expect(rowIn(rowsOf(step), '111111111111')).toMatchObject({
      lastUsed: expect.stringMatching(/^none since /),
      lastUsedEvent: null,
    });
    expect(step.stdout).toMatch(/1 sign-in\(s\) matched no user or set/);
  });

  it('a window longer than CloudTrail keeps is incomplete evidence: warned, output false, exit 0', async () => {
    hold('111111111111', 'USER', aws().userId('alice'));
    const step = await report({ 'last-used': 'true', 'unused-after': '120d' });
    expect(step.exitCode).toBe(0);
    expect(step.outputs['evidence-complete']).toBe('false');
    expect(step.stdout).toMatch(/::warning.*evidence is incomplete.*keeps 90 days/);
  });

  it.each([
    [{ 'last-used': 'true', 'usage-source': 'athena://primary/cloudtrail' }, /usage-source/],
    [
      { 'last-used': 'true', 'usage-source': 'athena://primary/Cloudtrail.org_trail' },
      /lower-case Glue names/,
    ],
    [{ 'last-used': 'true', 'unused-after': '12h' }, /unused-after/],
    [{ 'usage-source': 'lookup-events' }, /only with `last-used: true`/],
  ])('%j is refused before any call', async (inputs, message) => {
    const before = emulator().requests.length;
    const step = await report(inputs);
    expect(step.exitCode).not.toBe(0);
    expect(step.stdout).toMatch(message);
    expect(emulator().requests.length).toBe(before);
  });
});
