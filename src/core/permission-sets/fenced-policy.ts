// An inline policy that holds the action's session fences (./session-fence.ts): taken apart into
// the fences and every other statement, written back with the others first (nothing else is ever
// changed or reordered), a fence added (merged with the set's other fences of that account when
// IAM's size limit needs it), the expired taken out, and what was read back checked against what
// the step wrote. Apart from the fence itself: a fence is one statement, this is the whole policy
// it sits in. Pure.
import { MAX_POLICY_CHARACTERS_WITHOUT_WHITESPACE } from './inline-policy.js';
import {
  fenceOf,
  fenceSid,
  fenceStatement,
  isObject,
  type PolicyStatement,
  type SessionFence,
} from './session-fence.js';

/** An inline policy taken apart: the statements that are not the action's fences, in order, and its fences. */
export interface FencedPolicy {
  version: string;
  others: PolicyStatement[];
  fences: SessionFence[];
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

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortedKeys(value[key])]),
  );
}
