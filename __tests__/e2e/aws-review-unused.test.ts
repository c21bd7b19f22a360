// `operation: review` under `default-decision: revoke-unused`, through the bundle as the runner
// runs it: each row of a campaign issue shows when it was last used (from the GetRoleCredentials
// events IAM Identity Center writes at each sign-in; a group's by its members), and at the due date
// an undecided row nobody used within `unused-after` is revoked, a used one kept, each saying the
// rule that decided it. Evidence that does not cover the window (a Region not listed) revokes
// nothing by default.
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsInputs, forgedCommands, runReview, useEmulator } from './fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 20 });
const aws = () => emulator().aws;
const github = () => emulator().github;
const workspace = mkdtempSync(join(tmpdir(), 'aws-review-unused-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

const DAY = 86_400_000;
const alice = { login: 'alice', id: 101, type: 'User' as const };
const REVIEWERS = '.github/access-reviewers.yml';

interface Record_ {
  rows: { id: string; principalId: string; usage?: { lastUsed: string; complete: boolean } }[];
  outcomes: { rowId: string; outcome: string; rule?: string; result: { status: string } | null }[] | null;
}
const recordOf = (step: { outputs: Record<string, string> }) =>
  JSON.parse(readFileSync(step.outputs.review!, 'utf8')) as Record_[];

const held = (accountId: string, principalType: 'USER' | 'GROUP', principalId: string) => ({
  accountId,
  permissionSetArn: aws().permissionSetArn('ReadOnlyAccess'),
  principalType,
  principalId,
});

/** bob's grant nobody used, carol's used 3 days ago, and the Auditors' used by one of two members. */
function stage(window: string) {
  aws().config.cloudTrailTps = 20;
  github().repository.setFile(
    'main',
    REVIEWERS,
    `version: 1\ndefault-reviewers: alice\ndefault-decision: revoke-unused\nunused-after: ${window}\n`,
  );
  github().issues.setUser(alice);
  const bob = held('111111111111', 'USER', aws().userId('bob'));
  const carol = held('222222222222', 'USER', aws().userId('carol'));
  const auditors = held('333333333333', 'GROUP', aws().groupId('Auditors'));
  for (const a of [bob, carol, auditors]) aws().addAssignment(a);
  const dave = aws().addUser('dave');
  aws().addMembership(aws().groupId('Auditors'), dave);
  aws().addMembership(aws().groupId('Auditors'), aws().addUser('erin'));
  aws().addRoleCredentialsEvent({
    userId: aws().userId('carol'),
    accountId: '222222222222',
    roleName: 'ReadOnlyAccess',
    at: Date.now() - 3 * DAY,
  });
  aws().addRoleCredentialsEvent({
    userId: dave,
    accountId: '333333333333',
    roleName: 'ReadOnlyAccess',
    at: Date.now() - 4 * DAY,
  });
  return { bob, carol, auditors };
}

/** The campaign opened 15 days ago (its issue's creation), then the due run now. */
async function openedThenDue() {
  github().issues.setNow(new Date(Date.now() - 15 * DAY).toISOString());
  const opened = await runReview(awsInputs({}), workspace);
  github().issues.setNow(undefined);
  expect(opened.exitCode).toBe(0);
  const [issue] = github().issues.issues();
  const due = await runReview(awsInputs({}), workspace);
  return { opened, issue: issue!.number, due };
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('a review under `default-decision: revoke-unused`', () => {
  it('shows each row’s last use, revokes the undecided row nobody used, and keeps the used ones, saying why', async () => {
    const { bob, carol, auditors } = stage('30d');
    const { opened, issue, due } = await openedThenDue();
    expect(opened.stdout).toContain("usage: reading CloudTrail's GetRoleCredentials events since");

    const body = github().issues.issue(issue)!.body;
    expect(body).toMatch(/\| Last used \| Decision \|/);
    expect(body).toContain(`none since ${day(Date.now() - 30 * DAY)}`);
    expect(body).toContain(day(Date.now() - 3 * DAY));
    expect(body).toMatch(/`dave`<br>used by 1 of 2 members/);
    expect(body).toContain('undecided rows nobody used in the last P30D are revoked too');

    expect(due.exitCode).toBe(0);
    expect(aws().hasAssignment(bob)).toBe(false);
    expect(aws().hasAssignment(carol)).toBe(true);
    expect(aws().hasAssignment(auditors)).toBe(true);
    const closing = github().issues.comments(issue).at(-1)!.body;
    expect(closing).toContain('### Access review `2026-Q4` closed');
    expect(closing).toMatch(
      /revoked by default \(undecided: revoke-unused, none since \d{4}-\d\d-\d\d\): \*\*revoked\*\*/,
    );
    expect(closing).toContain(
      `kept by default (undecided: revoke-unused, used ${day(Date.now() - 3 * DAY)})`,
    );
    const [record] = recordOf(due);
    const bobRow = record!.rows.find((r) => r.principalId === bob.principalId)!;
    expect(record!.outcomes).toContainEqual(
      expect.objectContaining({
        rowId: bobRow.id,
        outcome: 'revoke',
        rule: expect.stringMatching(/^revoke-unused, none since/),
      }),
    );
    expect(bobRow.usage).toMatchObject({ lastUsed: expect.stringMatching(/^none since/), complete: true });
    expect(forgedCommands(due)).toEqual([]);
  });

  it('revokes nothing by default where the evidence does not cover the window: warned, kept, the rule said', async () => {
    const { bob } = stage('30d');
    // Without `sso:ListRegions` only the step's Region is read: a gap in the evidence.
    aws().faults.accessDenied = ['ListRegions'];
    const { issue, due } = await openedThenDue();
    aws().faults.accessDenied = [];
    expect(due.exitCode).toBe(0);
    expect(due.stdout).toMatch(
      /::warning.*evidence is incomplete.*`revoke-unused` revokes no undecided row by default/,
    );
    expect(aws().hasAssignment(bob)).toBe(true);
    const closing = github().issues.comments(issue).at(-1)!.body;
    expect(closing).toContain('kept by default (undecided: revoke-unused, evidence incomplete)');
    expect(closing).not.toMatch(/revoked by default/);
  });

  it('refuses a window out of range before any GitHub write or cloud read, at its line', async () => {
    github().repository.setFile(
      'main',
      REVIEWERS,
      'version: 1\ndefault-reviewers: alice\nunused-after: 400d\n',
    );
    const before = emulator().requests.length;
    const step = await runReview(awsInputs({}), workspace);
    expect(step.exitCode).not.toBe(0);
    expect(step.stdout).toMatch(/unused-after` is read only with `default-decision: revoke-unused`/);
    expect(emulator().requests.filter((r) => r.write).length).toBe(0);
    const cloudReads = emulator()
      .requests.slice(before)
      .filter((r) => ['sso-admin', 'identitystore', 'organizations', 'cloudtrail'].includes(r.service));
    expect(cloudReads).toEqual([]);
  });
});
