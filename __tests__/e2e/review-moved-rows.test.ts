// A reviewers file that changes mid-campaign moves rows, through the bundle as the runner runs it:
// a row whose reviewer set changed joins its new set's issue at the next run, carrying the
// decisions of reviewers who still review it (each with its comment's address) and listing those
// of reviewers who no longer do as dropped. An issue left with no rows is closed with a comment
// linking the new one, after its `review-close` audit record; an issue that keeps rows lists the
// moved ones as moved, so their decisions keep being carried, and none of them is called gone.
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsInputs, runReview, useEmulator } from './fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 20 });
const aws = () => emulator().aws;
const github = () => emulator().github;
const workspace = mkdtempSync(join(tmpdir(), 'review-moved-rows-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

const alice = { login: 'alice', id: 101, type: 'User' as const };
const dan = { login: 'dan', id: 104, type: 'User' as const };
const erin = { login: 'erin', id: 105, type: 'User' as const };
const REVIEWERS = '.github/access-reviewers.yml';

const assignmentOf = (user: string, set = 'ReadOnlyAccess') => ({
  accountId: '111111111111',
  permissionSetArn: aws().permissionSetArn(set),
  principalType: 'USER' as const,
  principalId: aws().userId(user),
});

interface Decision_ {
  decision: string;
  login: string;
  url: string;
}
interface Record_ {
  issue: number | null;
  key: string;
  rows: { id: string; principalId: string; decisions: Decision_[] }[];
  ignored: { login: string | null; command: string; why: string; url: string }[];
  closingComment: string | null;
  closedAt: string | null;
  movedTo?: { rowId: string; issue: number; decisions: Decision_[] }[];
}
const recordOf = (step: { outputs: Record<string, string> }) =>
  JSON.parse(readFileSync(step.outputs.review!, 'utf8')) as Record_[];
const rowOf = (record: Record_, user: string) =>
  record.rows.find((r) => r.principalId === aws().userId(user))!;
const audit = () =>
  emulator()
    .aws.s3.objects('audit', 'review/')
    .map(([, o]) => JSON.parse(o.body) as { change: string; review?: Record_ });

const inputs = { 'audit-log': 's3://audit/review' };
const review = (event = 'schedule') => runReview(awsInputs(inputs), workspace, event);

function stage(reviewers: string) {
  github().repository.setFile('main', REVIEWERS, reviewers);
  for (const user of [alice, dan, erin]) github().issues.setUser(user);
  emulator().aws.s3.createBucket('audit');
}

describe('a changed reviewers file moves rows to their new reviewer set’s issue', () => {
  it('carries the decisions of reviewers who still review a row, drops the others’, and closes the emptied issue linking the new one', async () => {
    stage('version: 1\ndefault-reviewers: [alice, dan]\n');
    aws().addAssignment(assignmentOf('bob'));
    aws().addAssignment(assignmentOf('carol'));
    const first = await review();
    expect(first.exitCode).toBe(0);
    const [old] = github().issues.issues();
    const bob = rowOf(recordOf(first)[0]!, 'bob');
    const carol = rowOf(recordOf(first)[0]!, 'carol');
    const said = github().issues.comment(old!.number, alice, `/revoke ${bob.id} left the team`);
    const aliceSaid = {
      url: `https://github.com/octo-org/octo-repo/issues/${old!.number}#issuecomment-${said.id}`,
    };
    github().issues.comment(old!.number, dan, `/keep ${bob.id} ${carol.id}`);

    // The reviewers file changes: dan no longer reviews these rows, erin does.
    github().repository.setFile('main', REVIEWERS, 'version: 1\ndefault-reviewers: [alice, erin]\n');
    const moved = await review();
    expect(moved.exitCode).toBe(0);
    const issues = github().issues.issues();
    expect(issues).toHaveLength(2);
    const fresh = issues.find((i) => i.number !== old!.number)!;
    const records = recordOf(moved);
    const now = records.find((r) => r.issue === fresh.number)!;
    expect(now.rows.map((r) => r.id).sort()).toEqual([bob.id, carol.id].sort());
    // alice still reviews bob's row: her decision is carried, with her comment's address in the old issue.
    expect(rowOf(now, 'bob').decisions).toEqual([
      expect.objectContaining({ decision: 'revoke', login: 'alice', url: aliceSaid.url }),
    ]);
    expect(rowOf(now, 'carol').decisions).toEqual([]);
    // dan no longer reviews them: his decision is dropped, and listed as such.
    expect(now.ignored).toEqual([
      expect.objectContaining({
        login: 'dan',
        command: `/keep ${bob.id} ${carol.id}`,
        why: expect.stringMatching(/^dropped: row .*reviewers file changed/),
      }),
    ]);
    expect(fresh.body).toMatch(new RegExp(`\\| \`${bob.id}\` \\|.*revoke.*alice`));
    expect(fresh.body).toContain('dropped: row');
    expect(fresh.body).not.toContain('gone');

    // The old issue has no rows left: closed, with a comment linking the new one, and recorded.
    expect(github().issues.issue(old!.number)!.state).toBe('closed');
    const closing = github().issues.comments(old!.number).at(-1)!;
    expect(closing.user.type).toBe('Bot');
    expect(closing.body).toContain(`#${fresh.number}`);
    expect(closing.body).toContain('rows moved');
    expect(moved.stdout).toContain(`review: closed #${old!.number}: its 2 row(s) moved to #${fresh.number}`);
    const closedRecord = records.find((r) => r.issue === old!.number)!;
    expect(closedRecord.closingComment).toContain(`#issuecomment-${closing.id}`);
    expect(closedRecord.closedAt).not.toBeNull();
    expect(closedRecord.movedTo).toEqual(
      expect.arrayContaining([
        {
          rowId: bob.id,
          issue: fresh.number,
          decisions: [expect.objectContaining({ login: 'alice', url: aliceSaid.url })],
        },
        { rowId: carol.id, issue: fresh.number, decisions: [] },
      ]),
    );
    const recorded = audit().filter((r) => r.change === 'review-close');
    expect(recorded).toEqual([
      expect.objectContaining({
        review: expect.objectContaining({ issue: old!.number, closingComment: closedRecord.closingComment }),
      }),
    ]);

    // The next run keeps carrying alice's decision, and leaves the closed old issue closed.
    const next = await review();
    expect(next.exitCode).toBe(0);
    expect(github().issues.issue(old!.number)!.state).toBe('closed');
    const [again] = recordOf(next);
    expect(again!.issue).toBe(fresh.number);
    expect(rowOf(again!, 'bob').decisions).toEqual([
      expect.objectContaining({ decision: 'revoke', login: 'alice', url: aliceSaid.url }),
    ]);
    expect(github().issues.issues()).toHaveLength(2);
  });

  it('lists a row that moved away as moved in the issue that keeps other rows, never as gone', async () => {
    stage('version: 1\ndefault-reviewers: [alice]\n');
    aws().addAssignment(assignmentOf('bob'));
    aws().addAssignment(assignmentOf('carol', 'PowerUserAccess'));
    const first = await review();
    const [old] = github().issues.issues();
    const carol = recordOf(first)[0]!.rows.find((r) => r.principalId === aws().userId('carol'))!;
    github().issues.comment(old!.number, alice, '/keep all');

    github().repository.setFile(
      'main',
      REVIEWERS,
      "version: 1\ndefault-reviewers: [alice]\nentries:\n  - accounts: ['111111111111']\n    permission-sets: [PowerUserAccess]\n    reviewers: [alice, erin]\n",
    );
    const moved = await review();
    expect(moved.exitCode).toBe(0);
    expect(github().issues.issue(old!.number)!.state).toBe('open');
    const body = github().issues.issue(old!.number)!.body!;
    expect(body).toMatch(new RegExp(`\\| \`${carol.id}\` \\| moved: now reviewed by \`alice\`, \`erin\``));
    expect(body).not.toContain('gone');
    const fresh = github()
      .issues.issues()
      .find((i) => i.number !== old!.number)!;
    const now = recordOf(moved).find((r) => r.issue === fresh.number)!;
    // alice's `/keep all` in the old issue named no row: not carried (only a command that names
    // the row is).
    expect(rowOf(now, 'carol').decisions).toEqual([]);
  });
});
