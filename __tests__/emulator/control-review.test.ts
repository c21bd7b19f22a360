// POST /_emulator/github/access-review: what a person stages to walk `operation: review` against
// `npm run emulator` (the aws-review local mode): the reviewers file, then, once the campaign's
// issue is open, alice's decision on it and the campaign past its due date.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { seedExamples } from '../../emulator/examples-seed.js';
import { ACTIONS_BOT } from '../../emulator/github/issues-store.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ quiet: true });
});
afterAll(() => emulator.close());
beforeEach(() => {
  emulator.reset();
  seedExamples(emulator);
});

async function stage(body: unknown) {
  const res = await fetch(`${emulator.endpoints.github}/_emulator/github/access-review`, {
    method: 'POST',
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('POST /_emulator/github/access-review', () => {
  it('writes the reviewers file at the default branch, alice’s account and a grant for her to review', async () => {
    const answer = await stage({});
    expect(answer.status).toBe(200);
    expect(answer.body.issues).toEqual([]);
    const file = emulator.github.repository.fileAt('main', '.github/access-reviewers.yml');
    expect(file).toContain('default-reviewers: [alice]');
    expect(file).toContain('due: 14d');
    expect(emulator.aws.assignments()).toContainEqual(
      expect.objectContaining({ accountId: '111111111111', principalId: emulator.aws.userId('bob') }),
    );
  });

  it('refuses a decision or a due date while no campaign issue is open, saying to run the mode first', async () => {
    for (const body of [{ comment: '/keep all' }, { due: true }]) {
      const answer = await stage(body);
      expect(answer.status).toBe(400);
      expect(answer.body.message).toContain('no access-review issue is open: run the aws-review mode first');
    }
  });

  it('posts alice’s decision on the open campaign issue and back-dates the campaign’s first run past its due date, answering its row IDs', async () => {
    const issue = await openIssue();
    const answer = await stage({ comment: '/revoke 0123abcd left the team', due: true });
    expect(answer.status).toBe(200);
    expect(answer.body.issues).toEqual([expect.objectContaining({ number: issue, rows: ['0123abcd'] })]);
    expect(emulator.github.issues.comments(issue)).toEqual([
      expect.objectContaining({
        body: '/revoke 0123abcd left the team',
        user: { login: 'alice', id: 583231, type: 'User' },
      }),
    ]);
    const first = Math.min(
      ...emulator.github.issues
        .workflowRuns()
        .filter((r) => r.workflow === 'access-review.yml')
        .map((r) => Date.parse(r.createdAt)),
    );
    expect(Date.now() - first).toBeGreaterThan(14 * 86_400_000);
  });

  it('refuses a comment that is no decision, naming the field', async () => {
    await openIssue();
    const answer = await stage({ comment: 'looks fine' });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toMatch(/"comment" takes a decision of alice's/);
  });
});

/** An issue opened through the emulator's REST API with the job's token, as the step opens one. */
async function openIssue(): Promise<number> {
  const res = await fetch(`${emulator.endpoints.github}/repos/octo-org/octo-repo/issues`, {
    method: 'POST',
    headers: { authorization: `Bearer ${emulator.github.runs.jobToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      title: 'Access review 2026-Q4: all accounts',
      labels: ['access-review'],
      body: '<!-- cloud-access-review campaign=2026-Q4 key=k -->\n\n| `0123abcd` | bob |\n',
    }),
  });
  expect(res.status).toBe(201);
  const issue = (await res.json()) as { number: number; user: { login: string } };
  expect(issue.user.login).toBe(ACTIONS_BOT.login);
  return issue.number;
}
