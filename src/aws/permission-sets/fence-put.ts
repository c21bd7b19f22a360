// One put of a set's session fences for every account the step's deletes left live sessions in,
// then the set provisioned to each of those accounts in turn, each followed to its end
// (./fence-provisioning.ts, which says what each account's fence came to). A put
// makes a new version of the set, which leaves every account provisioned before it outdated: so
// the step puts once, with all its fences of the set, before it provisions any (the engine starts
// the fence writes once every delete has ended: WriteEffect.gathered), and no account it fenced is
// left on an older version. Pure but for the writes of ./fence-policy.ts and ./fence-provisioning.ts.
import {
  accountsOf,
  covers,
  fenceFor,
  fenceSid,
  type SessionFence,
} from '../../core/permission-sets/session-fence.js';
import {
  fencedPolicy,
  mergedFence,
  samePolicy,
  withoutExpired,
  type FencedPolicy,
} from '../../core/permission-sets/fenced-policy.js';
import {
  withStepFences,
  type FenceInForce,
  type StepFence,
  type Superseded,
} from '../../core/permission-sets/step-fences.js';
import type { Deadline, WaitBound } from '../../engine/limits/deadline.js';
import type { SsoSession } from '../sso/session.js';
import {
  readInlinePolicy,
  REWRITE_ATTEMPTS,
  rewriteInlinePolicy,
  type PolicyRewrite,
} from './fence-policy.js';
import type { FenceSetFacts } from './fence-set-facts.js';
import { failed, provisionInTurn, tooLargeOutcome, type FenceOutcome } from './fence-provisioning.js';

/** The sessions one delete left live, to end. */
export interface FenceWrite {
  setArn: string;
  account: string;
  /** A user's ID, or undefined for a group's assignment (every session of the set there). */
  userId: string | undefined;
  /** When the delete SUCCEEDED (ms). */
  revokedAt: number;
  /** A dry run's delete: the fence is shown, not written. */
  preview: boolean;
  /** A delete accepted and not followed to its end (`wait: false`): no fence can follow it. */
  unfollowed?: true;
}

export interface FencePutContext {
  session: SsoSession;
  bound: WaitBound & { deadline: Deadline };
  now: () => number;
}

/** What one put of a set's fences came to: each account's outcome, and the expired fences its put took out. */
export interface FencesPut {
  outcomes: Map<string, FenceOutcome>;
  removed: SessionFence[];
  /** Live fences the puts took out because a fence of the step covers each. */
  superseded: Superseded[];
}

/**
 * The set's fences for `writes` (all of one set), one per account (the latest revoke time there,
 * the union of its users; a group's takes every session), each in place of the one this step wrote
 * there before (`written`, which gains them), put in one rewrite, then provisioned account by
 * account. Past what the inline policy holds, they go in as one fence across the step's accounts
 * (core/permission-sets/step-fences.ts), provisioned to each of them. After the provisioning waits
 * the policy is read once more: a fence lost to another step's late put (it read before ours and
 * put after our read-back) is written and provisioned again, within REWRITE_ATTEMPTS rounds. Each
 * account's outcome, and the expired fences the puts took out.
 */
export async function putFences(
  { session, bound, now }: FencePutContext,
  writes: readonly FenceWrite[],
  facts: FenceSetFacts,
  written: Map<string, SessionFence>,
): Promise<FencesPut> {
  const setArn = writes[0]!.setArn;
  let asked = askedFences(writes, facts, written);
  const outcomes = new Map<string, FenceOutcome>();
  const removed: SessionFence[] = [];
  const superseded: Superseded[] = [];
  /** Each account of each fence FAILED, saying why. */
  const failEach = (
    fences: readonly { fence: SessionFence; accounts: readonly string[] }[],
    why: (account: string) => string,
  ) => {
    for (const { fence, accounts } of fences)
      for (const account of accounts) outcomes.set(account, failed(facts, fence, account, why(account)));
  };
  for (let round = 1; asked.length > 0; round++) {
    const rewrite = await rewriteInlinePolicy(session, setArn, (read) => addedFences(read, asked, now()));
    if ('refused' in rewrite || 'failed' in rewrite) {
      const why = 'refused' in rewrite ? rewrite.refused : rewrite.failed;
      failEach(
        asked.map(({ fence }) => ({ fence, accounts: accountsOf(fence) })),
        (account) => `the session fence of ${facts.name} in ${account} was not written (${why})`,
      );
      break;
    }
    const added = 'written' in rewrite ? rewrite.written : rewrite.unchanged;
    removed.push(...added.expired.filter((e) => !removed.some((r) => fenceSid(r) === fenceSid(e))));
    superseded.push(
      ...added.superseded.filter((e) => !superseded.some((r) => fenceSid(r.fence) === fenceSid(e.fence))),
    );
    for (const [account, characters] of added.tooLarge) {
      const fence = asked.find((f) => accountsOf(f.fence).includes(account))!.fence;
      outcomes.set(account, tooLargeOutcome(facts, fence, account, characters));
    }
    // Only the step's own fences are its to replace later: another step's that covers it never is.
    for (const { fence, accounts, covering } of added.inForce)
      if (!covering) for (const a of accounts) written.set(a, fence);
    // A fence across accounts put again (lost to a sibling) says what it ends, as its first put did.
    await provisionInTurn({ session, bound }, facts, added.inForce, added.merged, outcomes);
    const inForce = added.inForce.filter((f) =>
      f.accounts.every((a) => outcomes.get(a)?.record.status === 'SUCCEEDED'),
    );
    const lost = await lostFences(session, setArn, inForce);
    if (lost.length === 0) break;
    if (round >= REWRITE_ATTEMPTS) {
      failEach(
        lost,
        (account) =>
          `the session fence of ${facts.name} in ${account} was taken out by another writer's put after its provisioning, ${REWRITE_ATTEMPTS} times`,
      );
      break;
    }
    asked = lost.map(({ fence }) => ({ fence, replacing: [] }));
  }
  return { outcomes, removed, superseded };
}

/**
 * The fences the step asks for: one per account (its deletes there as one), each in place of the
 * one this step wrote there before. Once the step's fences of the set went in as one across
 * accounts, every later one joins that fence: the step keeps one fence of the set.
 */
function askedFences(
  writes: readonly FenceWrite[],
  facts: FenceSetFacts,
  written: ReadonlyMap<string, SessionFence>,
): StepFence[] {
  const setArn = writes[0]!.setArn;
  const asked = [...new Set(writes.map((w) => w.account))].map((account) => {
    const fences = writes
      .filter((w) => w.account === account)
      .map((w) =>
        fenceFor(setArn, account, w.revokedAt, facts.sessionSeconds, w.userId ? [w.userId] : undefined),
      );
    const earlier = written.get(account);
    return {
      fence: mergedFence(earlier ? [...fences, earlier] : fences),
      replacing: earlier ? [earlier] : [],
    };
  });
  const across = [...written.values()].filter((f) => f.accounts);
  if (across.length === 0) return asked;
  // The fence across accounts takes the place of what it merges, and of nothing else: a single
  // fence the step wrote in an account it does not name stays.
  const replacing = [
    ...new Map([...asked.flatMap((a) => a.replacing), ...across].map((f) => [fenceSid(f), f])).values(),
  ];
  return [{ fence: mergedFence([...asked.map((a) => a.fence), ...across]), replacing }];
}

/**
 * The fences of `fences` the set's policy, read once more after their provisioning, no longer
 * holds (nor any fence that covers them): lost to another step's put made from a read before ours.
 * A read that fails or a policy the step cannot take apart loses nothing it can tell.
 */
async function lostFences(session: SsoSession, setArn: string, fences: readonly FenceInForce[]) {
  if (fences.length === 0) return [];
  const read = await readInlinePolicy(session, setArn).then(
    (text) => fencedPolicy(text, setArn),
    () => undefined,
  );
  if (!read || 'unreadable' in read) return [];
  return fences.filter(({ fence }) => !read.fences.some((f) => covers(f, fence)));
}

/**
 * The fences a put adds (or the fences in force that cover them), the accounts whose fence even
 * merged would not fit, the expired it took out, and whether the step's fences went in as one.
 */
interface FencesAdded {
  inForce: FenceInForce[];
  tooLarge: Map<string, number>;
  expired: SessionFence[];
  merged: boolean;
  superseded: Superseded[];
}

/** The policy read with the step's fences added (each in place of its earlier one) and the set's expired fences taken out. */
function addedFences(
  read: FencedPolicy,
  asked: readonly StepFence[],
  now: number,
): PolicyRewrite<FencesAdded> {
  const { policy: live, expired } = withoutExpired(read, now);
  const added = withStepFences(live, asked);
  if ('refused' in added) return { refused: added.refused };
  const { policy, ...fences } = added;
  if (samePolicy(policy, read)) return { unchanged: { ...fences, expired: [] } };
  return { policy, outcome: { ...fences, expired } };
}
