// The inputs of `operation: sweep`, parsed before any call: every problem at once, each naming the
// input and its fix.
import { describe, expect, it } from '@jest/globals';
import { parseInputs as parseAny, type ConfigOf } from '../../../src/core/inputs/index.js';
import { inputProblems, reader } from '../../harness/input-problems.js';

/** The inputs parsed, as the `sweep` step is given them. */
const parseInputs = (...args: Parameters<typeof parseAny>) => parseAny(...args) as ConfigOf<'sweep'>;

const ROLE = 'arn:aws:iam::123456789012:role/cloud-access';
const SUB = '00000000-0000-0000-0000-000000000001';
const OBJECT = 'AAAAAAAA-2222-3333-4444-555555555555';
const aws = {
  cloud: 'aws',
  operation: 'sweep',
  'aws-region': 'eu-west-1',
  'role-to-assume': ROLE,
  'github-token': 'ghs_token',
};
const azure = {
  cloud: 'azure',
  operation: 'sweep',
  target: `/subscriptions/${SUB}`,
  'github-token': 'ghs_token',
};

const problemsOf = (inputs: Record<string, string>) => inputProblems(inputs);

describe('operation: sweep', () => {
  it('AWS: defaults to its own role, a 35-day lookback (the longest a GitHub run lasts), 10 deletions and failing on stuck grants, with no grants and no scopes', () => {
    const config = parseInputs(reader(aws));
    expect(config.operation).toBe('sweep');
    expect(config.grants).toEqual([]);
    expect(config.revokeOnExit).toBe(false);
    expect(config.sweep).toEqual({
      createdBy: [],
      githubToken: 'ghs_token',
      lookbackSeconds: 35 * 24 * 3600,
      maxDeletions: 10,
      failOnStuck: true,
      scopes: [],
    });
  });

  it('Azure: the scopes from `target`, parsed as Azure scopes, duplicates dropped; object IDs in lower case', () => {
    const config = parseInputs(
      reader({
        ...azure,
        target: `/subscriptions/${SUB}, /subscriptions/${SUB}/resourceGroups/rg, /subscriptions/${SUB}`,
        'created-by': `${OBJECT}, ${OBJECT.toLowerCase()}`,
        'max-deletions': '0',
      }),
    );
    expect(config.grants).toEqual([]);
    expect(config.sweep).toMatchObject({
      createdBy: [OBJECT.toLowerCase()],
      maxDeletions: 0,
      scopes: [
        { scope: `/subscriptions/${SUB}`, kind: 'subscription', subscriptionId: SUB },
        { scope: `/subscriptions/${SUB}/resourceGroups/rg`, kind: 'resourceGroup', subscriptionId: SUB },
      ],
    });
  });

  it('Azure: `group:` targets sweep their PIM-for-groups memberships, by name or ID; a scope sweeps no group', () => {
    const config = parseInputs(
      reader({ ...azure, target: `/subscriptions/${SUB}, group:platform-admins, group:${OBJECT}` }),
    );
    expect(config.sweep).toMatchObject({
      scopes: [expect.objectContaining({ scope: `/subscriptions/${SUB}` })],
      groups: [
        { kind: 'group', name: 'platform-admins' },
        { kind: 'object', id: OBJECT.toLowerCase() },
      ],
    });
    expect(parseInputs(reader(azure)).sweep?.groups).toBeUndefined();
  });

  it.each([
    ['7d', 7 * 86400],
    ['36h', 36 * 3600],
    ['90m', 90 * 60],
    ['P7D', 7 * 86400],
    ['PT36H', 36 * 3600],
    ['90d', 90 * 86400],
    ['', 35 * 86400],
  ])('reads `lookback: %s`', (lookback, seconds) => {
    expect(parseInputs(reader({ ...aws, lookback })).sweep?.lookbackSeconds).toBe(seconds);
  });

  it('refuses a lookback CloudTrail cannot serve on AWS, one that is not a duration, or one under a minute', () => {
    expect(problemsOf({ ...aws, lookback: '91d' })).toEqual([
      "input `lookback`: `91d` is longer than 90 days, all that CloudTrail's event history keeps: use `90d` or less",
    ]);
    expect(problemsOf({ ...aws, lookback: 'a week' })).toEqual([
      expect.stringMatching(/^input `lookback`: `a week` is neither an ISO 8601 duration/),
    ]);
    expect(problemsOf({ ...aws, lookback: '30s' })).toEqual([
      expect.stringMatching(/^input `lookback`: `30s` is shorter than a minute/),
    ]);
    expect(problemsOf({ ...azure, lookback: '91d' })).toEqual([]);
  });

  it('takes IAM role ARNs in `created-by` on AWS, and says a session ARN is not one', () => {
    const other = 'arn:aws-us-gov:iam::210987654321:role/path/deployer';
    expect(parseInputs(reader({ ...aws, 'created-by': `${ROLE}\n${other}` })).sweep?.createdBy).toEqual([
      ROLE,
      other,
    ]);
    expect(
      problemsOf({
        ...aws,
        'created-by': `${OBJECT}, arn:aws:sts::123456789012:assumed-role/cloud-access/s`,
      }),
    ).toEqual([
      expect.stringMatching(
        new RegExp(`^input \`created-by\`: \`${OBJECT}\` is not an IAM role ARN: use \`arn:<partition>`),
      ),
      expect.stringMatching(
        /assumed-role\/cloud-access\/s` is not an IAM role ARN: give the role, .* not one session of it$/,
      ),
    ]);
  });

  it('takes GUIDs in `created-by` on Azure', () => {
    expect(problemsOf({ ...azure, 'created-by': ROLE })).toEqual([
      expect.stringMatching(
        /^input `created-by`: `arn:aws:iam::123456789012:role\/cloud-access` is not an Entra object ID/,
      ),
    ]);
  });

  it('AWS with the ambient credentials needs `created-by`: it has no role of its own to count', () => {
    const ambient = { ...aws, 'role-to-assume': '' };
    expect(problemsOf(ambient)).toEqual([
      expect.stringMatching(
        /^input `created-by`: is required for `operation: sweep` without `role-to-assume`.*: list the IAM role ARNs your ephemeral steps assume/,
      ),
    ]);
    expect(parseInputs(reader({ ...ambient, 'created-by': ROLE })).sweep?.createdBy).toEqual([ROLE]);
  });

  it('refuses an empty `github-token` with how to get one, and never shows the token', () => {
    expect(problemsOf({ ...aws, 'github-token': '' })).toEqual([
      expect.stringMatching(
        /^input `github-token`: is empty: .*default is the job's `github.token`\) and give the job `permissions: actions: read`; for runs of other repositories, pass a GitHub App installation token/,
      ),
    ]);
    const problems = problemsOf({ ...aws, 'github-token': 'ghs_secret\nmore' });
    expect(problems).toEqual([expect.stringMatching(/^input `github-token`: contains spaces or control/)]);
    expect(problems.join()).not.toContain('ghs_secret');
  });

  it('refuses, all at once, what a sweep does not take', () => {
    const problems = problemsOf({
      ...aws,
      principal: 'alice',
      role: 'ReadOnlyAccess',
      target: '111111111111',
      'revoke-on-exit': 'true',
      duration: '2h',
      'max-deletions': 'many',
    });
    expect(problems).toEqual([
      expect.stringMatching(
        /^input `revoke-on-exit`: does not apply to `operation: sweep`.*remove `revoke-on-exit`$/,
      ),
      expect.stringMatching(/^input `principal`: is not used by `operation: sweep`.*: remove `principal`$/),
      expect.stringMatching(/^input `role`: is not used by `operation: sweep`.*: remove `role`$/),
      expect.stringMatching(/^input `target`: is not used by `operation: sweep` on AWS.*: remove `target`$/),
      expect.stringMatching(/^input `duration`: does not apply to `operation: sweep`.*: remove `duration`$/),
      expect.stringMatching(/^input `max-deletions`: `many` is not a whole number from 0/),
    ]);
  });

  it('Azure: `target` is required, must be scopes, and the assignment properties are refused', () => {
    expect(problemsOf({ ...azure, target: '' })).toEqual([
      expect.stringMatching(
        /^input `target`: is required for `operation: sweep` on Azure: .*e.g. `target: \/subscriptions\/\{id\}`$/,
      ),
    ]);
    expect(problemsOf({ ...azure, target: 'my-subscription' })).toEqual([
      expect.stringMatching(/^input `target`: `my-subscription` is not an Azure scope/),
    ]);
    expect(problemsOf({ ...azure, description: 'why', 'assignment-name': OBJECT, duration: 'PT4M' })).toEqual(
      [
        expect.stringMatching(/^input `duration`: does not apply to `operation: sweep`/),
        'input `assignment-name`: is not used by `operation: sweep`: a sweep creates no assignment: remove `assignment-name`',
        'input `description`: is not used by `operation: sweep`: a sweep creates no assignment: remove `description`',
      ],
    );
  });

  it('`policy` on an operation that reads no policy is an error naming the request and the review, which do', () => {
    const assign = { ...aws, operation: 'assign', principal: 'alice', target: '111111111111', role: 'X' };
    expect(problemsOf({ ...assign, policy: '.github/access-policy.yml' })).toEqual([
      'input `policy`: is not read by `operation: assign`, which would ignore it: remove `policy`, or set `operation` to one that reads it (`request`, `review`)',
    ]);
  });

  it('`created-by` and `lookback` on another operation are errors; the runner\u2019s default `lookback` is not', () => {
    const assign = { ...aws, operation: 'assign', principal: 'alice', target: '111111111111', role: 'X' };
    expect(problemsOf({ ...assign, lookback: '35d', 'github-token': '' })).toEqual([]);
    expect(problemsOf({ ...assign, 'created-by': ROLE, lookback: '2d' })).toEqual([
      'input `created-by`: is read by `operation: sweep`, `operation: report` and `operation: reconcile` only, not `assign`: set `operation: sweep`, or remove `created-by`',
      'input `lookback`: is read by `operation: sweep`, `operation: report` and `operation: reconcile` only, not `assign`: set `operation: sweep`, or remove `lookback`',
    ]);
  });
});
