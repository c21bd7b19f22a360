// What the report checks before it signs in: each manifest parses (and a section of another cloud
// is said to be left out), `compare-to` is a report of this cloud, and a fork's pull request, which
// gets no token, ends well with a notice.
import { describe, expect, it } from '@jest/globals';
import { parseInputs, type ConfigOf } from '../../../src/core/inputs/index.js';
import { checkReport } from '../../../src/operations/report/report-check.js';

const RUN = { repository: 'octo-org/octo-repo', repositoryId: '42', runId: '7', runAttempt: '1' };
const PUSH = { eventName: 'push', tokenEndpoint: 'https://token.example' };
const config = parseInputs(
  (name) =>
    ({
      cloud: 'aws',
      operation: 'report',
      'aws-region': 'us-east-1',
      'role-to-assume': 'arn:aws:iam::123456789012:role/r',
    })[name] ?? '',
  {},
  RUN,
) as ConfigOf<'report'>;
const AWS_MANIFEST = [
  'version: 1',
  'aws:',
  '  manages:',
  '    permission-sets: [ReadOnly]',
  "    targets: ['111111111111']",
  '  assignments:',
  '    - principal: Deployers',
  '      principal-type: group',
  '      role: ReadOnly',
  "      target: '111111111111'",
].join('\n');
const AZURE_MANIFEST = [
  'version: 1',
  'azure:',
  '  manages:',
  '    scopes: [/subscriptions/00000000-0000-0000-0000-000000000001]',
  '  assignments:',
  '    - principal: 11111111-2222-3333-4444-555555555555',
  '      role: Reader',
  '      target: /subscriptions/00000000-0000-0000-0000-000000000001',
].join('\n');

/** The error annotations of a check that stopped the step. */
const errors = (checked: ReturnType<typeof checkReport>) =>
  'stop' in checked
    ? (checked.stop.annotations ?? []).filter((a) => a.level === 'error').map((a) => a.message)
    : [];

describe('the manifests a report compares with', () => {
  it('keeps the section of this cloud of each, and says which have none', () => {
    const checked = checkReport(
      config,
      [
        { path: 'access/aws.yml', text: AWS_MANIFEST },
        { path: 'access/azure.yml', text: AZURE_MANIFEST },
      ],
      undefined,
      PUSH,
    );
    expect('stop' in checked).toBe(false);
    if ('stop' in checked) return;
    expect(checked.manifests.map((m) => m.path)).toEqual(['access/aws.yml']);
    expect(checked.notes).toEqual([
      'access/azure.yml has no `aws` section: none of its assignments are in this report',
    ]);
  });

  it('stops at a manifest that does not parse, or cannot be read', () => {
    for (const file of [
      { path: 'access.yml', text: 'version: 2\n' },
      { path: 'access.yml', unreadable: 'was not found' },
    ]) {
      const checked = checkReport(config, [file], undefined, PUSH);
      expect('stop' in checked && checked.stop.failed).toMatch(/nothing was requested from the cloud$/);
      expect(errors(checked).length).toBeGreaterThan(0);
      expect(errors(checked).every((message) => message.startsWith('access.yml'))).toBe(true);
    }
  });
});

describe('the earlier report to compare with (`compare-to`)', () => {
  it('reads the rows of a report of this cloud', () => {
    const text = '{"version":1,"cloud":"aws","rows":[{"principalId":"u","roleId":"r","targetId":"t"}]}';
    const checked = checkReport(config, [], { path: 'prev.json', text }, PUSH);
    expect('stop' in checked).toBe(false);
    expect(!('stop' in checked) && checked.previous?.rows.map((r) => r.principalId)).toEqual(['u']);
  });

  it('stops on a file that is no report of this cloud, or cannot be read, naming the input and the fix', () => {
    for (const previous of [
      { path: 'prev.json', text: '{"version":1,"cloud":"azure","rows":[]}' },
      { path: 'prev.json', unreadable: 'was not found' },
    ]) {
      const checked = checkReport(config, [], previous, PUSH);
      expect(errors(checked)).toEqual([
        expect.stringMatching(/^input `compare-to`: `prev\.json` .*report-json/s),
      ]);
    }
  });
});

describe("a fork's pull request, which gets no OIDC token", () => {
  it('ends with a notice that the report is skipped, once the manifests are checked', () => {
    const checked = checkReport(config, [{ path: 'access/aws.yml', text: AWS_MANIFEST }], undefined, {
      eventName: 'pull_request',
      tokenEndpoint: undefined,
    });
    expect('stop' in checked && checked.stop).toEqual({
      annotations: [
        {
          level: 'notice',
          message:
            "no OIDC token on this `pull_request` run (a fork's pull request gets none): the manifest was checked, the report is skipped",
        },
      ],
    });
  });
});
