import { describe, expect, it } from '@jest/globals';
import { instanceArnConflict } from '../../../src/core/manifest/aws.js';
import { parseManifest, type ManifestResult } from '../../../src/core/manifest/parse.js';
import type { Manifest } from '../../../src/core/manifest/types.js';

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
                  `${SUB}/resourceGroups/rg-app/providers/Microsoft.Authorization/roleAssignments/${GROUP_ID.toUpperCase()}`,
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
      `${SUB}/resourceGroups/rg-app/providers/Microsoft.Authorization/roleAssignments/${GROUP_ID}`,
    );
    const [entry] = azure.assignments;
    expect(entry!.principals[0]!.value).toEqual({ kind: 'object', id: GROUP_ID, bare: true });
    expect(entry!.principalType).toBe('Group');
    expect(entry!.principalTypeWritten).toBe(true);
    expect(entry!.roles.map((r) => r.value.kind)).toEqual(['name', 'guid']);
    expect(entry!.targets[0]!.value.kind).toBe('resourceGroup');
    expect(entry!.description).toBe('app readers');
    expect(azure.manages.mode).toBe('full');
  });

  it('an Azure entry without `principal-type` is a User by default, and says it was not written (a problem names the default as such)', () => {
    const manifest = ok(
      parseManifest(
        'm.yml',
        `version: 1\nazure:\n  manages: {scopes: ['${SUB}']}\n  assignments:\n    - {principal: '${GROUP_ID}', role: Reader, target: '${SUB}'}\n`,
      ),
    );
    const [entry] = manifest.azure!.assignments;
    expect([entry!.principalType, entry!.principalTypeWritten]).toEqual(['User', false]);
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

describe('an empty string is never a value', () => {
  const aws = (entry: string[], manages = '{permission-sets: [ReadOnly]}') =>
    ['version: 1', 'aws:', `  manages: ${manages}`, '  assignments:', ...entry].join('\n');
  const entry = (principal: string, role = 'ReadOnly', target = "'111111111111'") => [
    `    - principal: ${principal}`,
    `      role: ${role}`,
    `      target: ${target}`,
  ];

  it.each([
    ['principal: ""', entry('""'), 5, 'aws.assignments[0].principal'],
    ["principal: ['']", entry("['']"), 5, 'aws.assignments[0].principal'],
    ['principal: [Deployers, ""]', entry('[Deployers, ""]'), 5, 'aws.assignments[0].principal'],
    ['a blank principal', entry("'   '"), 5, 'aws.assignments[0].principal'],
    [
      'a list item on its own line',
      [
        '    - principal:',
        '        - Deployers',
        "        - ''",
        '      role: ReadOnly',
        "      target: '111111111111'",
      ],
      7,
      'aws.assignments[0].principal',
    ],
    ['role: ""', entry('Deployers', '""'), 6, 'aws.assignments[0].role'],
    ["target: ['']", entry('Deployers', 'ReadOnly', "['']"), 7, 'aws.assignments[0].target'],
    [
      "principal-type: ''",
      [...entry('Deployers'), "      principal-type: ''"],
      8,
      'aws.assignments[0].principal-type',
    ],
  ])('%s is an error with its line', (_, lines, line, path) => {
    const found = problems(parseManifest('m.yml', aws(lines)));
    expect(found).toContainEqual(
      expect.objectContaining({ line, message: `\`${path}\` holds an empty value` }),
    );
  });

  it('in what a section manages, and in its scalars', () => {
    const found = problems(
      parseManifest(
        'm.yml',
        aws(
          entry('Deployers'),
          "{permission-sets: [ReadOnly, ''], targets: [''], allow-delete-all: ''}",
        ).replace('aws:', "aws:\n  instance-arn: ''"),
      ),
    );
    expect(found.map((p) => p.message)).toEqual([
      '`aws.instance-arn` holds an empty value',
      '`aws.manages.permission-sets` holds an empty value',
      '`aws.manages.targets` holds an empty value',
      '`aws.manages.allow-delete-all` holds an empty value',
    ]);
    const azure = problems(
      parseManifest(
        'm.yml',
        [
          'version: 1',
          'azure:',
          '  manages:',
          `    scopes: [${SUB}, '']`,
          '    mode: full',
          "    exceptions: ['']",
          '  assignments:',
          `    - {principal: '', role: [Reader, ''], target: ${SUB}, description: ''}`,
        ].join('\n'),
      ),
    );
    expect(azure.map((p) => [p.line, p.message])).toEqual([
      [4, '`azure.manages.scopes` holds an empty value'],
      [6, '`azure.manages.exceptions` holds an empty value'],
      [8, '`azure.assignments[0].description` holds an empty value'],
      [8, '`azure.assignments[0].principal` holds an empty value'],
      [8, '`azure.assignments[0].role` holds an empty value'],
    ]);
  });
});

describe('the size of a section is checked from its lists before anything walks them', () => {
  const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
  const accounts = (n: number) => Array.from({ length: n }, (_, i) => String(100000000000 + i));
  const section = (entries: string[][]) =>
    [
      'version: 1',
      'aws:',
      '  manages: {permission-sets: [P0]}',
      '  assignments:',
      ...entries.map(([p, r, t]) => `    - {principal: [${p}], role: [${r}], target: [${t}]}`),
    ].join('\n');

  it('300 principals × 300 permission sets × 300 accounts: one problem, naming the entry, its line and the limit', () => {
    // Every principal written twice: had the 27,000,000 assignments been walked for duplicates,
    // each would be a problem (and the walk takes minutes and gigabytes). The count is the only one.
    const principals = [...names('u', 150), ...names('u', 150)].join(',');
    const found = problems(
      parseManifest('m.yml', section([[principals, names('P', 300).join(','), accounts(300).join(',')]])),
    );
    expect(found).toEqual([
      {
        line: 5,
        message:
          '`aws.assignments[0]`: 300 principal(s) × 300 role(s) × 300 target(s) bring `aws.assignments` to 27000000 assignments; at most 20000 fit in one manifest section',
        fix: 'split the manifest, or list fewer values in the entry',
      },
    ]);
  });

  it('several entries: the one that crosses the limit is named, with the section’s total', () => {
    const big = [names('u', 100).join(','), names('P', 10).join(','), accounts(10).join(',')];
    const found = problems(parseManifest('m.yml', section([big, big, big])));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ line: 7 });
    expect(found[0]!.message).toMatch(/^`aws.assignments\[2\]`: .* to 30000 assignments; at most 20000/);
  });

  it('at the limit, duplicates are still found', () => {
    const twice = [names('u', 2).join(',') + ',u0', 'P0', accounts(1).join(',')];
    const found = problems(parseManifest('m.yml', section([twice])));
    expect(found.map((p) => p.message)).toEqual([
      expect.stringMatching(/u0 \/ P0 \/ 100000000000 is a duplicate/),
    ]);
  });
});

describe('`mode: full` exceptions are under the managed scopes', () => {
  it('an exception outside every managed scope is an error on its line', () => {
    const id = (scope: string) => `${scope}/providers/Microsoft.Authorization/roleAssignments/${GROUP_ID}`;
    const found = problems(
      parseManifest(
        'm.yml',
        [
          'version: 1',
          'azure:',
          '  manages:',
          `    scopes: [${SUB}/resourceGroups/rg-app]`,
          '    mode: full',
          '    exceptions:',
          `      - ${id(`${SUB}/resourceGroups/rg-app`)}`,
          `      - ${id(`${SUB}/resourceGroups/rg-app/providers/Microsoft.Web/sites/app`)}`,
          `      - ${id(`${SUB}/resourceGroups/rg-app2`)}`,
          `      - ${id(SUB)}`,
          '  assignments: []',
        ].join('\n'),
      ),
    );
    expect(found.map((p) => [p.line, p.message.replace(/`\/subscriptions[^`]*`/, '`ID`')])).toEqual([
      [9, '`azure.manages.exceptions`: `ID` is not at or under any of `azure.manages.scopes`'],
      [10, '`azure.manages.exceptions`: `ID` is not at or under any of `azure.manages.scopes`'],
    ]);
  });
});

describe('`aws.instance-arn` and the `instance-arn` input name one instance', () => {
  const INSTANCE = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';
  const OTHER = 'arn:aws:sso:::instance/ssoins-0000000000000000';
  const section = ok(
    parseManifest(
      'access.yml',
      [
        'version: 1',
        'aws:',
        '  manages: {permission-sets: [ReadOnly]}',
        `  instance-arn: ${INSTANCE}`,
        '  assignments: []',
      ].join('\n'),
    ),
  ).aws!;

  it('different values are a problem at the manifest’s line, naming both', () => {
    const problem = instanceArnConflict(section, OTHER);
    expect(problem?.line).toBe(4);
    expect(problem?.message).toContain(INSTANCE);
    expect(problem?.message).toContain(OTHER);
    expect(problem?.message).toMatch(/`aws.instance-arn`.*`instance-arn` input/);
  });

  it('the same value, or either left out, is no problem', () => {
    expect(instanceArnConflict(section, INSTANCE)).toBeUndefined();
    expect(instanceArnConflict(section, undefined)).toBeUndefined();
    expect(instanceArnConflict({ ...section, instanceArn: undefined }, OTHER)).toBeUndefined();
  });
});
