// A fence is never lost to another step's fence: two steps (two matrix jobs) that revoke on one
// set and account in the same second each keep theirs, whatever order their reads, puts and
// read-backs land in, and a sibling's put that lands after a step's read-back (during its
// provisioning wait) is caught by the read after that wait and written again. Over the emulated
// IAM Identity Center through the real SDK; the interleavings are forced, not hoped for.
import { describe, expect, it } from '@jest/globals';
import { readInlinePolicy } from '../../../src/aws/permission-sets/fence-policy.js';
import { fenceRecord, removalOf } from '../../../src/aws/permission-sets/fence-record.js';
import { putFences, type FenceWrite } from '../../../src/aws/permission-sets/fence-put.js';
import { putKeepingFences } from '../../../src/aws/permission-sets/kept-fences.js';
import type { SsoSession } from '../../../src/aws/sso/session.js';
import { fencedPolicy, type FencedPolicy } from '../../../src/core/permission-sets/fenced-policy.js';
import { OWNERSHIP_TAG } from '../../../src/core/permission-sets/fields.js';
import {
  fenceFor,
  fenceSid,
  fenceStatement,
  type SessionFence,
} from '../../../src/core/permission-sets/session-fence.js';
import { Deadline } from '../../../src/engine/limits/deadline.js';
import { ACCOUNT, ALICE, BOB, READ_ONLY, emulatedSso } from '../../harness/emulated-sso.js';
import { OWN, POLICY, preparedSession, seedSet } from './fixture.js';

const sso = emulatedSso();
const FACTS = { name: 'ReadOnlyAccess', sessionSeconds: 3600, fenced: true };

/** A promise and the call that settles it. */
function gate(): { opened: Promise<void>; open(): void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** `s`, its calls seen by `around` (which may hold one until a gate opens) before they are sent. */
function held(
  s: SsoSession,
  around: (operation: string, nth: number, send: () => Promise<unknown>) => Promise<unknown>,
): SsoSession {
  const counts = new Map<string, number>();
  return Object.assign(Object.create(s) as SsoSession, {
    send: (operation: string, command: never) => {
      const nth = (counts.get(operation) ?? 0) + 1;
      counts.set(operation, nth);
      return around(operation, nth, () => s.send(operation, command));
    },
  });
}

const write = (userId: string, revokedAt: number): FenceWrite => ({
  setArn: READ_ONLY,
  account: ACCOUNT,
  userId,
  revokedAt,
  preview: false,
});

const fenceOf = (userId: string, revokedAt: number) =>
  fenceFor(READ_ONLY, ACCOUNT, revokedAt, FACTS.sessionSeconds, [userId]);

async function policyNow(s: SsoSession): Promise<FencedPolicy> {
  return fencedPolicy(await readInlinePolicy(s, READ_ONLY), READ_ONLY) as FencedPolicy;
}

async function ownedSet() {
  sso.emulator.aws.config.writeDelayMs = 0;
  seedSet(sso, READ_ONLY, { inlinePolicy: POLICY, tags: { [OWNERSHIP_TAG]: OWN } });
  sso.addAssignment(ALICE, READ_ONLY, ACCOUNT);
  sso.addAssignment(BOB, READ_ONLY, ACCOUNT);
  sso.provision(READ_ONLY, { [ACCOUNT]: 'current' });
  return [
    await preparedSession(sso, { operation: 'revoke' }),
    await preparedSession(sso, { operation: 'revoke' }),
  ];
}

const context = (session: SsoSession) => ({
  session,
  bound: { deadline: new Deadline(30) },
  now: Date.now,
});

/** Two revoke times in the same second (the second just begun, so neither crosses into the next). */
function sameSecond(): [number, number] {
  const second = Math.floor(Date.now() / 1000) * 1000;
  return [second + 100, second + 700];
}

describe('two steps fencing one set and account in the same second', () => {
  it('both keep their fences when the second put lands after the first step’s read-back, and both say so truthfully', async () => {
    const [one, two] = await ownedSet();
    const [aliceAt, bobAt] = sameSecond();
    const alice = fenceOf(ALICE, aliceAt);
    const bob = fenceOf(BOB, bobAt);
    expect(alice.before).toBe(bob.before);
    // Both read before either puts; the second puts only once the first has read its put back.
    const bothRead = [gate(), gate()];
    const firstReadBack = gate();
    const first = held(one!, async (operation, nth, send) => {
      if (operation === 'PutInlinePolicyToPermissionSet' && nth === 1) await bothRead[1]!.opened;
      const answer = await send();
      if (operation === 'GetInlinePolicyForPermissionSet' && nth === 1) bothRead[0]!.open();
      if (operation === 'GetInlinePolicyForPermissionSet' && nth === 2) firstReadBack.open();
      return answer;
    });
    const second = held(two!, async (operation, nth, send) => {
      if (operation === 'PutInlinePolicyToPermissionSet' && nth === 1) {
        await bothRead[0]!.opened;
        await firstReadBack.opened;
      }
      const answer = await send();
      if (operation === 'GetInlinePolicyForPermissionSet' && nth === 1) bothRead[1]!.open();
      return answer;
    });
    const [a, b] = await Promise.all([
      putFences(context(first), [write(ALICE, aliceAt)], FACTS, new Map()),
      putFences(context(second), [write(BOB, bobAt)], FACTS, new Map()),
    ]);
    const policy = await policyNow(one!);
    expect(policy.others).toEqual(JSON.parse(POLICY).Statement);
    expect(policy.fences.map(fenceSid).sort()).toEqual([fenceSid(alice), fenceSid(bob)].sort());
    for (const [put, fence] of [
      [a, alice],
      [b, bob],
    ] as const) {
      const outcome = put.outcomes.get(ACCOUNT)!;
      expect(outcome.amends.fenceError).toBeUndefined();
      expect(outcome.amends.sessionsEnded).toMatchObject({ account: ACCOUNT, before: fence.before });
    }
    // The first step found its fence lost after its provisioning, and wrote and provisioned again.
    expect(sso.count('ProvisionPermissionSet')).toBe(3);
    expect(sso.provisioningStatus(READ_ONLY, ACCOUNT)).toBe('LATEST_PERMISSION_SET_PROVISIONED');
  });

  it('both keep their fences when both read back only after both put', async () => {
    const [one, two] = await ownedSet();
    const [aliceAt, bobAt] = sameSecond();
    const reads = [gate(), gate()];
    const puts = [gate(), gate()];
    const step = (s: SsoSession, me: number) =>
      held(s, async (operation, nth, send) => {
        if (operation === 'PutInlinePolicyToPermissionSet' && nth === 1) await reads[1 - me]!.opened;
        if (operation === 'GetInlinePolicyForPermissionSet' && nth === 2) await puts[1 - me]!.opened;
        const answer = await send();
        if (operation === 'GetInlinePolicyForPermissionSet' && nth === 1) reads[me]!.open();
        if (operation === 'PutInlinePolicyToPermissionSet' && nth === 1) puts[me]!.open();
        return answer;
      });
    const [a, b] = await Promise.all([
      putFences(context(step(one!, 0)), [write(ALICE, aliceAt)], FACTS, new Map()),
      putFences(context(step(two!, 1)), [write(BOB, bobAt)], FACTS, new Map()),
    ]);
    const sids = (await policyNow(one!)).fences.map(fenceSid).sort();
    expect(sids).toEqual([fenceSid(fenceOf(ALICE, aliceAt)), fenceSid(fenceOf(BOB, bobAt))].sort());
    expect([a, b].every((put) => put.outcomes.get(ACCOUNT)!.amends.sessionsEnded !== undefined)).toBe(true);
  });

  it('merges another step’s fence of the same Sid (the same users), never writes a second', async () => {
    const [one] = await ownedSet();
    const [at] = sameSecond();
    const theirs = fenceOf(ALICE, at);
    seedSet(sso, READ_ONLY, {
      inlinePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [...JSON.parse(POLICY).Statement, fenceStatement(theirs)],
      }),
    });
    const put = await putFences(context(one!), [write(ALICE, at)], FACTS, new Map());
    expect(put.outcomes.get(ACCOUNT)!.amends.sessionsEnded).toMatchObject({ before: theirs.before });
    expect((await policyNow(one!)).fences).toEqual([theirs]);
  });
});

describe('a sibling’s late put, after the step’s read-back', () => {
  it('is caught by the read after the provisioning wait: the fence is written and provisioned again, the sibling’s kept', async () => {
    const [one] = await ownedSet();
    const [aliceAt, bobAt] = sameSecond();
    const bob: SessionFence = fenceOf(BOB, bobAt);
    // The sibling read the policy before this step's put, and puts its own fence after the read-back.
    sso.emulator.aws.faults.rivalPolicyPuts.push({
      permissionSetArn: READ_ONLY,
      inlinePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [...JSON.parse(POLICY).Statement, fenceStatement(bob)],
      }),
    });
    const put = await putFences(context(one!), [write(ALICE, aliceAt)], FACTS, new Map());
    expect(sso.emulator.aws.faults.rivalPolicyPuts).toEqual([]);
    const policy = await policyNow(one!);
    expect(policy.others).toEqual(JSON.parse(POLICY).Statement);
    expect(policy.fences.map(fenceSid).sort()).toEqual(
      [fenceSid(fenceOf(ALICE, aliceAt)), fenceSid(bob)].sort(),
    );
    expect(put.outcomes.get(ACCOUNT)!.amends).toMatchObject({ sessionsEnded: { account: ACCOUNT } });
    expect(sso.count('PutInlinePolicyToPermissionSet')).toBe(2);
    expect(sso.count('ProvisionPermissionSet')).toBe(2);
    // The last call provisioned the version that holds both fences.
    expect(sso.provisioningStatus(READ_ONLY, ACCOUNT)).toBe('LATEST_PERMISSION_SET_PROVISIONED');
  });

  it('fails naming the set when every round loses the fence to another late put', async () => {
    const [one] = await ownedSet();
    const [aliceAt] = sameSecond();
    for (let i = 0; i < 3; i++)
      sso.emulator.aws.faults.rivalPolicyPuts.push({ permissionSetArn: READ_ONLY, inlinePolicy: POLICY });
    const put = await putFences(context(one!), [write(ALICE, aliceAt)], FACTS, new Map());
    const { amends } = put.outcomes.get(ACCOUNT)!;
    expect(amends.sessionsEnded).toBeUndefined();
    expect(amends.fenceError).toContain('ReadOnlyAccess');
    expect(amends.fenceError).toContain('3 times');
    expect(sso.count('ProvisionPermissionSet')).toBe(3);
  });
});

describe('a later fence for the same users in the same account', () => {
  it('takes the earlier one out as superseded, naming the fence that covers it, and the record says so', async () => {
    const [one, two] = await ownedSet();
    const earlierAt = Date.now() - 60_000;
    const earlier = await putFences(context(one!), [write(ALICE, earlierAt)], FACTS, new Map());
    expect(earlier.superseded).toEqual([]);
    const later = await putFences(context(two!), [write(ALICE, Date.now())], FACTS, new Map());
    const policy = await policyNow(two!);
    expect(policy.fences).toHaveLength(1);
    expect(later.superseded).toEqual([{ fence: fenceOf(ALICE, earlierAt), by: policy.fences[0] }]);
    const record = fenceRecord({
      ...removalOf(later.superseded[0]!.fence, FACTS.name),
      status: 'SUCCEEDED',
      supersededBy: fenceSid(later.superseded[0]!.by),
    });
    expect(record).toMatchObject({
      change: 'session-fence-removal',
      supersededBy: fenceSid(policy.fences[0]!),
      fence: { sid: fenceSid(fenceOf(ALICE, earlierAt)) },
    });
  });
});

describe('a reconcile’s put of the manifest’s inline policy racing a fence’s put', () => {
  const allow = (action: string) => ({ Effect: 'Allow', Action: action, Resource: '*' });
  const manifest = JSON.stringify({ Version: '2012-10-17', Statement: [allow('ec2:Describe*')] });
  const set = () => ({ InstanceArn: sso.emulator.aws.state.instanceArn, PermissionSetArn: READ_ONLY });

  /**
   * The race both first tests stage, on one session for the fence step and one for the reconcile:
   * the fence step reads the old policy; the reconcile puts `policy`; the fence step puts the old
   * policy with alice's fence; only then may the reconcile read its put back. The fence step's result.
   */
  async function fencePutBetween(
    [one, two]: [Parameters<typeof held>[0], Parameters<typeof held>[0]],
    policy: string,
    aliceAt: Parameters<typeof write>[1],
  ) {
    const fenceRead = gate();
    const reconcilePut = gate();
    const fencePut = gate();
    const fencing = held(one, async (operation, nth, send) => {
      if (operation === 'PutInlinePolicyToPermissionSet' && nth === 1) await reconcilePut.opened;
      const answer = await send();
      if (operation === 'GetInlinePolicyForPermissionSet' && nth === 1) fenceRead.open();
      if (operation === 'PutInlinePolicyToPermissionSet' && nth === 1) fencePut.open();
      return answer;
    });
    const reconciling = held(two, async (operation, nth, send) => {
      if (operation === 'GetInlinePolicyForPermissionSet' && nth === 1) await fenceRead.opened;
      if (operation === 'GetInlinePolicyForPermissionSet' && nth === 2) await fencePut.opened;
      const answer = await send();
      if (operation === 'PutInlinePolicyToPermissionSet' && nth === 1) reconcilePut.open();
      return answer;
    });
    // Without a read-back the reconcile never asks a second time: let the gate open by itself then.
    const reconciled = putKeepingFences(reconciling, set(), policy).then(() => fencePut.opened);
    const [fenced] = await Promise.all([
      putFences(context(fencing), [write(ALICE, aliceAt)], FACTS, new Map()),
      reconciled,
    ]);
    return fenced;
  }

  it('is not lost to a fence put made from a read before it: the reconcile reads back and writes again, the fence kept', async () => {
    const [one, two] = await ownedSet();
    const [aliceAt] = sameSecond();
    const alice = fenceOf(ALICE, aliceAt);
    const fenced = await fencePutBetween([one!, two!], manifest, aliceAt);
    const policy = await policyNow(one!);
    expect(policy.others).toEqual([allow('ec2:Describe*')]);
    expect(policy.fences.map(fenceSid)).toEqual([fenceSid(alice)]);
    expect(fenced.outcomes.get(ACCOUNT)!.amends.fenceError).toBeUndefined();
  });

  it('that only takes a statement out is not undone by a fence put keeping the old one', async () => {
    const [one, two] = await ownedSet();
    const [aliceAt] = sameSecond();
    const kept = allow('s3:Get*');
    const dropped = allow('iam:*');
    const before = JSON.stringify({ Version: '2012-10-17', Statement: [kept, dropped] });
    sso.emulator.aws.state.permissionSets.get(READ_ONLY)!.inlinePolicy = before;
    const narrower = JSON.stringify({ Version: '2012-10-17', Statement: [kept] });
    await fencePutBetween([one!, two!], narrower, aliceAt);
    const policy = await policyNow(one!);
    expect(policy.others).toEqual([kept]);
    expect(policy.fences.map(fenceSid)).toEqual([fenceSid(fenceOf(ALICE, aliceAt))]);
  });

  it('fails, never says written, when every read-back finds another put over it', async () => {
    const [, two] = await ownedSet();
    const racing = held(two!, async (operation, _nth, send) => {
      const answer = await send();
      if (operation === 'PutInlinePolicyToPermissionSet')
        sso.emulator.aws.state.permissionSets.get(READ_ONLY)!.inlinePolicy = POLICY;
      return answer;
    });
    await expect(putKeepingFences(racing, set(), manifest)).rejects.toThrow(/3 times/);
  });
});
