// The pull request a campaign opens at its due date for a manifest's rows, against the emulated
// GitHub API: the default branch's copy edited on `cloud-access-review/<campaign>`, one pull
// request, in at most 5 calls beside the manifest's read; reused while open; a row the edit cannot
// remove left with why; a stale branch refused with its fix before any write.
import { describe, expect, it } from '@jest/globals';
import type { RowOutcome } from '../../../src/operations/review/model/outcomes.js';
import type { UnitAccounts } from '../../../src/core/inputs/org-targets.js';
import { removeByPullRequest } from '../../../src/operations/review/pull-request.js';
import { awsRow } from './model/review-rows.js';
import { emulatedGitHub } from '../../harness/emulated-github.js';
import type { ReviewApi } from '../../../src/github/review-api.js';

const github = emulatedGitHub();
const emulator = () => github.emulator();

const MANIFEST = `version: 1
aws:
  assignments:
    - principal: [bob, carol]
      role: ReadOnly
      target: '111111111111'
    - principal: dave
      role: ReadOnly
      target: Root/Workloads
`;
const at = {
  manifest: 'access/manifest.yml',
  held: 'manifest' as const,
  role: 'ReadOnly',
  targetId: '111111111111',
};
const bob = awsRow({ ...at, principalId: 'u-bob', principalName: 'bob', manifestLine: 4 });
const dave = awsRow({
  ...at,
  principalId: 'u-dave',
  principalName: 'dave',
  targetId: '333333333333',
  manifestLine: 7,
});
/** No OU, root or path read (a target left as written). */
const notRead = () => Promise.resolve(new Map<string, UnitAccounts>());
const outcome = (row: typeof bob): RowOutcome => ({
  rowId: row.id,
  row,
  outcome: 'pull-request',
  decision: 'revoke',
  byDefault: false,
  decisions: [],
});

describe('the pull request that removes a manifest’s rows', () => {
  it('edits the default branch’s copy on the campaign’s branch and opens one pull request', async () => {
    emulator().github.repository.setFile('main', at.manifest, MANIFEST);
    const api = await github.reviewApi();
    const pull = await removeByPullRequest(api, '2026-Q4', [outcome(bob), outcome(dave)], notRead);
    expect(pull.pullRequest).toEqual({ number: 1, url: expect.stringMatching(/\/pull\/1$/), base: 'main' });
    expect(pull.left).toEqual(
      new Map([[dave.id, { status: 'skipped', detail: expect.stringContaining('only through an OU') }]]),
    );
    const edited = emulator().github.repository.fileAt('cloud-access-review/2026-Q4', at.manifest)!;
    expect(edited).toContain('principal: carol');
    expect(edited).not.toContain('bob');
    expect(emulator().github.repository.fileAt('main', at.manifest)).toBe(MANIFEST);
    const opened = emulator().github.issues.issue(1)!;
    expect(opened).toEqual(
      expect.objectContaining({ pull: { head: 'cloud-access-review/2026-Q4', base: 'main' } }),
    );
    expect(opened.body).toContain(`| \`${bob.id}\` |`);
    // The manifest's read, then: the open pull requests, the branch, made, the commit, the pull request.
    expect(api.requests()).toBe(6);

    const again = await removeByPullRequest(await github.reviewApi(), '2026-Q4', [outcome(bob)], notRead);
    expect(again.pullRequest).toEqual(pull.pullRequest);
    expect(emulator().github.issues.issues()).toHaveLength(1);
  });

  it('changes only the removed row’s lines, and its body links the issue and says who decided', async () => {
    const written = `version: 1\naws:\n  assignments:\n    # the readers\n    - principal: [bob, carol]\n      role: ReadOnly\n      target:    '111111111111'   # prod\n    - principal: dave   # on call\n      role: ReadOnly\n      target: Root/Workloads\n`;
    emulator().github.repository.setFile('main', at.manifest, written);
    const decidedBob: RowOutcome = {
      ...outcome({ ...bob, manifestLine: 5 }),
      decisions: [
        {
          rowId: bob.id,
          decision: 'revoke',
          reason: 'left the team',
          login: 'alice',
          accountId: 101,
          at: '2026-12-01T00:00:00Z',
          url: 'https://github.com/octo-org/octo-repo/issues/7#issuecomment-1',
        },
      ],
    };
    const api = await github.reviewApi();
    await removeByPullRequest(api, '2026-Q4', [decidedBob], notRead, new Map([[bob.id, 7]]));
    const edited = emulator().github.repository.fileAt('cloud-access-review/2026-Q4', at.manifest)!;
    const before = written.split('\n');
    const after = edited.split('\n');
    expect(after.slice(0, 4)).toEqual(before.slice(0, 4));
    expect(after.slice(-4)).toEqual(before.slice(-4));
    expect(after.slice(4, -4).join('\n')).toContain('principal: carol');
    const [pull] = emulator()
      .github.issues.issues()
      .filter((i) => i.pull);
    expect(pull!.body).toContain('The access review `2026-Q4` (#7) decided');
    expect(pull!.body).toMatch(
      new RegExp(`\\| \`${bob.id}\` \\| #7 \\|.*\\| \`alice\`: \`left the team\` \\|`),
    );
  });

  it('reads the accounts under the path a removed row needs, and names the rest of them instead', async () => {
    emulator().github.repository.setFile('main', at.manifest, MANIFEST);
    const asked: (readonly string[])[] = [];
    const pull = await removeByPullRequest(await github.reviewApi(), '2026-Q4', [outcome(dave)], (units) => {
      asked.push(units);
      return Promise.resolve(
        new Map([['Root/Workloads', { accounts: ['333333333333', '444444444444'], notActive: [] }]]),
      );
    });
    expect(asked).toEqual([['Root/Workloads']]);
    expect(pull.left).toEqual(new Map());
    const edited = emulator().github.repository.fileAt('cloud-access-review/2026-Q4', at.manifest)!;
    expect(edited).toContain('target: "444444444444"');
    expect(edited).not.toContain('Root/Workloads');
  });

  it('refuses a branch left without an open pull request before any write, naming the fix', async () => {
    emulator().github.repository.setFile('main', at.manifest, MANIFEST);
    emulator().github.repository.setFile('cloud-access-review/2026-Q4', at.manifest, MANIFEST);
    const api = await github.reviewApi();
    await expect(removeByPullRequest(api, '2026-Q4', [outcome(bob)], notRead)).rejects.toThrow(
      /`cloud-access-review\/2026-Q4` exists without an open pull request/,
    );
    expect(emulator().requests.filter((r) => r.write)).toEqual([]);
  });

  // Any workflow with `contents: write` can push the campaign's branch and open a pull request as
  // the same bot: the review links none it did not make as its removal.
  it('reuses no open pull request on its branch whose manifest is not exactly its removal', async () => {
    emulator().github.repository.setFile('main', at.manifest, MANIFEST);
    const branch = 'cloud-access-review/2026-Q4';
    emulator().github.repository.setFile(
      branch,
      at.manifest,
      MANIFEST.replace('principal: [bob, carol]', 'principal: [carol, mallory]').replace(
        'ReadOnly',
        'AdministratorAccess',
      ),
    );
    const api = await github.reviewApi();
    const forged = await api.openPull({
      title: 'Access review 2026-Q4',
      body: '',
      head: branch,
      base: 'main',
    });
    const writesBefore = emulator().requests.filter((r) => r.write).length;
    await expect(removeByPullRequest(api, '2026-Q4', [outcome(bob)], notRead)).rejects.toThrow(
      `the open pull request #${forged.number} on \`${branch}\` is not this review's removal: its \`access/manifest.yml\` is not the default branch's copy with the decided rows removed`,
    );
    expect(emulator().requests.filter((r) => r.write)).toHaveLength(writesBefore);
  });

  it('reuses no open pull request on its branch that also changes another file', async () => {
    emulator().github.repository.setFile('main', at.manifest, MANIFEST);
    const first = await removeByPullRequest(await github.reviewApi(), '2026-Q4', [outcome(bob)], notRead);
    emulator().github.repository.setFile(
      'cloud-access-review/2026-Q4',
      '.github/workflows/deploy.yml',
      'on: push\n',
    );
    await expect(
      removeByPullRequest(await github.reviewApi(), '2026-Q4', [outcome(bob)], notRead),
    ).rejects.toThrow(
      `the open pull request #${first.pullRequest!.number} on \`cloud-access-review/2026-Q4\` is not this review's removal: it changes \`.github/workflows/deploy.yml\`, which the review does not edit`,
    );
  });

  // Any workflow with `contents: write` posts as the same bot and can push the branch while the
  // review writes it: the review presents no pull request holding a commit it did not make.
  const branch = 'cloud-access-review/2026-Q4';
  /** A stranger's commit that grants access, pushed to the branch when `after` of the review's calls answers. */
  const pushedAfter = (api: ReviewApi, after: 'createBranch' | 'commitFile'): ReviewApi => {
    const push = () =>
      emulator().github.repository.setFile(
        branch,
        'access/more.yml',
        'version: 1\naws:\n  assignments:\n    - principal: mallory\n      role: AdministratorAccess\n      target: "111111111111"\n',
      );
    return {
      ...api,
      createBranch: async (...args) => {
        await api.createBranch(...args);
        if (after === 'createBranch') push();
      },
      commitFile: async (...args) => {
        const made = await api.commitFile(...args);
        if (after === 'commitFile') push();
        return made;
      },
    };
  };

  it('closes the pull request it opened when the branch holds a commit pushed after its own', async () => {
    emulator().github.repository.setFile('main', at.manifest, MANIFEST);
    const api = pushedAfter(await github.reviewApi(), 'commitFile');
    const refused = removeByPullRequest(api, '2026-Q4', [outcome(bob)], notRead);
    await expect(refused).rejects.toThrow(
      new RegExp(
        `^the branch \`${branch}\` holds a commit the review did not make: pull request #1's head is \`[0-9a-f]{40}\`, not the review's last commit \`[0-9a-f]{40}\`; pull request #1 is closed$`,
      ),
    );
    await expect(refused).rejects.toMatchObject({
      fix: `delete the branch \`${branch}\` (a workflow with \`contents: write\` pushed to it), then run the review again`,
    });
    expect(emulator().github.issues.issue(1)).toEqual(
      expect.objectContaining({ state: 'closed', pull: { head: branch, base: 'main' } }),
    );
  });

  it('opens no pull request when a commit was pushed on the branch before its own', async () => {
    emulator().github.repository.setFile('main', at.manifest, MANIFEST);
    const api = pushedAfter(await github.reviewApi(), 'createBranch');
    await expect(removeByPullRequest(api, '2026-Q4', [outcome(bob)], notRead)).rejects.toThrow(
      new RegExp(
        `^the branch \`${branch}\` holds a commit the review did not make: its commit of \`access/manifest.yml\` was made on \`[0-9a-f]{40}\`, not on \`${emulator().github.repository.headOf('main')}\`$`,
      ),
    );
    expect(
      emulator()
        .github.issues.issues()
        .filter((i) => i.pull),
    ).toEqual([]);
  });

  it('commits each manifest on its own last commit, and refuses a push between two of them', async () => {
    const repository = emulator().github.repository;
    repository.setFile('main', at.manifest, MANIFEST);
    repository.setFile('main', 'access/other.yml', MANIFEST);
    const other = awsRow({
      ...at,
      manifest: 'access/other.yml',
      principalId: 'u-bob',
      principalName: 'bob',
      manifestLine: 4,
    });
    const both = [outcome(bob), outcome(other)];
    const pull = await removeByPullRequest(await github.reviewApi(), '2026-Q4', both, notRead);
    expect(pull.pullRequest?.number).toBe(1);
    const second = repository.headOf(branch);
    const first = repository.parentsOf(second);
    expect(repository.parentsOf(first[0]!)).toEqual([repository.headOf('main')]);

    emulator().reset();
    repository.setFile('main', at.manifest, MANIFEST);
    repository.setFile('main', 'access/other.yml', MANIFEST);
    const api = pushedAfter(await github.reviewApi(), 'commitFile');
    await expect(removeByPullRequest(api, '2026-Q4', both, notRead)).rejects.toThrow(
      /holds a commit the review did not make: its commit of `access\/other.yml` was made on `[0-9a-f]{40}`, not on `[0-9a-f]{40}`$/,
    );
    expect(
      emulator()
        .github.issues.issues()
        .filter((i) => i.pull !== undefined && i.state === 'open'),
    ).toEqual([]);
  });

  it('says so when it cannot close the pull request it opened on a stranger’s commit', async () => {
    emulator().github.repository.setFile('main', at.manifest, MANIFEST);
    const api = pushedAfter(await github.reviewApi(), 'commitFile');
    const refused = { ...api, closePull: () => Promise.reject(new Error('HTTP 403')) };
    await expect(removeByPullRequest(refused, '2026-Q4', [outcome(bob)], notRead)).rejects.toThrow(
      /; pull request #1 could not be closed: close it$/,
    );
  });

  it('names the file it replaces, so GitHub refuses its commit over a stranger’s change of it', async () => {
    emulator().github.repository.setFile('main', at.manifest, MANIFEST);
    const api = await github.reviewApi();
    const forged = MANIFEST.replace('ReadOnly', 'AdministratorAccess');
    const racing: ReviewApi = {
      ...api,
      createBranch: async (...args) => {
        await api.createBranch(...args);
        emulator().github.repository.setFile(branch, at.manifest, forged);
      },
    };
    const refused = removeByPullRequest(racing, '2026-Q4', [outcome(bob)], notRead);
    await expect(refused).rejects.toThrow(
      /GitHub refused to commit `access\/manifest.yml` on `cloud-access-review\/2026-Q4` \(HTTP 409\)/,
    );
    // A conflict, not a permission the job lacks.
    await expect(refused).rejects.toMatchObject({
      fix: expect.stringMatching(/^another workflow may have written it/),
    });
    expect(emulator().github.repository.fileAt(branch, at.manifest)).toBe(forged);
    expect(emulator().github.issues.issues()).toEqual([]);
  });

  it('opens nothing when no row could be removed, and says why for each', async () => {
    const pull = await removeByPullRequest(await github.reviewApi(), '2026-Q4', [outcome(bob)], notRead);
    expect(pull.pullRequest).toBeUndefined();
    expect(pull.left.get(bob.id)).toEqual({
      status: 'skipped',
      detail: '`access/manifest.yml` is not on the default branch',
    });
    expect(emulator().requests.filter((r) => r.write)).toEqual([]);
  });
});
