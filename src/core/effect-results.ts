// What the kinds' effects on a delete add to its row, as a step shows it: the permission-set kind's
// session fence (./permission-sets/session-fence.ts), its fields of the row's `results` entry
// (./types.ts GrantResult), the words it adds to the row's log line, the job summary's table, and
// the failure it makes of a delete that SUCCEEDED. The output room (./output/) shows every effect
// through these, without knowing which they are.
import { inertText } from './inert.js';
import { named } from './shown-names.js';
import type { GrantResult } from './grant-result.js';

/** Why a row whose write SUCCEEDED failed all the same: its fence was not written, so its sessions may stay live. */
export const effectFailureOf = (r: GrantResult): string | undefined => r.fenceError;

/** The fields of a row's `results` entry the effect added to it (engine/calls/write-plan.ts WriteEffect `amends`). */
export function effectFieldsOf(
  r: GrantResult,
): Partial<Pick<GrantResult, 'sessionsEnded' | 'sessionsLiveUntil' | 'fenceError' | 'expiredFencesRemoved'>> {
  return {
    ...(r.sessionsEnded ? { sessionsEnded: r.sessionsEnded } : {}),
    ...(r.sessionsLiveUntil ? { sessionsLiveUntil: r.sessionsLiveUntil } : {}),
    ...(r.fenceError ? { fenceError: inertText(r.fenceError) } : {}),
    ...(r.expiredFencesRemoved ? { expiredFencesRemoved: r.expiredFencesRemoved } : {}),
  };
}

/**
 * The expired session fences the row's fence put took out, as the log says them: one line each,
 * naming the set, the account and the Sid (`set` shows the row's set as the step names it).
 */
export function effectRemovalLinesOf(r: GrantResult, set: string): string[] {
  return (r.expiredFencesRemoved ?? []).map((f) =>
    inertText(
      `removed the expired session fence ${f.sid} of ${set} in ${(f.accounts ?? [f.account]).join(', ')} (sessions issued before ${f.before}, needed until ${f.expiresAt})`,
    ),
  );
}

/** What a revoke's session fence did, after its outcome: `; live sessions ended (issued before 14:05:02Z)`. */
export function effectWordsOf(r: GrantResult): string {
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

/** A table of the job summary, as data: its heading, its columns and its rows (text, escaped by the output). */
export interface EffectTable {
  heading: string;
  header: string[];
  rows: string[][];
}

/**
 * The job summary's "Sessions ended": each revoke's fence, or until when its sessions stay live;
 * `principal` shows a row's principal as the step's own table does.
 */
export function effectTablesOf(
  results: readonly GrantResult[],
  principal: (r: GrantResult) => string,
): EffectTable[] {
  const rows = results
    .filter((r) => r.sessionsEnded || r.sessionsLiveUntil)
    .map((r) => [
      named(r.role, r.roleName),
      r.sessionsEnded?.account ?? named(r.target, r.targetName),
      r.principal ? principal(r) : '',
      r.sessionsEnded?.how === 'role removed'
        ? 'every session: the role went with the last assignment'
        : r.sessionsEnded
          ? `issued before ${r.sessionsEnded.before}${r.sessionsEnded.accounts ? ` (one fence across ${r.sessionsEnded.accounts.join(', ')})` : ''}`
          : `none: valid until ${r.sessionsLiveUntil!}${r.fenceError ? ' (the fence failed)' : ''}`,
    ]);
  if (rows.length === 0) return [];
  return [
    { heading: 'Sessions ended', header: ['permission set', 'account', 'principal', 'sessions ended'], rows },
  ];
}
