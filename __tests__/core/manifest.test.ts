import { describe, expect, it } from '@jest/globals';
import { parseManifest, type ManifestResult } from '../../src/core/manifest/parse.js';
import type { Manifest } from '../../src/core/manifest/types.js';

const ok = (result: ManifestResult): Manifest => {
  if ('problems' in result) throw new Error(JSON.stringify(result.problems, null, 2));
  return result.manifest;
};
const problems = (result: ManifestResult) => ('problems' in result ? result.problems : []);

const SUB = '/subscriptions/00000000-0000-0000-0000-000000000001';
const GROUP_ID = '11111111-2222-3333-4444-555555555555';

describe('a manifest is read into what each section asks for and manages', () => {
  it('reads an AWS section: names, IDs, principal type, and account IDs written unquoted stay as written', () => {
    const manifest = ok(
      parseManifest(
        'access.yml',
        [
          'version: 1',
          'aws:',
          '  manages:',
          '    permission-sets: [ReadOnly, Billing]',
          "    targets: ['111111111111']",
          '  assignments:',
          '    - principal: [Deployers, Auditors]',
          '      principal-type: group',
          '      role: ReadOnly',
          '      target: [012345678901, "111111111111"]',
        ].join('\n'),
      ),
    );
    const aws = manifest.aws!;
    expect(aws.manages.permissionSets.map((p) => p.value)).toEqual([
      { kind: 'name', name: 'ReadOnly' },
      { kind: 'name', name: 'Billing' },
    ]);
    expect(aws.manages.targets?.map((t) => t.value)).toEqual([{ kind: 'account', id: '111111111111' }]);
    expect(aws.manages.allowDeleteAll).toBe(false);
    const [entry] = aws.assignments;
    expect(entry!.principalType).toBe('GROUP');
    expect(entry!.principals.map((p) => [p.written, p.line])).toEqual([
      ['Deployers', 7],
      ['Auditors', 7],
    ]);
    expect(entry!.targets.map((t) => t.written)).toEqual(['012345678901', '111111111111']);
    expect(manifest.azure).toBeUndefined();
  });

  it('reads an Azure section with its mode, exceptions, description and condition', () => {
    const manifest = ok(
      parseManifest(
        'access.json',
        JSON.stringify(
          {
            version: 1,
            azure: {
              manages: {
                scopes: [`${SUB}/resourceGroups/rg-app`],
                mode: 'full',
                exceptions: [
                  `${SUB}/providers/Microsoft.Authorization/roleAssignments/${GROUP_ID.toUpperCase()}`,
                ],
              },
              assignments: [
                {
                  principal: GROUP_ID.toUpperCase(),
                  'principal-type': 'Group',
                  role: ['Reader', 'acdd72a7-3385-48ef-bd42-f606fba81ae7'],
                  target: `${SUB}/resourceGroups/rg-app`,
                  description: 'app readers',
                },
              ],
            },
          },
          null,
          2,
        ),
      ),
    );
    const azure = manifest.azure!;
    expect(azure.manages.mode).toBe('full');
    expect(azure.manages.exceptions[0]!.value).toBe(
      `${SUB}/providers/Microsoft.Authorization/roleAssignments/${GROUP_ID}`,
    );
    const [entry] = azure.assignments;
    expect(entry!.principals[0]!.value).toEqual({ kind: 'object', id: GROUP_ID, bare: true });
    expect(entry!.principalType).toBe('Group');
    expect(entry!.roles.map((r) => r.value.kind)).toEqual(['name', 'guid']);
    expect(entry!.targets[0]!.value.kind).toBe('resourceGroup');
    expect(entry!.description).toBe('app readers');
    expect(azure.manages.mode).toBe('full');
  });

  it('takes OU paths, OU and root IDs as AWS targets, in entries and in manages, checked by the inputs’ parser', () => {
    const manifest = ok(
      parseManifest(
        'm.yml',
        [
          'version: 1',
          'aws:',
          '  manages: {permission-sets: [ReadOnly], targets: [Root/Workloads, r-ab12]}',
          '  assignments:',
          "    - {principal: Deployers, principal-type: GROUP, role: ReadOnly, target: [ou-ab12-cd34ef56, '111111111111']}",
        ].join('\n'),
      ),
    );
    expect(manifest.aws!.manages.targets!.map((t) => t.value)).toEqual([
      { kind: 'path', names: ['Workloads'] },
      { kind: 'root', id: 'r-ab12' },
    ]);
    expect(manifest.aws!.assignments[0]!.targets.map((t) => t.value.kind)).toEqual(['ou', 'account']);
    const bad = problems(
      parseManifest('m.yml', 'version: 1\naws:\n  manages: {permission-sets: [R], targets: [root/x]}\n'),
    );
    expect(bad).toEqual([
      expect.objectContaining({ line: 3, message: expect.stringMatching(/`root\/x` is not an OU path/) }),
    ]);
  });

  it('defaults Azure to ownedOnly', () => {
    const manifest = ok(
      parseManifest('m.yml', `version: 1\nazure:\n  manages:\n    scopes: ${SUB}\n  assignments: []\n`),
    );
    expect(manifest.azure!.manages.mode).toBe('ownedOnly');
    expect(manifest.azure!.assignments).toEqual([]);
  });
});

describe('every manifest error is reported at once, each with its line', () => {
  it('names unknown keys, malformed IDs and a bad version, on their own lines', () => {
    const found = problems(
      parseManifest(
        'access.yml',
        [
          'version: 2', // 1
          'aws:', // 2
          '  manage:', // 3  misspelt
          '    permission-sets: [ReadOnly]', // 4
          '  assignments:', // 5
          '    - principal: Deployers', // 6
          '      principal-typ: GROUP', // 7  misspelt
          '      role: arn:aws:sso:::permissionSet/nope', // 8
          '      target: [12345, "11111111111x"]', // 9
        ].join('\n'),
      ),
    );
    expect(found.map((p) => p.line)).toEqual([1, 2, 3, 7, 8, 9, 9]);
    expect(found[0]!.message).toMatch(/`version` must be `1`/);
    expect(found[1]!.message).toMatch(/`aws` has no `manages`/);
    expect(found[2]!.message).toMatch(/unknown key `manage`/);
    expect(found[2]!.fix).toMatch(/^did you mean `manages`\? the keys there are/);
    expect(found[3]!.message).toMatch(/`aws.assignments\[0\]` has the unknown key `principal-typ`/);
    expect(found[4]!.message).toMatch(/`aws.assignments\[0\].role`: .* is not a permission set ARN/);
    expect(found[5]!.message).toMatch(
      /`aws.assignments\[0\].target`: `12345` is not a 12-digit AWS account ID/,
    );
  });

  it('reports a duplicate entry where the second one is written', () => {
    const found = problems(
      parseManifest(
        'access.yml',
        [
          'version: 1',
          'aws:',
          '  manages: {permission-sets: [ReadOnly]}',
          '  assignments:',
          '    - {principal: Deployers, principal-type: GROUP, role: ReadOnly, target: "111111111111"}',
          '    - {principal: Deployers, principal-type: GROUP, role: ReadOnly, target: ["111111111111"]}',
        ].join('\n'),
      ),
    );
    expect(found).toHaveLength(1);
    expect(found[0]!.line).toBe(6);
    expect(found[0]!.message).toMatch(/duplicate: aws.assignments\[0\] \(line 5\) has it already/);
  });

  it('reports text that is not YAML with its line, and refuses a key written twice', () => {
    expect(problems(parseManifest('m.yml', 'version: 1\naws: [\n'))[0]!.line).toBeGreaterThanOrEqual(2);
    const twice = problems(parseManifest('m.yml', 'version: 1\nversion: 1\n'));
    expect(twice[0]!.line).toBe(2);
  });

  it('checks Azure values with the inputs’ own rules (scopes, conditions, mode)', () => {
    const found = problems(
      parseManifest(
        'm.yml',
        [
          'version: 1',
          'azure:',
          '  manages:',
          `    scopes: [${SUB}/resourceGroups/../x]`,
          '    mode: everything',
          '  assignments:',
          '    - principal: "[not, a, list]"',
          '      role: Reader',
          `      target: ${SUB}`,
          '      condition: true == true',
        ].join('\n'),
      ),
    );
    expect(found.map((p) => p.line)).toEqual([4, 5, 7, 10]);
    expect(found[0]!.message).toMatch(/`azure.manages.scopes`: .*`\.\.` segment/);
    expect(found[3]!.message).toMatch(/`azure.assignments\[0\].condition`: is not an Azure ABAC condition/);
  });
});
