// The session fence a revoke puts into a permission set's inline policy: its exact statement, and
// the action's fences found only by their exact shape.
import { describe, expect, it } from '@jest/globals';
import { mergedFence } from '../../../src/core/permission-sets/fenced-policy.js';
import {
  covers,
  fenceFor,
  fenceOf,
  fenceSid,
  fenceStatement,
} from '../../../src/core/permission-sets/session-fence.js';

const SET = 'arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-1111111111111111';
const OTHER_SET = 'arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-2222222222222222';
const ALICE = '906752a1b2-0f5f8b2e-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
const BOB = '0f5f8b2e-1c2d-4e5f-8a9b-0c1d2e3f4a5c';
const REVOKED = Date.parse('2026-11-27T14:05:01.400Z');
const HOUR = 3600;

describe('a session fence', () => {
  it('denies every action to the user’s sessions in that account issued before the revoke, to the second', () => {
    const fence = fenceFor(SET, '111111111111', REVOKED, HOUR, [ALICE]);
    expect(fence.before).toBe('2026-11-27T14:05:02Z');
    // The session duration plus 15 minutes, rounded up to the minute.
    expect(fence.expiresAt).toBe('2026-11-27T15:21:00Z');
    const statement = fenceStatement(fence);
    expect(statement).toEqual({
      Sid: expect.stringMatching(/^CloudAccessFence202611271521[0-9a-f]{8}$/),
      Effect: 'Deny',
      Action: '*',
      Resource: '*',
      Condition: {
        StringEquals: { 'aws:PrincipalAccount': '111111111111', 'identitystore:UserId': [ALICE] },
        DateLessThan: { 'aws:TokenIssueTime': '2026-11-27T14:05:02Z' },
      },
    });
  });

  it('binds its Sid to what it denies: the 8 hex of SHA-256 of its set, account, time and sorted users (or "group")', () => {
    const { createHash } = process.getBuiltinModule('node:crypto');
    const hex = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 8);
    const users = fenceFor(SET, '111111111111', REVOKED, HOUR, [BOB, ALICE]);
    const sorted = [ALICE, BOB].sort().join(',');
    expect(fenceSid(users)).toBe(
      `CloudAccessFence202611271521${hex(`${SET}|111111111111|2026-11-27T14:05:02Z|${sorted}`)}`,
    );
    const group = fenceFor(SET, '111111111111', REVOKED, HOUR);
    expect(fenceSid(group)).toBe(
      `CloudAccessFence202611271521${hex(`${SET}|111111111111|2026-11-27T14:05:02Z|group`)}`,
    );
  });

  it('of two steps in the same second, for different users of one set and account, has two Sids', () => {
    const alice = fenceFor(SET, '111111111111', REVOKED, HOUR, [ALICE]);
    const bob = fenceFor(SET, '111111111111', REVOKED + 300, HOUR, [BOB]);
    expect(alice.before).toBe(bob.before);
    expect(fenceSid(alice)).not.toBe(fenceSid(bob));
  });

  it('of a group grant names no user: every session of the set in that account ends', () => {
    const statement = fenceStatement(fenceFor(SET, '111111111111', REVOKED, HOUR));
    expect(statement.Condition).toEqual({
      StringEquals: { 'aws:PrincipalAccount': '111111111111' },
      DateLessThan: { 'aws:TokenIssueTime': '2026-11-27T14:05:02Z' },
    });
  });

  it('writes only IDs AWS issued: anything else is refused, never put into a policy', () => {
    expect(() => fenceFor(SET, '11111111111"', REVOKED, HOUR)).toThrow('account ID');
    expect(() => fenceFor(SET, '111111111111', REVOKED, HOUR, ['alice", "*'])).toThrow('user IDs');
    expect(() => fenceFor(SET, '111111111111', REVOKED, HOUR, [])).toThrow('user IDs');
  });
});

describe('the action’s fences in a policy', () => {
  const fence = fenceFor(SET, '111111111111', REVOKED, HOUR, [ALICE]);

  it('are found by their exact shape and set', () => {
    expect(fenceOf(fenceStatement(fence), SET)).toEqual(fence);
  });

  it('are never another set’s, nor a statement that only looks like one', () => {
    const statement = fenceStatement(fence);
    expect(fenceOf(statement, OTHER_SET)).toBeUndefined();
    const widened = { ...statement, Action: 's3:*' };
    const extraKey = { ...statement, NotResource: 'x' };
    const otherCondition = {
      ...statement,
      Condition: { ...(statement.Condition as object), StringLike: { 'aws:userid': '*' } },
    };
    const movedTime = {
      ...statement,
      Condition: {
        StringEquals: { 'aws:PrincipalAccount': '111111111111', 'identitystore:UserId': [ALICE] },
        DateLessThan: { 'aws:TokenIssueTime': '2026-11-27T14:09:02Z' },
      },
    };
    for (const lookalike of [widened, extraKey, otherCondition, movedTime])
      expect(fenceOf(lookalike, SET)).toBeUndefined();
  });

  it('written with the earlier rule’s Sid (the hash of set, account and time only) are the action’s too, and keep that Sid', () => {
    const { createHash } = process.getBuiltinModule('node:crypto');
    const earlier = createHash('sha256')
      .update(`${SET}|111111111111|2026-11-27T14:05:02Z`)
      .digest('hex')
      .slice(0, 8);
    const statement = { ...fenceStatement(fence), Sid: `CloudAccessFence202611271521${earlier}` };
    const found = fenceOf(statement, SET);
    expect(found).toEqual({ ...fence, earlierSid: true });
    expect(fenceStatement(found!)).toEqual(statement);
    expect(fenceOf(statement, OTHER_SET)).toBeUndefined();
  });

  it('a Sid that looks like the action’s but binds other content is not the action’s', () => {
    const bob = fenceFor(SET, '111111111111', REVOKED, HOUR, [BOB]);
    // Alice's Sid on a statement that denies Bob: neither rule's hash binds it.
    const forged = { ...fenceStatement(bob), Sid: fenceSid(fence) };
    expect(fenceOf(forged, SET)).toBeUndefined();
  });
});

describe('a fence that covers another', () => {
  const alice = fenceFor(SET, '111111111111', REVOKED, HOUR, [ALICE]);

  it('is a later fence of the same users (or more) in the same account, or a group’s', () => {
    const later = fenceFor(SET, '111111111111', REVOKED + 60_000, HOUR, [ALICE, BOB]);
    expect(covers(later, alice)).toBe(true);
    expect(covers(alice, later)).toBe(false);
    expect(covers(fenceFor(SET, '111111111111', REVOKED + 60_000, HOUR), alice)).toBe(true);
  });

  it('never across accounts, other users, or an earlier time', () => {
    expect(covers(fenceFor(SET, '222222222222', REVOKED + 60_000, HOUR, [ALICE]), alice)).toBe(false);
    expect(covers(fenceFor(SET, '111111111111', REVOKED + 60_000, HOUR, [BOB]), alice)).toBe(false);
    expect(covers(fenceFor(SET, '111111111111', REVOKED - 60_000, HOUR, [ALICE]), alice)).toBe(false);
    expect(covers(alice, fenceFor(SET, '111111111111', REVOKED, HOUR))).toBe(false);
  });
});

describe('a fence merged across accounts (when one per account does not fit)', () => {
  const accounts = ['333333333333', '111111111111', '222222222222'];
  const merged = mergedFence(accounts.map((a, i) => fenceFor(SET, a, REVOKED + i * 300, HOUR, [ALICE])));

  it('lists its accounts in `aws:PrincipalAccount`, sorted, with the users and the latest time', () => {
    expect(merged.accounts).toEqual(['111111111111', '222222222222', '333333333333']);
    expect(fenceStatement(merged)).toEqual({
      Sid: fenceSid(merged),
      Effect: 'Deny',
      Action: '*',
      Resource: '*',
      Condition: {
        StringEquals: {
          'aws:PrincipalAccount': ['111111111111', '222222222222', '333333333333'],
          'identitystore:UserId': [ALICE],
        },
        DateLessThan: { 'aws:TokenIssueTime': '2026-11-27T14:05:02Z' },
      },
    });
  });

  it('binds its Sid to its accounts: the hash of the set, the sorted accounts, the time and the users', () => {
    const { createHash } = process.getBuiltinModule('node:crypto');
    const hex = createHash('sha256')
      .update(`${SET}|111111111111,222222222222,333333333333|2026-11-27T14:05:02Z|${ALICE}`)
      .digest('hex')
      .slice(0, 8);
    expect(fenceSid(merged)).toBe(`CloudAccessFence202611271521${hex}`);
  });

  it('is found again as the action’s, its accounts listed in any order; a list that repeats one, or of one, is not its shape', () => {
    const statement = fenceStatement(merged);
    expect(fenceOf(statement, SET)).toEqual(merged);
    const condition = statement.Condition as { StringEquals: Record<string, unknown> };
    const withAccounts = (list: unknown) => ({
      ...statement,
      Condition: { ...condition, StringEquals: { ...condition.StringEquals, 'aws:PrincipalAccount': list } },
    });
    expect(fenceOf(withAccounts([...accounts]), SET)).toEqual(merged);
    expect(fenceOf(withAccounts(['111111111111', '111111111111', '222222222222']), SET)).toBeUndefined();
    expect(fenceOf(withAccounts(['111111111111']), SET)).toBeUndefined();
    expect(fenceOf(withAccounts(['111111111111', '222222222222', '444444444444']), SET)).toBeUndefined();
  });

  it('covers the earlier fences of the same users in its accounts, never one in an account it does not list', () => {
    expect(covers(merged, fenceFor(SET, '222222222222', REVOKED - 60_000, HOUR, [ALICE]))).toBe(true);
    expect(covers(merged, fenceFor(SET, '444444444444', REVOKED - 60_000, HOUR, [ALICE]))).toBe(false);
    expect(covers(merged, fenceFor(SET, '222222222222', REVOKED - 60_000, HOUR, [BOB]))).toBe(false);
    // A later one across the same accounts and more covers it; one per account never does.
    const wider = mergedFence([merged, fenceFor(SET, '444444444444', REVOKED + 60_000, HOUR, [ALICE])]);
    expect(covers(wider, merged)).toBe(true);
    expect(covers(fenceFor(SET, '111111111111', REVOKED + 60_000, HOUR, [ALICE]), merged)).toBe(false);
  });
});
