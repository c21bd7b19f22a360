// A review's GitHub calls through Octokit against the emulated GitHub API: the reviewers file at
// the default branch's head, the campaign's issues and their comments page by page, issues and
// comments written, a login's account ID and a team's members; each refusal names the permission.
import { describe, expect, it } from '@jest/globals';
import { CloudAccessError } from '../../src/core/errors.js';
import { emulatedGitHub } from '../harness/emulated-github.js';

const github = emulatedGitHub();
const emulator = () => github.emulator();

const api = () => github.reviewApi();
const alice = { login: 'alice', id: 101, type: 'User' as const };

describe("a review's GitHub calls", () => {
  it("reads the reviewers file at the default branch's head, never another branch's", async () => {
    emulator().github.repository.setFile('main', '.github/reviewers.yml', 'version: 1\n');
    emulator().github.repository.setFile('feature', '.github/reviewers.yml', 'version: 2\n');
    const read = await (await api()).fileAtHead('.github/reviewers.yml');
    expect(read).toEqual({
      defaultBranch: 'main',
      commit: emulator().github.repository.headOf('main'),
      text: 'version: 1\n',
    });
  });

  it('opens, lists, rewrites and closes campaign issues, and comments on them', async () => {
    emulator().github.issues.setNow('2026-07-01T00:00:00Z');
    const github = await api();
    const opened = await github.openIssue('Access review 2026-Q3: prod', 'body', 'access-review');
    expect(opened).toEqual({
      number: 1,
      title: 'Access review 2026-Q3: prod',
      body: 'body',
      state: 'open',
      createdAt: '2026-07-01T00:00:00Z',
      closedAt: null,
      url: 'https://github.com/octo-org/octo-repo/issues/1',
      author: { login: 'github-actions[bot]', id: 41898282, type: 'Bot' },
    });
    const part = await github.comment(1, 'part 2');
    await github.updateComment(part.id, 'part 2 again');
    await github.updateIssue(1, { body: 'body again', state: 'closed' });
    expect(await github.campaignIssues('access-review')).toEqual([
      expect.objectContaining({
        number: 1,
        body: 'body again',
        state: 'closed',
        closedAt: '2026-07-01T00:00:00Z',
      }),
    ]);
    // Who closed it: only "Get an issue" says (`closed_by`).
    expect(await github.closedBy(1)).toEqual({ login: 'github-actions[bot]', at: '2026-07-01T00:00:00Z' });
    expect(
      emulator()
        .github.issues.comments(1)
        .map((c) => c.body),
    ).toEqual(['part 2 again']);
    expect(github.requests()).toBe(6);
  });

  it("reads every comment, one request per page, with each author's login, account ID and type", async () => {
    const github = await api();
    await github.openIssue('t', 'b', 'access-review');
    for (let i = 0; i < 150; i++)
      emulator().github.issues.comment(1, alice, `/keep all ${i}`, { at: '2026-07-02T00:00:00Z' });
    emulator().github.issues.comment(1, alice, 'edited', {
      at: '2026-07-02T00:00:00Z',
      editedAt: '2026-07-03T00:00:00Z',
    });
    const before = github.requests();
    const comments = await github.comments(1);
    expect(github.requests() - before).toBe(2);
    expect(comments).toHaveLength(151);
    expect(comments[150]).toEqual(
      expect.objectContaining({
        body: 'edited',
        author: { login: 'alice', id: 101, type: 'User' },
        createdAt: '2026-07-02T00:00:00Z',
        updatedAt: '2026-07-03T00:00:00Z',
      }),
    );
  });

  it("resolves a login to its account ID, and reads a team's members", async () => {
    emulator().github.issues.setUser(alice);
    emulator().github.issues.setTeam('acme', 'sec', [{ login: 'Carol', id: 103, type: 'User' }]);
    const github = await api();
    expect(await github.user('alice')).toEqual({ login: 'alice', id: 101 });
    expect(await github.user('nobody')).toBeUndefined();
    expect(await github.teamMembers('acme', 'sec')).toEqual(new Map([['carol', 103]]));
  });

  it('says a team it cannot read is not found or not visible, and refuses issues without `issues: write` naming it', async () => {
    const github = await api();
    emulator().github.issues.setPermissions({ members: 'none', issues: 'read' });
    const team = github.teamMembers('acme', 'sec');
    await expect(team).rejects.toThrow(CloudAccessError);
    await expect(team).rejects.toThrow('team `acme/sec` is not found, or this token cannot see it');
    await expect(github.teamMembers('acme', 'sec')).rejects.toMatchObject({
      fix: expect.stringContaining('members: read'),
    });
    await expect(github.openIssue('t', 'b', 'access-review')).rejects.toMatchObject({
      message: 'GitHub refused to open a campaign issue (HTTP 403)',
      fix: expect.stringContaining('`issues: write`'),
    });
  });
});
