// `operation: review` closes only what it carried out, through the bundle as the runner runs it:
// a revoke AWS denies at the due date keeps the issue open with the row `failed` and fails the
// step naming the permission; a manifest row with no pull request (the manifest not on the default
// branch) is `left for removal by hand`; the next run retries what is left and closes the issue.
// An issue closed by hand is reopened, saying who closed it and when, with its decisions kept.
// GitHub's secondary rate limit is throttling, waited within the deadline, never a permission.
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsInputs, runReview, useEmulator } from './fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 20 });
const aws = () => emulator().aws;
const github = () => emulator().github;
const workspace = mkdtempSync(join(tmpdir(), 'aws-review-close-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

const DAY = 86_400_000;
const alice = { login: 'alice', id: 101, type: 'User' as const };
const mallory = { login: 'mallory', id: 666, type: 'User' as const };
const REVIEWERS = '.github/access-reviewers.yml';

const bobAssignment = () => ({
  accountId: '111111111111',
  permissionSetArn: aws().permissionSetArn('ReadOnlyAccess'),
  principalType: 'USER' as const,
  principalId: aws().userId('bob'),
});
const auditorsAssignment = () => ({
  ...bobAssignment(),
  principalType: 'GROUP' as const,
  principalId: aws().groupId('Auditors'),
});
const MANIFEST = `version: 1
aws:
  manages:
    permission-sets: [ReadOnlyAccess]
    targets: ['111111111111']
  assignments:
    - principal: Auditors
      principal-type: GROUP
      role: ReadOnlyAccess
      target: '111111111111'
`;

const review = (inputs: Record<string, string> = {}, event = 'schedule') =>
  runReview(awsInputs(inputs), workspace, event);

interface Record_ {
  issue: number | null;
  rows: { id: string; principalId: string }[];
  outcomes: { rowId: string; outcome: string; result: { status: string } | null }[] | null;
}
const recordOf = (step: { outputs: Record<string, string> }) =>
  JSON.parse(readFileSync(step.outputs.review!, 'utf8')) as Record_[];
const lastComment = (issue: number) => github().issues.comments(issue).at(-1)!.body;

/** A campaign opened `daysAgo` days ago with bob's grant (and the manifest's Auditors row), alice deciding. */
async function openCampaign(daysAgo: number, inputs: Record<string, string> = {}) {
  github().repository.setFile('main', REVIEWERS, 'version: 1\ndefault-reviewers: alice\n');
  github().issues.setUser(alice);
  github().issues.setUser(mallory);
  aws().addAssignment(bobAssignment());
  github().issues.setNow(new Date(Date.now() - daysAgo * DAY).toISOString());
  const opened = await review(inputs);
  github().issues.setNow(undefined);
  expect(opened.exitCode).toBe(0);
  const [issue] = github().issues.issues();
  const rows = recordOf(opened)[0]!.rows;
  return { issue: issue!.number, rows };
}

describe('a review closes only what it carried out', () => {
  it('keeps the issue open when AWS denies the delete, fails naming the permission, and the next run finishes it', async () => {
    const { issue, rows } = await openCampaign(15);
    const bob = rows.find((r) => r.principalId === aws().userId('bob'))!;
    github().issues.comment(issue, alice, `/revoke ${bob.id} left the team`);
    aws().faults.accessDenied = ['DeleteAccountAssignment'];

    const denied = await review();
    expect(denied.exitCode).toBe(1);
    expect(aws().hasAssignment(bobAssignment())).toBe(true);
    expect(github().issues.issue(issue)!.state).toBe('open');
    expect(denied.stdout).toMatch(/::error::.*sso:DeleteAccountAssignment/);
    const said = lastComment(issue);
    expect(said).toContain('not finished');
    expect(said).toContain('failed 1');
    expect(said).not.toMatch(/revoked 1/);
    expect(said).toMatch(new RegExp(`\\| \`${bob.id}\` \\|.*\\*\\*failed\\*\\*`));
    expect(recordOf(denied)[0]!.outcomes).toEqual([
      expect.objectContaining({ rowId: bob.id, result: expect.objectContaining({ status: 'failed' }) }),
    ]);

    // Someone closes it by hand: the next due run reopens it, whoever closed it, and retries.
    github().issues.close(issue, mallory);
    aws().faults.accessDenied = [];
    const retried = await review();
    expect(retried.exitCode).toBe(0);
    expect(retried.stdout).toContain(`review: reopened #${issue}: closed by mallory`);
    expect(aws().hasAssignment(bobAssignment())).toBe(false);
    expect(github().issues.issue(issue)!.state).toBe('closed');
    expect(github().issues.issue(issue)!.closedBy).toEqual(expect.objectContaining({ type: 'Bot' }));
    expect(lastComment(issue)).toContain('### Access review `2026-Q4` closed');
  });

  it('leaves a manifest row for removal by hand when the manifest is not on the default branch, then removes it by pull request once it is', async () => {
    aws().addAssignment(auditorsAssignment());
    writeFileSync(join(workspace, 'access.yml'), MANIFEST);
    const inputs = { manifest: 'access.yml' };
    const { issue, rows } = await openCampaign(15, inputs);
    const auditors = rows.find((r) => r.principalId === aws().groupId('Auditors'))!;
    const bob = rows.find((r) => r.principalId === aws().userId('bob'))!;
    github().issues.comment(issue, alice, `/revoke ${auditors.id} ${bob.id} the audit ended`);

    const first = await review(inputs);
    expect(first.exitCode).toBe(1);
    expect(
      github()
        .issues.issues()
        .filter((i) => i.pull),
    ).toEqual([]);
    expect(github().issues.issue(issue)!.state).toBe('open');
    // The row revoked directly is done; the manifest's is not, and the issue says so.
    expect(aws().hasAssignment(bobAssignment())).toBe(false);
    const said = lastComment(issue);
    expect(said).toContain('left for removal by hand 1');
    expect(said).toContain('revoked 1');
    expect(said).not.toContain('removed by pull request');
    expect(said).toMatch(
      new RegExp(
        `\\| \`${auditors.id}\` \\|.*left for removal by hand.*\`access.yml\` is not on the default branch`,
      ),
    );
    expect(first.stdout).toMatch(/::error::review: .*left for removal by hand/);
    expect(first.stdout).not.toContain('removed by pull request');

    github().repository.setFile('main', 'access.yml', MANIFEST);
    const second = await review(inputs);
    expect(second.exitCode).toBe(0);
    const [pull] = github()
      .issues.issues()
      .filter((i) => i.pull);
    expect(pull).toBeDefined();
    expect(github().issues.issue(issue)!.state).toBe('closed');
    expect(lastComment(issue)).toMatch(
      new RegExp(
        `\\| \`${auditors.id}\` \\|.*removed as \`alice\` decided by pull request \\[?#${pull!.number}`,
      ),
    );
  });

  it('reopens an issue closed by hand before the due date, saying who and when, and its decisions still count', async () => {
    const { issue, rows } = await openCampaign(10);
    const bob = rows.find((r) => r.principalId === aws().userId('bob'))!;
    github().issues.comment(issue, alice, `/revoke ${bob.id} left the team`);
    const closedAt = new Date(Date.now() - 9 * DAY).toISOString().replace(/\.\d{3}Z$/, 'Z');
    github().issues.close(issue, mallory, closedAt);

    const next = await review();
    expect(next.exitCode).toBe(0);
    expect(github().issues.issue(issue)!.state).toBe('open');
    expect(next.stdout).toContain(`review: reopened #${issue}: closed by mallory at ${closedAt}`);
    expect(next.stdout).not.toContain('were closed at the due date');
    expect(lastComment(issue)).toContain(`closed by @mallory at ${closedAt}`);
    expect(recordOf(next)[0]!.rows).toHaveLength(1);
    expect(github().issues.issue(issue)!.body).toMatch(new RegExp(`\\| \`${bob.id}\` \\|.*revoke`));
  });
});

describe('GitHub’s secondary rate limit', () => {
  it('is waited out within the deadline, not called a missing permission', async () => {
    github().repository.setFile('main', REVIEWERS, 'version: 1\ndefault-reviewers: alice\n');
    github().issues.setUser(alice);
    aws().addAssignment(bobAssignment());
    github().issues.secondaryRateLimit(1, 1);
    const step = await review();
    expect(step.exitCode).toBe(0);
    expect(github().issues.issues()).toHaveLength(1);
    expect(step.stdout).toMatch(/GitHub.*secondary rate limit.*1 s/);
    expect(step.stdout).not.toContain('issues: write');
  });

  it('ends the step naming GitHub, the call, the wait and `timeout-seconds` when its Retry-After passes the deadline', async () => {
    github().repository.setFile('main', REVIEWERS, 'version: 1\ndefault-reviewers: alice\n');
    github().issues.setUser(alice);
    aws().addAssignment(bobAssignment());
    github().issues.secondaryRateLimit(1, 3600);
    const step = await review({ 'timeout-seconds': '60' });
    expect(step.exitCode).toBe(1);
    expect(step.stdout).toMatch(
      /::error::.*GitHub.*secondary rate limit asked to wait 3600 s before the call to list the (campaign issues|runs of workflow `access-review\.yml`) is tried again.*`timeout-seconds`/,
    );
    expect(step.stdout).not.toContain('issues: write');
    expect(step.stdout).not.toContain('before its first grant');
    expect(step.outputs.status).toBeDefined();
  });

  it('says a team GitHub does not know is not found, or the token cannot see it, at its line', async () => {
    github().repository.setFile(
      'main',
      REVIEWERS,
      "version: 1\nentries:\n  - accounts: ['111111111111']\n    reviewers: [octo-org/secuirty]\n",
    );
    aws().addAssignment(bobAssignment());
    const step = await review();
    expect(step.exitCode).toBe(1);
    expect(step.stdout).toContain(
      'team `octo-org/secuirty` is not found, or this token cannot see it: check the name (.github/access-reviewers.yml:3)',
    );
  });
});
