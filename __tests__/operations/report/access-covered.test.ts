// What a report's CSV says it covered, in its `covered` column: where the report read as its step
// was asked (not an OU's expansion), short enough to repeat on every row, and inert.
import { describe, expect, it } from '@jest/globals';
import { parseInputs, type ConfigOf } from '../../../src/core/inputs/index.js';
import { COVERED_LIMIT, coveredText } from '../../../src/operations/report/access-covered.js';
import { csvCell } from '../../../src/operations/report/access-files.js';

const RUN = { repository: 'octo-org/octo-repo', repositoryId: '42', runId: '7', runAttempt: '1' };
const INSTANCE = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';

const request = (inputs: Record<string, string>) =>
  (
    parseInputs(
      (name) =>
        ({
          operation: 'report',
          ...inputs,
        })[name] ?? '',
      {},
      RUN,
    ) as ConfigOf<'report'>
  ).report;

const aws = (inputs: Record<string, string> = {}) =>
  request({
    cloud: 'aws',
    'aws-region': 'us-east-1',
    'role-to-assume': 'arn:aws:iam::123456789012:role/r',
    ...inputs,
  });
const azure = (inputs: Record<string, string>) =>
  request({
    cloud: 'azure',
    'client-id': '00000000-0000-0000-0000-000000000001',
    'tenant-id': '00000000-0000-0000-0000-000000000002',
    'subscription-id': '00000000-0000-0000-0000-000000000003',
    ...inputs,
  });

const SUB = '/subscriptions/00000000-0000-0000-0000-000000000003';

describe("a report's covered statement", () => {
  it('says the AWS instance, the accounts and OUs as the step was asked, the roles, the groups and the kind read', () => {
    const asked = aws({
      target: '111111111111, ou-ab12-cdef3456',
      role: 'ReadOnlyAccess',
      'expand-groups': 'true',
    });
    expect(
      coveredText({
        cloud: 'aws',
        request: asked,
        instance: INSTANCE,
        // The OU's expansion, which the statement leaves to the JSON's cover.
        cover: {
          targets: ['111111111111', '222222222222', '333333333333'],
          roles: ['arn:ps'],
          expandGroups: true,
        },
      }),
    ).toBe(
      `instance: ${INSTANCE}; targets: 111111111111, ou-ab12-cdef3456; roles: ReadOnlyAccess; expand-groups: yes; kinds: active`,
    );
  });

  it('says every account and every role where the step named none', () => {
    expect(
      coveredText({
        cloud: 'aws',
        request: aws(),
        instance: INSTANCE,
        cover: { targets: null, roles: null, expandGroups: false },
      }),
    ).toBe(
      `instance: ${INSTANCE}; targets: every account; roles: every role; expand-groups: no; kinds: active`,
    );
  });

  it('says the Azure scopes and roles as asked, and that only active assignments were read where eligibilities could not be', () => {
    const asked = azure({ target: `${SUB}, ${SUB}/resourceGroups/rg-app`, role: 'Reader' });
    const cover = { targets: [SUB, `${SUB}/resourceGroups/rg-app`], roles: ['Reader'], expandGroups: false };
    expect(coveredText({ cloud: 'azure', request: asked, cover })).toBe(
      `targets: ${SUB}, ${SUB}/resourceGroups/rg-app; roles: Reader; expand-groups: no; kinds: active, eligible`,
    );
    expect(coveredText({ cloud: 'azure', request: asked, cover: { ...cover, kinds: ['active'] } })).toBe(
      `targets: ${SUB}, ${SUB}/resourceGroups/rg-app; roles: Reader; expand-groups: no; kinds: active only (eligible not read)`,
    );
  });

  it('stays within its limit however many targets were asked, saying how many it left out', () => {
    const accounts = Array.from({ length: 1000 }, (_, i) => String(100000000000 + i));
    const text = coveredText({
      cloud: 'aws',
      request: {
        ...aws(),
        awsTargets: accounts.map((id) => ({ written: id, value: { kind: 'account', id } })),
      },
      instance: INSTANCE,
      cover: { targets: accounts, roles: null, expandGroups: false },
    });
    expect(text.length).toBeLessThanOrEqual(COVERED_LIMIT);
    const shown = /targets: ([^;]*?) … and (\d+) more;/.exec(text)!;
    expect(shown[1]!.split(', ').length + Number(shown[2])).toBe(1000);
    expect(text).toMatch(/; roles: every role; expand-groups: no; kinds: active$/);
  });

  it('cuts a single target longer than its share, and measures each as the CSV writes it (escaped)', () => {
    const long = `Root/${'\u202e'.repeat(400)}`;
    const text = coveredText({
      cloud: 'aws',
      request: {
        ...aws(),
        awsTargets: [{ written: long, value: { kind: 'path', names: [long] } }],
        permissionSets: [{ kind: 'name', name: 'x'.repeat(5000) }],
      },
      instance: INSTANCE,
      cover: { targets: null, roles: null, expandGroups: false },
    });
    expect(text.length).toBeLessThanOrEqual(COVERED_LIMIT);
    expect(text).toMatch(/targets: Root\/\u202e+…;/u);
    expect(text).toMatch(/roles: x+…;/);
  });
});

describe("a report's covered cell in the CSV", () => {
  it('stays within its limit as the CSV writes it, where each quote in an OU name or a server-sent instance is doubled', () => {
    const quotes = `Root/${'"'.repeat(600)}`;
    const text = coveredText({
      cloud: 'aws',
      request: {
        ...aws(),
        awsTargets: [
          { written: quotes, value: { kind: 'path', names: ['"'.repeat(600)] } },
          { written: 'Root/a"b', value: { kind: 'path', names: ['a"b'] } },
        ],
      },
      instance: `arn:aws:sso:::instance/${'"'.repeat(600)}`,
      cover: { targets: null, roles: null, expandGroups: false },
    });
    // The cell between its own quotes, as a spreadsheet reads the file.
    expect(csvCell(text).length - 2).toBeLessThanOrEqual(COVERED_LIMIT);
    expect(text).toMatch(
      /^instance: arn:aws:sso:::instance\/"+…; targets: Root\/"+… … and 1 more; roles: every role;/,
    );
  });
});
