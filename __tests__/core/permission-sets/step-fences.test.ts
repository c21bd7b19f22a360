// A step's fences of one set in one put: one per account while they fit; past what the inline
// policy holds, one fence across the step's accounts (over-fencing rather than failing), which
// takes the place of the earlier fences of the same users it covers; nothing read from the policy
// widens it; and when even that does not fit, nothing more is written than before.
import { describe, expect, it } from '@jest/globals';
import {
  fencedPolicy,
  policyText,
  type FencedPolicy,
} from '../../../src/core/permission-sets/fenced-policy.js';
import { MAX_POLICY_CHARACTERS_WITHOUT_WHITESPACE } from '../../../src/core/permission-sets/inline-policy.js';
import {
  fenceFor,
  fenceStatement,
  type SessionFence,
} from '../../../src/core/permission-sets/session-fence.js';
import { withStepFences, type StepFence } from '../../../src/core/permission-sets/step-fences.js';

const SET = 'arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-1111111111111111';
const ALICE = '906752a1b2-0f5f8b2e-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
const BOB = '0f5f8b2e-1c2d-4e5f-8a9b-0c1d2e3f4a5c';
const REVOKED = Date.parse('2026-11-27T14:05:01.400Z');
const HOUR = 3600;
const STEP_ACCOUNTS = ['111111111111', '222222222222', '333333333333'];

const sizeOf = (policy: FencedPolicy) => (policyText(policy) ?? '').replace(/\s/g, '').length;
const alice = (account: string, at = REVOKED) => fenceFor(SET, account, at, HOUR, [ALICE]);
const asked = (fences: SessionFence[]): StepFence[] => fences.map((fence) => ({ fence, replacing: [] }));
/** One fence of one user, as it counts towards the limit (its comma included). */
const ONE_FENCE = JSON.stringify(fenceStatement(alice('111111111111'))).length + 1;

/**
 * A policy as full as 30 live fences of Bob (each in its own account, none of the step's) and a
 * statement of the set's own make it, leaving `room` characters.
 */
function nearlyFull(room: number): FencedPolicy {
  const fences = Array.from({ length: 30 }, (_, i) =>
    fenceFor(SET, `2000000000${String(i).padStart(2, '0')}`, REVOKED - 60_000, HOUR, [BOB]),
  );
  const own = { Sid: 'Own', Effect: 'Allow', Action: 's3:GetObject', Resource: '' };
  const policy = { version: '2012-10-17', others: [own], fences };
  own.Resource = 'x'.repeat(MAX_POLICY_CHARACTERS_WITHOUT_WHITESPACE - room - sizeOf(policy));
  return fencedPolicy(policyText(policy), SET) as FencedPolicy;
}

function added(policy: FencedPolicy, fences: StepFence[]) {
  const result = withStepFences(policy, fences);
  if ('refused' in result) throw new Error(result.refused);
  return result;
}

describe('a step’s fences of one set', () => {
  it('go in one per account while they fit', () => {
    const result = added(nearlyFull(4 * ONE_FENCE), asked(STEP_ACCOUNTS.map((a) => alice(a))));
    expect(result.merged).toBe(false);
    expect(result.inForce.map((f) => f.fence)).toEqual(STEP_ACCOUNTS.map((a) => alice(a)));
    expect(result.tooLarge.size).toBe(0);
  });

  it('past what the policy holds, go in as one fence listing the step’s accounts and users, every other statement kept', () => {
    const full = nearlyFull(2 * ONE_FENCE);
    const result = added(full, asked(STEP_ACCOUNTS.map((a, i) => alice(a, REVOKED + i * 200))));
    expect(result.merged).toBe(true);
    expect(result.tooLarge.size).toBe(0);
    const [one] = result.inForce;
    expect(result.inForce).toHaveLength(1);
    expect(one!.accounts).toEqual(STEP_ACCOUNTS);
    expect(one!.fence).toMatchObject({ accounts: STEP_ACCOUNTS, userIds: [ALICE] });
    expect(result.policy.others).toEqual(full.others);
    expect(result.policy.fences).toEqual([...full.fences, one!.fence]);
    expect(sizeOf(result.policy)).toBeLessThanOrEqual(MAX_POLICY_CHARACTERS_WITHOUT_WHITESPACE);
  });

  it('as one, take the place of the earlier fences of the same users in those accounts, and of the step’s own earlier ones', () => {
    const earlier = alice('111111111111', REVOKED - 60_000);
    const elsewhere = alice('999999999999', REVOKED - 60_000);
    const full = nearlyFull(2 * ONE_FENCE);
    const policy = { ...full, fences: [...full.fences.slice(2), earlier, elsewhere] };
    const stepsOwn = alice('222222222222', REVOKED - 1000);
    const result = added(policy, [
      { fence: alice('111111111111'), replacing: [] },
      { fence: alice('222222222222'), replacing: [stepsOwn] },
      { fence: alice('333333333333'), replacing: [] },
    ]);
    expect(result.merged).toBe(true);
    const fences = result.policy.fences;
    expect(fences).not.toContainEqual(earlier);
    expect(fences).toContainEqual(elsewhere);
    expect(fences.at(-1)).toMatchObject({ accounts: STEP_ACCOUNTS });
  });

  it('as one, take nothing from the policy read: no other user, no other account', () => {
    const full = nearlyFull(2 * ONE_FENCE);
    // Bob's live fence in one of the step's accounts stays his, beside the step's.
    const bobs = fenceFor(SET, '111111111111', REVOKED - 60_000, HOUR, [BOB]);
    const policy = { ...full, fences: [...full.fences.slice(1), bobs] };
    const result = added(policy, asked(STEP_ACCOUNTS.map((a) => alice(a))));
    expect(result.merged).toBe(true);
    expect(result.inForce[0]!.fence).toMatchObject({ accounts: STEP_ACCOUNTS, userIds: [ALICE] });
    expect(result.policy.fences).toContainEqual(bobs);
  });

  it('when even one does not fit, write what fits one per account and leave the rest out, naming how large', () => {
    const result = added(nearlyFull(ONE_FENCE - 40), asked(STEP_ACCOUNTS.map((a) => alice(a))));
    expect(result.merged).toBe(false);
    expect(result.inForce).toEqual([]);
    expect([...result.tooLarge.keys()]).toEqual(STEP_ACCOUNTS);
    expect(Math.min(...result.tooLarge.values())).toBeGreaterThan(MAX_POLICY_CHARACTERS_WITHOUT_WHITESPACE);
  });

  it('of one account only are never merged with other accounts’ fences', () => {
    const result = added(nearlyFull(ONE_FENCE - 40), asked([alice('111111111111')]));
    expect(result.merged).toBe(false);
    expect([...result.tooLarge.keys()]).toEqual(['111111111111']);
  });
});
