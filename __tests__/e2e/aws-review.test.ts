// `operation: review` on AWS through the bundle, as the runner runs it, against the emulator's
// GitHub issues API: a first run opens the campaign's issue with a row per grant; a reviewer's
// `/revoke <id> <reason>` and a non-reviewer's `/keep all` are staged; a second run rewrites the
// same issue's table with the reviewer's decision and lists the other comment as ignored. A dry
// run and a `pull_request` run write nothing to GitHub. At the due date a `schedule` run revokes
// the row decided `revoke` through the cloud, closes the issue with every row's outcome and writes
// its audit record; a dry run and an `issue_comment` run at the due date write nothing to the cloud.
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsInputs, runReview, useEmulator } from './fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 20 });
const aws = () => emulator().aws;
const github = () => emulator().github;
const workspace = mkdtempSync(join(tmpdir(), 'aws-review-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

const alice = { login: 'alice', id: 101, type: 'User' as const };
const mallory = { login: 'mallory', id: 666, type: 'User' as const };
const REVIEWERS = '.github/access-reviewers.yml';

const bobAssignment = () => ({
  accountId: '111111111111',
  permissionSetArn: aws().permissionSetArn('ReadOnlyAccess'),
  principalType: 'USER' as const,
  principalId: aws().userId('bob'),
});
const carolAssignment = () => ({ ...bobAssignment(), principalId: aws().userId('carol') });
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

function stage() {
  github().repository.setFile('main', REVIEWERS, 'version: 1\ndefault-reviewers: alice\n');
  github().issues.setUser(alice);
  github().issues.setUser(mallory);
  aws().addAssignment(bobAssignment());
}

const review = (inputs: Record<string, string> = {}, event = 'schedule') =>
  runReview(awsInputs(inputs), workspace, event);
const issueWrites = () =>
  emulator()
    .requests.filter((r) => r.write && /Issue|Comment/.test(r.operation))
    .map((r) => r.operation);

interface Record_ {
  issue: number | null;
  outcomes: { rowId: string; outcome: string; result: { status: string } | null }[] | null;
  closingComment: string | null;
  rows: { id: string; principalId: string; decisions: { decision: string; login: string }[] }[];
  ignored: { login: string | null; why: string }[];
}
const recordOf = (step: { outputs: Record<string, string> }) =>
  JSON.parse(readFileSync(step.outputs.review!, 'utf8')) as Record_[];

describe('a review campaign as a GitHub issue', () => {
  it('opens the issue, then rewrites its table with a reviewer’s decision and lists a non-reviewer’s comment as ignored', async () => {
    stage();
    const first = await review();
    expect(first.exitCode).toBe(0);
    const opened = github().issues.issues();
    expect(opened).toHaveLength(1);
    expect(opened[0]!).toEqual(
      expect.objectContaining({
        title: expect.stringMatching(/^Access review 2026-Q4: /),
        labels: ['access-review'],
        state: 'open',
      }),
    );
    const bob = recordOf(first)[0]!.rows.find((r) => r.principalId === aws().userId('bob'))!;
    expect(opened[0]!.body).toContain(`| \`${bob.id}\` |`);
    expect(first.outputs.changed).toBe('true');

    // A re-run with nothing new changes nothing: the same issue, found by its marker.
    const again = await review();
    expect(github().issues.issues()).toHaveLength(1);
    expect(again.outputs.changed).toBe('false');

    github().issues.comment(opened[0]!.number, alice, `/revoke ${bob.id} left the team`);
    github().issues.comment(opened[0]!.number, mallory, '/keep all');
    const second = await review();
    expect(second.exitCode).toBe(0);
    const [record] = recordOf(second);
    expect(record!.issue).toBe(opened[0]!.number);
    expect(record!.rows.find((r) => r.id === bob.id)!.decisions).toEqual([
      expect.objectContaining({ decision: 'revoke', login: 'alice' }),
    ]);
    expect(record!.ignored).toEqual([expect.objectContaining({ login: 'mallory' })]);
    const body = github().issues.issue(opened[0]!.number)!.body!;
    expect(body).toMatch(new RegExp(`\\| \`${bob.id}\` \\|.*revoke`));
    expect(body).toContain('mallory');
    expect(second.stdout).toContain('review: ignored on #1: mallory');
    expect(github().issues.issues()).toHaveLength(1);
    // Read only: the review revoked nothing before the due date.
    expect(emulator().requests.filter((r) => r.operation === 'DeleteAccountAssignment')).toEqual([]);
  });

  it('writes nothing to GitHub on a dry run or a pull_request run, and passes', async () => {
    stage();
    const dry = await review({ 'dry-run': 'true' });
    expect(dry.exitCode).toBe(0);
    const pr = await review({}, 'pull_request');
    expect(pr.exitCode).toBe(0);
    expect(issueWrites()).toEqual([]);
    expect(github().issues.issues()).toEqual([]);
    expect(pr.stdout).toContain('review: would open: Access review 2026-Q4');
    expect(recordOf(pr)).toEqual([expect.objectContaining({ issue: null })]);
  });

  it('gives a row in an account under an `ou-…` entry to that entry’s reviewer, whose decision counts', async () => {
    stage();
    const dana = { login: 'dana', id: 202, type: 'User' as const };
    github().issues.setUser(dana);
    const prod = aws().organization.ouId('Root/Workloads/Prod');
    github().repository.setFile(
      'main',
      REVIEWERS,
      `version: 1\nentries:\n  - accounts: ['${prod}']\n    reviewers: [dana]\ndefault-reviewers: alice\n`,
    );
    const first = await review();
    expect(first.exitCode).toBe(0);
    expect(first.stdout).not.toContain('were not read');
    const [issue] = github().issues.issues();
    expect(issue!.body).toContain('@dana');
    expect(issue!.body).not.toContain('@alice');
    const bob = recordOf(first)[0]!.rows.find((r) => r.principalId === aws().userId('bob'))!;

    github().issues.comment(issue!.number, dana, `/revoke ${bob.id} moved to another team`);
    github().issues.comment(issue!.number, alice, `/keep ${bob.id}`);
    const second = await review();
    const [record] = recordOf(second);
    expect(record!.rows.find((r) => r.id === bob.id)!.decisions).toEqual([
      expect.objectContaining({ decision: 'revoke', login: 'dana' }),
    ]);
    expect(record!.ignored).toEqual([expect.objectContaining({ login: 'alice' })]);
  });

  it('warns of an `ou-…` entry whose accounts Organizations would not list, naming the OU and the permissions, and matches nothing through it', async () => {
    stage();
    const prod = aws().organization.ouId('Root/Workloads/Prod');
    github().repository.setFile(
      'main',
      REVIEWERS,
      `version: 1\nentries:\n  - accounts: ['${prod}']\n    reviewers: [dana]\ndefault-reviewers: alice\n`,
    );
    emulator().aws.faults.accessDenied = ['ListAccountsForParent'];
    const step = await review();
    expect(step.exitCode).toBe(0);
    expect(step.stdout).toContain(`::warning::review: the accounts under ${prod} were not read`);
    expect(step.stdout).toContain('`organizations:ListAccountsForParent`');
    expect(step.stdout).toContain('`organizations:ListOrganizationalUnitsForParent`');
    const [issue] = github().issues.issues();
    expect(issue!.body).toContain('@alice');
    expect(issue!.body).not.toContain('@dana');
  });
});

describe('a campaign at its due date', () => {
  const DAY = 86_400_000;
  const deletes = () => emulator().requests.filter((r) => r.operation === 'DeleteAccountAssignment');
  const audit = () =>
    emulator()
      .aws.s3.objects('audit', 'review/')
      .map(([, o]) => JSON.parse(o.body) as { change: string; operation: string; review?: Record_ & object });

  it('revokes the row decided `revoke` on a schedule run, then closes the issue with every outcome and records it', async () => {
    stage();
    aws().addAssignment(carolAssignment());
    aws().addAssignment(auditorsAssignment());
    aws().addMembership(aws().groupId('Auditors'), aws().userId('carol'));
    aws().addMembership(aws().groupId('Auditors'), aws().userId('bob'));
    writeFileSync(join(workspace, 'access.yml'), MANIFEST);
    github().repository.setFile('main', 'access.yml', MANIFEST);
    emulator().aws.s3.createBucket('audit');
    // The campaign's issue was opened 15 days ago: `due` (14d) has passed since.
    github().issues.setNow(new Date(Date.now() - 15 * DAY).toISOString());
    const opened = await review({ manifest: 'access.yml' });
    expect(opened.exitCode).toBe(0);
    github().issues.setNow(undefined);
    const [issue] = github().issues.issues();
    const rows = recordOf(opened)[0]!.rows;
    const bob = rows.find((r) => r.principalId === aws().userId('bob'))!;
    const carol = rows.find((r) => r.principalId === aws().userId('carol'))!;
    const auditors = rows.find((r) => r.principalId === aws().groupId('Auditors'))!;
    // A group is one row, with its member count and its first members by name.
    expect(github().issues.issue(issue!.number)!.body).toMatch(
      new RegExp(`\\| \`${auditors.id}\` \\|[^\\n]*2 members: \`(bob|carol)\`, \`(bob|carol)\``),
    );
    github().issues.comment(issue!.number, alice, `/revoke ${bob.id} ${auditors.id} left the team`);
    github().issues.comment(issue!.number, alice, `/keep ${carol.id}`);

    // Due, but these runs do not act: nothing is written to the cloud, the issue stays open.
    const inputs = { 'audit-log': 's3://audit/review', manifest: 'access.yml' };
    const dry = await review({ ...inputs, 'dry-run': 'true' });
    const onComment = await review(inputs, 'issue_comment');
    expect([dry.exitCode, onComment.exitCode]).toEqual([0, 0]);
    expect(deletes()).toEqual([]);
    expect(audit()).toEqual([]);
    expect(github().issues.issue(issue!.number)!.state).toBe('open');
    expect(onComment.stdout).toContain('only a `schedule` or `workflow_dispatch` run acts at the due date');
    expect(
      github()
        .issues.issues()
        .filter((i) => i.pull),
    ).toEqual([]);
    // The dry run says what the run that acts would do.
    expect(dry.stdout).toContain(
      `review: at the due date a \`schedule\` run would, on #${issue!.number}: revoke ${bob.id}; remove by pull request ${auditors.id}; keep ${carol.id}, then close it`,
    );

    const due = await review(inputs);
    expect(due.exitCode).toBe(0);
    expect(deletes()).toHaveLength(1);
    expect(aws().hasAssignment(bobAssignment())).toBe(false);
    expect(aws().hasAssignment(carolAssignment())).toBe(true);
    // The manifest's row: not revoked by the review, removed by its one pull request.
    expect(aws().hasAssignment(auditorsAssignment())).toBe(true);
    const [pull] = github()
      .issues.issues()
      .filter((i) => i.pull);
    expect(pull!.pull).toEqual({ head: 'cloud-access-review/2026-Q4', base: 'main' });
    expect(github().repository.fileAt('cloud-access-review/2026-Q4', 'access.yml')).toContain(
      'assignments: []',
    );
    expect(github().issues.issue(issue!.number)).toEqual(expect.objectContaining({ state: 'closed' }));
    const closing = github().issues.comments(issue!.number).at(-1)!;
    expect(closing.user.type).toBe('Bot');
    expect(closing.body).toContain('### Access review `2026-Q4` closed');
    expect(closing.body).toMatch(
      new RegExp(`\\| \`${bob.id}\` \\|.*revoked as \`alice\` decided: \\*\\*revoked\\*\\*`),
    );
    expect(closing.body).toMatch(new RegExp(`\\| \`${carol.id}\` \\|.*kept, as \`alice\` decided`));
    expect(closing.body).toMatch(
      new RegExp(
        `\\| \`${auditors.id}\` \\|.*removed as \`alice\` decided by pull request \\[?#${pull!.number}`,
      ),
    );

    const [record] = recordOf(due);
    expect(record!.outcomes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          rowId: bob.id,
          outcome: 'revoke',
          result: expect.objectContaining({ status: 'revoked' }),
        }),
        expect.objectContaining({ rowId: carol.id, outcome: 'kept' }),
      ]),
    );
    expect(record!.closingComment).toMatch(/#issuecomment-/);
    const records = audit();
    expect(records.map((r) => r.change)).toEqual(expect.arrayContaining(['plan', 'revoke', 'review-close']));
    const closed = records.find((r) => r.change === 'review-close')!;
    expect(closed.operation).toBe('review');
    expect(closed.review).toEqual(
      expect.objectContaining({ issue: issue!.number, closingComment: record!.closingComment }),
    );
    expect(due.stdout).toContain('review: at the due date: 1 revoked, 1 to remove by pull request');

    // The campaign is over: a run after changes nothing and says so.
    const writesBefore = emulator().requests.filter((r) => r.write).length;
    const after = await review(inputs);
    expect(after.exitCode).toBe(0);
    expect(after.stdout).toContain('review: campaign 2026-Q4 is closed');
    expect(emulator().requests.filter((r) => r.write)).toHaveLength(writesBefore);
    expect(
      github()
        .issues.issues()
        .map((i) => [i.number, i.state]),
    ).toEqual([
      [issue!.number, 'closed'],
      [pull!.number, 'open'],
    ]);
  });
});
