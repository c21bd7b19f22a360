// Permission sets a reconcile manifest manages by tag: `tag:KEY=VALUE` and `tag:KEY` among the
// names and ARNs of `aws.manages.permission-sets`, checked against the AWS tag rules at their
// lines before any request, refused where an assignment names its one permission set.
import { describe, expect, it } from '@jest/globals';
import { parseInputs } from '../../../src/core/inputs/index.js';
import { parseManifest, type ManifestResult } from '../../../src/core/manifest/parse.js';
import type { Manifest } from '../../../src/core/manifest/types.js';
import {
  isPermissionSetOfInstance,
  tagFormMatches,
  tagFormText,
  type PermissionSetTagForm,
} from '../../../src/core/manifest/permission-set-tags.js';

const ok = (result: ManifestResult): Manifest => {
  if ('problems' in result) throw new Error(JSON.stringify(result.problems, null, 2));
  return result.manifest;
};
const problems = (result: ManifestResult) => ('problems' in result ? result.problems : []);

const manifest = (permissionSets: string, role = 'ReadOnly') =>
  parseManifest(
    'access.yml',
    [
      'version: 1',
      'aws:',
      '  manages:',
      `    permission-sets: ${permissionSets}`,
      '  assignments:',
      '    - principal: Deployers',
      '      principal-type: GROUP',
      `      role: ${role}`,
      "      target: '111111111111'",
    ].join('\n'),
  );

const tag = (key: string, value?: string): PermissionSetTagForm => ({ kind: 'tag', key, value });

describe('aws.manages.permission-sets takes tag forms beside names and ARNs', () => {
  it('reads tag:KEY=VALUE and tag:KEY as tag forms, each at its line, and names as names', () => {
    const aws = ok(
      parseManifest(
        'access.yml',
        [
          'version: 1',
          'aws:',
          '  manages:',
          '    permission-sets:',
          '      - ReadOnly',
          '      - tag:team=platform',
          '      - tag:cost-center',
          "      - 'tag:aws:cloudformation:stack-name=access'",
          '      - tag:owner=',
          '      - tag:env=a=b',
        ].join('\n'),
      ),
    ).aws!;
    expect(aws.manages.permissionSets.map((p) => [p.value, p.line])).toEqual([
      [{ kind: 'name', name: 'ReadOnly' }, 5],
    ]);
    expect(aws.manages.permissionSetTags.map((t) => [t.written, t.value, t.line])).toEqual([
      ['tag:team=platform', tag('team', 'platform'), 6],
      ['tag:cost-center', tag('cost-center'), 7],
      // Keys starting `aws:` are AWS's own, and may be matched.
      ['tag:aws:cloudformation:stack-name=access', tag('aws:cloudformation:stack-name', 'access'), 8],
      // An empty value is a value: the tag must be there with nothing in it.
      ['tag:owner=', tag('owner', ''), 9],
      // The text splits at the first `=`: the value may hold `=`, the key never does.
      ['tag:env=a=b', tag('env', 'a=b'), 10],
    ]);
  });

  it('takes the model’s character class, letters of any script and spaces included', () => {
    const aws = ok(manifest("['tag:Équipe=plate forme', 'tag:k_.:/+-@=v_.:/=+-@']")).aws!;
    expect(aws.manages.permissionSetTags.map((t) => t.value)).toEqual([
      tag('Équipe', 'plate forme'),
      tag('k_.:/+-@', 'v_.:/=+-@'),
    ]);
  });

  it('a manifest that manages by tag alone is valid', () => {
    const aws = ok(manifest('[tag:team=platform]')).aws!;
    expect(aws.manages.permissionSets).toEqual([]);
    expect(aws.manages.permissionSetTags.map((t) => t.value)).toEqual([tag('team', 'platform')]);
  });
});

describe('a malformed tag form is a manifest error at its line, before any request', () => {
  it.each([
    ["'tag:'", 'names no tag key'],
    ['tag:=platform', 'names no tag key'],
    ["'tag:team!=platform'", 'a tag key is 1–128 of letters, digits, spaces and `_.:/=+-@`'],
    ["'tag:team=plat#form'", 'a tag value is 0–256 of letters, digits, spaces and `_.:/=+-@`'],
    [`tag:${'k'.repeat(129)}`, 'a tag key is 1–128'],
    [`tag:team=${'v'.repeat(257)}`, 'a tag value is 0–256'],
  ])('%s: %s', (written, message) => {
    const found = problems(manifest(`[ReadOnly, ${written}]`));
    expect(found).toHaveLength(1);
    expect(found[0]!.line).toBe(4);
    expect(found[0]!.message).toContain('`aws.manages.permission-sets`');
    expect(found[0]!.message).toContain(message);
    expect(found[0]!.fix).toMatch(/`tag:KEY=VALUE`.*`tag:KEY`.*a key holding `=` cannot be written/);
  });

  it('the longest key and value the rules allow are taken', () => {
    const aws = ok(manifest(`[tag:${'k'.repeat(128)}=${'v'.repeat(256)}]`)).aws!;
    expect(aws.manages.permissionSetTags[0]!.value.key).toHaveLength(128);
    expect(aws.manages.permissionSetTags[0]!.value.value).toHaveLength(256);
  });

  it('reports every malformed form at once, each at its own line', () => {
    const found = problems(
      parseManifest(
        'access.yml',
        [
          'version: 1',
          'aws:',
          '  manages:',
          '    permission-sets:',
          "      - 'tag:'",
          '      - tag:team=platform',
          "      - 'tag:a b c=%'",
        ].join('\n'),
      ),
    );
    expect(found.map((p) => p.line)).toEqual([5, 7]);
  });
});

describe('an assignment names one permission set: tag forms are refused in role', () => {
  it('in a manifest entry, with the reason, at the line', () => {
    const found = problems(manifest('[ReadOnly]', 'tag:team=platform'));
    expect(found).toEqual([
      {
        line: 8,
        message:
          '`aws.assignments[0].role`: `tag:team=platform` chooses permission sets by tag, which only `aws.manages.permission-sets` of a reconcile manifest takes: an assignment is of one permission set, named',
        fix: 'give the permission set name or ARN',
      },
    ]);
  });

  it('in the role input', () => {
    const all: Record<string, string> = {
      cloud: 'aws',
      'aws-region': 'us-east-1',
      principal: 'alice',
      target: '111111111111',
      role: 'tag:team=platform',
    };
    expect(() => parseInputs((name) => all[name] ?? '', {})).toThrow(
      /`tag:team=platform` chooses permission sets by tag, which only `aws.manages.permission-sets` of a reconcile manifest takes/,
    );
  });
});

describe('a tag form matches a permission set by its tags, exactly', () => {
  const tags = [
    { Key: 'team', Value: 'platform' },
    { Key: 'owner', Value: '' },
  ];
  it.each([
    [tag('team', 'platform'), true],
    [tag('team'), true],
    [tag('owner', ''), true],
    [tag('owner'), true],
    // Keys and values are case-sensitive, as AWS compares them.
    [tag('Team', 'platform'), false],
    [tag('team', 'Platform'), false],
    [tag('team', 'plat'), false],
    [tag('team', ''), false],
    [tag('cost-center'), false],
  ])('%j: %s', (form, matches) => {
    expect(tagFormMatches(form, tags)).toBe(matches);
  });

  it('writes a form back as the manifest does', () => {
    expect([tag('team', 'platform'), tag('team'), tag('owner', '')].map(tagFormText)).toEqual([
      'tag:team=platform',
      'tag:team',
      'tag:owner=',
    ]);
  });
});

describe('only permission sets of the instance can be matched', () => {
  const instance = 'arn:aws:sso:::instance/ssoins-1111111111111111';
  it.each([
    ['arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-aaaaaaaaaaaaaaaa', true],
    ['arn:aws:sso:::permissionSet/ssoins-2222222222222222/ps-aaaaaaaaaaaaaaaa', false],
    ['arn:aws-cn:sso:::permissionSet/ssoins-1111111111111111/ps-aaaaaaaaaaaaaaaa', false],
    ['arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-short', false],
    ['arn:aws:sso:::permissionSet/ssoins-1111111111111111x/ps-aaaaaaaaaaaaaaaa', false],
    ['ps-aaaaaaaaaaaaaaaa', false],
  ])('%s: %s', (arn, ours) => {
    expect(isPermissionSetOfInstance(arn, instance)).toBe(ours);
  });
});
