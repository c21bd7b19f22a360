// The inputs of `operation: report`, parsed before any call: what narrows the read, what is told
// apart, and what a report never takes (it writes nothing), each problem naming the input and its fix.
import { describe, expect, it } from '@jest/globals';
import { parseInputs as parseAny, type ConfigOf } from '../../../src/core/inputs/index.js';
import { inputProblems, reader } from '../../harness/input-problems.js';

/** The inputs parsed, as the `report` step is given them. */
const parseInputs = (...args: Parameters<typeof parseAny>) => parseAny(...args) as ConfigOf<'report'>;

const ROLE = 'arn:aws:iam::123456789012:role/cloud-access';
const SUB = '00000000-0000-0000-0000-000000000001';
const aws = { cloud: 'aws', operation: 'report', 'aws-region': 'eu-west-1', 'role-to-assume': ROLE };
const azure = { cloud: 'azure', operation: 'report', target: `/subscriptions/${SUB}` };

const problemsOf = (inputs: Record<string, string>) => inputProblems(inputs);

describe('a report reads where it is told, and reads the whole instance by default', () => {
  it('takes AWS accounts, OUs and permission sets to narrow the read, and 90 days of CloudTrail', () => {
    const config = parseInputs(
      reader({
        ...aws,
        target: '111111111111, ou-abcd-12345678',
        role: 'ReadOnlyAccess',
        'expand-groups': 'true',
      }),
    );
    expect(config.report).toMatchObject({
      expandGroups: true,
      lookbackSeconds: 90 * 24 * 3600,
      permissionSets: [{ kind: 'name', name: 'ReadOnlyAccess' }],
    });
    expect(config.report?.awsTargets?.map((t) => t.value.kind)).toEqual(['account', 'ou']);
    expect(config.grants).toEqual([]);
    expect(parseInputs(reader(aws)).report).toMatchObject({ manifests: [], compareTo: undefined });
  });

  it('takes several manifests, and a previous report inside the workspace', () => {
    const config = parseInputs(
      reader({ ...azure, manifest: 'access/a.yml, access/b.yml', 'compare-to': 'previous/report.json' }),
    );
    expect(config.report).toMatchObject({
      manifests: ['access/a.yml', 'access/b.yml'],
      compareTo: 'previous/report.json',
      scopes: [expect.objectContaining({ scope: `/subscriptions/${SUB}` })],
    });
  });
});

describe('an Azure report of groups', () => {
  const GROUP = '11111111-2222-3333-4444-555555555555';
  it('reads the PIM-for-groups memberships of `group:` targets by name or ID, and the scopes of the others', () => {
    const config = parseInputs(
      reader({
        ...azure,
        target: `/subscriptions/${SUB}, group:platform-admins, group:${GROUP.toUpperCase()}`,
      }),
    );
    expect(config.report).toMatchObject({
      scopes: [expect.objectContaining({ scope: `/subscriptions/${SUB}` })],
      groups: [
        { kind: 'group', name: 'platform-admins' },
        { kind: 'object', id: GROUP },
      ],
    });
    expect(parseInputs(reader({ ...azure, target: 'group:ops' })).report).toMatchObject({ scopes: [] });
  });
});

describe('what a report refuses, before any call', () => {
  it('a principal, an Azure report without scopes, a write input, a compare-to outside the workspace', () => {
    expect(problemsOf({ ...aws, principal: 'alice' })).toEqual([
      expect.stringMatching(
        /^input `principal`: is not used by `operation: report`.*narrow the report with `target` and `role`/,
      ),
    ]);
    expect(problemsOf({ ...azure, target: '' })).toEqual([
      expect.stringMatching(/^input `target`: is required/),
    ]);
    expect(problemsOf({ ...aws, duration: '2h' })).toEqual([
      expect.stringMatching(/^input `duration`: .*writes nothing/),
    ]);
    expect(problemsOf({ ...azure, description: 'x' })).toEqual([
      expect.stringMatching(/^input `description`/),
    ]);
    expect(problemsOf({ ...aws, 'revoke-on-exit': 'true' })).toEqual([
      expect.stringMatching(/^input `revoke-on-exit`/),
    ]);
    expect(problemsOf({ ...aws, 'compare-to': '../other/report.json' })).toEqual([
      expect.stringMatching(/^input `compare-to`: .* leaves the workspace/),
    ]);
    expect(problemsOf({ ...aws, 'compare-to': '/tmp/report.json' })).toEqual([
      expect.stringMatching(/^input `compare-to`: .* is an absolute path/),
    ]);
    expect(problemsOf({ ...azure, lookback: '30d' })).toEqual([
      expect.stringMatching(/^input `lookback`: is read on AWS only/),
    ]);
    expect(problemsOf({ ...aws, lookback: '91d' })).toEqual([
      expect.stringMatching(/^input `lookback`: .*longer than 90 days/),
    ]);
    expect(problemsOf({ ...aws, manifest: 'access/../x.yml' })).toEqual([
      expect.stringMatching(/^input `manifest`/),
    ]);
  });

  it('keeps `manifest`, `created-by` and `lookback` from operations that do not read them', () => {
    expect(
      problemsOf({
        ...aws,
        operation: 'assign',
        principal: 'a',
        target: '111111111111',
        role: 'R',
        manifest: 'a.yml',
      }),
    ).toEqual([
      expect.stringMatching(
        /^input `manifest`: is read by `operation: reconcile` and `operation: report` only/,
      ),
    ]);
  });
});
