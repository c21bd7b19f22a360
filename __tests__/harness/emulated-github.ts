// The emulated GitHub API for the tests of a review's calls: one emulator per test file (no Azure),
// GITHUB_API_URL pointing at it while the file runs, reset (then seeded) before each test, and the
// review's Octokit client signed in with the run's job token.
import { afterAll, beforeAll, beforeEach } from '@jest/globals';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { Deadline } from '../../src/engine/limits/deadline.js';
import { githubReviewApi } from '../../src/github/review-api.js';

export interface EmulatedGitHub {
  emulator: () => Emulator;
  /** The review's client for octo-org/octo-repo, with a minute's deadline. */
  reviewApi: () => ReturnType<typeof githubReviewApi>;
}

export function emulatedGitHub(seed?: (emulator: Emulator) => void): EmulatedGitHub {
  let emulator: Emulator | undefined;
  const savedUrl = process.env.GITHUB_API_URL;
  const started = () => {
    if (!emulator) throw new Error('the emulator starts in beforeAll');
    return emulator;
  };
  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true, azure: false });
    process.env.GITHUB_API_URL = emulator.env.GITHUB_API_URL;
  });
  afterAll(async () => {
    process.env.GITHUB_API_URL = savedUrl;
    await emulator?.close();
  });
  beforeEach(() => {
    started().reset();
    seed?.(started());
  });
  return {
    emulator: started,
    reviewApi: () =>
      githubReviewApi({
        token: started().github.runs.jobToken,
        repository: 'octo-org/octo-repo',
        deadline: new Deadline(60),
      }),
  };
}
