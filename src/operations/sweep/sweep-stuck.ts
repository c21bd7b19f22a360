// What no sweep will end, said where people look: each stuck grant (unproven, every claimant ended
// or unprovable, sweep-plan.ts `stuckSince`) is a warning annotation naming it, why (the claim at
// fault) and how to remove it by hand; while any has been stuck for more than a day the step fails
// (input `fail-on-stuck`), so the scheduled workflow turns red and GitHub notifies. Annotations are
// made inert where they are written (github/log.ts). Pure.
import { safeIso } from '../../core/duration.js';
import { removalCommand, type AwsInstance } from '../../core/claims/by-hand.js';
import type { SweepEntry } from '../../core/claims/claims.js';
import type { Annotation } from '../../core/output/step.js';

/** How long a grant may be stuck before the sweep fails: a day, so a grant left a day is never quiet. */
export const STUCK_FAILS_AFTER_MS = 24 * 60 * 60_000;

export interface StuckOptions {
  now: number;
  /** Input `fail-on-stuck`. */
  failOnStuck: boolean;
  instance?: AwsInstance | undefined;
}

export const stuckEntries = (entries: readonly SweepEntry[]): SweepEntry[] =>
  entries.filter((e) => e.kind === 'unproven' && e.stuckSince !== undefined);

const overADay = (entry: SweepEntry, now: number) => now - entry.stuckSince! > STUCK_FAILS_AFTER_MS;

const grantOf = (entry: SweepEntry) => {
  const { shown } = entry.claim;
  return `${shown.principal} / ${shown.role} / ${shown.target}`;
};

/** A warning per stuck grant: which, since when, why, and the command that removes it. */
export function stuckWarnings(entries: readonly SweepEntry[], options: StuckOptions): Annotation[] {
  return stuckEntries(entries).map((entry) => ({
    level: 'warning',
    message: `no sweep will end ${grantOf(entry)}: stuck since ${safeIso(entry.stuckSince!)}${overADay(entry, options.now) ? ' (more than a day)' : ''}, every run that claims it has ended or cannot be proven: ${entry.reason}. Once nobody needs it, remove it by hand: ${removalCommand(entry.claim, options.instance)}`,
  }));
}

/** The failure while a grant has been stuck for more than a day and `fail-on-stuck` is set. */
export function stuckFailure(
  entries: readonly SweepEntry[],
  options: StuckOptions,
): { reason: string; failed: string } | undefined {
  if (!options.failOnStuck) return undefined;
  const old = stuckEntries(entries).filter((e) => overADay(e, options.now));
  if (old.length === 0) return undefined;
  const reason = `${old.length} grant(s) no sweep will end have been stuck for more than a day: ${old.map(grantOf).join('; ')}`;
  return {
    reason,
    failed: `${reason}. Remove each by hand (its warning gives the command) or mend what its reason names; \`fail-on-stuck: false\` only warns`,
  };
}
