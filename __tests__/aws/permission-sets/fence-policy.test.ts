// A session fence's two writes over the emulated IAM Identity Center, through the real SDK: the
// inline policy rewritten by read–modify–write (every other statement kept, a concurrent writer's
// put found by the read-back and written again, at most 3 times), and the set provisioned to one
// account only.
import { describe, expect, it } from '@jest/globals';
import {
  fenceProvisionedAs,
  provisionToAccount,
  provisionWhereListed,
  readInlinePolicy,
  rewriteInlinePolicy,
} from '../../../src/aws/permission-sets/fence-policy.js';
import type { SsoCalls } from '../../../src/aws/sdk/sso-calls.js';
import { PutInlinePolicyToPermissionSetCommand } from '@aws-sdk/client-sso-admin';
import { fenceFor } from '../../../src/core/permission-sets/session-fence.js';
import {
  fencedPolicy,
  withFence,
  type FencedPolicy,
} from '../../../src/core/permission-sets/fenced-policy.js';
import { Deadline } from '../../../src/engine/limits/deadline.js';
import { ACCOUNT, ALICE, READ_ONLY, emulatedSso } from '../../harness/emulated-sso.js';
import { POLICY, preparedSession } from './fixture.js';

const sso = emulatedSso();
const OTHER =
  '{"Version":"2012-10-17","Statement":[{"Sid":"Theirs","Effect":"Deny","Action":"ec2:*","Resource":"*"}]}';
const fence = fenceFor(READ_ONLY, ACCOUNT, Date.parse('2026-11-27T14:05:01.200Z'), 3600, [ALICE]);
const addFence = (read: FencedPolicy) => {
  const added = withFence(read, fence);
  if (!('text' in added)) return { refused: 'too large' };
  return {
    policy: { ...read, fences: [...read.fences.filter((f) => f.account !== ACCOUNT), added.written] },
    text: added.text,
    outcome: added.written,
  };
};
const put = (calls: SsoCalls, text: string) =>
  calls.send(
    'PutInlinePolicyToPermissionSet',
    new PutInlinePolicyToPermissionSetCommand({
      InstanceArn: calls.instance,
      PermissionSetArn: READ_ONLY,
      InlinePolicy: text,
    }),
  );

describe('rewriting a permission set’s inline policy by read–modify–write', () => {
  it('adds the fence after every statement it read, which it keeps as they were, with no call between the read and the put', async () => {
    const s = await preparedSession(sso);
    await put(s, POLICY);
    const ended = await rewriteInlinePolicy(s, READ_ONLY, addFence);
    expect(ended).toMatchObject({ written: fence, attempts: 1 });
    const back = fencedPolicy(await readInlinePolicy(s, READ_ONLY), READ_ONLY);
    expect(back).toEqual({ version: '2012-10-17', others: JSON.parse(POLICY).Statement, fences: [fence] });
    const calls = sso.calls().filter((c) => c.includes('InlinePolicy'));
    expect(calls.slice(1, 4)).toEqual([
      'SWBExternalService.GetInlinePolicyForPermissionSet',
      'SWBExternalService.PutInlinePolicyToPermissionSet',
      'SWBExternalService.GetInlinePolicyForPermissionSet',
    ]);
  });

  it('finds a concurrent writer’s put by its read-back and writes again from a fresh read, keeping the other writer’s statement', async () => {
    const s = await preparedSession(sso);
    let raced = false;
    const racing: SsoCalls = Object.assign(Object.create(s) as SsoCalls, {
      send: async (operation: string, command: never) => {
        const answer = await s.send(operation, command);
        if (operation === 'PutInlinePolicyToPermissionSet' && !raced) {
          raced = true;
          await put(s, OTHER);
        }
        return answer;
      },
    });
    const ended = await rewriteInlinePolicy(racing, READ_ONLY, addFence);
    expect(ended).toMatchObject({ attempts: 2 });
    const back = fencedPolicy(await readInlinePolicy(s, READ_ONLY), READ_ONLY);
    expect(back).toMatchObject({ others: JSON.parse(OTHER).Statement, fences: [fence] });
  });

  it('fails after 3 attempts when the read-back never holds what it wrote', async () => {
    const s = await preparedSession(sso);
    const racing: SsoCalls = Object.assign(Object.create(s) as SsoCalls, {
      send: async (operation: string, command: never) => {
        const answer = await s.send(operation, command);
        if (operation === 'PutInlinePolicyToPermissionSet') await put(s, OTHER);
        return answer;
      },
    });
    const ended = await rewriteInlinePolicy(racing, READ_ONLY, addFence);
    expect(ended).toEqual({ failed: expect.stringContaining('3 times') });
    expect(sso.count('PutInlinePolicyToPermissionSet')).toBe(6);
  });

  it('never rewrites a policy it cannot parse', async () => {
    const s = await preparedSession(sso);
    await put(
      s,
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}],"Extra":"x"}',
    );
    expect(await rewriteInlinePolicy(s, READ_ONLY, addFence)).toEqual({
      refused: expect.stringContaining('never rewritten'),
    });
    expect(sso.count('PutInlinePolicyToPermissionSet')).toBe(1);
  });

  it('rewrites a policy with an `Id`, keeping it', async () => {
    const s = await preparedSession(sso);
    const mine = { Effect: 'Allow', Action: '*', Resource: '*' };
    await put(s, JSON.stringify({ Version: '2012-10-17', Id: 'x', Statement: [mine] }));
    expect(await rewriteInlinePolicy(s, READ_ONLY, addFence)).toMatchObject({ written: expect.anything() });
    const text = JSON.parse((await readInlinePolicy(s, READ_ONLY))!) as { Id: string; Statement: unknown[] };
    expect(text.Id).toBe('x');
    expect(text.Statement).toHaveLength(2);
  });

  it('deletes the inline policy when no statement is left', async () => {
    const s = await preparedSession(sso);
    await rewriteInlinePolicy(s, READ_ONLY, addFence);
    const ended = await rewriteInlinePolicy(s, READ_ONLY, (read) => ({
      policy: { ...read, fences: [] },
      outcome: 'gone',
    }));
    expect(ended).toMatchObject({ written: 'gone' });
    expect(sso.count('DeleteInlinePolicyFromPermissionSet')).toBe(1);
    expect(await readInlinePolicy(s, READ_ONLY)).toBeUndefined();
  });

  it('fails naming the refusal when the put is denied', async () => {
    const s = await preparedSession(sso);
    sso.failNext(
      'PutInlinePolicyToPermissionSet',
      'AccessDeniedException',
      403,
      'not authorized to PutInlinePolicyToPermissionSet',
    );
    expect(await rewriteInlinePolicy(s, READ_ONLY, addFence)).toEqual({
      failed: expect.stringContaining('not authorized'),
    });
  });
});

describe('provisioning a fenced set to one account', () => {
  it('provisions the set to that account only (TargetType AWS_ACCOUNT), followed to SUCCEEDED', async () => {
    const s = await preparedSession(sso);
    sso.addAssignment(ALICE, READ_ONLY, ACCOUNT);
    sso.provision(READ_ONLY, { [ACCOUNT]: 'outdated', '222222222222': 'outdated' });
    const provisioned = await provisionToAccount(s, { arn: READ_ONLY, name: 'ReadOnlyAccess' }, ACCOUNT, {
      deadline: new Deadline(30),
    });
    expect(provisioned.status).toBe('SUCCEEDED');
    expect(sso.inputsOf('ProvisionPermissionSet')).toEqual([
      expect.objectContaining({ TargetType: 'AWS_ACCOUNT', TargetId: ACCOUNT }),
    ]);
    expect(sso.provisioningStatus(READ_ONLY, ACCOUNT)).toBe('LATEST_PERMISSION_SET_PROVISIONED');
    expect(sso.provisioningStatus(READ_ONLY, '222222222222')).toBe('LATEST_PERMISSION_SET_NOT_PROVISIONED');
  });

  it('sends nothing to an account Identity Center no longer lists (the role went with its last assignment there), where a provisioning would make the role again', async () => {
    const s = await preparedSession(sso);
    sso.provision(READ_ONLY, { '222222222222': 'outdated' });
    const provisioned = await provisionWhereListed(s, { arn: READ_ONLY, name: 'ReadOnlyAccess' }, ACCOUNT, {
      deadline: new Deadline(30),
    });
    expect(provisioned).toEqual({ status: 'NOT_PROVISIONED' });
    expect(sso.count('ProvisionPermissionSet')).toBe(0);
    expect(sso.provisioningStatus(READ_ONLY, ACCOUNT)).toBeUndefined();
  });

  it('a provisioning refused as the account holds nothing of the set, which Identity Center no longer lists when asked after: the role went with it', async () => {
    const s = await preparedSession(sso);
    sso.failNext(
      'ProvisionPermissionSet',
      'ResourceNotFoundException',
      404,
      `nothing assigned in ${ACCOUNT}`,
    );
    const provisioned = await provisionToAccount(s, { arn: READ_ONLY, name: 'ReadOnlyAccess' }, ACCOUNT, {
      deadline: new Deadline(30),
    });
    expect(provisioned).toEqual({ status: 'ROLE_REMOVED', reason: expect.stringContaining(ACCOUNT) });
    expect(sso.calls().at(-1)).toBe('SWBExternalService.ListAccountsForProvisionedPermissionSet');
  });

  it('a provisioning denied to an account no longer listed is a failure, not a removed role', async () => {
    const s = await preparedSession(sso);
    sso.failNext(
      'ProvisionPermissionSet',
      'AccessDeniedException',
      403,
      'not authorized to ProvisionPermissionSet',
    );
    const provisioned = await provisionToAccount(s, { arn: READ_ONLY, name: 'ReadOnlyAccess' }, ACCOUNT, {
      deadline: new Deadline(30),
    });
    expect(provisioned).toEqual({ status: 'FAILED', reason: expect.stringContaining('not authorized') });
  });
});

describe('what a fence’s provisioning to one account came to', () => {
  const refused = { status: 'FAILED', reason: 'not provisioned there', refused: true } as const;

  it('provisioned: the fence is in force', () => {
    expect(fenceProvisionedAs({ status: 'SUCCEEDED', requestId: 'r-1', refused: false }, undefined)).toEqual({
      status: 'SUCCEEDED',
      requestId: 'r-1',
    });
  });

  it('refused, and Identity Center no longer lists the account: the role went with its last assignment', () => {
    expect(fenceProvisionedAs(refused, false)).toEqual({
      status: 'ROLE_REMOVED',
      reason: 'not provisioned there',
    });
  });

  it('refused while the account is still listed, or its listing unread: a failure', () => {
    expect(fenceProvisionedAs(refused, true)).toEqual({ status: 'FAILED', reason: 'not provisioned there' });
    expect(fenceProvisionedAs(refused, undefined)).toEqual({
      status: 'FAILED',
      reason: 'not provisioned there',
    });
  });

  it('any other failure (a denial, a lost answer, the deadline) is a failure, listed or not', () => {
    const denied = { status: 'FAILED', reason: 'denied', refused: false } as const;
    expect(fenceProvisionedAs(denied, false)).toEqual({ status: 'FAILED', reason: 'denied' });
    const late = { status: 'IN_PROGRESS', reason: 'deadline', refused: false } as const;
    expect(fenceProvisionedAs(late, false)).toEqual({ status: 'IN_PROGRESS', reason: 'deadline' });
  });
});
