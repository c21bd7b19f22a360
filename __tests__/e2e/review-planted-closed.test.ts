// An issue planted with a campaign's marker and closed before the campaign's first real run,
// through the bundle as the runner runs it: any workflow with `issues: write` posts and closes as
// the same bot. The real run neither takes the campaign as done (nothing is left to do, "is
// closed") nor as due (its start is the first run of its workflow, read through the Actions API),
// nor adopts the planted issue: it is not reopened, its table's rows are not the campaign's, and a
// bot's `/keep all` in it decides nothing. It is named in a warning.
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reviewerSetKey } from '../../src/operations/review/model/reviewers.js';
import { awsInputs, runReview, useEmulator } from './fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 20 });
const aws = () => emulator().aws;
const github = () => emulator().github;
const workspace = mkdtempSync(join(tmpdir(), 'review-planted-closed-'));
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

interface Record_ {
  issue: number | null;
  outcomes: unknown[] | null;
  rows: { id: string; decisions: unknown[] }[];
}
const recordOf = (step: { outputs: Record<string, string> }) =>
  JSON.parse(readFileSync(step.outputs.review!, 'utf8')) as Record_[];
const deletes = () => emulator().requests.filter((r) => r.operation === 'DeleteAccountAssignment');
const isoAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();

/** What another workflow with `issues: write` does with the job's token: opens, comments, closes. */
async function plantClosedIssue(key: string): Promise<number> {
  const api = `${emulator().env.GITHUB_API_URL}/repos/octo-org/octo-repo/issues`;
  const send = async (url: string, method: string, body: object) => {
    const answer = await fetch(url, {
      method,
      headers: { authorization: `token ${github().runs.jobToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(answer.ok).toBe(true);
    return (await answer.json()) as { number: number };
  };
  github().issues.setNow(isoAgo(30));
  const marker = `<!-- cloud-access-review campaign=2026-Q4 cloud=aws key=${key} reviewers=alice:101 teams= part=1 -->`;
  const { number } = await send(api, 'POST', {
    title: 'Access review 2026-Q4: 111111111111',
    body: `${marker}\n\n| Row |\n| --- |\n| \`deadbeef\` | planted |\n`,
    labels: ['access-review'],
  });
  await send(`${api}/${number}/comments`, 'POST', { body: '/keep all' });
  await send(`${api}/${number}/comments`, 'POST', {
    body: '### Access review `2026-Q4` closed\n\n1 rows: kept 1.',
  });
  github().issues.setNow(isoAgo(29));
  await send(`${api}/${number}`, 'PATCH', { state: 'closed' });
  github().issues.setNow(undefined);
  return number;
}

describe('an issue planted with the campaign’s marker and closed before the first run', () => {
  it.each([
    ['the reviewer set’s key', ALICE_KEY],
    ['another key', 'aaaaaaaaaaaa'],
  ])(
    'with %s: the campaign is neither done nor due, and the planted issue is not adopted',
    async (_, key) => {
      github().repository.setFile(
        'main',
        REVIEWERS,
        'version: 1\ndefault-reviewers: alice\ndue: 14d\ndefault-decision: revoke\n',
      );
      github().issues.setUser(alice);
      aws().addAssignment(assignmentOf('bob'));
      const planted = await plantClosedIssue(key);

      const first = await review();
      expect(first.exitCode).toBe(0);
      expect(first.stdout).not.toContain('is closed');
      expect(deletes()).toEqual([]);
      expect(aws().hasAssignment(assignmentOf('bob'))).toBe(true);
      // The planted issue stays as it was: closed, not reopened, not rewritten.
      expect(github().issues.issue(planted)!.state).toBe('closed');
      expect(github().issues.comments(planted)).toHaveLength(2);
      // The campaign's own issue is opened, with the rows read, none of the planted table's, undecided.
      const opened = github()
        .issues.issues()
        .filter((i) => i.number !== planted);
      expect(opened).toHaveLength(1);
      expect(opened[0]!.state).toBe('open');
      const [record] = recordOf(first);
      expect(record!.issue).toBe(opened[0]!.number);
      expect(record!.outcomes).toBeNull();
      expect(record!.rows.map((r) => r.id)).not.toContain('deadbeef');
      expect(record!.rows.every((r) => r.decisions.length === 0)).toBe(true);
      expect(opened[0]!.body).not.toContain('deadbeef');
      expect(first.stdout).toContain(`::warning::review: issue #${planted}`);

      // The next run is not due either, and still leaves the planted issue alone.
      const second = await review();
      expect(second.exitCode).toBe(0);
      expect(deletes()).toEqual([]);
      expect(github().issues.issue(planted)!.state).toBe('closed');
      expect(github().issues.issue(opened[0]!.number)!.state).toBe('open');
    },
  );
});

const review = () => runReview(awsInputs({}), workspace, 'schedule');
