// The sweep's writes of expired session fences, as one plan run by the engine's one write path
// (engine/run/run-writes.ts): each set's expired fences taken out of its inline policy (an
// `update` of the set: read–modify–write, read back, ./fence-policy.ts), and, once that SUCCEEDED,
// the set provisioned to each account the fences it took out named (its `provision` writes, which
// the update adds after it as an effect: which fences it took out is known only once it has), so
// the roles there lose the Deny. A set's outcome, and each of its fences' `audit-log` record
// (./fence-record.ts), once its update and every provisioning after it have ended.
import { describeError } from '../../core/errors.js';
import { accountsOf, type SessionFence } from '../../core/permission-sets/session-fence.js';
import { withoutExpired } from '../../core/permission-sets/fenced-policy.js';
import { fenceAccounts } from '../../core/permission-sets/set-fences.js';
import type { AuditTrail } from '../../engine/audit/trail.js';
import type { Deadline, WaitBound } from '../../engine/limits/deadline.js';
import type { KindWriter, Unsent, WriteEffect, WriteEnded } from '../../engine/calls/write-plan.js';
import { runWrites } from '../../engine/run/run-writes.js';
import type { SsoSession } from '../sso/session.js';
import { provisionWhereListed, rewriteInlinePolicy } from './fence-policy.js';
import { fenceRecord } from './fence-record.js';

/** Sets written side by side: the session paces the calls. */
const SETS_AT_ONCE = 4;

/** A set with expired fences, as the sweep read it. */
export interface ExpiredInSet {
  arn: string;
  name: string;
  fences: SessionFence[];
}

/** What came of one set's expired fences. */
export interface SetSwept extends ExpiredInSet {
  status: 'SUCCEEDED' | 'FAILED' | 'DRY_RUN';
  failureReason?: string;
  /** The accounts provisioned after the removal. */
  provisioned: string[];
}

export interface FenceWritesOptions {
  now: number;
  bound: WaitBound & { deadline: Deadline };
  audit?: AuditTrail | undefined;
}

/** One set's writes as they end: its update's, then each provisioning's, by account. */
interface SetWrites {
  set: ExpiredInSet;
  /** Why the update failed; or, once it SUCCEEDED, the fences it took out. */
  updated?: { failed: string } | { fences: SessionFence[] };
  /** Each account the fences named: provisioned, no longer provisioned (nothing to do), or why it failed. */
  accounts: Map<string, 'provisioned' | 'not-provisioned' | { failed: string }>;
  swept?: SetSwept;
}

/** The expired fences of `sets` taken out, and their sets provisioned: what came of each set, in order. */
export async function removeExpiredFences(
  session: SsoSession,
  sets: readonly ExpiredInSet[],
  options: FenceWritesOptions,
): Promise<SetSwept[]> {
  const writes = sets.map((set): SetWrites => ({ set, accounts: new Map() }));
  const provision = provisionWriter(session, options.bound);
  const effect: WriteEffect = {
    on: { kind: 'aws-permission-set', change: 'update' },
    writer: provision as KindWriter,
    after: (write) => {
      const of = write.item as SetWrites;
      const updated = of.updated && 'fences' in of.updated ? of.updated.fences : [];
      return fenceAccounts(updated).map((account) => ({
        kind: 'aws-permission-set',
        change: 'provision',
        item: { of, account },
      }));
    },
  };
  await runWrites(
    { writes: writes.map((item) => ({ kind: 'aws-permission-set', change: 'update', item })) },
    {
      maxConcurrency: SETS_AT_ONCE,
      bound: options.bound,
      writerOf: () => updateWriter(session, options) as KindWriter,
      effects: [effect],
    },
  );
  return writes.map((w) => w.swept ?? sweptOf(w));
}

const notStarted = (why: Unsent): string =>
  'refused' in why
    ? describeError(why.refused)
    : `not started: the ${why.deadline.seconds}s deadline (\`${why.deadline.input}\`) passed before its turn; nothing was requested; ${why.deadline.advice}`;

/** The writer of each set's update: its expired fences taken out, after the step's first record. */
function updateWriter(session: SsoSession, options: FenceWritesOptions): KindWriter<SetWrites> {
  const ended = (w: SetWrites, updated: SetWrites['updated'] & object): WriteEnded => {
    w.updated = updated;
    return { status: 'failed' in updated ? 'FAILED' : 'SUCCEEDED', rows: [] };
  };
  return {
    async write(_, w) {
      try {
        await options.audit?.beforeFirstWrite('revoke', () => []);
      } catch (error) {
        return ended(w, { failed: describeError(error) });
      }
      const rewrite = await rewriteInlinePolicy<SessionFence[]>(session, w.set.arn, (read) => {
        const { policy, expired } = withoutExpired(read, options.now);
        return expired.length > 0 ? { policy, outcome: expired } : { unchanged: [] };
      });
      if ('refused' in rewrite) return ended(w, { failed: rewrite.refused });
      if ('failed' in rewrite) return ended(w, { failed: rewrite.failed });
      return ended(w, { fences: 'written' in rewrite ? rewrite.written : rewrite.unchanged });
    },
    unsent(write, why) {
      return ended(write.item, { failed: notStarted(why) });
    },
    // The update and the provisionings after it have ended: what came of the set, and its records.
    settled(write) {
      const w = write.item;
      w.swept = sweptOf(w);
      recordSwept(w.swept, options.audit);
    },
  };
}

/**
 * The writer of a set's provisioning to one account its fences named, where the set is still
 * provisioned there (nothing is sent to an account Identity Center no longer lists; one whose role
 * went meanwhile needs none).
 */
function provisionWriter(
  session: SsoSession,
  bound: WaitBound & { deadline: Deadline },
): KindWriter<{ of: SetWrites; account: string }> {
  const ended = (
    { of, account }: { of: SetWrites; account: string },
    outcome: 'provisioned' | 'not-provisioned' | { failed: string },
  ): WriteEnded => {
    of.accounts.set(account, outcome);
    return { status: typeof outcome === 'object' ? 'FAILED' : 'SUCCEEDED', rows: [] };
  };
  return {
    async write(_, item) {
      const { of, account } = item;
      try {
        const provisioned = await provisionWhereListed(
          session,
          { arn: of.set.arn, name: of.set.name },
          account,
          bound,
        );
        if (provisioned.status === 'NOT_PROVISIONED' || provisioned.status === 'ROLE_REMOVED')
          return ended(item, 'not-provisioned');
        if (provisioned.status === 'SUCCEEDED') return ended(item, 'provisioned');
        return ended(item, { failed: provisioned.reason });
      } catch (error) {
        return ended(item, { failed: describeError(error) });
      }
    },
    unsent(write, why) {
      return ended(write.item, { failed: notStarted(why) });
    },
  };
}

/** What came of a set: its update's failure, or the fences it took out and the provisionings that failed after. */
function sweptOf({ set, updated, accounts }: SetWrites): SetSwept {
  if (!updated || 'failed' in updated)
    return {
      ...set,
      provisioned: [],
      status: 'FAILED',
      failureReason: updated?.failed ?? 'not written',
    };
  const fences = updated.fences;
  const named = fenceAccounts(fences);
  const provisioned = named.filter((a) => accounts.get(a) !== 'not-provisioned');
  const failures = named.flatMap((a) => {
    const outcome = accounts.get(a);
    return typeof outcome === 'object' ? [`provisioning to ${a}: ${outcome.failed}`] : [];
  });
  return {
    ...set,
    fences,
    provisioned,
    status: failures.length > 0 ? 'FAILED' : 'SUCCEEDED',
    ...(failures.length > 0
      ? { failureReason: `taken out of the inline policy, but ${failures.join('; ')}` }
      : {}),
  };
}

/** Each fence of a set the sweep wrote: its `audit-log` record. */
function recordSwept(swept: SetSwept, audit: AuditTrail | undefined): void {
  const { arn, name } = swept;
  for (const fence of swept.fences)
    audit?.recordChange(
      `removal of the expired session fence of ${name} in ${accountsOf(fence).join(', ')}`,
      fenceRecord({
        arn,
        name,
        account: fence.account,
        fence,
        status: swept.status === 'FAILED' ? 'FAILED' : 'SUCCEEDED',
        ...(swept.failureReason ? { failureReason: swept.failureReason } : {}),
        removal: true,
      }),
    );
}
