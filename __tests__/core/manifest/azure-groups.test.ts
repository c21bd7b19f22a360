// A manifest's `azure.groups` (memberships of Entra groups through PIM for groups) and
// `manages.groups` (the groups whose memberships it lists are all it may hold): read with each
// problem at its line.
import { describe, expect, it } from '@jest/globals';
import { parseManifest, type ManifestResult } from '../../../src/core/manifest/parse.js';

const SUB = '/subscriptions/00000000-0000-0000-0000-000000000001';
const GROUP_ID = '11111111-2222-3333-4444-555555555555';

const manifest = (...lines: string[]) =>
  parseManifest('access.yml', ['version: 1', 'azure:', ...lines].join('\n'));
const problems = (result: ManifestResult) =>
  'problems' in result ? result.problems.map((p) => `${p.line}: ${p.message}`) : [];
const sectionOf = (result: ManifestResult) => {
  if ('problems' in result) throw new Error(JSON.stringify(result.problems));
  return result.manifest.azure!;
};

describe('azure.groups lists the memberships a manifest makes', () => {
  it('reads each entry’s group, members, owners, assignment type (active by default) and duration', () => {
    const section = sectionOf(
      manifest(
        '  manages: {groups: [platform-admins]}',
        '  groups:',
        '    - group: platform-admins',
        '      members: [alice@contoso.com, sp:ci-deployer]',
        '      owners: bob@contoso.com',
        '      assignment-type: eligible',
        '      duration: P90D',
        `    - group: '${GROUP_ID.toUpperCase()}'`,
        '      members: [alice@contoso.com]',
      ),
    );
    expect(section.manages.scopes).toEqual([]);
    expect(section.manages.groups.map((g) => [g.written, g.line])).toEqual([['platform-admins', 3]]);
    expect(section.groups).toHaveLength(2);
    const [first, second] = section.groups;
    expect(first).toMatchObject({
      path: 'azure.groups[0]',
      line: 5,
      group: { written: 'platform-admins', value: { name: 'platform-admins' }, line: 5 },
      type: 'eligible',
      duration: { iso: 'P90D' },
    });
    expect(first!.members.map((m) => [m.written, m.value.kind, m.line])).toEqual([
      ['alice@contoso.com', 'user', 6],
      ['sp:ci-deployer', 'sp-name', 6],
    ]);
    expect(first!.owners.map((m) => m.written)).toEqual(['bob@contoso.com']);
    expect(second).toMatchObject({
      group: { value: { id: GROUP_ID } },
      type: 'active',
      duration: undefined,
      owners: [],
    });
  });

  it('takes a section with both scopes and groups managed, and one with assignments only as before', () => {
    expect(
      problems(manifest(`  manages: {scopes: ['${SUB}'], groups: ['${GROUP_ID}']}`, '  groups: []')),
    ).toEqual([]);
    expect(sectionOf(manifest(`  manages: {scopes: ['${SUB}']}`)).manages.groups).toEqual([]);
    expect(sectionOf(manifest(`  manages: {scopes: ['${SUB}']}`)).groups).toEqual([]);
  });

  it('refuses a section that manages neither scopes nor groups', () => {
    expect(problems(manifest('  manages: {mode: ownedOnly}'))).toEqual([
      expect.stringMatching(/^3: `azure\.manages` has neither `scopes` nor `groups`/),
    ]);
  });

  it('refuses the same principal, role and assignment type of one group twice, at the second', () => {
    expect(
      problems(
        manifest(
          '  manages: {groups: [ops]}',
          '  groups:',
          '    - group: ops',
          '      members: [alice@contoso.com]',
          '      owners: [alice@contoso.com]',
          '    - group: OPS',
          '      members: [Alice@contoso.com]',
          '    - group: ops',
          '      members: [alice@contoso.com]',
          '      assignment-type: eligible',
        ),
      ),
    ).toEqual([
      expect.stringMatching(
        /^9: `azure\.groups\[1\]`: alice@contoso\.com .* member .* ops .*duplicate.*azure\.groups\[0\] \(line 5\)/i,
      ),
    ]);
  });

  it('refuses unknown keys, an entry with no group or no one in it, a bad type, a bad duration and a bad member, each at its line', () => {
    const found = problems(
      manifest(
        '  manages: {groups: [ops], group: [x]}',
        '  groups:',
        '    - group: ops',
        '      member: [alice@contoso.com]',
        '    - members: [alice@contoso.com]',
        '    - group: ops',
        '      owners: [alice@contoso.com]',
        '      assignment-type: permanent',
        '      duration: P400D',
        '    - group: ops',
        '      members: ["[a, b]"]',
      ),
    );
    expect(found).toEqual([
      expect.stringMatching(/^3: `azure\.manages` has the unknown key `group`/),
      expect.stringMatching(/^5: `azure\.groups\[0\]` lists no `members` or `owners`/),
      expect.stringMatching(/^6: `azure\.groups\[0\]` has the unknown key `member`/),
      expect.stringMatching(/^7: `azure\.groups\[1\]` has no `group`/),
      expect.stringMatching(/^10: `azure\.groups\[2\]\.assignment-type`: .*permanent/),
      expect.stringMatching(
        /^11: `azure\.groups\[2\]\.duration`: `P400D` is not between 5 minutes and a year/,
      ),
      expect.stringMatching(/^13: `azure\.groups\[3\]\.members`/),
    ]);
  });

  it('refuses `groups` that is not a list, and a managed group that is not text', () => {
    expect(problems(manifest('  manages: {groups: [{a: b}]}', '  groups: {group: ops}'))).toEqual([
      expect.stringMatching(/^3: `azure\.manages\.groups` must be a string/),
      expect.stringMatching(/^4: `azure\.groups` must be a list of entries/),
    ]);
  });
});
