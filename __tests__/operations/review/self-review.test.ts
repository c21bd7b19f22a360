// Self-review: who a reviewer is in the cloud, from the access policy's `people` at the default
// branch's head (the emulated GitHub), and which rows grant them: their own, or a group's they are
// a member of. Without the policy file it is not checked, with a notice.
import { describe, expect, it } from '@jest/globals';
import { assignReviewers } from '../../../src/operations/review/model/rows.js';
import { ownAccessOf, readPeople } from '../../../src/operations/review/self-review.js';
import { awsRow } from './model/review-rows.js';
import { emulatedGitHub } from '../../harness/emulated-github.js';

const github = emulatedGitHub();
const POLICY = '.github/access-policy.yml';
const ALICE_USER = '90670000-1111-2222-3333-444455556666';

describe('self-review', () => {
  it('reads the people of the policy at the default branch, for the cloud reviewed', async () => {
    github
      .emulator()
      .github.repository.setFile(
        'main',
        POLICY,
        `version: 1\npeople:\n  - github-id: 101\n    aws: ${ALICE_USER}\nrules: []\n`,
      );
    const notices: string[] = [];
    const read = await readPeople(
      await github.reviewApi(),
      { path: POLICY, cloud: 'aws', allowed: false },
      { notice: (m: string) => void notices.push(m) },
    );
    expect(read).toEqual({ people: new Map([[101, ALICE_USER]]) });
    expect(notices).toEqual([]);
  });

  it('is not checked without the policy file, and says so; nor read where the reviewers file allows it', async () => {
    const notices: string[] = [];
    const effects = { notice: (m: string) => void notices.push(m) };
    const api = await github.reviewApi();
    expect(await readPeople(api, { path: POLICY, cloud: 'aws', allowed: false }, effects)).toEqual({
      people: undefined,
    });
    expect(notices).toEqual([
      expect.stringContaining("a reviewer's decision on their own access is not checked"),
    ]);
    const before = api.requests();
    expect(await readPeople(api, { path: POLICY, cloud: 'aws', allowed: true }, effects)).toEqual({
      people: undefined,
    });
    expect(api.requests()).toBe(before);
  });

  it('finds a row that grants the reviewer directly or through a group they are a member of', () => {
    const own = awsRow({ principalId: ALICE_USER });
    const group = awsRow({ principalId: 'g-1', principalKind: 'group' });
    const other = awsRow({ principalId: 'u-2' });
    const assignment = assignReviewers(
      [own, group, other],
      {
        entries: [],
        defaultReviewers: [{ login: 'alice' }],
        due: { iso: 'P14D', ms: 1 },
        defaultDecision: 'keep',
      },
      { accountsUnder: () => undefined },
    );
    const check = ownAccessOf(new Map([[101, ALICE_USER]]), assignment, [
      { viaGroupId: 'g-1', principalId: ALICE_USER.toUpperCase() },
    ]);
    expect(check(101, own.id)).toBe('grants its author');
    expect(check(101, group.id)).toBe('grants its author, a member of its group');
    expect(check(101, other.id)).toBeUndefined();
    expect(check(102, own.id)).toBeUndefined();
  });
});
