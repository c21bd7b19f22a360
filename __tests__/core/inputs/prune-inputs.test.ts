// `prune: pull-request`, checked before any call: it needs `last-used: true` (a row is pruned only
// on its evidence), the manifests it removes rows from and a token that may open a pull request;
// each missing piece is refused naming the input and its fix. A review does not take it.
import { describe, expect, it } from '@jest/globals';
import { parseInputs, type ConfigOf } from '../../../src/core/inputs/index.js';
import { inputProblems, reader } from '../../harness/input-problems.js';

const ROLE = 'arn:aws:iam::123456789012:role/cloud-access';
const aws = { cloud: 'aws', operation: 'report', 'aws-region': 'eu-west-1', 'role-to-assume': ROLE };
const pruning = {
  ...aws,
  prune: 'pull-request',
  'last-used': 'true',
  manifest: 'access/manifest.yml',
  'github-token': 'ghs_token',
};

describe('prune: pull-request', () => {
  it('is taken with last-used, a manifest and a token, the window its own', () => {
    const config = parseInputs(reader({ ...pruning, 'unused-after': '30d' })) as ConfigOf<'report'>;
    expect(config.report.prune).toBe('pull-request');
    expect(config.report.usage?.unusedAfterMs).toBe(30 * 86_400_000);
  });

  it('is off when empty', () => {
    const config = parseInputs(reader({ ...pruning, prune: '' })) as ConfigOf<'report'>;
    expect(config.report.prune).toBeUndefined();
  });

  it('needs last-used: true, which it does not imply', () => {
    expect(inputProblems({ ...pruning, 'last-used': 'false' })).toEqual([
      expect.stringMatching(/^input `prune`: needs `last-used: true`.*set `last-used: true`/),
    ]);
  });

  it('needs the manifests it removes rows from', () => {
    expect(inputProblems({ ...pruning, manifest: '' })).toEqual([
      expect.stringMatching(/^input `manifest`: is empty: `prune: pull-request` removes rows/),
    ]);
  });

  it('needs a token, and says which permissions', () => {
    expect(inputProblems({ ...pruning, 'github-token': '' })).toEqual([
      expect.stringMatching(/^input `github-token`: .*contents: write, pull-requests: write/),
    ]);
  });

  it('takes no other value', () => {
    expect(inputProblems({ ...pruning, prune: 'delete' })).toEqual([
      expect.stringMatching(/^input `prune`: `delete` is not `pull-request`/),
    ]);
  });

  it('says every missing piece at once', () => {
    expect(
      inputProblems({ ...aws, prune: 'pull-request', 'last-used': 'false', 'github-token': '' }),
    ).toHaveLength(3);
  });

  it('is not a review input', () => {
    const review = {
      ...pruning,
      operation: 'review',
      'github-token': 'ghs_token',
      'unused-after': '',
    };
    expect(inputProblems(review)).toEqual([
      expect.stringMatching(/^input `prune`: is read by `operation: report` only/),
    ]);
  });
});
