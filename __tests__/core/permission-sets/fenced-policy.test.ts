// An inline policy that holds the action's session fences: taken apart (every other statement kept
// as it is, in order), a fence added, IAM's size limit met by merging, and expired fences taken out
// while live ones stay.
import { describe, expect, it } from '@jest/globals';
import {
  fencedPolicy,
  holdsAll,
  mergedFence,
  policyText,
  samePolicy,
  withFence,
  withoutExpired,
  type FencedPolicy,
} from '../../../src/core/permission-sets/fenced-policy.js';
import { fenceFor, fenceStatement } from '../../../src/core/permission-sets/session-fence.js';

const SET = 'arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-1111111111111111';
const ALICE = '906752a1b2-0f5f8b2e-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
const BOB = '0f5f8b2e-1c2d-4e5f-8a9b-0c1d2e3f4a5c';
const REVOKED = Date.parse('2026-11-27T14:05:01.400Z');
const HOUR = 3600;
const readable = (text: string | undefined, set = SET) => fencedPolicy(text, set) as FencedPolicy;

describe('the action’s fences in a policy', () => {
  const fence = fenceFor(SET, '111111111111', REVOKED, HOUR, [ALICE]);

  it('are taken apart from every other statement, which keeps its order and content', () => {
    const mine = { Sid: 'Mine', Effect: 'Allow', Action: 's3:GetObject', Resource: '*' };
    const theirs = { Sid: 'CloudAccessFenceLookalike', Effect: 'Deny', Action: '*', Resource: '*' };
    const text = JSON.stringify({ Version: '2012-10-17', Statement: [mine, fenceStatement(fence), theirs] });
    const policy = readable(text);
    expect(policy.others).toEqual([mine, theirs]);
    expect(policy.fences).toEqual([fence]);
  });

  it('a policy the step cannot read is never rewritten', () => {
    expect(fencedPolicy('{"Version": "2012-10-17", "Statement": [', SET)).toEqual({
      unreadable: 'its inline policy is not JSON',
    });
    expect(fencedPolicy('{"Statement": []}', SET)).toMatchObject({ unreadable: expect.any(String) });
    expect(fencedPolicy('{"Version": "2012-10-17", "Statement": [], "Extra": "x"}', SET)).toMatchObject({
      unreadable: expect.any(String),
    });
    expect(fencedPolicy('{"Version": "2012-10-17", "Statement": [], "Id": 1}', SET)).toMatchObject({
      unreadable: expect.any(String),
    });
  });

  it('keeps a policy’s `Id` (an element IAM takes) as it was, where the fences are written back', () => {
    const mine = { Sid: 'Mine', Effect: 'Allow', Action: 's3:GetObject', Resource: '*' };
    const policy = readable(JSON.stringify({ Version: '2012-10-17', Id: 'Ours', Statement: [mine] }));
    expect(policy.id).toBe('Ours');
    const added = withFence(policy, fence);
    if (!('text' in added)) throw new Error('not added');
    expect(JSON.parse(added.text)).toEqual({
      Version: '2012-10-17',
      Id: 'Ours',
      Statement: [mine, fenceStatement(fence)],
    });
    expect(samePolicy(policy, { ...policy, id: 'Other' })).toBe(false);
  });
});

describe('adding a fence', () => {
  const mine = { Sid: 'Mine', Effect: 'Allow', Action: 's3:GetObject', Resource: '*' };
  const base = readable(JSON.stringify({ Version: '2012-10-17', Statement: mine }));

  it('keeps every other statement first, as it was, and adds the fence after them', () => {
    const fence = fenceFor(SET, '111111111111', REVOKED, HOUR, [ALICE]);
    const added = withFence(base, fence);
    if (!('text' in added)) throw new Error('not added');
    expect(JSON.parse(added.text)).toEqual({
      Version: '2012-10-17',
      Statement: [mine, fenceStatement(fence)],
    });
    expect(holdsAll(readable(added.text), { ...base, fences: [fence] })).toBe(true);
  });

  it('into a set with no inline policy makes one', () => {
    const fence = fenceFor(SET, '111111111111', REVOKED, HOUR);
    const added = withFence(readable(undefined), fence);
    if (!('text' in added)) throw new Error('not added');
    expect(JSON.parse(added.text)).toEqual({ Version: '2012-10-17', Statement: [fenceStatement(fence)] });
  });

  it('takes the place of the fences this step wrote before in that account', () => {
    const first = fenceFor(SET, '111111111111', REVOKED, HOUR, [ALICE]);
    const second = mergedFence([first, fenceFor(SET, '111111111111', REVOKED + 5_000, HOUR, [BOB])]);
    const once = withFence(base, first);
    if (!('text' in once)) throw new Error('not added');
    const twice = withFence(readable(once.text), second, [first]);
    if (!('text' in twice)) throw new Error('not added');
    expect(readable(twice.text).fences).toEqual([second]);
    expect(second.userIds).toEqual([BOB, ALICE].sort());
    expect(second.before).toBe('2026-11-27T14:05:07Z');
  });

  it('past IAM’s 10,240 characters, merges with the set’s other fences of that account', () => {
    const users = (n: number, from: number) =>
      Array.from({ length: n }, (_, i) => `0f5f8b2e-1c2d-4e5f-8a9b-${String(from + i).padStart(12, '0')}`);
    // Fences of 40 users each, one a minute, until one no longer fits beside the others.
    let policy = base;
    let added: ReturnType<typeof withFence> | undefined;
    let i = 0;
    for (; i < 20; i++) {
      added = withFence(policy, fenceFor(SET, '111111111111', REVOKED + i * 60_000, HOUR, users(40, i * 40)));
      if (!('text' in added)) throw new Error('expected a merge, not a refusal');
      if (added.merged.length > 0) break;
      policy = readable(added.text);
    }
    if (!added || !('text' in added)) throw new Error('not added');
    const fences = readable(added.text).fences;
    expect(fences).toHaveLength(1);
    expect(fences[0]!.before).toBe(fenceFor(SET, '111111111111', REVOKED + i * 60_000, HOUR).before);
    expect(fences[0]!.userIds).toHaveLength(40 * (i + 1));
    expect(added.merged).toHaveLength(i);
    expect(readable(added.text).others).toEqual([mine]);
  });

  it('still too large merged, is not written, and says how large', () => {
    const huge = { Sid: 'Big', Effect: 'Allow', Action: 's3:GetObject', Resource: 'x'.repeat(10_180) };
    const added = withFence(
      readable(JSON.stringify({ Version: '2012-10-17', Statement: [huge] })),
      fenceFor(SET, '111111111111', REVOKED, HOUR, [ALICE]),
    );
    expect(added).toEqual({ tooLarge: true, characters: expect.any(Number) });
  });
});

describe('a fence beside other steps’ fences', () => {
  const alice = fenceFor(SET, '111111111111', REVOKED, HOUR, [ALICE]);
  const added = (policy: FencedPolicy, fence = alice) => {
    const result = withFence(policy, fence);
    if (!('text' in result)) throw new Error(JSON.stringify(result));
    return result;
  };

  it('of the same second for other users is written beside theirs, never in its place', () => {
    const bob = fenceFor(SET, '111111111111', REVOKED + 300, HOUR, [BOB]);
    const result = added({ version: '2012-10-17', others: [], fences: [bob] });
    expect(result.policy.fences).toEqual([bob, alice]);
  });

  it('is not written where a fence in force already covers it (as late, the same users or more)', () => {
    const wider = fenceFor(SET, '111111111111', REVOKED + 60_000, HOUR, [ALICE, BOB]);
    const result = added({ version: '2012-10-17', others: [], fences: [wider] });
    expect(result.written).toEqual(wider);
    expect(result.policy.fences).toEqual([wider]);
  });

  it('takes the place of an earlier fence of the same users it covers (space saved)', () => {
    const earlier = fenceFor(SET, '111111111111', REVOKED - 60_000, HOUR, [ALICE]);
    const other = fenceFor(SET, '222222222222', REVOKED - 60_000, HOUR, [ALICE]);
    const result = added({ version: '2012-10-17', others: [], fences: [earlier, other] });
    expect(result.policy.fences).toEqual([other, alice]);
    expect(result.superseded).toEqual([earlier]);
  });

  it('is refused, and nothing changed, where a statement that is not the action’s holds its Sid', () => {
    const lookalike: Record<string, unknown> = { ...fenceStatement(alice), Action: 's3:*' };
    const policy = readable(JSON.stringify({ Version: '2012-10-17', Statement: [lookalike] }));
    expect(policy.others).toEqual([lookalike]);
    expect(withFence(policy, alice)).toEqual({ refused: expect.stringContaining(String(lookalike.Sid)) });
  });

  it('is found in a read-back only in full: a statement of its Sid with other content is not it', () => {
    const bob = fenceFor(SET, '111111111111', REVOKED, HOUR, [BOB]);
    const wrote = { version: '2012-10-17', others: [], fences: [alice] };
    const forged = { ...fenceStatement(bob), Sid: fenceStatement(alice).Sid };
    expect(holdsAll(readable(JSON.stringify({ Version: '2012-10-17', Statement: [forged] })), wrote)).toBe(
      false,
    );
    expect(holdsAll(wrote, wrote)).toBe(true);
  });
});

describe('expired fences', () => {
  const live = fenceFor(SET, '111111111111', REVOKED, HOUR, [ALICE]);
  const old = fenceFor(SET, '222222222222', REVOKED - 2 * HOUR * 1000, HOUR, [ALICE]);
  const policy = { version: '2012-10-17', others: [], fences: [old, live] };

  it('are taken out once their expiry has passed; live ones stay', () => {
    const { policy: left, expired } = withoutExpired(policy, REVOKED);
    expect(expired).toEqual([old]);
    expect(left.fences).toEqual([live]);
  });

  it('the last one out leaves no inline policy', () => {
    expect(policyText(withoutExpired(policy, Date.parse(live.expiresAt)).policy)).toBeUndefined();
  });
});

describe('a deny statement that merely looks like an expired fence', () => {
  it('is never taken out as expired: another key, another condition, another set’s hash, or a hostile Sid', () => {
    const old = fenceFor(SET, '111111111111', REVOKED - 48 * 3600_000, HOUR);
    const real = fenceStatement(old);
    const condition = real.Condition as Record<string, Record<string, unknown>>;
    const lookalikes = [
      { ...real, Principal: '*' },
      { ...real, Resource: ['*'] },
      { ...real, Condition: { ...condition, Bool: { 'aws:MultiFactorAuthPresent': 'false' } } },
      {
        ...real,
        Condition: { ...condition, StringEquals: { ...condition.StringEquals, 'aws:RequestedRegion': 'x' } },
      },
      fenceStatement(fenceFor(`${SET}0`, '111111111111', REVOKED - 48 * 3600_000, HOUR)),
      { ...real, Sid: `${String(real.Sid)}0` },
      { ...real, Sid: String(real.Sid).replace(/^CloudAccessFence\d{12}/, 'CloudAccessFence999999999999') },
    ];
    const policy = readable(JSON.stringify({ Version: '2012-10-17', Statement: [...lookalikes, real] }));
    expect(policy.others).toEqual(lookalikes);
    const { policy: left, expired } = withoutExpired(policy, REVOKED);
    expect(expired).toEqual([old]);
    expect(left.others).toEqual(lookalikes);
  });
});
