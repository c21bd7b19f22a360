// The inputs of `operation: review`, parsed before any network call: the report's scope, the
// campaign's name (default the run's quarter), the reviewers file's path and the token, and what a
// review never takes, each problem naming the input and its fix.
import { describe, expect, it } from '@jest/globals';
import { parseInputs as parseAny, type ConfigOf } from '../../../src/core/inputs/index.js';
import { campaignOf } from '../../../src/core/inputs/review-inputs.js';
import { inputProblems, reader } from '../../harness/input-problems.js';

const parseInputs = (...args: Parameters<typeof parseAny>) => parseAny(...args) as ConfigOf<'review'>;

const ROLE = 'arn:aws:iam::123456789012:role/cloud-access';
const SUB = '00000000-0000-0000-0000-000000000001';
const aws = {
  cloud: 'aws',
  operation: 'review',
  'aws-region': 'eu-west-1',
  'role-to-assume': ROLE,
  'github-token': 'ghs_token',
};
const azure = {
  cloud: 'azure',
  operation: 'review',
  'github-token': 'ghs_token',
  target: `/subscriptions/${SUB}`,
};

describe('a review reads the report’s scope and its campaign’s GitHub inputs', () => {
  it('takes the report’s scope inputs, the campaign and the reviewers file', () => {
    const config = parseInputs(
      reader({
        ...aws,
        target: '111111111111',
        role: 'ReadOnlyAccess',
        manifest: 'access/manifest.yml',
        campaign: '2026-Q4',
        reviewers: '.github/reviewers.yml',
      }),
    );
    expect(config.operation).toBe('review');
    expect(config.review).toEqual({
      campaign: '2026-Q4',
      campaignStart: undefined,
      reviewers: '.github/reviewers.yml',
      policy: '.github/access-policy.yml',
      githubToken: 'ghs_token',
    });
    expect(config.report).toMatchObject({
      manifests: ['access/manifest.yml'],
      permissionSets: [{ kind: 'name', name: 'ReadOnlyAccess' }],
      githubToken: 'ghs_token',
    });
    expect(config.grants).toEqual([]);
  });

  it('defaults the campaign to the run’s quarter and the reviewers file to .github/access-reviewers.yml', () => {
    expect(parseInputs(reader(azure)).review).toMatchObject({
      campaign: undefined,
      reviewers: '.github/access-reviewers.yml',
    });
    expect(campaignOf(Date.parse('2026-11-27T14:00:00Z'))).toBe('2026-Q4');
    expect(campaignOf(Date.parse('2027-01-01T00:00:00Z'))).toBe('2027-Q1');
    expect(campaignOf(Date.parse('2027-06-30T23:59:59Z'))).toBe('2027-Q2');
  });
});

describe('a review refuses, before any call, what it cannot use', () => {
  it('refuses a bad campaign name, a reviewers path outside the repository, and an empty token', () => {
    const problems = inputProblems({
      ...aws,
      campaign: '../q4 x',
      reviewers: '/etc/reviewers.yml',
      'github-token': '',
    });
    expect(problemsInputs(problems)).toEqual(['campaign', 'reviewers', 'github-token']);
  });

  it('refuses the report’s own inputs, a principal and a duration, and its inputs on another operation', () => {
    const inputs = problemsInputs(
      inputProblems({
        ...aws,
        'compare-to': 'prev.json',
        'expand-groups': 'true',
        principal: 'alice',
        duration: '1h',
      }),
    );
    expect(inputs).toEqual(expect.arrayContaining(['compare-to', 'expand-groups', 'principal', 'duration']));
    const onReport = problemsInputs(inputProblems({ ...aws, operation: 'report', campaign: '2026-Q4' }));
    expect(onReport).toContain('campaign');
  });
});

const problemsInputs = (problems: string[]) => problems.map((p) => /^input `([^`]+)`/.exec(p)?.[1]);

describe('a review reads who last used each row with `last-used: true`', () => {
  it('takes `last-used` and `usage-source` as the report does', () => {
    const config = parseInputs(reader({ ...aws, 'last-used': 'true' }), {});
    expect(config.report.usage).toEqual({
      source: { kind: 'lookup-events' },
      unusedAfterMs: 90 * 86_400_000,
    });
    expect(parseInputs(reader(aws), {}).report.usage).toBeUndefined();
  });

  it('refuses `unused-after` as an input: a review reads it from the reviewers file', () => {
    const problems = inputProblems({ ...aws, 'last-used': 'true', 'unused-after': '30d' });
    expect(problemsInputs(problems)).toEqual(['unused-after']);
    expect(problems[0]).toMatch(/reviewers file/);
  });
});
