// A permission set's inline policy: where it comes from, what IAM would refuse midway through an
// apply (caught first), its normalised form, and the line diff a plan shows.
import { describe, expect, it } from '@jest/globals';
import {
  desiredContents,
  inlinePolicyFiles,
  inlinePolicyRefs,
  type PermissionSetDefinition,
} from '../../../src/core/permission-sets/definition.js';
import {
  checkInlinePolicy,
  inlinePolicySource,
  lineDiff,
  normalisedPolicy,
  normalisedReadPolicy,
} from '../../../src/core/permission-sets/inline-policy.js';

const POLICY = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}]}';

describe('where an inline policy comes from', () => {
  it('is the JSON itself when it starts with `{`, else a file in the manifest’s folder or below', () => {
    expect(inlinePolicySource(POLICY, 'access/access.yml')).toEqual({
      ok: true,
      value: { kind: 'json', text: POLICY },
    });
    expect(inlinePolicySource('./policies/read.json', 'access/access.yml')).toEqual({
      ok: true,
      value: { kind: 'file', written: './policies/read.json', path: 'access/policies/read.json' },
    });
    expect(inlinePolicySource('read.json', 'access.yml')).toMatchObject({ value: { path: 'read.json' } });
  });

  it.each(['/etc/passwd', '../secrets.json', 'policies/../../x.json', 'C:\\x.json', '\\\\server\\x.json'])(
    '%s is refused: the step never reads a file outside the manifest’s folder',
    (written) => {
      expect(inlinePolicySource(written, 'access/access.yml')).toMatchObject({
        ok: false,
        message: expect.stringContaining('is not a file beside the manifest'),
      });
    },
  );

  it('files are listed once each, for the step to read', () => {
    const def = (name: string, path?: string) =>
      ({
        name,
        inlinePolicy: path ? { source: { kind: 'file', written: path, path }, line: 1 } : undefined,
      }) as PermissionSetDefinition;
    expect(
      inlinePolicyFiles(
        inlinePolicyRefs([def('A', 'p.json'), def('B', 'p.json'), def('C'), def('D', 'q.json')]),
      ),
    ).toEqual(['p.json', 'q.json']);
  });
});

describe('an inline policy’s checks', () => {
  it('normalises a valid policy: keys sorted at every level, arrays kept in order, two-space indent', () => {
    const checked = checkInlinePolicy(
      '{"Statement":[{"Resource":"*","Effect":"Allow","Action":["b","a"]}],"Version":"2012-10-17"}',
    );
    expect(checked).toEqual({
      ok: true,
      value: [
        '{',
        '  "Statement": [',
        '    {',
        '      "Action": [',
        '        "b",',
        '        "a"',
        '      ],',
        '      "Effect": "Allow",',
        '      "Resource": "*"',
        '    }',
        '  ],',
        '  "Version": "2012-10-17"',
        '}',
      ].join('\n'),
    });
    expect(normalisedReadPolicy(POLICY)).toBe(normalisedPolicy(JSON.parse(POLICY)));
  });

  it.each([
    ['not JSON', '{"Version": ', 'is not JSON'],
    ['a list', '[]', 'is not a JSON object'],
    ['no Version', '{"Statement": []}', 'has no `Version` IAM takes'],
    ['another Version', '{"Version": "2020-01-01", "Statement": []}', 'has no `Version` IAM takes'],
    ['no Statement', '{"Version": "2012-10-17"}', 'has no `Statement`'],
    [
      'characters beyond Latin-1',
      '{"Version": "2012-10-17", "Statement": [], "Sid": "✓"}',
      'holds characters',
    ],
    [
      'more than 32,768 characters',
      `{"Version": "2012-10-17", "Statement": []${' '.repeat(32_768)}}`,
      'IAM Identity Center takes at most 32768',
    ],
    [
      'more than 10,240 characters without whitespace',
      `{"Version": "2012-10-17", "Statement": [], "Sid": "${'x'.repeat(10_240)}"}`,
      'characters without whitespace; IAM takes at most 10240',
    ],
  ])('%s is refused', (_what, text, message) => {
    expect(checkInlinePolicy(text)).toMatchObject({ ok: false, message: expect.stringContaining(message) });
  });

  it('whitespace does not count towards the 10,240', () => {
    const spaced = `{"Version": "2012-10-17", "Statement": [], "Sid": "${'x'.repeat(10_000)}"${' \n'.repeat(2_000)}}`;
    expect(checkInlinePolicy(spaced).ok).toBe(true);
  });
});

describe('the desired content’s inline policy', () => {
  const definition: PermissionSetDefinition = {
    path: 'aws.permission-sets[0]',
    line: 4,
    name: 'ReadOnly',
    description: undefined,
    sessionMinutes: 60,
    relayState: undefined,
    awsManagedPolicies: [],
    customerManagedPolicies: [],
    inlinePolicy: { source: { kind: 'file', written: 'read.json', path: 'access/read.json' }, line: 9 },
    permissionsBoundary: undefined,
    tags: { team: 'platform' },
    adopt: false,
  };

  it('is the file’s text, normalised, and the ownership tag is added to the manifest’s tags', () => {
    const { contents, problems } = desiredContents(
      [definition],
      new Map([['access/read.json', { text: POLICY }]]),
      'octo-org/infra:access/access.yml',
    );
    expect(problems).toEqual([]);
    expect(contents.get('ReadOnly')).toMatchObject({
      inlinePolicy: normalisedPolicy(JSON.parse(POLICY)),
      tags: { team: 'platform', 'cloud-access:manifest': 'octo-org/infra:access/access.yml' },
    });
  });

  it('a file that could not be read, or that holds no valid policy, is a problem at the `inline-policy` line naming the file', () => {
    const unread = desiredContents(
      [definition],
      new Map([['access/read.json', { error: 'no such file' }]]),
      'o/r:a',
    );
    expect(unread.problems).toEqual([
      {
        line: 9,
        message:
          '`aws.permission-sets[0].inline-policy`: the file `access/read.json` could not be read: no such file',
        fix: expect.any(String),
      },
    ]);
    const bad = desiredContents(
      [definition],
      new Map([['access/read.json', { text: '{"Statement": []}' }]]),
      'o/r:a',
    );
    expect(bad.problems[0]).toMatchObject({
      line: 9,
      message: expect.stringContaining('the file `access/read.json` has no `Version`'),
    });
    expect(bad.contents.size).toBe(0);
  });
});

describe('the line diff of two normalised policies', () => {
  it('keeps the common lines and shows each removed line before its replacement', () => {
    expect(lineDiff('{\n  "a": 1,\n  "b": 2\n}', '{\n  "a": 1,\n  "b": 3\n}')).toEqual([
      '  {',
      '    "a": 1,',
      '-   "b": 2',
      '+   "b": 3',
      '  }',
    ]);
  });

  it('from none is every line added; to none, every line removed', () => {
    expect(lineDiff(undefined, '{\n}')).toEqual(['+ {', '+ }']);
    expect(lineDiff('{\n}', undefined)).toEqual(['- {', '- }']);
  });
});
