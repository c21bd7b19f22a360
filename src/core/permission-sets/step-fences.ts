// A step's session fences of one permission set added to its inline policy in one put: one fence
// per account while they fit (./fenced-policy.ts withFence, merged with the set's other fences of
// an account when IAM's 10,240 characters need it). Past what the policy holds (about 35 fences of
// one user each), the step's fences merge into ONE statement that lists its accounts
// (`aws:PrincipalAccount`) and its users: over-fencing rather than failing, since these users'
// sessions of the set then end in each of those accounts, where some still hold it and sign in
// again. The merged fence names only what the step revoked (its users, its latest time) and its
// own accounts: nothing read from the policy widens it. Only when even that does not fit is a
// fence left unwritten, as before. Pure.
import { accountsOf, fenceSid, type SessionFence } from './session-fence.js';
import { mergedFence, withFence, type FencedPolicy } from './fenced-policy.js';

/** One fence the step asks for, in place of the fences it wrote before in this run (`replacing`). */
export interface StepFence {
  fence: SessionFence;
  replacing: readonly SessionFence[];
}

/**
 * A fence in force after the put, and the step's accounts whose sessions it ends for the step;
 * `covering`: it is another step's fence, which covers the step's (never the step's to replace).
 */
export interface FenceInForce {
  fence: SessionFence;
  accounts: string[];
  covering?: true;
}

/**
 * What the step's fences made of the policy: the fences in force for them; the accounts whose
 * fence did not fit (the policy's size it would have made); `merged`, the step's fences went into
 * one across its accounts.
 */
export type StepFencesAdded =
  | {
      policy: FencedPolicy;
      inForce: FenceInForce[];
      tooLarge: Map<string, number>;
      merged: boolean;
      /** Earlier fences a fence of the step covers, taken out (`by`: the fence that covers each). */
      superseded: Superseded[];
    }
  | { refused: string };

/** A live fence taken out because a later one covers it: the same users or more, a later revoke time. */
export interface Superseded {
  fence: SessionFence;
  by: SessionFence;
}

/**
 * `policy` (its expired fences already out) with the step's fences added: one per account while
 * each fits; when one does not, the step's fences of the set as one fence across its accounts,
 * which takes the place of every fence it covers (the step's earlier ones, and earlier fences of
 * the same users in those accounts); when even that does not fit, one per account as far as they fit.
 */
export function withStepFences(policy: FencedPolicy, asked: readonly StepFence[]): StepFencesAdded {
  const single = onePerAccount(policy, asked);
  if ('refused' in single || single.tooLarge.size === 0) return single;
  const accounts = new Set(asked.flatMap((a) => accountsOf(a.fence)));
  if (accounts.size < 2) return single;
  const fence = mergedFence(asked.map((a) => a.fence));
  const added = withFence(policy, fence, uniqueFences(asked.flatMap((a) => a.replacing)));
  if ('refused' in added) return added;
  if ('tooLarge' in added) return single;
  return {
    policy: added.policy,
    inForce: [
      {
        fence: added.written,
        accounts: [...accountsOf(fence)],
        ...(added.covered ? { covering: true } : {}),
      },
    ],
    tooLarge: new Map(),
    merged: true,
    superseded: added.superseded.map((f) => ({ fence: f, by: added.written })),
  };
}

function onePerAccount(policy: FencedPolicy, asked: readonly StepFence[]): StepFencesAdded {
  let next = policy;
  const inForce: FenceInForce[] = [];
  const tooLarge = new Map<string, number>();
  const superseded: Superseded[] = [];
  for (const { fence, replacing } of asked) {
    const added = withFence(next, fence, replacing);
    if ('refused' in added) return added;
    if ('tooLarge' in added) {
      for (const account of accountsOf(fence)) tooLarge.set(account, added.characters);
      continue;
    }
    next = added.policy;
    inForce.push({
      fence: added.written,
      accounts: [...accountsOf(fence)],
      ...(added.covered ? { covering: true as const } : {}),
    });
    superseded.push(...added.superseded.map((f) => ({ fence: f, by: added.written })));
  }
  return { policy: next, inForce, tooLarge, merged: false, superseded };
}

const uniqueFences = (fences: readonly SessionFence[]): SessionFence[] => [
  ...new Map(fences.map((f) => [fenceSid(f), f])).values(),
];
