// The pull request a campaign opens at its due date for a manifest's rows, against the emulated
// GitHub API: the default branch's copy edited on `cloud-access-review/<campaign>`, one pull
// request, in at most 5 calls beside the manifest's read; reused while open; a row the edit cannot
// remove left with why; a stale branch refused with its fix before any write.
import { describe, expect, it } from '@jest/globals';
import type { RowOutcome } from '../../../src/core/review/outcomes.js';
import { removeByPullRequest } from '../../../src/operations/review/pull-request.js';
import { awsRow } from '../../core/review/review-rows.js';
import { emulatedGitHub } from '../../harness/emulated-github.js';

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
    const pull = await removeByPullRequest(api, '2026-Q4', [outcome(bob), outcome(dave)]);
    expect(pull.pullRequest).toEqual({ number: 1, url: expect.stringMatching(/\/pull\/1$/) });
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

    const again = await removeByPullRequest(await github.reviewApi(), '2026-Q4', [outcome(bob)]);
    expect(again.pullRequest).toEqual(pull.pullRequest);
    expect(emulator().github.issues.issues()).toHaveLength(1);
  });

  it('refuses a branch left without an open pull request before any write, naming the fix', async () => {
    emulator().github.repository.setFile('main', at.manifest, MANIFEST);
    emulator().github.repository.setFile('cloud-access-review/2026-Q4', at.manifest, MANIFEST);
    const api = await github.reviewApi();
    await expect(removeByPullRequest(api, '2026-Q4', [outcome(bob)])).rejects.toThrow(
      /`cloud-access-review\/2026-Q4` exists without an open pull request/,
    );
    expect(emulator().requests.filter((r) => r.write)).toEqual([]);
  });

  it('opens nothing when no row could be removed, and says why for each', async () => {
    const pull = await removeByPullRequest(await github.reviewApi(), '2026-Q4', [outcome(bob)]);
    expect(pull.pullRequest).toBeUndefined();
    expect(pull.left.get(bob.id)).toEqual({
      status: 'skipped',
      detail: '`access/manifest.yml` is not on the default branch',
    });
    expect(emulator().requests.filter((r) => r.write)).toEqual([]);
  });
});
