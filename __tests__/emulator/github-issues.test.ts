// The emulated GitHub REST API for a review's campaign, through Octokit (`@actions/github`'s
// getOctokit) as the action calls it: issues by label, their comments paged, labels, pull
// requests, a branch and a file written on it, the accounts and teams a campaign names, and
// GitHub's refusals (a body too long, a token without the permission, a file's stale SHA).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { getOctokit } from '@actions/github';
import { startEmulator, type Emulator } from '../../emulator/index.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ quiet: true, azure: false });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

const repo = { owner: 'octo-org', repo: 'octo-repo' };
const octokit = () => getOctokit(emulator.github.runs.jobToken, { baseUrl: emulator.env.GITHUB_API_URL });
const statusOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return error as { status: number; response?: { data?: unknown } };
  }
  throw new Error('expected GitHub to refuse');
};
const alice = { login: 'alice', id: 101, type: 'User' as const };

describe('issues by label, read and rewritten', () => {
  it('opens an issue as the Actions bot with its label, lists it by label, and rewrites and closes it', async () => {
    emulator.github.issues.setNow('2026-07-01T00:00:00Z');
    const { data: created } = await octokit().rest.issues.create({
      ...repo,
      title: 'Access review 2026-Q3: prod',
      body: '<!-- marker -->\nrows',
      labels: ['access-review'],
    });
    expect(created).toEqual(
      expect.objectContaining({
        number: 1,
        state: 'open',
        created_at: '2026-07-01T00:00:00Z',
        user: expect.objectContaining({ login: 'github-actions[bot]', id: 41898282, type: 'Bot' }),
        labels: [expect.objectContaining({ name: 'access-review' })],
        html_url: 'https://github.com/octo-org/octo-repo/issues/1',
      }),
    );
    await octokit().rest.issues.create({ ...repo, title: 'other' });
    const { data: listed } = await octokit().rest.issues.listForRepo({
      ...repo,
      labels: 'access-review',
      state: 'all',
    });
    expect(listed.map((i) => i.number)).toEqual([1]);

    emulator.github.issues.setNow('2026-07-15T00:00:00Z');
    await octokit().rest.issues.update({ ...repo, issue_number: 1, body: 'new', state: 'closed' });
    const { data: got } = await octokit().rest.issues.get({ ...repo, issue_number: 1 });
    expect(got).toEqual(
      expect.objectContaining({
        body: 'new',
        state: 'closed',
        state_reason: 'completed',
        closed_at: '2026-07-15T00:00:00Z',
      }),
    );
    const { data: open } = await octokit().rest.issues.listForRepo({ ...repo, labels: 'access-review' });
    expect(open).toEqual([]);
    expect(emulator.requests.map((r) => [r.operation, r.write])).toEqual([
      ['CreateIssue', true],
      ['CreateIssue', true],
      ['ListIssues', false],
      ['UpdateIssue', true],
      ['GetIssue', false],
      ['ListIssues', false],
    ]);
  });

  it('refuses a body past 65,536 characters as GitHub does', async () => {
    const failure = await statusOf(
      octokit().rest.issues.create({ ...repo, title: 't', body: 'x'.repeat(65_537) }),
    );
    expect(failure.status).toBe(422);
    expect(JSON.stringify(failure.response?.data)).toContain(
      'body is too long (maximum is 65536 characters)',
    );
    await octokit().rest.issues.create({ ...repo, title: 't', body: 'x'.repeat(65_536) });
  });

  it('refuses a token without `issues: write`, as GitHub refuses an integration', async () => {
    emulator.github.issues.setPermissions({ issues: 'read' });
    const failure = await statusOf(octokit().rest.issues.create({ ...repo, title: 't' }));
    expect(failure.status).toBe(403);
    expect(failure.response?.data).toEqual(
      expect.objectContaining({ message: 'Resource not accessible by integration' }),
    );
    const listed = await octokit().rest.issues.listForRepo(repo);
    expect(listed.status).toBe(200);
  });

  it('answers 401 to a token it does not know', async () => {
    const failure = await statusOf(
      getOctokit('ghs_unknown', { baseUrl: emulator.env.GITHUB_API_URL }).rest.issues.listForRepo(repo),
    );
    expect(failure.status).toBe(401);
  });

  it('makes a label an issue names, and creates and reads one', async () => {
    await octokit().rest.issues.createLabel({
      ...repo,
      name: 'access-review',
      color: '5319e7',
      description: 'x',
    });
    const failure = await statusOf(octokit().rest.issues.createLabel({ ...repo, name: 'Access-Review' }));
    expect(failure.status).toBe(422);
    const { data } = await octokit().rest.issues.getLabel({ ...repo, name: 'access-review' });
    expect(data).toEqual(expect.objectContaining({ name: 'access-review', color: '5319e7' }));
    expect((await statusOf(octokit().rest.issues.getLabel({ ...repo, name: 'nope' }))).status).toBe(404);
  });
});

describe("an issue's comments", () => {
  it("pages a reviewer's staged comments, oldest first, with who wrote them, when, and whether edited", async () => {
    await octokit().rest.issues.create({ ...repo, title: 't' });
    emulator.github.issues.comment(1, alice, '/keep all', {
      at: '2026-07-02T00:00:00Z',
      editedAt: '2026-07-02T00:05:00Z',
    });
    for (let i = 0; i < 149; i++)
      emulator.github.issues.comment(1, alice, `c${i}`, { at: '2026-07-03T00:00:00Z' });
    const all = await octokit().paginate(octokit().rest.issues.listComments, {
      ...repo,
      issue_number: 1,
      per_page: 100,
    });
    expect(all).toHaveLength(150);
    expect(all[0]).toEqual(
      expect.objectContaining({
        body: '/keep all',
        user: expect.objectContaining({ login: 'alice', id: 101, type: 'User' }),
        created_at: '2026-07-02T00:00:00Z',
        updated_at: '2026-07-02T00:05:00Z',
        html_url: `https://github.com/octo-org/octo-repo/issues/1#issuecomment-${all[0]!.id}`,
      }),
    );
    expect(emulator.requests.filter((r) => r.operation === 'ListIssueComments')).toHaveLength(2);
  });

  it("writes the bot's comments and rewrites them, but no one else's", async () => {
    await octokit().rest.issues.create({ ...repo, title: 't' });
    const { data: mine } = await octokit().rest.issues.createComment({
      ...repo,
      issue_number: 1,
      body: 'part 2',
    });
    await octokit().rest.issues.updateComment({ ...repo, comment_id: mine.id, body: 'part 2, rewritten' });
    expect(emulator.github.issues.comments(1).map((c) => c.body)).toEqual(['part 2, rewritten']);
    const theirs = emulator.github.issues.comment(1, alice, '/keep all');
    const failure = await statusOf(
      octokit().rest.issues.updateComment({ ...repo, comment_id: theirs.id, body: 'x' }),
    );
    expect(failure.status).toBe(403);
    expect((await statusOf(octokit().rest.issues.listComments({ ...repo, issue_number: 9 }))).status).toBe(
      404,
    );
  });
});

describe('a pull request that edits a file on its own branch', () => {
  it("branches from the default branch's head, writes the file naming its blob SHA, and opens one pull request", async () => {
    emulator.github.repository.setFile('main', 'access/manifest.yml', 'version: 1\n');
    const { data: ref } = await octokit().rest.git.getRef({ ...repo, ref: 'heads/main' });
    expect(ref.object.sha).toBe(emulator.github.repository.headOf('main'));
    await octokit().rest.git.createRef({
      ...repo,
      ref: 'refs/heads/cloud-access-review/2026-Q3',
      sha: ref.object.sha,
    });
    const { data: file } = await octokit().rest.repos.getContent({
      ...repo,
      path: 'access/manifest.yml',
      ref: 'main',
    });
    const sha = (file as { sha: string }).sha;
    const stale = await statusOf(
      octokit().rest.repos.createOrUpdateFileContents({
        ...repo,
        path: 'access/manifest.yml',
        branch: 'cloud-access-review/2026-Q3',
        message: 'm',
        content: Buffer.from('x').toString('base64'),
        sha: '0'.repeat(40),
      }),
    );
    expect(stale.status).toBe(409);
    const { data: made } = await octokit().rest.repos.createOrUpdateFileContents({
      ...repo,
      path: 'access/manifest.yml',
      branch: 'cloud-access-review/2026-Q3',
      message: 'Access review 2026-Q3: remove revoked rows',
      content: Buffer.from('version: 1\naws: {}\n').toString('base64'),
      sha,
    });
    // The commit made on the branch's head: its SHA and its parent, as GitHub answers them.
    expect(made.commit.sha).toBe(emulator.github.repository.headOf('cloud-access-review/2026-Q3'));
    expect(made.commit.parents?.map((p) => p.sha)).toEqual([ref.object.sha]);
    expect(emulator.github.repository.fileAt('cloud-access-review/2026-Q3', 'access/manifest.yml')).toBe(
      'version: 1\naws: {}\n',
    );
    expect(emulator.github.repository.fileAt('main', 'access/manifest.yml')).toBe('version: 1\n');

    const { data: pull } = await octokit().rest.pulls.create({
      ...repo,
      title: 'Access review',
      head: 'cloud-access-review/2026-Q3',
      base: 'main',
    });
    expect(pull).toEqual(
      expect.objectContaining({ number: 1, html_url: 'https://github.com/octo-org/octo-repo/pull/1' }),
    );
    expect(pull.head.sha).toBe(made.commit.sha);
    const again = await statusOf(
      octokit().rest.pulls.create({ ...repo, title: 'x', head: 'cloud-access-review/2026-Q3', base: 'main' }),
    );
    expect(again.status).toBe(422);
    const { data: listed } = await octokit().rest.pulls.list({
      ...repo,
      head: 'octo-org:cloud-access-review/2026-Q3',
      state: 'open',
    });
    expect(listed.map((p) => p.number)).toEqual([1]);
    const exists = await statusOf(
      octokit().rest.git.createRef({
        ...repo,
        ref: 'refs/heads/cloud-access-review/2026-Q3',
        sha: ref.object.sha,
      }),
    );
    expect(exists.status).toBe(422);
    const { data: closed } = await octokit().rest.pulls.update({ ...repo, pull_number: 1, state: 'closed' });
    expect(closed.state).toBe('closed');
    expect(emulator.github.issues.issue(1)?.state).toBe('closed');
  });

  it('refuses a write without `contents: write` or `pull-requests: write`', async () => {
    emulator.github.issues.setPermissions({ contents: 'read', pullRequests: 'read' });
    const sha = emulator.github.repository.headOf('main');
    expect((await statusOf(octokit().rest.git.createRef({ ...repo, ref: 'refs/heads/x', sha }))).status).toBe(
      403,
    );
    expect(
      (await statusOf(octokit().rest.pulls.create({ ...repo, title: 't', head: 'main', base: 'main' })))
        .status,
    ).toBe(403);
  });
});

describe('the accounts and teams a campaign names', () => {
  it("answers a user's login and account ID, and a team's members where the token may read them", async () => {
    emulator.github.issues.setUser(alice);
    emulator.github.issues.setTeam('acme', 'sec', [{ login: 'carol', id: 103, type: 'User' }]);
    const { data: user } = await octokit().rest.users.getByUsername({ username: 'Alice' });
    expect(user).toEqual(expect.objectContaining({ login: 'alice', id: 101, type: 'User' }));
    expect((await statusOf(octokit().rest.users.getByUsername({ username: 'nobody' }))).status).toBe(404);
    const { data: members } = await octokit().rest.teams.listMembersInOrg({ org: 'acme', team_slug: 'sec' });
    expect(members.map((m) => [m.login, m.id])).toEqual([['carol', 103]]);
    emulator.github.issues.setPermissions({ members: 'none' });
    expect(
      (await statusOf(octokit().rest.teams.listMembersInOrg({ org: 'acme', team_slug: 'sec' }))).status,
    ).toBe(404);
  });
});
