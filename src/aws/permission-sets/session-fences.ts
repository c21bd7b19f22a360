// The permission-set kind's effect on an account assignment's delete (engine/calls/write-plan.ts
// WriteEffect): once a delete SUCCEEDED, the sessions it left live end. A session fence
// (core/permission-sets/session-fence.ts) goes into the set's inline policy by read–modify–write
// (./fence-policy.ts) and the set is provisioned to the fenced accounts only. The effect is
// gathered: its writes start once every delete of the plan has ended, so the first fence write of
// a set puts the fences of all its accounts at once, then provisions each (./fence-put.ts), and
// no account fenced is left outdated by a later put; the set's other writes of the step take that
// put's outcome. A set neither owned nor opted in (./fence-set-facts.ts) is not written: one
// warning per set. The outcome lands on the revoke's own row (`amends`); a fence that fails leaves
// the revoke SUCCEEDED and fails the step.
import { describeError } from '../../core/errors.js';
import type { AwsSessionSettings } from '../../core/inputs/index.js';
import { accountsOf, fenceSid, type SessionFence } from '../../core/permission-sets/session-fence.js';
import type { AwsResolvedIds } from '../../core/types.js';
import { type SessionFenceFields } from '../../core/permission-sets/session-fence-results.js';
import type {
  KindWriter,
  PlannedWriteOf,
  WriteContext,
  WriteEffect,
  WriteEnded,
} from '../../engine/calls/write-plan.js';
import type { WaitBound } from '../../engine/limits/deadline.js';
import type { SsoSession } from '../sso/session.js';
import { fenceRecord, removalOf, removedFence } from './fence-record.js';
import { putFences, type FencesPut, type FenceWrite } from './fence-put.js';
import { type FenceOutcome } from './fence-provisioning.js';
import { fenceSetFacts, type FenceSetFacts } from './fence-set-facts.js';
import { answeredWithoutPut, ended } from './fence-unwritten.js';

export type { FenceWrite } from './fence-put.js';

const bySession = new WeakMap<SsoSession, WriteEffect[]>();

/**
 * The effects the AWS assignment drivers of `session` carry: one per session, so that every
 * driver of a step (a reconcile has one per principal type) shares its fences.
 */
export function sessionFencesOf(
  settings: Pick<AwsSessionSettings, 'endSessions'>,
  session: SsoSession,
  bound: WaitBound,
): readonly WriteEffect[] {
  let effects = bySession.get(session);
  if (!effects) {
    effects = [sessionFenceEffect(settings, session, bound)];
    bySession.set(session, effects);
  }
  return effects;
}

/** The effect, as the AWS assignment drivers carry it. */
export function sessionFenceEffect(
  settings: Pick<AwsSessionSettings, 'endSessions'>,
  session: SsoSession,
  bound: WaitBound,
  now: () => number = Date.now,
): WriteEffect {
  const { writer, gather } = fenceWriter(settings, session, bound, now);
  return {
    on: { kind: 'aws-account-assignment', change: 'delete' },
    writer: writer as KindWriter,
    gathered: true,
    followsAccepted: true,
    after: (write, ended) => {
      const writes = fenceWritesAfter(ended, now());
      writes.forEach((w) => gather(w.item));
      return writes;
    },
  };
}

/** A delete that removed an assignment (or a dry run's that would): the fence write after it. */
function fenceWritesAfter(ended: WriteEnded, revokedAt: number): PlannedWriteOf<FenceWrite>[] {
  const row = ended.rows[0];
  const ids = row?.resolved as AwsResolvedIds | undefined;
  if (!row || ids?.cloud !== 'aws' || row.change !== 'delete') return [];
  // A delete accepted and not followed (`wait: false`): no fence can follow it, and the row says so.
  // One the deadline cut short already fails the step, saying the request may still finish.
  const unfollowed = row.status === 'IN_PROGRESS' && row.changed && row.failureReason === undefined;
  if (row.status !== 'SUCCEEDED' && !unfollowed) return [];
  const preview = !row.changed && row.after !== 'absent';
  if (!row.changed && !preview) return [];
  const item: FenceWrite = {
    setArn: ids.roleId,
    account: ids.accountId,
    userId: ids.principalType === 'GROUP' ? undefined : ids.principalId,
    revokedAt,
    preview,
    ...(unfollowed ? { unfollowed: true as const } : {}),
  };
  return [{ kind: 'aws-permission-set', change: 'update', item }];
}

/** What one set's fences share within the step: its warning said once, its puts in turn. */
interface SetState {
  warned: boolean;
  turn: Promise<unknown>;
  /** Each account's fence this step wrote. */
  written: Map<string, SessionFence>;
  /** The fence writes the deletes added, not yet in a put. */
  pending: FenceWrite[];
  /** The put each fence write went into: each account's outcome, and the expired fences it took out. */
  puts: Map<FenceWrite, Promise<FencesPut>>;
  /** The outcomes whose record the step's trail has: one per account a put fenced; the puts whose removals it has. */
  recorded: WeakSet<FenceOutcome | FencesPut>;
}

function fenceWriter(
  settings: Pick<AwsSessionSettings, 'endSessions'>,
  session: SsoSession,
  bound: WaitBound,
  now: () => number,
): { writer: KindWriter<FenceWrite>; gather(item: FenceWrite): void } {
  const factsOf = fenceSetFacts(session);
  const sets = new Map<string, SetState>();
  const stateOf = (arn: string) => {
    let state = sets.get(arn);
    if (!state) {
      state = {
        warned: false,
        turn: Promise.resolve(),
        written: new Map(),
        pending: [],
        puts: new Map(),
        recorded: new WeakSet(),
      };
      sets.set(arn, state);
    }
    return state;
  };
  /** The put `item` goes into: one put for every fence write of its set the deletes added by then, one put at a time. */
  const putOf = (item: FenceWrite, facts: FenceSetFacts, state: SetState) => {
    const known = state.puts.get(item);
    if (known) return known;
    const writes = state.pending.includes(item) ? state.pending : [...state.pending, item];
    state.pending = [];
    const put = state.turn.then(() => putFences({ session, bound, now }, writes, facts, state.written));
    state.turn = put.catch(() => undefined);
    for (const w of writes) state.puts.set(w, put);
    return put;
  };
  const writer: KindWriter<FenceWrite> = {
    async write(_, item, context) {
      const facts = await factsOf(item.setArn, item).catch((error: unknown) => ({ unread: error }));
      if ('unread' in facts) {
        // `end-sessions: false` writes nothing: a read it could not make fails nothing either.
        if (settings.endSessions === false) return ended({});
        if (item.unfollowed)
          return ended({
            sessionsWarning: `end-sessions: sessions of ${item.setArn} issued before the revoke stay valid until they expire (the set could not be read: ${describeError(facts.unread)}): with \`wait: false\` the step does not follow the delete, so it cannot end them; \`wait: true\` ends them`,
          });
        const reason = `could not read the permission set ${item.setArn} (${describeError(facts.unread)})`;
        return ended({
          fenceError: `${reason}: sessions issued before the revoke may stay live until they expire`,
        });
      }
      const state = stateOf(item.setArn);
      const answered = answeredWithoutPut(settings.endSessions, item, facts, state);
      if (answered) return answered;
      const put = await putOf(item, facts, state);
      const outcome = put.outcomes.get(item.account)!;
      if (!state.recorded.has(outcome)) {
        state.recorded.add(outcome);
        context.recordChange?.(
          `the session fence of ${facts.name} in ${item.account}`,
          fenceRecord(outcome.record),
        );
      }
      return ended({ ...outcome.amends, ...removalsSaid(put, facts.name, state, context) });
    },
    unsent(write, why) {
      const reason =
        'refused' in why
          ? describeError(why.refused)
          : `the ${why.deadline.seconds}s deadline (\`${why.deadline.input}\`) passed before it`;
      return ended({
        fenceError: `the session fence of ${write.item.setArn} in ${write.item.account} was not written (${reason}): sessions issued before the revoke may stay live until they expire`,
      });
    },
  };
  return {
    writer,
    gather: (item) => {
      if (!item.preview && !item.unfollowed) stateOf(item.setArn).pending.push(item);
    },
  };
}

/**
 * The expired fences the put took out: said on the first row the put ends (its `results` entry
 * and log line), and each recorded once in the step's trail.
 */
function removalsSaid(
  put: FencesPut,
  name: string,
  state: SetState,
  context: WriteContext,
): SessionFenceFields {
  if (state.recorded.has(put) || put.removed.length + put.superseded.length === 0) return {};
  state.recorded.add(put);
  for (const fence of put.removed)
    context.recordChange?.(
      `removal of the expired session fence of ${name} in ${accountsOf(fence).join(', ')}`,
      fenceRecord({ ...removalOf(fence, name), status: 'SUCCEEDED' }),
    );
  // A live fence a later one covers is taken out too: its sessions stay ended, by the later fence.
  for (const { fence, by } of put.superseded)
    context.recordChange?.(
      `removal of the session fence of ${name} in ${accountsOf(fence).join(', ')}, superseded by ${fenceSid(by)}`,
      fenceRecord({ ...removalOf(fence, name), status: 'SUCCEEDED', supersededBy: fenceSid(by) }),
    );
  return put.removed.length > 0 ? { expiredFencesRemoved: put.removed.map(removedFence) } : {};
}
