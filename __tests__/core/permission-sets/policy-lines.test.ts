// An Access Analyzer finding names its element by a path (`Statement`, 1, `Action`): the line it is
// written on, in the policy's file or the manifest, is where the error points.
import { describe, expect, it } from '@jest/globals';
import {
  inlinePolicyPlace,
  jsonPolicyLines,
  lineOfPath,
} from '../../../src/core/permission-sets/policy-lines.js';
import { parseManifest } from '../../../src/core/manifest/parse.js';

const POLICY = `{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
    {
      "Sid": "Deploy",
      "Effect": "Allow",
      "Action": ["iam:PassRole"],
      "Resource": "*"
    }
  ]
}`;
const at = (...path: (string | number)[]) =>
  path.map((p) => (typeof p === 'number' ? { index: p } : { value: p }));

describe('a finding points at the line of the element it names', () => {
  it('finds each statement, and each member inside one, at its line', () => {
    const lines = jsonPolicyLines(POLICY);
    expect(lineOfPath(lines, at('Statement', 0))).toBe(4);
    expect(lineOfPath(lines, at('Statement', 1))).toBe(5);
    expect(lineOfPath(lines, at('Statement', 1, 'Action'))).toBe(8);
    expect(lineOfPath(lines, at('Statement', 1, 'Resource'))).toBe(9);
    expect(lineOfPath(lines, at('Version'))).toBe(2);
  });

  it('falls back to the deepest element it finds, and to none for a path it cannot follow', () => {
    const lines = jsonPolicyLines(POLICY);
    expect(lineOfPath(lines, at('Statement', 1, 'Condition'))).toBe(5);
    expect(lineOfPath(lines, at('Statement', 7))).toBe(3);
    expect(lineOfPath(lines, at('Nothing'))).toBeUndefined();
    expect(lineOfPath(lines, [])).toBeUndefined();
  });

  it('counts from the line the text starts on, and reads a string’s escapes and brackets as text', () => {
    const lines = jsonPolicyLines(
      '{"Statement": [\n{"Sid": "a\\"]}", "Action": "x"},\n{"Action": "y"}]}',
      10,
    );
    expect(lineOfPath(lines, at('Statement', 0, 'Action'))).toBe(11);
    expect(lineOfPath(lines, at('Statement', 1, 'Action'))).toBe(12);
  });

  it('stops on text that is not JSON, keeping what it read', () => {
    expect(jsonPolicyLines('{"Version": "2012-10-17",\n "Statement": [}')).toMatchObject({
      Version: 1,
      Statement: 2,
    });
    expect(jsonPolicyLines('')).toEqual({});
  });

  it('in a policy file, names the file; in the manifest, the lines the manifest gave', () => {
    const files = new Map([['access/policies/dev.json', { text: POLICY }]]);
    const source = { kind: 'file' as const, path: 'access/policies/dev.json' };
    expect(inlinePolicyPlace({ source }, files, at('Statement', 1, 'Resource'))).toEqual({
      line: 9,
      file: 'access/policies/dev.json',
    });
    expect(inlinePolicyPlace({ source }, new Map(), at('Statement', 1))).toBeUndefined();
    const json = { source: { kind: 'json' as const }, lines: { Statement: 7, 'Statement[0]': 8 } };
    expect(inlinePolicyPlace(json, files, at('Statement', 0, 'Action'))).toEqual({ line: 8 });
    expect(inlinePolicyPlace({ source: { kind: 'json' } }, files, at('Statement', 0))).toBeUndefined();
  });
});

describe('a manifest that writes its inline policy over lines of its own gives each element its line', () => {
  const inlineOf = (...policy: string[]) => {
    const parsed = parseManifest(
      'access.yml',
      [
        'version: 1',
        'aws:',
        '  manages: {permission-sets: [Dev]}',
        '  permission-sets:',
        '    - name: Dev',
        ...policy,
      ].join('\n'),
    );
    if ('problems' in parsed) throw new Error(JSON.stringify(parsed.problems));
    return parsed.manifest.aws!.permissionSets!.definitions[0]!.inlinePolicy!;
  };

  it('as YAML: each statement and its keys at their lines', () => {
    const inline = inlineOf(
      '      inline-policy:',
      '        Version: "2012-10-17"',
      '        Statement:',
      '          - {Effect: Allow, Action: s3:GetObject, Resource: "*"}',
      '          - Effect: Allow',
      '            Action: "*"',
    );
    expect(inlinePolicyPlace(inline, new Map(), at('Statement', 1, 'Action'))).toEqual({ line: 11 });
    expect(inlinePolicyPlace(inline, new Map(), at('Statement', 0, 'Action'))).toEqual({ line: 9 });
  });

  it('as JSON in a block literal: the lines after its `|`', () => {
    const inline = inlineOf(
      '      inline-policy: |',
      '        {"Version": "2012-10-17", "Statement": [',
      '          {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},',
      '          {"Effect": "Allow", "Action": "*", "Resource": "*"}]}',
    );
    expect(inlinePolicyPlace(inline, new Map(), at('Statement', 1, 'Action'))).toEqual({ line: 9 });
  });

  it('as JSON on one line: no line but the key’s', () => {
    const inline = inlineOf(`      inline-policy: '{"Version": "2012-10-17", "Statement": []}'`);
    expect(inlinePolicyPlace(inline, new Map(), at('Statement', 0))).toBeUndefined();
  });
});
