// The permission-set kind's effect on an account assignment's delete (engine/calls/write-plan.ts
// WriteEffect): once a delete SUCCEEDED, the sessions it left live end. A session fence
// (core/permission-sets/session-fence.ts) goes into the set's inline policy by read–modify–write
// (./fence-policy.ts) and the set is provisioned to that account only. One fence per set and
// account per step: a later delete there rewrites the step's own fence (its latest time, the union
// of its users); the puts of one set are made one at a time. A set neither owned nor opted in
// (./fence-set-facts.ts) is not written: one warning per set. The outcome lands on the revoke's own
// row (`amends`); a fence that fails leaves the revoke SUCCEEDED and fails the step.
import { describeError } from '../../core/errors.js';
import type { AwsSessionSettings } from '../../core/inputs/index.js';
import {
  fenceFor,
  fencedPolicy,
  isoSeconds,
  withFence,
  withoutExpired,
  type FencedPolicy,
  type SessionFence,
} from '../../core/permission-sets/session-fence.js';
import type { AwsResolvedIds, GrantResult } from '../../core/types.js';
import type { KindWriter, PlannedWriteOf, WriteEffect, WriteEnded } from '../../engine/calls/write-plan.js';
import type { WaitBound } from '../../engine/limits/deadline.js';
import type { SsoSession } from '../sso/session.js';
import { fenceRecord, type FenceChange } from './fence-record.js';
import { provisionToAccount, rewriteInlinePolicy, type PolicyRewrite } from './fence-policy.js';
import { END_SESSIONS_TAG, fenceSetFacts, type FenceSetFacts } from './fence-set-facts.js';

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
}

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
  const writer = fenceWriter(settings, session, bound, now);
  return {
    on: { kind: 'aws-account-assignment', change: 'delete' },
    writer: writer as KindWriter,
    after: (write, ended) => fenceWritesAfter(ended, now()),
  };
}

/** A delete that removed an assignment (or a dry run's that would): the fence write after it. */
function fenceWritesAfter(ended: WriteEnded, revokedAt: number): PlannedWriteOf<FenceWrite>[] {
  const row = ended.rows[0];
  const ids = row?.resolved as AwsResolvedIds | undefined;
  if (!row || ids?.cloud !== 'aws' || row.change !== 'delete' || row.status !== 'SUCCEEDED') return [];
  const preview = !row.changed && row.after !== 'absent';
  if (!row.changed && !preview) return [];
  const item: FenceWrite = {
    setArn: ids.roleId,
    account: ids.accountId,
    userId: ids.principalType === 'GROUP' ? undefined : ids.principalId,
    revokedAt,
    preview,
  };
  return [{ kind: 'aws-permission-set', change: 'update', item }];
}

/** What one set's fences share within the step: its facts, its warning said once, its puts in turn. */
interface SetState {
  warned: boolean;
  turn: Promise<unknown>;
  /** Each account's fence this step wrote. */
  written: Map<string, SessionFence>;
}

function fenceWriter(
  settings: Pick<AwsSessionSettings, 'endSessions'>,
  session: SsoSession,
  bound: WaitBound,
  now: () => number,
): KindWriter<FenceWrite> {
  const factsOf = fenceSetFacts(session);
  const sets = new Map<string, SetState>();
  const stateOf = (arn: string) => {
    let state = sets.get(arn);
    if (!state) {
      state = { warned: false, turn: Promise.resolve(), written: new Map() };
      sets.set(arn, state);
    }
    return state;
  };
  return {
    async write(_, item, context) {
      const facts = await factsOf(item.setArn).catch((error: unknown) => ({ unread: error }));
      if ('unread' in facts) {
        // `end-sessions: false` writes nothing: a read it could not make fails nothing either.
        if (settings.endSessions === false) return ended({});
        const reason = `could not read the permission set ${item.setArn} (${describeError(facts.unread)})`;
        return ended({
          fenceError: `${reason}: sessions issued before the revoke may stay live until they expire`,
        });
      }
      const state = stateOf(item.setArn);
      const fence = fenceFor(item.setArn, item.account, item.revokedAt, facts.sessionSeconds);
      const until = isoSeconds(Date.parse(fence.before) + facts.sessionSeconds * 1000);
      if (settings.endSessions === false) return ended({ sessionsLiveUntil: until });
      // A dry run revokes nothing: its row says what the revoke would leave, and nothing warns.
      if (!facts.fenced && item.preview)
        return ended({
          note: `no fence: ${facts.name} is neither owned nor opted in (\`${END_SESSIONS_TAG}\`), so a revoke would leave its sessions valid for up to ${facts.sessionSeconds / 3600} h`,
        });
      if (!facts.fenced) {
        const warning = state.warned ? undefined : notOptedIn(facts.name, fence.before, until);
        state.warned = true;
        return ended({ sessionsLiveUntil: until, ...(warning ? { sessionsWarning: warning } : {}) });
      }
      if (item.preview)
        return ended({
          note: `~ fence ${facts.name} in ${item.account}: sessions issued before ${fence.before.slice(11)} end`,
        });
      const turn = state.turn.then(() => fenceAndProvision({ session, bound, now }, item, facts, state));
      state.turn = turn.catch(() => undefined);
      const outcome = await turn;
      context.recordChange?.(`the session fence of ${facts.name} in ${item.account}`, (step, n, at) =>
        fenceRecord(outcome.record, step, n, at),
      );
      return ended(outcome.amends);
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
}

/** The step's fence of the set in the account, written and provisioned: what the revoke's row gains, and the record. */
async function fenceAndProvision(
  { session, bound, now }: { session: SsoSession; bound: WaitBound; now: () => number },
  item: FenceWrite,
  facts: FenceSetFacts,
  state: SetState,
): Promise<{ amends: Partial<GrantResult>; record: FenceChange }> {
  const earlier = state.written.get(item.account);
  const users =
    item.userId === undefined || (earlier && !earlier.userIds)
      ? undefined
      : [...(earlier?.userIds ?? []), item.userId];
  const revokedAt = Math.max(item.revokedAt, earlier ? Date.parse(earlier.before) : 0);
  const fence = fenceFor(item.setArn, item.account, revokedAt, facts.sessionSeconds, users);
  const record = { arn: item.setArn, name: facts.name, account: item.account, fence };
  const failed = (why: string, fenceOf = fence) => {
    const liveUntil = liveUntilOf(fenceOf, facts);
    const fenceError = `${why}: sessions of ${facts.name} in ${item.account} issued before ${fenceOf.before} may stay live until ${liveUntil}`;
    return {
      amends: { sessionsLiveUntil: liveUntil, fenceError },
      record: { ...record, fence: fenceOf, status: 'FAILED' as const, failureReason: fenceError },
    };
  };
  const rewrite = await rewriteInlinePolicy<SessionFence>(session, item.setArn, (read) =>
    addedFence(read, fence, earlier, now()),
  );
  if ('refused' in rewrite && rewrite.refused.startsWith(TOO_LARGE)) {
    const liveUntil = liveUntilOf(fence, facts);
    return {
      amends: {
        sessionsLiveUntil: liveUntil,
        sessionsWarning: tooLarge(facts.name, item.account, fence.before, liveUntil),
      },
      record: { ...record, status: 'FAILED', failureReason: rewrite.refused },
    };
  }
  if ('refused' in rewrite || 'failed' in rewrite)
    return failed(
      `the session fence of ${facts.name} in ${item.account} was not written (${'refused' in rewrite ? rewrite.refused : rewrite.failed})`,
    );
  const written = 'written' in rewrite ? rewrite.written : rewrite.unchanged;
  state.written.set(item.account, written);
  const provisioned = await provisionToAccount(
    session,
    { arn: item.setArn, name: facts.name },
    item.account,
    bound,
  );
  if (provisioned.status === 'FAILED' || provisioned.status === 'IN_PROGRESS') {
    if (!provisioned.roleRemoved)
      return failed(
        `the session fence of ${facts.name} was written but not provisioned to ${item.account} (${provisioned.reason})`,
        written,
      );
  }
  const how = provisioned.status === 'SUCCEEDED' ? {} : { how: 'role removed' as const };
  const until = liveUntilOf(written, facts);
  return {
    amends: { sessionsEnded: { account: item.account, before: written.before, until, ...how } },
    record: { ...record, fence: written, status: 'SUCCEEDED' },
  };
}

const TOO_LARGE = 'too large:';

/** The policy read with the step's fence added (in place of its earlier one there) and the set's expired fences taken out. */
function addedFence(
  read: FencedPolicy,
  fence: SessionFence,
  earlier: SessionFence | undefined,
  now: number,
): PolicyRewrite<SessionFence> {
  const kept = withoutExpired(read, now).policy;
  const added = withFence(kept, fence, earlier ? [earlier] : []);
  if ('tooLarge' in added)
    return { refused: `${TOO_LARGE} its inline policy would hold ${added.characters} characters` };
  const policy = fencedPolicy(added.text, fence.setArn);
  if ('unreadable' in policy) return { refused: policy.unreadable };
  return { policy, text: added.text, outcome: added.written };
}

/** Until when the sessions a fence ends would have lived: its time plus the set's session duration. */
const liveUntilOf = (fence: SessionFence, facts: FenceSetFacts) =>
  isoSeconds(Date.parse(fence.before) + facts.sessionSeconds * 1000);

const ended = (amends: Partial<GrantResult>): WriteEnded => ({ status: 'SUCCEEDED', rows: [], amends });

function notOptedIn(name: string, before: string, until: string): string {
  return `end-sessions: sessions of the permission set ${name} issued before ${before} stay valid until ${until}: the action neither owns the set (tag \`cloud-access:manifest\`) nor was it opted in; tag it \`${END_SESSIONS_TAG}\` = \`true\` for a revoke to end them`;
}

function tooLarge(name: string, account: string, before: string, until: string): string {
  return `end-sessions: sessions of the permission set ${name} in ${account} issued before ${before} stay valid until ${until}: a session fence would push its inline policy past IAM's 10,240 characters (without whitespace), even merged with its other fences there`;
}
