// The reviewers file read through the review's Octokit calls against the emulated GitHub API.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator } from '../../../emulator/index.js';
import { Deadline } from '../../../src/engine/limits/deadline.js';
import { githubReviewApi } from '../../../src/github/review-api.js';
import { readReviewers } from '../../../src/operations/review/reviewers-read.js';

let emulator: Emulator;
const savedUrl = process.env.GITHUB_API_URL;
beforeAll(async () => {
  emulator = await startEmulator({ quiet: true, azure: false });
  process.env.GITHUB_API_URL = emulator.env.GITHUB_API_URL;
});
afterAll(async () => {
  process.env.GITHUB_API_URL = savedUrl;
  await emulator.close();
});
beforeEach(() => emulator.reset());

const PATH = '.github/reviewers.yml';
const read = async () =>
  readReviewers(
    await githubReviewApi({
      token: emulator.github.runs.jobToken,
      repository: 'octo-org/octo-repo',
      deadline: new Deadline(60),
    }),
    PATH,
  );

describe("the reviewers file comes from the default branch's head", () => {
  it("reads and parses the head commit's copy, not a branch's", async () => {
    emulator.github.repository.setFile('main', PATH, 'version: 1\ndefault-reviewers: alice\n');
    emulator.github.repository.setFile('feature', PATH, 'version: 1\ndefault-reviewers: mallory\n');
    const commit = emulator.github.repository.headOf('main');
    expect(await read()).toEqual({
      file: expect.objectContaining({ defaultReviewers: [{ login: 'alice' }] }),
      where: `${PATH}@${commit.slice(0, 12)} (default branch main)`,
    });
  });

  it('stops naming the file and the default branch when the file is not there', async () => {
    emulator.github.repository.setFile('feature', PATH, 'version: 1\ndefault-reviewers: mallory\n');
    const result = await read();
    expect(
      'stopped' in result && 'refused' in result.stopped && result.stopped.refused[0]!.describe(),
    ).toMatch(
      /^the reviewers file `\.github\/reviewers\.yml` is not on the default branch `main`: commit it to the default branch/,
    );
  });

  it('stops with every problem at its line', async () => {
    emulator.github.repository.setFile('main', PATH, 'version: 1\nentries:\n  - accounts: root\ndue: soon\n');
    const result = await read();
    expect('stopped' in result && 'invalid' in result.stopped && result.stopped.invalid).toEqual(
      expect.objectContaining({
        what: 'reviewers file',
        problems: [expect.objectContaining({ line: 3 }), expect.objectContaining({ line: 4 })],
      }),
    );
  });
});
