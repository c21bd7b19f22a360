// What the permission-set kind's session fence adds to the row of the delete it followed, as a step
// shows it (../effect-results.ts EffectShown): its fields (under the row's `effects`, which its
// `results` entry carries as its own), the words it adds to the row's log line, the job summary's
// "Sessions ended", the failure it makes of a delete that SUCCEEDED, its warnings and notices.
import { inertText } from '../inert.js';
import { named } from '../shown-names.js';
import type { GrantResult } from '../grant-result.js';
import type { EffectShown, EffectTable } from '../effect-results.js';

/** The sessions a revoke's fence ended: those of `account` issued before `before`, which would have lived until `until`. */
export interface SessionsEnded {
  account: string;
  /** A fence merged across the step's accounts: each of them, where its users' sessions of the set end too. */
  accounts?: string[];
  before: string;
  until: string;
  how?: 'role removed';
}

/** An expired session fence a put took out of a permission set: its account, its Sid, what it ended and until when it was needed. */
export interface FenceRemoved {
  account: string;
  /** A fence merged across accounts: each account it named. */
  accounts?: string[];
  sid: string;
  before: string;
  expiresAt: string;
}

/** What the fence adds to a row, under its name. */
export interface SessionFenceFields {
  /**
   * AWS revoke: the live sessions its delete left, ended by a session fence in the permission set
   * (./session-fence.ts), provisioned to `account`; `how`: the role went with the set's last
   * assignment there. ISO 8601 UTC with seconds.
   */
  sessionsEnded?: SessionsEnded;
  /** AWS revoke with no fence written: until when sessions taken before it stay valid (ISO 8601 UTC). */
  sessionsLiveUntil?: string;
  /** AWS revoke: the fence failed (the delete SUCCEEDED): why, and which sessions may stay live. The step fails. */
  fenceError?: string;
  /** AWS revoke: why no fence was written where one could not be (a set not opted in): one warning per set. */
  sessionsWarning?: string;
  /** AWS revoke with `end-sessions: false`: until when its sessions stay valid, said once as a notice. */
  sessionsNotice?: string;
  /** The set's expired session fences its fence's put took out (on the first row of that put). */
  expiredFencesRemoved?: FenceRemoved[];
}

const NAME = 'sessionFence';

/** What the fence added to the row; nothing when it added nothing. */
export const fenceOf = (r: Pick<GrantResult, 'effects'>): SessionFenceFields =>
  (r.effects?.[NAME] ?? {}) as SessionFenceFields;

/** The fence's fields as a row carries them (what a write's `amends` add to the row it followed). */
export const fenceFields = (fields: SessionFenceFields): Pick<GrantResult, 'effects'> =>
  Object.keys(fields).length > 0 ? { effects: { [NAME]: fields } } : {};

/** The fields of a row's `results` entry the fence added to it (engine/calls/write-plan.ts WriteEffect `amends`). */
function fieldsOf(r: GrantResult): Partial<SessionFenceFields> {
  const f = fenceOf(r);
  return {
    ...(f.sessionsEnded ? { sessionsEnded: f.sessionsEnded } : {}),
    ...(f.sessionsLiveUntil ? { sessionsLiveUntil: f.sessionsLiveUntil } : {}),
    ...(f.fenceError ? { fenceError: inertText(f.fenceError) } : {}),
    ...(f.expiredFencesRemoved ? { expiredFencesRemoved: f.expiredFencesRemoved } : {}),
  };
}

/**
 * The expired session fences the row's fence put took out, as the log says them: one line each,
 * naming the set, the account and the Sid (`set` shows the row's set as the step names it).
 */
function removalLinesOf(r: GrantResult, set: string): string[] {
  return (fenceOf(r).expiredFencesRemoved ?? []).map((f) =>
    inertText(
      `removed the expired session fence ${f.sid} of ${set} in ${(f.accounts ?? [f.account]).join(', ')} (sessions issued before ${f.before}, needed until ${f.expiresAt})`,
    ),
  );
}

/** What a revoke's session fence did, after its outcome: `; live sessions ended (issued before 14:05:02Z)`. */
function wordsOf(result: GrantResult): string {
  const r = { ...fenceOf(result), resolved: result.resolved };
  const time = (iso: string) => iso.slice(11);
  const across = r.sessionsEnded?.accounts
    ? ` by one fence across ${r.sessionsEnded.accounts.length} accounts (${r.sessionsEnded.accounts.join(', ')}): it ends those sessions of the set in each of them, revoked there or not`
    : '';
  if (r.sessionsEnded?.how === 'role removed')
    return `; live sessions ended (the role went with the set's last assignment in ${r.sessionsEnded.account})`;
  // A group's fence has no user condition: every session of the set in that account ends. A fence
  // merged across the step's accounts (`accounts`) ends them in each: over-fencing, said.
  if (r.sessionsEnded && r.resolved?.principalType === 'GROUP')
    return `; every live session of the set in ${r.sessionsEnded.account} ended (issued before ${time(r.sessionsEnded.before)})${across}: whoever still holds it signs in again`;
  if (r.sessionsEnded)
    return `; live sessions ended (issued before ${time(r.sessionsEnded.before)})${across}`;
  if (r.fenceError) return `; live sessions NOT ended: valid until ${r.sessionsLiveUntil ?? 'their expiry'}`;
  return '';
}

/**
 * The job summary's "Sessions ended": each revoke's fence, or until when its sessions stay live;
 * `principal` shows a row's principal as the step's own table does.
 */
function tablesOf(results: readonly GrantResult[], principal: (r: GrantResult) => string): EffectTable[] {
  const rows = results
    .map((r) => ({ r, f: fenceOf(r) }))
    .filter(({ f }) => f.sessionsEnded || f.sessionsLiveUntil)
    .map(({ r, f }) => [
      named(r.role, r.roleName),
      f.sessionsEnded?.account ?? named(r.target, r.targetName),
      r.principal ? principal(r) : '',
      f.sessionsEnded?.how === 'role removed'
        ? 'every session: the role went with the last assignment'
        : f.sessionsEnded
          ? `issued before ${f.sessionsEnded.before}${f.sessionsEnded.accounts ? ` (one fence across ${f.sessionsEnded.accounts.join(', ')})` : ''}`
          : `none: valid until ${f.sessionsLiveUntil!}${f.fenceError ? ' (the fence failed)' : ''}`,
    ]);
  if (rows.length === 0) return [];
  return [
    { heading: 'Sessions ended', header: ['permission set', 'account', 'principal', 'sessions ended'], rows },
  ];
}

/** The fence, as the output shows every effect (../output/effects.ts). */
export const SESSION_FENCE_SHOWN: EffectShown = {
  name: NAME,
  failureOf: (r) => fenceOf(r).fenceError,
  fieldsOf,
  wordsOf,
  removalLinesOf,
  tablesOf,
  warningOf: (r) => fenceOf(r).sessionsWarning,
  noticeOf: (r) => fenceOf(r).sessionsNotice,
  liveUntilOf: (r) => fenceOf(r).sessionsLiveUntil,
};
