// A session fence: the Deny statement that ends the role sessions a revoke left live. Deleting an
// account assignment stops new sign-ins only; every session already taken from the access portal
// stays valid for the permission set's session duration. The reserved `AWSReservedSSO_*` roles
// cannot be edited, so the fence goes into the set's inline policy ("Revoke active IAM role
// sessions created by permission sets", IAM Identity Center user guide) and is provisioned to the
// accounts it names. This module builds a fence and its statement, and finds one of the action's
// in a statement (only the exact shape, bound to its set by the hash in its Sid); the policy that
// holds them is ./fenced-policy.ts's. Pure: the adapter reads, puts and provisions
// (aws/permission-sets/session-fences.ts).
import { createHash } from 'node:crypto';

export const FENCE_SID_PREFIX = 'CloudAccessFence';
/** How long a fence outlives the sessions it ends: clocks and provisioning lag. */
export const FENCE_MARGIN_MS = 15 * 60_000;

/** What one fence ends: the sessions of its set in `account` (or each of `accounts`) issued before `before`. */
export interface SessionFence {
  setArn: string;
  /** The account ID (12 digits); a merged fence's first of `accounts`. */
  account: string;
  /**
   * A fence merged across accounts (./fenced-policy.ts withStepFences, when one per account does
   * not fit): its accounts, two or more, sorted; its users' sessions end in each. Undefined: `account` only.
   */
  accounts?: readonly string[];
  /** ISO 8601 UTC with seconds: sessions issued before it end. */
  before: string;
  /** ISO 8601 UTC, to the minute (the Sid's): after it the fence is no longer needed. */
  expiresAt: string;
  /** A user grant's: only these users' sessions end. Undefined: a group's, every session of the set there. */
  userIds?: readonly string[];
  /**
   * Read with the earlier rule's Sid (its hash of the set, the account and the time only): kept
   * with that Sid while it lives, and removed by it once expired.
   */
  earlierSid?: true;
}

/** A statement of a policy, as JSON gives it. */
export type PolicyStatement = Record<string, unknown>;

const ACCOUNT = /^\d{12}$/;
const SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
/** The identity store's ResourceId (its Smithy model's pattern): a UUID, optionally after a 10-hex store prefix. */
export const USER_ID =
  /^([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$/;
const SID = /^CloudAccessFence(\d{12})([0-9a-f]{8})$/;

/** The accounts whose sessions the fence ends: its one account, or a merged fence's accounts. */
export const accountsOf = (fence: SessionFence): readonly string[] => fence.accounts ?? [fence.account];

/** An instant as a fence writes it: ISO 8601 UTC to the second. */
export const isoSeconds = (ms: number): string =>
  new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/**
 * The fence a revoke at `revokedAt` (ms) needs in `account`: it ends sessions issued before that
 * second, and is needed until the set's longest session since then ends, plus a margin.
 */
export function fenceFor(
  setArn: string,
  account: string,
  revokedAt: number,
  sessionDurationSeconds: number,
  userIds?: readonly string[],
): SessionFence {
  // Only IDs AWS issued go into a policy: anything else is refused, never written.
  if (!ACCOUNT.test(account))
    throw new Error(`a session fence names an account ID (12 digits), not ${JSON.stringify(account)}`);
  const stray = userIds?.find((id) => !USER_ID.test(id));
  if (stray !== undefined || userIds?.length === 0)
    throw new Error(`a session fence names identity store user IDs, not ${JSON.stringify(stray ?? '')}`);
  const before = isoSeconds(Math.ceil(revokedAt / 1000) * 1000);
  const expiry = Date.parse(before) + sessionDurationSeconds * 1000 + FENCE_MARGIN_MS;
  return {
    setArn,
    account,
    before,
    expiresAt: toMinute(expiry),
    ...(userIds ? { userIds: [...new Set(userIds)].sort() } : {}),
  };
}

/**
 * The statement's Sid: the prefix, the expiry (`yyyymmddhhmm`, UTC) and 8 hex binding it to what it
 * denies (its set, account, time and users): two steps that fence one set and account in the same
 * second for different users write two Sids, so neither's put can pass for the other's.
 */
export function fenceSid(fence: SessionFence): string {
  const expiry = fence.expiresAt.slice(0, 16).replace(/[-T:]/g, '');
  const binding = fence.earlierSid
    ? earlierBindingOf(fence.setArn, fence.account, fence.before)
    : bindingOf(fence.setArn, accountsOf(fence), fence.before, fence.userIds);
  return `${FENCE_SID_PREFIX}${expiry}${binding}`;
}

/**
 * Whether `wider` ends every session `fence` ends, for as long: the same set, each of its accounts,
 * a time no earlier (sessions issued before it include those before the other's), an expiry no
 * earlier, and every one of its users (a group's fence, no users, takes every session). A later
 * fence of the same users supersedes an earlier one this way, merged across accounts or not, which
 * is how a full policy makes room.
 */
export function covers(wider: SessionFence, fence: SessionFence): boolean {
  if (wider.setArn !== fence.setArn) return false;
  const accounts = new Set(accountsOf(wider));
  if (!accountsOf(fence).every((a) => accounts.has(a))) return false;
  if (Date.parse(wider.before) < Date.parse(fence.before)) return false;
  if (Date.parse(wider.expiresAt) < Date.parse(fence.expiresAt)) return false;
  if (!wider.userIds) return true;
  if (!fence.userIds) return false;
  const users = new Set(wider.userIds);
  return fence.userIds.every((u) => users.has(u));
}

/** The fence as its policy holds it. */
export function fenceStatement(fence: SessionFence): PolicyStatement {
  return {
    Sid: fenceSid(fence),
    Effect: 'Deny',
    Action: '*',
    Resource: '*',
    Condition: {
      StringEquals: {
        'aws:PrincipalAccount': fence.accounts ? [...fence.accounts] : fence.account,
        ...(fence.userIds ? { 'identitystore:UserId': [...fence.userIds] } : {}),
      },
      DateLessThan: { 'aws:TokenIssueTime': fence.before },
    },
  };
}

/** The statement as one of `setArn`'s fences, when it is exactly one; anything else is not the action's. */
export function fenceOf(statement: unknown, setArn: string): SessionFence | undefined {
  if (!isObject(statement) || !sameKeys(statement, ['Sid', 'Effect', 'Action', 'Resource', 'Condition']))
    return undefined;
  const { Sid, Effect, Action, Resource, Condition } = statement;
  const sid = typeof Sid === 'string' ? SID.exec(Sid) : null;
  if (!sid || Effect !== 'Deny' || Action !== '*' || Resource !== '*' || !isObject(Condition))
    return undefined;
  if (!sameKeys(Condition, ['StringEquals', 'DateLessThan'])) return undefined;
  const { StringEquals: equals, DateLessThan: lessThan } = Condition;
  if (!isObject(equals) || !isObject(lessThan) || !sameKeys(lessThan, ['aws:TokenIssueTime']))
    return undefined;
  const account = equals['aws:PrincipalAccount'];
  const before = lessThan['aws:TokenIssueTime'];
  const users = equals['identitystore:UserId'];
  const keys =
    users === undefined ? ['aws:PrincipalAccount'] : ['aws:PrincipalAccount', 'identitystore:UserId'];
  const accounts = accountsIn(account);
  if (!sameKeys(equals, keys) || !accounts) return undefined;
  if (typeof before !== 'string' || !SECONDS.test(before) || Number.isNaN(Date.parse(before)))
    return undefined;
  if (
    users !== undefined &&
    (!Array.isArray(users) ||
      users.length === 0 ||
      !users.every((u): u is string => typeof u === 'string' && USER_ID.test(u)))
  )
    return undefined;
  const userIds = users as string[] | undefined;
  // The earlier rule's hash (before the users were in it) binds the action's older fences, each of one account.
  const earlier = accounts.length === 1 && sid[2] === earlierBindingOf(setArn, accounts[0]!, before);
  if (!earlier && sid[2] !== bindingOf(setArn, accounts, before, userIds)) return undefined;
  const e = sid[1]!;
  const expiresAt = `${e.slice(0, 4)}-${e.slice(4, 6)}-${e.slice(6, 8)}T${e.slice(8, 10)}:${e.slice(10, 12)}:00Z`;
  if (Number.isNaN(Date.parse(expiresAt))) return undefined;
  return {
    setArn,
    account: accounts[0]!,
    ...(accounts.length > 1 ? { accounts } : {}),
    before,
    expiresAt,
    ...(userIds ? { userIds } : {}),
    ...(earlier ? { earlierSid: true as const } : {}),
  };
}

/**
 * The accounts a fence's `aws:PrincipalAccount` names, sorted: one account ID, or the list of two
 * or more, each once, a merged fence writes. Anything else is not the action's shape.
 */
function accountsIn(value: unknown): string[] | undefined {
  if (typeof value === 'string') return ACCOUNT.test(value) ? [value] : undefined;
  if (!Array.isArray(value) || value.length < 2) return undefined;
  if (!value.every((a): a is string => typeof a === 'string' && ACCOUNT.test(a))) return undefined;
  return new Set(value).size === value.length ? [...value].sort() : undefined;
}

function toMinute(ms: number): string {
  const minute = Math.ceil(ms / 60_000) * 60_000;
  return new Date(minute).toISOString().replace(':00.000Z', ':00Z');
}

/**
 * `<set ARN>|<accounts>|<time>|<sorted user IDs, comma-separated, or "group">`, hashed: what the
 * fence denies; `<accounts>` is its one account, or a merged fence's, sorted and comma-separated.
 */
function bindingOf(
  setArn: string,
  accounts: readonly string[],
  before: string,
  userIds: readonly string[] | undefined,
): string {
  const users = userIds ? [...userIds].sort().join(',') : 'group';
  return hex8(`${setArn}|${[...accounts].sort().join(',')}|${before}|${users}`);
}

/** The earlier rule's binding, before the users were in it: `<set ARN>|<account>|<time>`. */
function earlierBindingOf(setArn: string, account: string, before: string): string {
  return hex8(`${setArn}|${account}|${before}`);
}

const hex8 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 8);

/** A JSON object, not an array or null: what a policy and each of its statements must be. */
export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const sameKeys = (value: Record<string, unknown>, keys: readonly string[]) => {
  const own = Object.keys(value);
  return own.length === keys.length && keys.every((k) => Object.hasOwn(value, k));
};
