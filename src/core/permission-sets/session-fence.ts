// A session fence: the Deny statement that ends the role sessions a revoke left live. Deleting an
// account assignment stops new sign-ins only; every session already taken from the access portal
// stays valid for the permission set's session duration. The reserved `AWSReservedSSO_*` roles
// cannot be edited, so the fence goes into the set's inline policy ("Revoke active IAM role
// sessions created by permission sets", IAM Identity Center user guide) and is provisioned to the
// account it names. This room builds a fence, finds the action's fences in a policy (only the
// exact shape, bound to its set by the hash in its Sid: nothing else is ever changed or
// reordered), adds one (merged with the set's other fences of that account when IAM's size limit
// needs it) and takes out the expired. Pure: the adapter reads, puts and provisions
// (aws/permission-sets/session-fences.ts).
import { createHash } from 'node:crypto';
import { MAX_POLICY_CHARACTERS_WITHOUT_WHITESPACE } from './inline-policy.js';

export const FENCE_SID_PREFIX = 'CloudAccessFence';
/** How long a fence outlives the sessions it ends: clocks and provisioning lag. */
export const FENCE_MARGIN_MS = 15 * 60_000;

/** What one fence ends: the sessions of its set in `account` issued before `before`. */
export interface SessionFence {
  setArn: string;
  /** The account ID (12 digits). */
  account: string;
  /** ISO 8601 UTC with seconds: sessions issued before it end. */
  before: string;
  /** ISO 8601 UTC, to the minute (the Sid's): after it the fence is no longer needed. */
  expiresAt: string;
  /** A user grant's: only these users' sessions end. Undefined: a group's, every session of the set there. */
  userIds?: readonly string[];
}

/** A statement of a policy, as JSON gives it. */
export type PolicyStatement = Record<string, unknown>;

/** An inline policy taken apart: the statements that are not the action's fences, in order, and its fences. */
export interface FencedPolicy {
  version: string;
  others: PolicyStatement[];
  fences: SessionFence[];
}

const ACCOUNT = /^\d{12}$/;
const SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
/** The identity store's ResourceId (its Smithy model's pattern): a UUID, optionally after a 10-hex store prefix. */
export const USER_ID =
  /^([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$/;
const SID = /^CloudAccessFence(\d{12})([0-9a-f]{8})$/;

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

/** The statement's Sid: the prefix, the expiry (`yyyymmddhhmm`, UTC) and 8 hex binding it to its set, account and time. */
export function fenceSid(fence: SessionFence): string {
  const expiry = fence.expiresAt.slice(0, 16).replace(/[-T:]/g, '');
  return `${FENCE_SID_PREFIX}${expiry}${bindingOf(fence.setArn, fence.account, fence.before)}`;
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
        'aws:PrincipalAccount': fence.account,
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
  if (!sameKeys(equals, keys) || typeof account !== 'string' || !ACCOUNT.test(account)) return undefined;
  if (typeof before !== 'string' || !SECONDS.test(before) || Number.isNaN(Date.parse(before)))
    return undefined;
  if (
    users !== undefined &&
    (!Array.isArray(users) ||
      users.length === 0 ||
      !users.every((u): u is string => typeof u === 'string' && USER_ID.test(u)))
  )
    return undefined;
  if (sid[2] !== bindingOf(setArn, account, before)) return undefined;
  const e = sid[1]!;
  const expiresAt = `${e.slice(0, 4)}-${e.slice(4, 6)}-${e.slice(6, 8)}T${e.slice(8, 10)}:${e.slice(10, 12)}:00Z`;
  if (Number.isNaN(Date.parse(expiresAt))) return undefined;
  return { setArn, account, before, expiresAt, ...(users ? { userIds: users as string[] } : {}) };
}

/**
 * An inline policy as read (undefined or empty: none) taken apart into the action's fences of
 * `setArn` and every other statement, or why it cannot be: a policy the step cannot parse is
 * never rewritten.
 */
export function fencedPolicy(
  text: string | undefined,
  setArn: string,
): FencedPolicy | { unreadable: string } {
  if (text === undefined || text.trim() === '') return { version: '2012-10-17', others: [], fences: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { unreadable: 'its inline policy is not JSON' };
  }
  if (!isObject(parsed) || typeof parsed.Version !== 'string')
    return { unreadable: 'its inline policy has no `Version`' };
  const statements = Array.isArray(parsed.Statement)
    ? (parsed.Statement as unknown[])
    : parsed.Statement === undefined
      ? []
      : [parsed.Statement];
  if (!statements.every(isObject))
    return { unreadable: 'its inline policy has a statement that is not an object' };
  const otherKeys = Object.keys(parsed).filter((k) => k !== 'Version' && k !== 'Statement');
  if (otherKeys.length > 0)
    return { unreadable: 'its inline policy has keys beside `Version` and `Statement`' };
  const others: PolicyStatement[] = [];
  const fences: SessionFence[] = [];
  for (const statement of statements) {
    const fence = fenceOf(statement, setArn);
    if (fence) fences.push(fence);
    else others.push(statement);
  }
  return { version: parsed.Version, others, fences };
}

/** The policy's text with `others` first, in their order, then `fences`; undefined when it holds nothing (no inline policy). */
export function policyText(policy: FencedPolicy): string | undefined {
  const statements = [...policy.others, ...policy.fences.map(fenceStatement)];
  if (statements.length === 0) return undefined;
  return JSON.stringify({ Version: policy.version, Statement: statements });
}

/** What adding a fence made of the policy: its new text, and the fence as written (merged, it may be wider). */
export type FenceAdded =
  { text: string; written: SessionFence; merged: SessionFence[] } | { tooLarge: true; characters: number };

/**
 * The policy with `fence` added. `replacing`: fences this step wrote before in this run, which the
 * new one takes the place of. Past IAM's 10,240 characters without whitespace, the fence is merged
 * with the set's other fences of that account (the latest time, the union of users, the latest
 * expiry); still past it, it is not written.
 */
export function withFence(
  policy: FencedPolicy,
  fence: SessionFence,
  replacing: readonly SessionFence[] = [],
): FenceAdded {
  const replaced = new Set(replacing.map(fenceSid));
  const kept = policy.fences.filter((f) => !replaced.has(fenceSid(f)) && fenceSid(f) !== fenceSid(fence));
  const plain = { ...policy, fences: [...kept, fence] };
  if (sizeOf(plain) <= MAX_POLICY_CHARACTERS_WITHOUT_WHITESPACE)
    return { text: policyText(plain)!, written: fence, merged: [] };
  const sameAccount = kept.filter((f) => f.account === fence.account);
  const written = mergedFence([fence, ...sameAccount]);
  const merged = { ...policy, fences: [...kept.filter((f) => f.account !== fence.account), written] };
  const characters = sizeOf(merged);
  if (characters > MAX_POLICY_CHARACTERS_WITHOUT_WHITESPACE) return { tooLarge: true, characters };
  return { text: policyText(merged)!, written, merged: sameAccount };
}

/** Fences of one set and account as one: the latest time and expiry; a group's (no users) takes every session. */
export function mergedFence(fences: readonly SessionFence[]): SessionFence {
  const latest = (values: string[]) => values.reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));
  const first = fences[0]!;
  const everyone = fences.some((f) => !f.userIds);
  const users = [...new Set(fences.flatMap((f) => f.userIds ?? []))].sort();
  return {
    setArn: first.setArn,
    account: first.account,
    before: latest(fences.map((f) => f.before)),
    expiresAt: latest(fences.map((f) => f.expiresAt)),
    ...(everyone ? {} : { userIds: users }),
  };
}

/** The policy without its fences expired at `now` (ms), and those taken out. */
export function withoutExpired(
  policy: FencedPolicy,
  now: number,
): { policy: FencedPolicy; expired: SessionFence[] } {
  const expired = policy.fences.filter((f) => Date.parse(f.expiresAt) <= now);
  return {
    policy: { ...policy, fences: policy.fences.filter((f) => Date.parse(f.expiresAt) > now) },
    expired,
  };
}

/** Whether the policy read back holds `fence` and every statement in `expected`, as the step wrote them. */
export function holdsAll(readBack: FencedPolicy, expected: FencedPolicy): boolean {
  const sids = new Set(readBack.fences.map(fenceSid));
  const others = new Set(readBack.others.map((s) => JSON.stringify(sortedKeys(s))));
  return (
    expected.fences.every((f) => sids.has(fenceSid(f))) &&
    expected.others.every((s) => others.has(JSON.stringify(sortedKeys(s))))
  );
}

const sizeOf = (policy: FencedPolicy) => (policyText(policy) ?? '').replace(/\s/g, '').length;

function toMinute(ms: number): string {
  const minute = Math.ceil(ms / 60_000) * 60_000;
  return new Date(minute).toISOString().replace(':00.000Z', ':00Z');
}

function bindingOf(setArn: string, account: string, before: string): string {
  return createHash('sha256').update(`${setArn}|${account}|${before}`, 'utf8').digest('hex').slice(0, 8);
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const sameKeys = (value: Record<string, unknown>, keys: readonly string[]) => {
  const own = Object.keys(value);
  return own.length === keys.length && keys.every((k) => Object.hasOwn(value, k));
};

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortedKeys(value[key])]),
  );
}
