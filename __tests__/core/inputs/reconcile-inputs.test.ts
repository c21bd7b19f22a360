import { describe, expect, it } from '@jest/globals';
import { parseInputs as parseAny, type ConfigOf } from '../../../src/core/inputs/index.js';
import { inputProblems, reader } from '../../harness/input-problems.js';

/** The inputs parsed, as the `reconcile` step is given them. */
const parseInputs = (...args: Parameters<typeof parseAny>) => parseAny(...args) as ConfigOf<'reconcile'>;

const aws = { cloud: 'aws', operation: 'reconcile', 'aws-region': 'eu-west-1' };

const problemsOf = (inputs: Record<string, string>) => inputProblems(inputs);

describe('operation: reconcile takes a manifest instead of the list inputs', () => {
  it('reads the manifest path and max-deletions (10 by default, 0 allowed)', () => {
    const config = parseInputs(reader({ ...aws, manifest: 'access/manifest.yml' }));
    expect(config.operation).toBe('reconcile');
    expect(config.reconcile).toEqual({
      manifest: 'access/manifest.yml',
      maxDeletions: 10,
      createdBy: [],
      githubToken: '',
      lookbackSeconds: 35 * 24 * 3600,
      policyChecks: 'on',
      fullReadEveryMs: 7 * 24 * 3600_000,
    });
    expect(config.grants).toEqual([]);
    const none = parseInputs(reader({ ...aws, manifest: 'm.json', 'max-deletions': '0' }));
    expect(none.reconcile?.maxDeletions).toBe(0);
  });

  it('reads `policy-checks`: on by default, required or off, and refuses anything else', () => {
    const read = (value: string) =>
      parseInputs(reader({ ...aws, manifest: 'm.yml', 'policy-checks': value }));
    expect(read('required').reconcile?.policyChecks).toBe('required');
    expect(read('OFF').reconcile?.policyChecks).toBe('off');
    expect(problemsOf({ ...aws, manifest: 'm.yml', 'policy-checks': 'yes' })).toEqual([
      expect.stringContaining('`yes` is not `on`, `required` or `off`'),
    ]);
  });

  it('reads whose claims leave a grant in place (`created-by`), the token that asks GitHub about their runs, and `lookback`, as the sweep does', () => {
    const role = 'arn:aws:iam::111111111111:role/deployer';
    const config = parseInputs(
      reader({ ...aws, manifest: 'm.yml', 'created-by': role, 'github-token': 'ghs_x', lookback: '2d' }),
    );
    expect(config.reconcile).toMatchObject({
      createdBy: [role],
      githubToken: 'ghs_x',
      lookbackSeconds: 2 * 24 * 3600,
    });
    expect(problemsOf({ ...aws, manifest: 'm.yml', 'created-by': 'deployer', lookback: '91d' })).toEqual([
      expect.stringMatching(/input `created-by`: `deployer` is not an IAM role ARN/),
      expect.stringMatching(/input `lookback`: `91d` is longer than 90 days/),
    ]);
  });

  it('refuses a missing manifest, a path outside the workspace, list inputs and revoke-on-exit, all at once', () => {
    expect(problemsOf({ ...aws })).toEqual([expect.stringMatching(/input `manifest`: is required/)]);
    const problems = problemsOf({
      ...aws,
      manifest: '../other/manifest.yml',
      principal: 'alice',
      'max-deletions': 'ten',
      'revoke-on-exit': 'true',
      wait: 'false',
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/input `manifest`: `..\/other\/manifest.yml` leaves the workspace/),
        expect.stringMatching(/input `principal`: is not used by `operation: reconcile`/),
        expect.stringMatching(/input `max-deletions`: `ten` is not a whole number/),
        expect.stringMatching(/input `revoke-on-exit`: does not apply to `operation: reconcile`/),
        expect.stringMatching(/input `wait`: cannot be `false` for `operation: reconcile`/),
      ]),
    );
    expect(problemsOf({ ...aws, manifest: '/etc/manifest.yml' })[0]).toMatch(/absolute path/);
  });

  it('Azure: the assignment properties come from the manifest entries, and duration is refused', () => {
    const problems = problemsOf({
      cloud: 'azure',
      operation: 'reconcile',
      manifest: 'm.yml',
      duration: '2h',
      description: 'x',
    });
    expect(problems).toEqual([
      expect.stringMatching(/input `duration`: is not used by `operation: reconcile`: remove `duration`/),
      expect.stringMatching(/input `description`: is not used .*on the manifest's entries/),
    ]);
  });

  it('a manifest on another operation is an error, not ignored', () => {
    expect(
      problemsOf({
        ...aws,
        operation: 'assign',
        manifest: 'm.yml',
        principal: 'a',
        target: '111111111111',
        role: 'R',
      }),
    ).toEqual([
      expect.stringMatching(
        /input `manifest`: is read by `operation: reconcile` and `operation: report` only, not `assign`/,
      ),
    ]);
  });
});

describe('a reconcile on AWS keeps a snapshot where `snapshot` says', () => {
  it('reads the bucket and prefix, and full-read-every in the duration forms (7d by default)', () => {
    const config = parseInputs(
      reader({
        ...aws,
        manifest: 'm.yml',
        snapshot: 's3://my-bucket/cloud-access/snapshots',
        'full-read-every': '12h',
      }),
    );
    expect(config.reconcile).toMatchObject({
      snapshot: {
        bucket: 'my-bucket',
        prefix: 'cloud-access/snapshots',
        url: 's3://my-bucket/cloud-access/snapshots',
      },
      fullReadEveryMs: 12 * 3600_000,
    });
    const minute = parseInputs(
      reader({ ...aws, manifest: 'm.yml', snapshot: 's3://b-1/p', 'full-read-every': '1m' }),
    );
    expect(minute.reconcile.fullReadEveryMs).toBe(60_000);
  });

  it('refuses, before any network call, a location that is not S3, a full-read-every that is no duration or is beyond CloudTrail’s 90 days, and one without snapshot', () => {
    expect(
      problemsOf({ ...aws, manifest: 'm.yml', snapshot: 'https://bucket/x', 'full-read-every': 'weekly' }),
    ).toEqual([
      expect.stringMatching(/input `full-read-every`: `weekly` is neither/),
      expect.stringMatching(/input `snapshot`: `https:\/\/bucket\/x` is not an S3 location/),
    ]);
    expect(
      problemsOf({ ...aws, manifest: 'm.yml', snapshot: 's3://b-1/p', 'full-read-every': '100d' }),
    ).toEqual([expect.stringMatching(/input `full-read-every`: `100d` is not from 1 minute to 89 days/)]);
    expect(problemsOf({ ...aws, manifest: 'm.yml', 'full-read-every': '1d' })).toEqual([
      expect.stringMatching(/input `full-read-every`: is read only with `snapshot`/),
    ]);
  });

  it('takes full-read-every at action.yml’s default (`7d`, what the runner passes when it is not set) without snapshot', () => {
    expect(problemsOf({ ...aws, manifest: 'm.yml', 'full-read-every': '7d' })).toEqual([]);
  });
});

describe('a snapshot also reads the event history of the accounts `event-history-roles` names', () => {
  const roleA = 'arn:aws:iam::111111111111:role/cloud-access-history';
  const roleB = 'arn:aws-us-gov:iam::222222222222:role/path/history';

  it('reads IAM role ARNs one a line or separated by commas, each once', () => {
    const lines = parseInputs(
      reader({
        ...aws,
        manifest: 'm.yml',
        snapshot: 's3://b-1/p',
        'event-history-roles': `${roleA}\n${roleB}\n`,
      }),
    );
    expect(lines.reconcile.eventHistoryRoles).toEqual([roleA, roleB]);
    const commas = parseInputs(
      reader({
        ...aws,
        manifest: 'm.yml',
        snapshot: 's3://b-1/p',
        'event-history-roles': `${roleA}, ${roleB}, ${roleA}`,
      }),
    );
    expect(commas.reconcile.eventHistoryRoles).toEqual([roleA, roleB]);
    const none = parseInputs(reader({ ...aws, manifest: 'm.yml', snapshot: 's3://b-1/p' }));
    expect(none.reconcile.eventHistoryRoles).toBeUndefined();
  });

  it('refuses, before any network call, a value that is not an IAM role ARN (a session of one told apart), and the input without snapshot or on Azure', () => {
    expect(
      problemsOf({
        ...aws,
        manifest: 'm.yml',
        snapshot: 's3://b-1/p',
        'event-history-roles': `${roleA}\narn:aws:sts::111111111111:assumed-role/history/s1\n111111111111`,
      }),
    ).toEqual([
      expect.stringMatching(
        /input `event-history-roles`: `arn:aws:sts::111111111111:assumed-role\/history\/s1` is not an IAM role ARN.*not one session of it/,
      ),
      expect.stringMatching(/input `event-history-roles`: `111111111111` is not an IAM role ARN/),
    ]);
    expect(problemsOf({ ...aws, manifest: 'm.yml', 'event-history-roles': roleA })).toEqual([
      expect.stringMatching(/input `event-history-roles`: is read only with `snapshot`/),
    ]);
    expect(
      problemsOf({
        cloud: 'azure',
        operation: 'reconcile',
        'client-id': '00000000-0000-0000-0000-000000000001',
        'tenant-id': '00000000-0000-0000-0000-000000000002',
        manifest: 'm.yml',
        'event-history-roles': roleA,
      }),
    ).toEqual([expect.stringMatching(/input `event-history-roles`: is read by `cloud: aws` only/)]);
  });
});
