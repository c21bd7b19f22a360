// What decides a review, through the bundle against the emulated GitHub, as the runner runs it:
// nothing written in an issue. Any workflow with `issues: write` posts as the same bot, so an
// issue with the campaign's marker planted before the first real run neither starts the campaign
// (its start is the first run of the review's workflow, read through the Actions API) nor names
// who the reviewers are (their IDs come from the reviewers file or GitHub, never from a marker); a
// later copy of an issue is named in a warning and its table is not read. Review commands are what
// a reader sees as commands: any case, on a line of their own, outside quotes and code blocks; a
// near-miss is listed; a reviewer's decision on their own access is not taken (self-review).
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reviewerSetKey } from '../../src/operations/review/model/reviewers.js';
import { awsInputs, REVIEW_WORKFLOW, runReview, useEmulator } from './fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 20 });
const aws = () => emulator().aws;
const github = () => emulator().github;
const workspace = mkdtempSync(join(tmpdir(), 'review-trust-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

const DAY = 86_400_000;
const alice = { login: 'alice', id: 101, type: 'User' as const };
const REVIEWERS = '.github/access-reviewers.yml';
const ALICE_KEY = reviewerSetKey([{ login: 'alice' }]);

const assignmentOf = (user: string) => ({
  accountId: '111111111111',
  permissionSetArn: aws().permissionSetArn('ReadOnlyAccess'),
  principalType: 'USER' as const,
  principalId: aws().userId(user),
});

function stage(reviewers = 'version: 1\ndefault-reviewers: alice\n') {
  github().repository.setFile('main', REVIEWERS, reviewers);
  github().issues.setUser(alice);
  aws().addAssignment(assignmentOf('bob'));
  aws().addAssignment(assignmentOf('carol'));
}

const review = (inputs: Record<string, string> = {}, event = 'schedule') =>
  runReview(awsInputs(inputs), workspace, event);

interface Record_ {
  issue: number | null;
  outcomes: { rowId: string; outcome: string }[] | null;
  rows: { id: string; principalId: string; decisions: { decision: string; login: string; url: string }[] }[];
  ignored: { login: string | null; command: string; why: string }[];
}
const recordOf = (step: { outputs: Record<string, string> }) =>
  JSON.parse(readFileSync(step.outputs.review!, 'utf8')) as Record_[];
const rowOf = (record: Record_, user: string) =>
  record.rows.find((r) => r.principalId === aws().userId(user))!;
const deletes = () => emulator().requests.filter((r) => r.operation === 'DeleteAccountAssignment');

/** An issue opened through GitHub's API with the job's token (as any workflow may), at the emulated clock. */
async function plantIssue(body: string, title = 'Access review 2026-Q4: 111111111111'): Promise<number> {
  const answer = await fetch(`${emulator().env.GITHUB_API_URL}/repos/octo-org/octo-repo/issues`, {
    method: 'POST',
    headers: { authorization: `token ${github().runs.jobToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ title, body, labels: ['access-review'] }),
  });
  expect(answer.status).toBe(201);
  return ((await answer.json()) as { number: number }).number;
}
const marker = (fields = '') =>
  `<!-- cloud-access-review campaign=2026-Q4 cloud=aws key=${ALICE_KEY}${fields} part=1 -->`;

describe('an issue planted with the campaign’s marker decides nothing', () => {
  it('opened a month before the first run, it does not make the campaign due nor revoke its rows', async () => {
    stage('version: 1\ndefault-reviewers: alice\ndue: 14d\ndefault-decision: revoke\n');
    github().issues.setNow(new Date(Date.now() - 30 * DAY).toISOString());
    const planted = await plantIssue(`${marker()}\n\nplanted`);
    github().issues.setNow(undefined);

    const first = await review();
    expect(first.exitCode).toBe(0);
    expect(deletes()).toEqual([]);
    expect(aws().hasAssignment(assignmentOf('bob'))).toBe(true);
    expect(aws().hasAssignment(assignmentOf('carol'))).toBe(true);
    const [record] = recordOf(first);
    // The oldest issue with the marker is the campaign's; but the campaign starts with this run.
    expect(record!.issue).toBe(planted);
    expect(record!.outcomes).toBeNull();
    expect(github().issues.issue(planted)!.state).toBe('open');
    expect(first.stdout).toContain(`run of \`${REVIEW_WORKFLOW}\` on \`main\``);
  });

  it('a forged `reviewers=` in its marker does not make the real reviewer’s `/revoke` ignored', async () => {
    stage();
    const planted = await plantIssue(`${marker(' reviewers=alice:6666 teams=')}\n\nplanted`);
    const first = await review();
    expect(first.exitCode).toBe(0);
    const bob = rowOf(recordOf(first)[0]!, 'bob');
    github().issues.comment(planted, alice, `/revoke ${bob.id} left the team`);

    const second = await review();
    const [record] = recordOf(second);
    expect(record!.ignored).toEqual([]);
    expect(rowOf(record!, 'bob').decisions).toEqual([
      expect.objectContaining({ decision: 'revoke', login: 'alice' }),
    ]);
  });

  it('a later issue with the same marker is named in a warning, its table not read, its reviewers’ decisions taken', async () => {
    stage();
    const first = await review();
    const [opened] = github().issues.issues();
    const bob = rowOf(recordOf(first)[0]!, 'bob');
    const copy = await plantIssue(`${marker()}\n\n| \`deadbeef\` | planted row |\n`);
    github().issues.comment(copy, alice, `/revoke ${bob.id} left the team`);

    const second = await review();
    expect(second.exitCode).toBe(0);
    expect(second.stdout).toContain(
      `::warning::review: issue #${copy} (https://github.com/octo-org/octo-repo/issues/${copy}, opened by github-actions[bot]) bears the marker of campaign 2026-Q4's issue #${opened!.number}`,
    );
    const [record] = recordOf(second);
    expect(record!.issue).toBe(opened!.number);
    expect(record!.rows.map((r) => r.id)).not.toContain('deadbeef');
    expect(github().issues.issue(opened!.number)!.body).not.toContain('deadbeef');
    expect(rowOf(record!, 'bob').decisions).toEqual([
      expect.objectContaining({
        decision: 'revoke',
        login: 'alice',
        url: expect.stringContaining(`/issues/${copy}#`),
      }),
    ]);
  });
});

describe('a campaign starts when the default branch says', () => {
  it('is due `due` after its workflow’s first run in the quarter, not after its issue', async () => {
    stage('version: 1\ndefault-reviewers: alice\ndue: 14d\n');
    // The workflow's first run of the quarter, 15 days ago; the issue opened only now.
    github().issues.addWorkflowRun({
      workflow: REVIEW_WORKFLOW,
      event: 'workflow_dispatch',
      createdAt: new Date(Date.now() - 15 * DAY).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    });
    // Runs that start nothing: another branch's, a pull request's.
    github().issues.addWorkflowRun({
      workflow: REVIEW_WORKFLOW,
      headBranch: 'feature',
      createdAt: new Date(Date.now() - 40 * DAY).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    });
    // The first run opens the issue (a campaign acts only on rows its issue has shown); the next acts.
    const first = await review();
    expect(first.exitCode).toBe(0);
    expect(recordOf(first)[0]!.outcomes).toBeNull();
    expect(github().issues.issues()[0]!.body).toContain(
      `Due ${new Date(Date.now() - DAY).toISOString().slice(0, 10)}`,
    );
    const second = await review();
    expect(recordOf(second)[0]!.outcomes).toEqual(
      expect.arrayContaining([expect.objectContaining({ outcome: 'kept-by-default' })]),
    );
    expect(github().issues.issues()[0]!.state).toBe('closed');
  });

  it('refuses, naming the permission, when the token may not read the workflow’s runs', async () => {
    stage();
    github().issues.setPermissions({ actions: 'none' });
    const step = await review();
    expect(step.exitCode).toBe(1);
    expect(step.stdout).toMatch(/::error::.*list the runs of workflow `access-review\.yml`.*`actions: read`/);
    expect(github().issues.issues()).toEqual([]);
    expect(emulator().requests.filter((r) => r.service !== 'github')).toEqual([]);
  });

  it('refuses a named campaign without a start, naming both places to give it; takes `campaign-start`', async () => {
    stage();
    const refused = await review({ campaign: 'drill' });
    expect(refused.exitCode).toBe(1);
    expect(refused.stdout).toMatch(
      /::error::.*campaign `drill` has no start.*`campaigns: \{drill: \{start: 2026-12-01\}\}`.*`campaign-start`/,
    );
    expect(github().issues.issues()).toEqual([]);

    const start = new Date(Date.now() - 20 * DAY).toISOString().slice(0, 10);
    const started = await review({ campaign: 'drill', 'campaign-start': start });
    expect(started.exitCode).toBe(0);
    expect(github().issues.issues()[0]!.state).toBe('open');
    // Started 20 days ago, due after 14: the next schedule run closes it.
    await review({ campaign: 'drill', 'campaign-start': start });
    expect(github().issues.issues()[0]!.state).toBe('closed');
  });

  it('takes a named campaign’s start from the reviewers file', async () => {
    const start = new Date(Date.now() + 3 * DAY).toISOString().slice(0, 10);
    stage(`version: 1\ndefault-reviewers: alice\ncampaigns:\n  drill:\n    start: ${start}\n`);
    const step = await review({ campaign: 'drill' });
    expect(step.exitCode).toBe(0);
    expect(step.stdout).toContain('`campaigns.drill.start` in the reviewers file');
    expect(recordOf(step)[0]!.outcomes).toBeNull();
  });
});

describe('review commands are what a reader sees as commands', () => {
  it('takes `/Revoke`, not a `/revoke` in a code block or a quote, and lists a near-miss', async () => {
    stage();
    const first = await review();
    const [issue] = github().issues.issues();
    const record = recordOf(first)[0]!;
    const bob = rowOf(record, 'bob');
    const carol = rowOf(record, 'carol');
    github().issues.comment(issue!.number, alice, `/Revoke ${bob.id} left the team`);
    github().issues.comment(issue!.number, alice, `Example:\n\n\`\`\`\n/revoke ${carol.id} as shown\n\`\`\``);
    github().issues.comment(issue!.number, alice, `> /revoke ${carol.id} quoted\n\nI disagree.`);
    github().issues.comment(issue!.number, alice, `    /revoke ${carol.id} indented`);
    github().issues.comment(issue!.number, alice, `/revoked ${carol.id} typo`);
    github().issues.comment(issue!.number, alice, '/deploy staging');

    const second = await review();
    const [read] = recordOf(second);
    expect(rowOf(read!, 'bob').decisions).toEqual([expect.objectContaining({ decision: 'revoke' })]);
    expect(rowOf(read!, 'carol').decisions).toEqual([]);
    expect(read!.ignored).toEqual([
      expect.objectContaining({
        command: `/revoked ${carol.id} typo`,
        why: expect.stringContaining('`/revoked` is not a review command'),
      }),
    ]);
    const body = github().issues.issue(issue!.number)!.body!;
    expect(body).toContain('**Not taken as decisions** (1)');
  });

  it('ignores a reviewer’s decision on a row that grants them (self-review), by the policy’s `people`', async () => {
    stage('version: 1\ndefault-reviewers: alice\n');
    aws().addAssignment(assignmentOf('alice'));
    github().repository.setFile(
      'main',
      '.github/access-policy.yml',
      `version: 1\npeople:\n  - github-id: ${alice.id}\n    github: alice\n    aws: ${aws().userId('alice')}\nrules: []\n`,
    );
    const first = await review();
    const [issue] = github().issues.issues();
    const own = rowOf(recordOf(first)[0]!, 'alice');
    github().issues.comment(issue!.number, alice, '/keep all');

    const second = await review();
    const [read] = recordOf(second);
    expect(rowOf(read!, 'alice').decisions).toEqual([]);
    expect(rowOf(read!, 'bob').decisions).toEqual([expect.objectContaining({ decision: 'keep' })]);
    expect(read!.ignored).toEqual([
      expect.objectContaining({
        login: 'alice',
        why: expect.stringContaining(`self-review: row \`${own.id}\``),
      }),
    ]);

    // The reviewers file may allow it.
    github().repository.setFile(
      'main',
      REVIEWERS,
      'version: 1\ndefault-reviewers: alice\nself-review: true\n',
    );
    const allowed = await review();
    expect(rowOf(recordOf(allowed)[0]!, 'alice').decisions).toEqual([
      expect.objectContaining({ decision: 'keep' }),
    ]);
  });

  it('says in a notice that self-review is not checked without a policy file', async () => {
    stage();
    const step = await review();
    expect(step.exitCode).toBe(0);
    expect(step.stdout).toContain(
      "::notice::review: no access policy `.github/access-policy.yml` on the default branch `main`: a reviewer's decision on their own access is not checked",
    );
  });
});
