// A defined permission set against what was read: the fields that differ, whose the set is by its
// tag, the changes planned (create, update, provision, delete) and the plan's words for them, with
// whom each reaches; and no text from the service reaching the runner as a command.
import { describe, expect, it } from '@jest/globals';
import type { PermissionSetContent } from '../../../src/core/permission-sets/definition.js';
import { contentChanges } from '../../../src/core/permission-sets/diff.js';
import { normalisedPolicy } from '../../../src/core/permission-sets/inline-policy.js';
import { ownershipOf, setsToDelete, type TaggedSet } from '../../../src/core/permission-sets/ownership.js';
import {
  deleteRefusal,
  planDefinedSet,
  type BlastRadius,
  type ReadSet,
} from '../../../src/core/permission-sets/plan.js';
import { planWords } from '../../../src/core/permission-sets/plan-words.js';

const OWN = 'octo-org/infra:access.yml';
const TAG = 'cloud-access:manifest';
const ARN = 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-0123456789abcdef';
const READ_ONLY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
const VIEW_ONLY = 'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess';

const policy = (actions: string[]) =>
  normalisedPolicy({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }],
  });

const desired: PermissionSetContent = {
  name: 'ReadOnly',
  description: 'Read-only for engineers',
  sessionMinutes: 240,
  relayState: undefined,
  awsManagedPolicies: [READ_ONLY, VIEW_ONLY],
  customerManagedPolicies: [{ name: 'deny-secrets', path: '/' }],
  inlinePolicy: policy(['s3:Get*', 's3:List*']),
  permissionsBoundary: { kind: 'aws-managed', arn: 'arn:aws:iam::aws:policy/PowerUserAccess' },
  tags: { team: 'platform', [TAG]: OWN },
};

const blast: BlastRadius = {
  accounts: ['111111111111', '222222222222'],
  principals: [
    { type: 'GROUP', shown: 'Deployers' },
    { type: 'USER', shown: 'alice@example.com' },
  ],
};

const read = (content: Partial<PermissionSetContent>, outdated: string[] = []): ReadSet => ({
  arn: ARN,
  content: { ...desired, ...content },
  blast,
  outdated,
});

describe('the content diff', () => {
  it('is empty when the set is as the manifest says', () => {
    expect(contentChanges(desired, desired)).toEqual([]);
  });

  it('names each field that differs: the session, policies attached and detached, the inline policy as lines, the boundary, tags set and removed', () => {
    const changes = contentChanges(desired, {
      ...desired,
      sessionMinutes: 60,
      awsManagedPolicies: [READ_ONLY, 'arn:aws:iam::aws:policy/AdministratorAccess'],
      customerManagedPolicies: [{ name: 'deny-secrets', path: '/old/' }],
      inlinePolicy: policy(['s3:Get*']),
      permissionsBoundary: undefined,
      tags: { team: 'data', [TAG]: OWN, added: 'by hand', 'aws:cloudformation:stack-name': 'x' },
    });
    expect(changes).toEqual([
      { field: 'session-duration', before: 'PT1H', after: 'PT4H' },
      {
        field: 'inline-policy',
        before: policy(['s3:Get*']),
        after: policy(['s3:Get*', 's3:List*']),
        lines: expect.arrayContaining([
          '-         "s3:Get*"',
          '+         "s3:Get*",',
          '+         "s3:List*"',
        ]),
      },
      {
        field: 'aws-managed-policies',
        attach: [VIEW_ONLY],
        detach: ['arn:aws:iam::aws:policy/AdministratorAccess'],
      },
      {
        field: 'customer-managed-policies',
        attach: [{ name: 'deny-secrets', path: '/' }],
        detach: [{ name: 'deny-secrets', path: '/old/' }],
      },
      { field: 'permissions-boundary', before: undefined, after: desired.permissionsBoundary },
      // AWS's own tags are never touched.
      { field: 'tags', set: { team: 'platform' }, remove: ['added'] },
    ]);
  });

  it('leaves a description or relay state the manifest does not write as it is', () => {
    expect(
      contentChanges({ ...desired, description: undefined }, { ...desired, relayState: 'https://x/' }),
    ).toEqual([]);
  });
});

describe('whose a set is, by its tag', () => {
  it('no set of the name: create; this manifest’s tag: own', () => {
    expect(ownershipOf('ReadOnly', undefined, OWN, false)).toEqual({ decision: 'create' });
    expect(ownershipOf('ReadOnly', { [TAG]: OWN }, OWN, false)).toEqual({ decision: 'own' });
  });

  it('untagged or another manifest’s is refused, naming what was found, unless adopt: true', () => {
    expect(ownershipOf('ReadOnly', {}, OWN, false)).toMatchObject({
      decision: 'refuse',
      message:
        'the permission set `ReadOnly` exists with no `cloud-access:manifest` tag: this manifest did not create it',
    });
    expect(ownershipOf('ReadOnly', { [TAG]: 'octo-org/other:access.yml' }, OWN, false)).toMatchObject({
      decision: 'refuse',
      message: expect.stringContaining(
        'the `cloud-access:manifest` tag of another manifest, `octo-org/other:access.yml`',
      ),
      fix: expect.stringContaining('adopt: true'),
    });
    expect(ownershipOf('ReadOnly', {}, OWN, true)).toEqual({
      decision: 'adopt',
      found: { kind: 'untagged' },
    });
  });

  it('a set carrying this manifest’s tag that it no longer defines is to be deleted; others never', () => {
    const sets: TaggedSet[] = [
      { name: 'ReadOnly', arn: 'a', tags: { [TAG]: OWN } },
      { name: 'Gone', arn: 'b', tags: { [TAG]: OWN } },
      { name: 'Theirs', arn: 'c', tags: { [TAG]: 'octo-org/other:access.yml' } },
      { name: 'ByHand', arn: 'd', tags: {} },
    ];
    expect(setsToDelete(sets, ['ReadOnly'], OWN).map((s) => s.name)).toEqual(['Gone']);
  });
});

describe('the changes planned for a defined set', () => {
  it('a missing set is created (not provisioned: its assignments provision it)', () => {
    expect(planDefinedSet(desired, undefined, { decision: 'create' })).toEqual([
      { change: 'create', name: 'ReadOnly', content: desired },
    ]);
  });

  it('a set as the manifest says and current everywhere plans nothing', () => {
    expect(planDefinedSet(desired, read({}), { decision: 'own' })).toEqual([]);
  });

  it('an update is followed by a provision of every account the set is provisioned to', () => {
    const plans = planDefinedSet(desired, read({ sessionMinutes: 60 }), { decision: 'own' });
    expect(plans.map((p) => p.change)).toEqual(['update', 'provision']);
    expect(plans[1]).toMatchObject({ accounts: ['111111111111', '222222222222'] });
  });

  it('without an update, accounts not on the latest version are drift: provisioned', () => {
    expect(planDefinedSet(desired, read({}, ['222222222222']), { decision: 'own' })).toEqual([
      { change: 'provision', name: 'ReadOnly', arn: ARN, accounts: ['222222222222'], blast },
    ]);
  });

  it('an adopted set is updated even when its content matches (the tag is added)', () => {
    const plans = planDefinedSet(desired, read({}), { decision: 'adopt', found: { kind: 'untagged' } });
    expect(plans[0]).toMatchObject({ change: 'update', adopted: { kind: 'untagged' } });
  });

  it('a refused set plans nothing', () => {
    expect(
      planDefinedSet(desired, read({}), {
        decision: 'refuse',
        found: { kind: 'untagged' },
        message: '',
        fix: '',
      }),
    ).toEqual([]);
  });

  it('a delete that would leave assignments is refused, naming them', () => {
    expect(deleteRefusal('Gone', [])).toBeUndefined();
    expect(
      deleteRefusal('Gone', [{ principal: 'group Deployers', accountId: '111111111111' }]),
    ).toMatchObject({
      message: expect.stringContaining('1 assignment(s) of it remain: group Deployers in 111111111111'),
    });
  });
});

describe('the plan’s words', () => {
  it('an update names each field, the inline policy as a line diff, and whom it reaches', () => {
    const [update] = planDefinedSet(desired, read({ sessionMinutes: 60, awsManagedPolicies: [READ_ONLY] }), {
      decision: 'own',
    });
    expect(planWords(update!)).toEqual([
      `~ update permission set ReadOnly (${ARN})`,
      '    session-duration: PT1H → PT4H',
      `    aws-managed-policies: + attach ${VIEW_ONLY}`,
      '    reaches 2 account(s) (111111111111, 222222222222) and 2 principal(s) (group Deployers, alice@example.com)',
    ]);
  });

  it('a create lists its content; a delete and a provision say whom they reach', () => {
    const [create] = planDefinedSet({ ...desired, inlinePolicy: undefined }, undefined, {
      decision: 'create',
    });
    expect(planWords(create!)).toEqual([
      '+ create permission set ReadOnly',
      '    description: "Read-only for engineers"',
      '    session-duration: PT4H',
      `    aws-managed-policies: + attach ${READ_ONLY}`,
      `    aws-managed-policies: + attach ${VIEW_ONLY}`,
      '    customer-managed-policies: + attach /deny-secrets',
      '    permissions-boundary: arn:aws:iam::aws:policy/PowerUserAccess',
      '    tags: + team=platform',
      `    tags: + cloud-access:manifest=${OWN}`,
    ]);
    expect(
      planWords({ change: 'delete', name: 'Gone', arn: ARN, blast: { accounts: [], principals: [] } }),
    ).toEqual([
      `- delete permission set Gone (${ARN})`,
      '    provisioned to 0 account(s) and 0 principal(s)',
    ]);
    expect(
      planWords({ change: 'provision', name: 'ReadOnly', arn: ARN, accounts: ['222222222222'], blast })[0],
    ).toBe('~ provision permission set ReadOnly to 1 account(s) not on its latest version: 222222222222');
  });

  it('names a principal assigned the set in several accounts once, in the reach of an update', () => {
    const twice: BlastRadius = {
      accounts: ['111111111111', '222222222222'],
      principals: [
        { type: 'GROUP', shown: 'Deployers' },
        { type: 'GROUP', shown: 'Deployers' },
        { type: 'USER', shown: 'Deployers' },
      ],
    };
    const [update] = planDefinedSet(
      desired,
      { ...read({ sessionMinutes: 60 }), blast: twice },
      {
        decision: 'own',
      },
    );
    expect(planWords(update!).at(-1)).toBe(
      '    reaches 2 account(s) (111111111111, 222222222222) and 2 principal(s) (group Deployers, Deployers)',
    );
  });

  it('an adoption says what was found', () => {
    const [update] = planDefinedSet(
      desired,
      read({ tags: { team: 'platform', [TAG]: 'octo-org/other:a.yml' } }),
      {
        decision: 'adopt',
        found: { kind: 'foreign', manifest: 'octo-org/other:a.yml' },
      },
    );
    expect(planWords(update!)).toContain(
      '    adopt: found with the `cloud-access:manifest` tag of another manifest, `octo-org/other:a.yml`; the tag is added',
    );
  });

  it('no line of a policy or a name read from the service can be a workflow command', () => {
    const hostile = normalisedPolicy({ Version: '2012-10-17', Statement: [], Sid: '##[add-mask]x' });
    const [update] = planDefinedSet(desired, read({ inlinePolicy: hostile }), { decision: 'own' });
    const lines = planWords(update!);
    expect(lines.some((l) => l.includes('add-mask'))).toBe(true);
    expect(lines.every((l) => !l.includes('##[') && !/^\s*::/.test(l))).toBe(true);
    const named = planWords({
      change: 'delete',
      name: 'x',
      arn: ARN,
      blast: { accounts: [], principals: [{ type: 'USER', shown: '::stop-commands::t' }] },
    });
    expect(named.every((l) => !/^\s*::/.test(l))).toBe(true);
  });
});
