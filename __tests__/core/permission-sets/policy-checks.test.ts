// What a permission-set change allows, as the plan proves it: which part of a change needs which
// Access Analyzer check, the ceiling (`must-not-grant`: the privilege-escalation list by default,
// the manifest's added, `allow-escalation` taken out with its reason) split at 100 actions a call,
// the plan's words for the `policy-checks` output, and the manifest's keys checked at their lines.
import { describe, expect, it } from '@jest/globals';
import { parseManifest } from '../../../src/core/manifest/parse.js';
import {
  ceilingOf,
  ceilingRequests,
  globsMeet,
  PRIVILEGE_ESCALATION_ACTIONS,
} from '../../../src/core/permission-sets/ceiling.js';
import { checkInlinePolicy } from '../../../src/core/permission-sets/inline-policy.js';
import { partsToCheck } from '../../../src/core/permission-sets/policy-checks.js';
import { uncheckedOutcome } from '../../../src/core/permission-sets/analyzer-answers.js';
import { policyChecksOutput } from '../../../src/core/permission-sets/policy-check-words.js';
import type { PermissionSetPlan } from '../../../src/core/permission-sets/plan.js';
import type { PermissionSetContent } from '../../../src/core/permission-sets/definition.js';

const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const content = (over: Partial<PermissionSetContent> = {}): PermissionSetContent => ({
  name: 'Dev',
  description: undefined,
  sessionMinutes: 60,
  relayState: undefined,
  awsManagedPolicies: [],
  customerManagedPolicies: [],
  inlinePolicy: undefined,
  permissionsBoundary: undefined,
  tags: {},
  ...over,
});
const blast = { accounts: ['111111111111'], principals: [] };
const update = (over: Partial<Extract<PermissionSetPlan, { change: 'update' }>>): PermissionSetPlan => ({
  change: 'update',
  name: 'Dev',
  arn: 'arn:aws:sso:::permissionSet/ssoins-1/ps-1',
  changes: [],
  described: { sessionDuration: 'PT1H' },
  adopted: undefined,
  blast,
  ...over,
});
const lines = { line: 10, inlinePolicyLine: 14, awsManagedLines: { [ADMIN]: 12 } };
const doc = (...statements: object[]) =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2);

describe('which parts of a change need which check', () => {
  it('a new set: its inline policy (validate and the ceiling, no deployed one to compare), each AWS-managed policy; references unverified', () => {
    const parts = partsToCheck(
      {
        change: 'create',
        name: 'Dev',
        content: content({
          inlinePolicy: doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }),
          awsManagedPolicies: [ADMIN],
          customerManagedPolicies: [{ name: 'deny-secrets', path: '/' }],
          permissionsBoundary: { kind: 'aws-managed', arn: ADMIN },
        }),
      },
      lines,
    );
    expect(parts.map((p) => ({ part: p.part, line: p.line, kind: 'kind' in p ? p.kind : 'inline' }))).toEqual(
      [
        { part: 'inline-policy', line: 14, kind: 'inline' },
        { part: ADMIN, line: 12, kind: 'aws-managed' },
        { part: 'customer-managed /deny-secrets', line: 10, kind: 'unverified' },
        { part: `permissions-boundary ${ADMIN}`, line: 10, kind: 'unverified' },
      ],
    );
    expect(parts[0]).toMatchObject({ before: undefined });
  });

  it('a changed inline policy is compared with the deployed one; a detached policy and a removed inline policy need nothing', () => {
    const parts = partsToCheck(
      update({
        changes: [
          { field: 'inline-policy', before: 'old', after: 'new', lines: [] },
          { field: 'aws-managed-policies', attach: [], detach: [ADMIN] },
          { field: 'description', before: 'a', after: 'b' },
        ],
      }),
      lines,
    );
    expect(parts).toEqual([{ part: 'inline-policy', line: 14, next: 'new', before: 'old' }]);
    expect(
      partsToCheck(
        update({ changes: [{ field: 'inline-policy', before: 'old', after: undefined, lines: [] }] }),
        lines,
      ),
    ).toEqual([]);
  });

  it('an update that only takes out an expired fence is `fence-expiry`, never a check; a delete or a provisioning checks nothing', () => {
    const fence = { accounts: ['111111111111'] } as never;
    expect(partsToCheck(update({ expiredFences: [fence], upkeep: true }), lines)).toEqual([
      { part: 'session-fences', kind: 'fence-expiry', line: 10 },
    ]);
    expect(partsToCheck({ change: 'delete', name: 'Dev', arn: 'a', blast }, lines)).toEqual([]);
    expect(
      partsToCheck({ change: 'provision', name: 'Dev', arn: 'a', accounts: ['1'], blast }, lines),
    ).toEqual([]);
  });
});

describe('the ceiling', () => {
  it('is the privilege-escalation list by default, in one call; the manifest’s entries add to it', () => {
    const { ceiling } = ceilingOf([], [], []);
    expect(ceiling.flatMap((c) => c.actions)).toEqual(
      expect.arrayContaining([
        'iam:PassRole',
        'iam:CreateAccessKey',
        'sso:*',
        'identitystore:*',
        'organizations:*',
      ]),
    );
    expect(ceilingRequests(ceiling)).toHaveLength(1);
    expect(ceilingRequests(ceiling)[0]!.resources).toEqual([]);
    const more = ceilingOf(
      [{ actions: ['s3:DeleteBucket'], resources: ['*'] }],
      [{ actions: ['kms:Decrypt'], resources: ['arn:aws:kms:*:*:key/prod'] }],
      [],
    );
    const requests = ceilingRequests(more.ceiling);
    expect(requests).toEqual([
      { actions: [...PRIVILEGE_ESCALATION_ACTIONS, 's3:DeleteBucket'], resources: [] },
      { actions: ['kms:Decrypt'], resources: ['arn:aws:kms:*:*:key/prod'] },
    ]);
  });

  it('is split at 100 actions and 100 resources a call', () => {
    const actions = Array.from({ length: 250 }, (_, i) => `s3:Action${i}`);
    const resources = Array.from({ length: 150 }, (_, i) => `arn:aws:s3:::b${i}`);
    const requests = ceilingRequests([{ actions, resources }]);
    expect(requests).toHaveLength(3 * 2);
    expect(Math.max(...requests.map((r) => r.actions.length))).toBe(100);
    expect(Math.max(...requests.map((r) => r.resources.length))).toBe(100);
  });

  it('loses what `allow-escalation` covers, each with its reason', () => {
    const { ceiling, allowed } = ceilingOf(
      [],
      [],
      [{ actions: ['iam:Pass*'], reason: 'deploys Lambda', line: 20 }],
    );
    expect(ceiling.flatMap((c) => c.actions)).not.toContain('iam:PassRole');
    expect(allowed).toEqual([{ action: 'iam:PassRole', reason: 'deploys Lambda' }]);
  });

  it('compares globs both ways, actions without regard to case', () => {
    expect(globsMeet('iam:*', 'iam:PassRole')).toBe(true);
    expect(globsMeet('IAM:passrole', 'iam:PassRole')).toBe(true);
    expect(globsMeet('sso:List*', 'sso:*')).toBe(true);
    expect(globsMeet('s3:*', 'iam:PassRole')).toBe(false);
  });
});

describe('the `policy-checks` output', () => {
  it('the output counts calls and the checks that could not run', () => {
    const out = policyChecksOutput(
      [
        {
          name: 'Dev',
          parts: [
            {
              part: 'inline-policy',
              line: 1,
              checks: [uncheckedOutcome('validate', 'access-analyzer:ValidatePolicy', 'on', 'p')],
            },
          ],
        },
      ],
      3,
    );
    expect(out).toEqual({
      sets: [
        {
          name: 'Dev',
          parts: [
            {
              part: 'inline-policy',
              checks: [
                { check: 'validate', result: 'not checked', reasons: ['access-analyzer:ValidatePolicy'] },
              ],
            },
          ],
        },
      ],
      calls: 3,
      unchecked: 1,
    });
  });

  it('with `off`, the output says so: an empty list is not a plan whose changes passed', () => {
    expect(policyChecksOutput([], 0, 'off')).toEqual({ sets: [], calls: 0, unchecked: 0, off: true });
    expect(policyChecksOutput([], 0, 'on')).toEqual({ sets: [], calls: 0, unchecked: 0 });
  });
});

describe('the manifest’s keys', () => {
  const manifest = (...lines: string[]) =>
    parseManifest(
      'access/access.yml',
      ['version: 1', 'aws:', '  manages:', '    permission-sets: [Dev]', ...lines].join('\n'),
    );

  it('reads `aws.must-not-grant` and a set’s `must-not-grant` (resources `*` by default) and `allow-escalation`', () => {
    const parsed = manifest(
      '  must-not-grant:',
      '    - actions: [s3:DeleteBucket]',
      '  permission-sets:',
      '    - name: Dev',
      '      must-not-grant: [{actions: [kms:Decrypt], resources: ["arn:aws:kms:*:*:key/prod"]}]',
      '      allow-escalation: [{actions: [iam:PassRole, PASS_ROLE_WITH_STAR_IN_RESOURCE], reason: deploys Lambda}]',
    );
    if ('problems' in parsed) throw new Error(JSON.stringify(parsed.problems));
    const section = parsed.manifest.aws!.permissionSets!;
    expect(section.mustNotGrant).toEqual([{ actions: ['s3:DeleteBucket'], resources: ['*'], line: 6 }]);
    expect(section.definitions[0]).toMatchObject({
      mustNotGrant: [{ actions: ['kms:Decrypt'], resources: ['arn:aws:kms:*:*:key/prod'] }],
      allowEscalation: [
        { actions: ['iam:PassRole', 'PASS_ROLE_WITH_STAR_IN_RESOURCE'], reason: 'deploys Lambda' },
      ],
    });
  });

  it('refuses, at their lines, an action that is not one, an allowance without a reason, and a ceiling with no set defined', () => {
    const parsed = manifest(
      '  permission-sets:',
      '    - name: Dev',
      '      must-not-grant: [{actions: ["not an action"]}]',
      '      allow-escalation: [{actions: [iam:PassRole]}]',
    );
    expect('problems' in parsed && parsed.problems.map((p) => [p.line, p.message])).toEqual([
      [7, expect.stringContaining('is not an IAM action')],
      [8, expect.stringContaining('has no `reason`')],
    ]);
    const lone = manifest('  must-not-grant: [{actions: [iam:PassRole]}]');
    expect('problems' in lone && lone.problems[0]!.message).toContain('defines none');
  });

  it('refuses an inline policy whose Sid is not letters and digits (IAM’s rule), naming the statement', () => {
    const checked = checkInlinePolicy(
      doc({ Sid: 'S3 Admin!', Effect: 'Allow', Action: 's3:*', Resource: '*' }),
    );
    expect(checked).toMatchObject({ ok: false, message: expect.stringContaining('statement 0') });
    expect(
      checkInlinePolicy(doc({ Sid: 'S3Admin', Effect: 'Allow', Action: 's3:*', Resource: '*' })).ok,
    ).toBe(true);
  });
});
