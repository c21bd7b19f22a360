// The reviewers file read through the review's Octokit calls against the emulated GitHub API.
import { describe, expect, it } from '@jest/globals';
import { readReviewers } from '../../../src/operations/review/reviewers-read.js';
import { emulatedGitHub } from '../../harness/emulated-github.js';

const github = emulatedGitHub();
const emulator = () => github.emulator();

const PATH = '.github/reviewers.yml';
const read = async () => readReviewers(await github.reviewApi(), PATH);

describe("the reviewers file comes from the default branch's head", () => {
  it("reads and parses the head commit's copy, not a branch's", async () => {
    emulator().github.repository.setFile('main', PATH, 'version: 1\ndefault-reviewers: alice\n');
    emulator().github.repository.setFile('feature', PATH, 'version: 1\ndefault-reviewers: mallory\n');
    const commit = emulator().github.repository.headOf('main');
    expect(await read()).toEqual({
      file: expect.objectContaining({ defaultReviewers: [{ login: 'alice' }] }),
      where: `${PATH}@${commit.slice(0, 12)} (default branch main)`,
      defaultBranch: 'main',
    });
  });

  it('stops naming the file and the default branch when the file is not there', async () => {
    emulator().github.repository.setFile('feature', PATH, 'version: 1\ndefault-reviewers: mallory\n');
    const result = await read();
    expect(
      'stopped' in result && 'refused' in result.stopped && result.stopped.refused[0]!.describe(),
    ).toMatch(
      /^the reviewers file `\.github\/reviewers\.yml` is not on the default branch `main`: commit it to the default branch/,
    );
  });

  it('stops with every problem at its line', async () => {
    emulator().github.repository.setFile(
      'main',
      PATH,
      'version: 1\nentries:\n  - accounts: root\ndue: soon\n',
    );
    const result = await read();
    expect('stopped' in result && 'invalid' in result.stopped && result.stopped.invalid).toEqual(
      expect.objectContaining({
        what: 'reviewers file',
        problems: [expect.objectContaining({ line: 3 }), expect.objectContaining({ line: 4 })],
      }),
    );
  });
});
