// An inline policy that holds the action's session fences (./session-fence.ts): taken apart into
// the fences and every other statement, written back with the others first (nothing else is ever
// changed or reordered), a fence added (merged with the set's other fences of that account when
// IAM's size limit needs it), the expired taken out, and what was read back checked against what
// the step wrote. Apart from the fence itself: a fence is one statement, this is the whole policy
// it sits in. A step's fences of a set that do not fit one per account merge across accounts
// (./step-fences.ts). Pure.
import { MAX_POLICY_CHARACTERS_WITHOUT_WHITESPACE } from './inline-policy.js';
import {
  accountsOf,
  covers,
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
  /** Its `Id`, the one other element IAM takes beside `Version` and `Statement`: kept as read. */
  id?: string;
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
  const otherKeys = Object.keys(parsed).filter((k) => !['Version', 'Id', 'Statement'].includes(k));
  if (otherKeys.length > 0 || (parsed.Id !== undefined && typeof parsed.Id !== 'string'))
    return { unreadable: 'its inline policy has keys beside `Version`, `Id` and `Statement`' };
  const others: PolicyStatement[] = [];
  const fences: SessionFence[] = [];
  for (const statement of statements) {
    const fence = fenceOf(statement, setArn);
    if (fence) fences.push(fence);
    else others.push(statement);
  }
  return { version: parsed.Version, ...(parsed.Id !== undefined ? { id: parsed.Id } : {}), others, fences };
}

/** The policy's text with `others` first, in their order, then `fences`; undefined when it holds nothing (no inline policy). */
export function policyText(policy: FencedPolicy): string | undefined {
  const statements = [...policy.others, ...policy.fences.map(fenceStatement)];
  if (statements.length === 0) return undefined;
  return JSON.stringify({ Version: policy.version, ...idOf(policy), Statement: statements });
}

/**
 * What adding a fence made of the policy: its new text and content, and the fence in force for it
 * (`written`: merged, it may be wider; a fence of another step already covering it, that one);
 * `merged`: the set's fences of that account it was merged with to fit; `superseded`: earlier
 * fences it covers, taken out. Or why it was not added.
 */
export type FenceAdded =
  | {
      text: string;
      policy: FencedPolicy;
      written: SessionFence;
      merged: SessionFence[];
      superseded: SessionFence[];
      /** `written` is a fence already in force that covers this one (another step's), not this one. */
      covered?: true;
    }
  | { tooLarge: true; characters: number }
  | { refused: string };

/**
 * The policy with `fence` added. `replacing`: fences this step wrote before in this run, which the
 * new one takes the place of. A fence already in force that covers it (another step's, as wide and
 * as late) is left as the one in force; another step's fence of the same Sid is merged with it
 * (the union of users), never replaced; earlier fences it covers are taken out (a later revoke of
 * the same users denies more). Past IAM's 10,240 characters without whitespace, the fence is merged
 * with the set's other fences of that account (the latest time, the union of users, the latest
 * expiry); still past it, it is not written.
 */
export function withFence(
  policy: FencedPolicy,
  fence: SessionFence,
  replacing: readonly SessionFence[] = [],
): FenceAdded {
  const replaced = new Set(replacing.map(fenceSid));
  const left = policy.fences.filter((f) => !replaced.has(fenceSid(f)));
  const covering = left.find((f) => covers(f, fence));
  if (covering) {
    const kept = { ...policy, fences: left };
    return {
      text: policyText(kept) ?? '',
      policy: kept,
      written: covering,
      merged: [],
      superseded: [],
      covered: true,
    };
  }
  const sameSid = left.filter((f) => fenceSid(f) === fenceSid(fence));
  const own = sameSid.length > 0 ? mergedFence([fence, ...sameSid]) : fence;
  const sid = fenceSid(own);
  // IAM takes no two statements of one Sid: a statement that is not the action's holding it is never changed.
  if (policy.others.some((s) => s.Sid === sid))
    return { refused: `a statement that is not the action's fence holds its Sid ${sid}` };
  // Nothing read widens a fence to an account it did not name: a statement of its Sid that names
  // another account is not a sibling's same fence (their hash would differ), and is not merged.
  if (accountsOf(own).join() !== accountsOf(fence).join())
    return { refused: `a fence of its Sid ${fenceSid(fence)} names other accounts` };
  const superseded = left.filter((f) => !sameSid.includes(f) && covers(own, f));
  const kept = left.filter((f) => !sameSid.includes(f) && !superseded.includes(f));
  const plain = { ...policy, fences: [...kept, own] };
  if (sizeOf(plain) <= MAX_POLICY_CHARACTERS_WITHOUT_WHITESPACE)
    return { text: policyText(plain)!, policy: plain, written: own, merged: [], superseded };
  // A fence merged across accounts takes no other step's users into its accounts: it fits or not.
  if (own.accounts) return { tooLarge: true, characters: sizeOf(plain) };
  const sameAccount = kept.filter((f) => !f.accounts && f.account === own.account);
  const written = mergedFence([own, ...sameAccount]);
  const merged = { ...policy, fences: [...kept.filter((f) => !sameAccount.includes(f)), written] };
  const characters = sizeOf(merged);
  if (characters > MAX_POLICY_CHARACTERS_WITHOUT_WHITESPACE) return { tooLarge: true, characters };
  return { text: policyText(merged)!, policy: merged, written, merged: sameAccount, superseded };
}

/**
 * Fences of one set as one: the latest time and expiry, the union of users (a group's, no users,
 * takes every session) and of accounts (more than one: a fence merged across accounts).
 */
export function mergedFence(fences: readonly SessionFence[]): SessionFence {
  const latest = (values: string[]) => values.reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));
  const first = fences[0]!;
  const everyone = fences.some((f) => !f.userIds);
  const users = [...new Set(fences.flatMap((f) => f.userIds ?? []))].sort();
  const accounts = [...new Set(fences.flatMap(accountsOf))].sort();
  return {
    setArn: first.setArn,
    account: accounts[0]!,
    ...(accounts.length > 1 ? { accounts } : {}),
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

/**
 * Whether the policy read back holds every statement of `expected` as the step wrote it, each
 * compared in full (a fence of the same Sid with other users is another fence, not this one).
 */
export function holdsAll(readBack: FencedPolicy, expected: FencedPolicy): boolean {
  const held = new Set(statementsOf(readBack).map(canonical));
  return statementsOf(expected).every((s) => held.has(canonical(s)));
}

/** Whether two policies hold the same statements, each in full, in the same order. */
export function samePolicy(a: FencedPolicy, b: FencedPolicy): boolean {
  return (
    a.version === b.version &&
    a.id === b.id &&
    JSON.stringify(statementsOf(a).map(canonical)) === JSON.stringify(statementsOf(b).map(canonical))
  );
}

/** The policy's `Id` as its text writes it: none when it has none. */
export const idOf = (policy: FencedPolicy): { Id?: string } =>
  policy.id !== undefined ? { Id: policy.id } : {};

const statementsOf = (policy: FencedPolicy): PolicyStatement[] => [
  ...policy.others,
  ...policy.fences.map(fenceStatement),
];
const canonical = (statement: PolicyStatement) => JSON.stringify(sortedKeys(statement));

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
