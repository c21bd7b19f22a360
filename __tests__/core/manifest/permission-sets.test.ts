// A manifest's `aws.permission-sets`: each entry read at its lines and each value checked before
// any request, with every problem at the line a user fixes; the inline policy named (a file beside
// the manifest, or the JSON itself), its text checked once the step has read it.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseManifest } from '../../../src/core/manifest/parse.js';
import {
  desiredContents,
  inlinePolicyFiles,
  inlinePolicyRefs,
} from '../../../src/core/permission-sets/definition.js';
import type { ManifestProblem } from '../../../src/core/manifest/nodes.js';

const head = ['version: 1', 'aws:', '  manages:', '    permission-sets: [ReadOnly]', '  permission-sets:'];

function parse(lines: string[], path = 'access/access.yml') {
  return parseManifest(path, [...head, ...lines].join('\n'));
}

function sets(lines: string[], path?: string) {
  const parsed = parse(lines, path);
  if ('problems' in parsed) throw new Error(JSON.stringify(parsed.problems));
  return parsed.manifest.aws!.permissionSets!;
}

function problems(lines: string[]): ManifestProblem[] {
  const parsed = parse(lines);
  if (!('problems' in parsed)) throw new Error('expected problems');
  return parsed.problems;
}

describe('a defined permission set is read with its values normalised', () => {
  it('takes every key: AWS-managed policies by name become ARNs (a path written out), customer-managed by name and path, tags, adopt', () => {
    const { definitions, warnings } = sets([
      '    - name: ReadOnly',
      '      description: Read-only for engineers',
      '      session-duration: PT4H',
      '      relay-state: https://console.aws.amazon.com/',
      '      aws-managed-policies: [ReadOnlyAccess, job-function/ViewOnlyAccess, arn:aws:iam::aws:policy/SecurityAudit]',
      '      customer-managed-policies: [{name: deny-secrets, path: /guard/}, audit]',
      '      inline-policy: policies/readonly.json',
      '      permissions-boundary: {customer-managed: {name: boundary}}',
      '      tags: {team: platform, note: ""}',
      '      adopt: true',
    ]);
    expect(warnings).toEqual([]);
    expect(definitions).toEqual([
      {
        path: 'aws.permission-sets[0]',
        line: 6,
        name: 'ReadOnly',
        description: 'Read-only for engineers',
        sessionMinutes: 240,
        relayState: 'https://console.aws.amazon.com/',
        awsManagedPolicies: [
          'arn:aws:iam::aws:policy/ReadOnlyAccess',
          'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess',
          'arn:aws:iam::aws:policy/SecurityAudit',
        ],
        customerManagedPolicies: [
          { name: 'deny-secrets', path: '/guard/' },
          { name: 'audit', path: '/' },
        ],
        inlinePolicy: {
          source: { kind: 'file', written: 'policies/readonly.json', path: 'access/policies/readonly.json' },
          line: 12,
        },
        permissionsBoundary: { kind: 'customer-managed', policy: { name: 'boundary', path: '/' } },
        tags: { team: 'platform', note: '' },
        adopt: true,
        // Each AWS-managed policy's line, for the error IAM's check makes of one it does not have.
        awsManagedLines: {
          'arn:aws:iam::aws:policy/ReadOnlyAccess': 10,
          'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess': 10,
          'arn:aws:iam::aws:policy/SecurityAudit': 10,
        },
      },
    ]);
  });

  it('leaves out what is not written: a session of one hour, no policies, no tags, no adoption', () => {
    const [only] = sets(['    - name: Billing']).definitions;
    expect(only).toMatchObject({
      name: 'Billing',
      description: undefined,
      sessionMinutes: 60,
      awsManagedPolicies: [],
      customerManagedPolicies: [],
      inlinePolicy: undefined,
      permissionsBoundary: undefined,
      tags: {},
      adopt: false,
    });
  });

  it('takes the inline policy written as JSON text, or as YAML’s mapping of it', () => {
    const { definitions } = sets([
      '    - name: A',
      `      inline-policy: '{"Version": "2012-10-17", "Statement": []}'`,
      '    - name: B',
      '      inline-policy: {"Version": "2012-10-17", "Statement": []}',
    ]);
    expect(definitions.map((d) => d.inlinePolicy?.source)).toEqual([
      { kind: 'json', text: '{"Version": "2012-10-17", "Statement": []}' },
      { kind: 'json', text: '{"Version":"2012-10-17","Statement":[]}' },
    ]);
  });

  it('warns, at the entry, above IAM’s default of 10 policies per role', () => {
    const policies = Array.from({ length: 11 }, (_, i) => `P${i}`).join(', ');
    const { warnings } = sets(['    - name: Wide', `      aws-managed-policies: [${policies}]`]);
    expect(warnings).toEqual([
      {
        line: 6,
        message: expect.stringContaining(
          'attaches 11 managed and customer-managed policies; IAM allows 10 per role by default',
        ),
      },
    ]);
  });
});

describe('a defined permission set’s problems, each at its line, before any request', () => {
  it('names a bad name, a session outside PT1H–PT12H, a customer-managed ARN among AWS-managed policies, and a path out of the repository', () => {
    expect(
      problems([
        '    - name: Read Only',
        '      session-duration: PT13H',
        '    - name: Ok',
        '      session-duration: 4 hours',
        '      aws-managed-policies: [arn:aws:iam::111111111111:policy/deny]',
        '      inline-policy: ../../etc/passwd',
      ]),
    ).toEqual([
      {
        line: 6,
        message: expect.stringContaining(
          '`aws.permission-sets[0].name`: `Read Only` is not a permission set name',
        ),
        fix: expect.any(String),
      },
      {
        line: 7,
        message: expect.stringContaining('`PT13H` is outside 1 to 12 hours'),
        fix: expect.any(String),
      },
      {
        line: 9,
        message: expect.stringContaining('`4 hours` is not a session duration'),
        fix: expect.any(String),
      },
      {
        line: 10,
        message: expect.stringContaining('is a customer-managed policy of one account'),
        fix: expect.any(String),
      },
      {
        line: 11,
        message: expect.stringContaining('`../../etc/passwd` is not a file beside the manifest'),
        fix: expect.any(String),
      },
    ]);
  });

  it('refuses more than 20 managed and customer-managed policies together', () => {
    const aws = Array.from({ length: 15 }, (_, i) => `P${i}`).join(', ');
    const customer = Array.from({ length: 6 }, (_, i) => `c${i}`).join(', ');
    const [problem] = problems([
      '    - name: Wide',
      `      aws-managed-policies: [${aws}]`,
      `      customer-managed-policies: [${customer}]`,
    ]);
    expect(problem).toMatchObject({
      line: 6,
      message: expect.stringContaining(
        'attaches 21 managed and customer-managed policies; a permission set takes at most 20',
      ),
    });
  });

  it('refuses the same name twice (ignoring case), an unknown key, the step’s own tag, and a boundary naming both kinds', () => {
    const found = problems([
      '    - name: ReadOnly',
      '    - name: readonly',
      '    - name: Other',
      '      sesion-duration: PT2H',
      '      tags: {cloud-access:manifest: mine}',
      '    - name: Bounded',
      '      permissions-boundary: {aws-managed: PowerUserAccess, customer-managed: {name: b}}',
    ]);
    expect(found.map((p) => [p.line, p.message])).toEqual([
      [7, expect.stringContaining('defines `readonly` again (first at line 6)')],
      [9, expect.stringContaining('has the unknown key `sesion-duration`')],
      [10, expect.stringContaining('the tag `cloud-access:manifest` is the step')],
      [12, expect.stringContaining('must name one policy: `aws-managed` or `customer-managed`')],
    ]);
  });

  it('keeps a manifest without `permission-sets` as it was (no definitions section)', () => {
    const parsed = parseManifest('access.yml', head.slice(0, 4).join('\n'));
    if ('problems' in parsed) throw new Error('unexpected problems');
    expect(parsed.manifest.aws!.permissionSets).toBeUndefined();
  });
});

describe('the example manifest that defines permission sets', () => {
  const ROOT = join(import.meta.dirname, '..', '..', '..');
  const path = 'examples/access/permission-sets.yml';

  it('parses with no problem and defines two sets, one with an inline policy from the file beside it', () => {
    const parsed = parseManifest(path, readFileSync(join(ROOT, path), 'utf8'));
    if ('problems' in parsed) throw new Error(JSON.stringify(parsed.problems));
    const { definitions, warnings } = parsed.manifest.aws!.permissionSets!;
    expect(warnings).toEqual([]);
    expect(definitions.map((d) => d.name)).toEqual(['ReadOnly', 'Deployer']);
    const files = inlinePolicyFiles(inlinePolicyRefs(definitions));
    expect(files).toEqual(['examples/access/policies/deployer.json']);
    const { contents, problems } = desiredContents(
      definitions,
      new Map(files.map((f) => [f, { text: readFileSync(join(ROOT, f), 'utf8') }])),
      `octo-org/octo-repo:${path}`,
    );
    expect(problems).toEqual([]);
    expect(JSON.parse(contents.get('Deployer')!.inlinePolicy!)).toMatchObject({ Version: '2012-10-17' });
    expect(parsed.manifest.aws!.manages.permissionSets.map((p) => p.written)).toEqual([
      'ReadOnly',
      'Deployer',
    ]);
  });
});
