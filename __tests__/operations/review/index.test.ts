// `operation: review` as a pipeline over a recorded runner and the emulated GitHub API: an invalid
// or missing reviewers file stops the step before the cloud is read and before any GitHub write.
// (The whole run, through the bundle: __tests__/e2e/aws-review.test.ts.)
import { describe, expect, it } from '@jest/globals';
import { parseInputs, type ConfigOf } from '../../../src/core/inputs/index.js';
import { runReview, type ReviewSources } from '../../../src/operations/review/index.js';
import { onEvent, recordedRunner } from '../../steps/recorded-runner.js';
import { emulatedGitHub } from '../../harness/emulated-github.js';

const github = emulatedGitHub();
const emulator = () => github.emulator();

const config = () =>
  parseInputs(
    (name) =>
      ({
        cloud: 'aws',
        operation: 'review',
        'aws-region': 'us-east-1',
        'role-to-assume': 'arn:aws:iam::123456789012:role/r',
        'github-token': emulator().github.runs.jobToken,
      })[name] ?? '',
    {},
  ) as ConfigOf<'review'>;

const cloudRead: string[] = [];
const sources = (): ReviewSources => ({
  github: () => github.reviewApi(),
  readManifest: () => Promise.reject(new Error('no manifest in this test')),
  readPrevious: () => Promise.reject(new Error('no previous report in this test')),
  openReader: () => {
    cloudRead.push('openReader');
    return Promise.reject(new Error('the cloud is not read in this test'));
  },
  writeRecord: () => Promise.reject(new Error('no record in this test')),
  openGrants: () => Promise.reject(new Error('nothing is revoked in this test')),
});

describe('the reviewers file first', () => {
  it('stops at an invalid reviewers file, every problem at its line, before the cloud is read or GitHub written', async () => {
    emulator().github.repository.setFile(
      'main',
      '.github/access-reviewers.yml',
      'version: 1\nentries:\n  - accounts: root\n',
    );
    const { effects, said } = recordedRunner();
    await runReview(
      config(),
      onEvent(effects, { eventName: 'schedule', tokenEndpoint: undefined }),
      sources(),
      Date.now,
    );
    expect(said.failed).toEqual([expect.stringContaining('reviewers file')]);
    expect(cloudRead).toEqual([]);
    expect(emulator().requests.filter((r) => r.write)).toEqual([]);
  });

  it('stops when the reviewers file is not on the default branch, naming the input', async () => {
    const { effects, said } = recordedRunner();
    await runReview(
      config(),
      onEvent(effects, { eventName: 'schedule', tokenEndpoint: undefined }),
      sources(),
      Date.now,
    );
    expect(said.errors.map((e) => e.message).join('\n')).toMatch(
      /access-reviewers\.yml` is not on the default branch/,
    );
    expect(cloudRead).toEqual([]);
  });
});
