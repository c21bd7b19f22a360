// What one account's session fence came to, once its set's put (./fence-put.ts) has written it:
// the set provisioned to each account the put's fences name, one at a time and each followed to
// its end, as one plan of writes run by the engine's one write path (engine/run/run-writes.ts);
// and each account's outcome: what its revokes' rows gain (the sessions ended, or why they may
// stay live) and its `audit-log` record (./fence-record.ts).
import { describeError } from '../../core/errors.js';
import { accountsOf, isoSeconds, type SessionFence } from '../../core/permission-sets/session-fence.js';
import type { FenceInForce } from '../../core/permission-sets/step-fences.js';
import type { SessionFenceFields } from '../../core/permission-sets/session-fence-results.js';
import type { Deadline, WaitBound } from '../../engine/limits/deadline.js';
import type { KindWriter, WriteEnded } from '../../engine/calls/write-plan.js';
import { runWrites } from '../../engine/run/run-writes.js';
import type { SsoSession } from '../sso/session.js';
import type { FenceChange } from './fence-record.js';
import { provisionWhereListed } from './fence-policy.js';
import type { FenceSetFacts } from './fence-set-facts.js';

/** What one account's fence came to: what its revokes' rows gain, and its record. */
export interface FenceOutcome {
  amends: SessionFenceFields;
  record: FenceChange;
}

/** One account a put's fence names, to provision. */
interface FencedAccount {
  fence: SessionFence;
  account: string;
  /** The step's fences went in as one across its accounts: each row names them. */
  merged: boolean;
}

/**
 * The set provisioned to each account of the fences in force, in turn (a put makes one version of
 * the set, which each provisioning pushes to its account), each account's outcome set in
 * `outcomes`. None starts once the deadline has passed: its fence is written, not in force.
 */
export async function provisionInTurn(
  { session, bound }: { session: SsoSession; bound: WaitBound & { deadline: Deadline } },
  facts: FenceSetFacts,
  inForce: readonly FenceInForce[],
  merged: boolean,
  outcomes: Map<string, FenceOutcome>,
): Promise<void> {
  const told = ({ account }: FencedAccount, outcome: FenceOutcome): WriteEnded => {
    outcomes.set(account, outcome);
    return { status: outcome.record.status, rows: [] };
  };
  const writer: KindWriter<FencedAccount> = {
    write: async (_, item) =>
      told(item, await provisioned(session, bound, facts, item.fence, item.account, item.merged)),
    unsent: ({ item }, why) =>
      told(
        item,
        notProvisioned(
          facts,
          item,
          'refused' in why
            ? describeError(why.refused)
            : `not started: the ${why.deadline.seconds}s deadline (\`${why.deadline.input}\`) passed before its turn`,
        ),
      ),
  };
  const writes = inForce.flatMap(({ fence, accounts }) =>
    accounts.map((account) => ({
      kind: 'aws-permission-set',
      change: 'provision' as const,
      item: { fence, account, merged: merged || !!fence.accounts },
    })),
  );
  await runWrites({ writes }, { maxConcurrency: 1, bound, writerOf: () => writer as KindWriter });
}

/**
 * The account's fence, written: the set provisioned there, and what the revoke's row gains. A
 * fence the step merged across its accounts (`merged`) names them in the row, and its notice says
 * (once, the same on each row) whose sessions end where.
 */
async function provisioned(
  session: SsoSession,
  bound: WaitBound & { deadline: Deadline },
  facts: FenceSetFacts,
  fence: SessionFence,
  account: string,
  merged: boolean,
): Promise<FenceOutcome> {
  const ended = await provisionWhereListed(
    session,
    { arn: fence.setArn, name: facts.name },
    account,
    bound,
  ).catch((error: unknown) => ({ status: 'FAILED' as const, reason: describeError(error) }));
  if (ended.status === 'FAILED' || ended.status === 'IN_PROGRESS')
    return notProvisioned(facts, { fence, account }, ended.reason);
  // Not listed, or refused and no longer listed: the role went with the set's last assignment there.
  const how = ended.status === 'SUCCEEDED' ? {} : { how: 'role removed' as const };
  const accounts = fence.accounts ? { accounts: [...fence.accounts] } : {};
  const until = liveUntilOf(fence, facts);
  return {
    amends: {
      sessionsEnded: { account, before: fence.before, until, ...accounts, ...how },
      ...(merged && fence.accounts ? { sessionsNotice: overFenced(facts.name, fence) } : {}),
    },
    record: { ...recordOf(facts, fence, account), status: 'SUCCEEDED' },
  };
}

/** The fence is written, and not in force in `account`: the set was not provisioned there (`why`). */
const notProvisioned = (
  facts: FenceSetFacts,
  { fence, account }: Pick<FencedAccount, 'fence' | 'account'>,
  why: string,
): FenceOutcome =>
  failed(
    facts,
    fence,
    account,
    `the session fence of ${facts.name} was written but not provisioned to ${account} (${why})`,
  );

/** What a fence merged across the step's accounts ends beyond what the step revoked, said once. */
function overFenced(name: string, fence: SessionFence): string {
  const users = fence.userIds?.length ?? 0;
  const whose = users > 0 ? `the sessions of the ${users} user(s) the step revoked` : 'every session';
  const again =
    users > 0
      ? 'these users sign in again where they still hold it'
      : 'whoever still holds it signs in again';
  return `end-sessions: one session fence per account did not fit the inline policy of ${name} (IAM's 10,240 characters without whitespace), so one fence ends ${whose} issued before ${fence.before} in each of ${accountsOf(fence).join(', ')}: sessions of the set end in every one of those accounts, where the step revoked them and where it did not, and ${again}`;
}

const recordOf = (facts: FenceSetFacts, fence: SessionFence, account: string) => ({
  arn: fence.setArn,
  name: facts.name,
  account,
  fence,
});

export function failed(
  facts: FenceSetFacts,
  fence: SessionFence,
  account: string,
  why: string,
): FenceOutcome {
  const liveUntil = liveUntilOf(fence, facts);
  const fenceError = `${why}: sessions of ${facts.name} in ${account} issued before ${fence.before} may stay live until ${liveUntil}`;
  return {
    amends: { sessionsLiveUntil: liveUntil, fenceError },
    record: { ...recordOf(facts, fence, account), status: 'FAILED', failureReason: fenceError },
  };
}

export function tooLargeOutcome(
  facts: FenceSetFacts,
  fence: SessionFence,
  account: string,
  characters: number,
): FenceOutcome {
  const liveUntil = liveUntilOf(fence, facts);
  return {
    amends: {
      sessionsLiveUntil: liveUntil,
      sessionsWarning: `end-sessions: sessions of the permission set ${facts.name} in ${account} issued before ${fence.before} stay valid until ${liveUntil}: a session fence would push its inline policy past IAM's 10,240 characters (without whitespace), even merged with its other fences there and with the step's fences of the set across its accounts`,
    },
    record: {
      ...recordOf(facts, fence, account),
      status: 'FAILED',
      failureReason: `too large: its inline policy would hold ${characters} characters`,
    },
  };
}

/** Until when the sessions a fence ends would have lived: its time plus the set's session duration. */
export const liveUntilOf = (fence: SessionFence, facts: FenceSetFacts): string =>
  isoSeconds(Date.parse(fence.before) + facts.sessionSeconds * 1000);
