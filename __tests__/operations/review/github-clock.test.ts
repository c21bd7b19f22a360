// A campaign comes due by GitHub's clock as well as the runner's: a self-hosted runner whose clock
// runs ahead does not act (close, revoke) before GitHub's `Date` says the due date has come. Run as
// the runner runs it, with the real AWS reader over the emulated IAM Identity Center and the
// emulated GitHub API (whose `Date` is the real clock).
import { beforeEach, describe, expect, it } from '@jest/globals';
import { runReview } from '../../../src/operations/review/index.js';
import { ADMIN } from '../../harness/emulated-sso.js';
import { emulatedGitHub } from '../../harness/emulated-github.js';
import { noteKindWorld, openReader, stepConfig } from '../../fixtures/kinds/set-note/steps.js';
import { onEvent, recordedRunner } from '../../steps/recorded-runner.js';

const { sso, store } = noteKindWorld();
const github = emulatedGitHub();
const alice = { login: 'alice', id: 101, type: 'User' as const };
const HOUR = 3_600_000;
beforeEach(() => {
  store.write('create', { set: 'AdministratorAccess', text: 'on-call', arn: ADMIN });
  github
    .emulator()
    .github.repository.setFile(
      'main',
      '.github/access-reviewers.yml',
      'version: 1\ndue: 1d\ndefault-reviewers: alice\n',
    );
  github.emulator().github.issues.setUser(alice);
});

/** A `schedule` run of a campaign due at `dueAt`, by a runner whose clock is `ahead` of the real one. */
async function run(dueAt: number, ahead = 0) {
  const start = new Date(dueAt - 24 * HOUR).toISOString().replace(/:\d\d\.\d{3}Z$/, 'Z');
  const config = () =>
    stepConfig('review', {
      'github-token': github.emulator().github.runs.jobToken,
      campaign: 'drill',
      'campaign-start': start,
    });
  const runner = recordedRunner();
  const on = onEvent(runner.effects, { eventName: 'schedule', tokenEndpoint: 'https://token.example' });
  await runReview(
    config(),
    { ...on, env: { ...on.env, GITHUB_REF: 'refs/heads/main' } },
    {
      github: () => github.reviewApi(),
      readManifest: async (path) => ({ path, text: '' }),
      readPrevious: async (path) => ({ path, text: '' }),
      openReader: openReader(sso, config(), 'schedule'),
      writeRecord: async () => '/tmp/review.json',
      openGrants: () => Promise.reject(new Error('nothing is revoked in this test')),
    },
    () => Date.now() + ahead,
  );
  expect(runner.said.failed).toEqual([]);
  return github.emulator().github.issues.issue(1)!;
}

describe("a campaign's due date, by the runner's clock and GitHub's", () => {
  it("does not act while the runner's clock is past the due date and GitHub's is not", async () => {
    const dueAt = Date.now() + HOUR;
    expect((await run(dueAt)).state).toBe('open');
    // Due by the runner's clock, two hours ahead; not by GitHub's `Date`.
    const issue = await run(dueAt, 2 * HOUR);
    expect(issue.state).toBe('open');
    expect(github.emulator().github.issues.comments(1)).toEqual([]);
  });

  it('acts once both clocks are past the due date', async () => {
    const dueAt = Date.now() - HOUR;
    expect((await run(dueAt)).state).toBe('open');
    expect((await run(dueAt)).state).toBe('closed');
  });
});
