// What revoke-on-exit says: what each saved grant came to and the tally of them, the post step's
// notice and warnings, and the error of a post step that may not act, with how to remove each
// grant it leaves by hand. Pure.
import { escapeHtmlWithCode } from '../../core/inert.js';
import { kindNamed } from '../../core/kinds/index.js';
import type { CalledAs } from '../../core/kinds/kind.js';
import { type HandedOver, type SavedGrant, type SavedSettings } from '../../core/state/saved-state.js';
import type { Grant, WrittenGrant } from '../../core/types.js';
import type { GrantResult } from '../../core/grant-result.js';
import type { OwnershipVerdict, SavedCreate } from '../../engine/run/ownership.js';
import type { GrantDriver } from '../../engine/calls/driver.js';
import { removalParts } from '../../core/claims/by-hand.js';
import { fewNamed, grantName } from '../../core/output/named-grants.js';
import { runHeaderHtml, type RunHeader } from '../../core/output/run-header.js';
import type { StepReport } from '../../core/output/step.js';

/**
 * A post step that stops before any revoke (its state void, its inputs now refuse, a sign-in that
 * fails): the step fails with `message`, and its summary says it under the run's header.
 */
export function postStepFailed(message: string, header: RunHeader): StepReport {
  return {
    summaryHtml: [
      runHeaderHtml({ ...header, title: `${header.title} failed` }),
      `<p>${escapeHtmlWithCode(message)}</p>`,
      '',
    ].join('\n'),
    failed: message,
  };
}

/** What the post step's revokes came to, grant by grant. */
export interface RevokeTally {
  /** Deleted: the service confirmed the delete removed the assignment. */
  revoked: number;
  /** Gone before the delete, or never made (the create this step sent FAILED). */
  alreadyAbsent: number;
  /** Not revoked for an error, or because the deadline came first. */
  failed: number;
  /** Left alone because they existed before the main step. */
  existedBefore: number;
  /** Left alone because the service did not show that this step created them. */
  notShownOwn: number;
  /** Time-bound (Azure `duration`) and not removable yet (PIM's minimum active time): Azure ends them on time. */
  leftToExpire?: number;
  /** Of those, the ones whose kind is called otherwise (an eligibility), said as such: how many of each. */
  leftToExpireCalled?: Map<string, { called: CalledAs; count: number }>;
}

/** The post step's one notice: how many grants were revoked, already absent, failed, left in place. */
export function describeRevokes(t: RevokeTally): string {
  const expiring = t.leftToExpire ?? 0;
  const left = t.existedBefore + t.notShownOwn + expiring;
  const why = [
    t.existedBefore > 0 ? `${t.existedBefore} existed before the main step` : '',
    t.notShownOwn > 0 ? `${t.notShownOwn} not shown to be its own` : '',
    expiring > 0
      ? `${expiringWords(expiring, [...(t.leftToExpireCalled?.values() ?? [])])}, which Azure ends at their end time`
      : '',
  ].filter(Boolean);
  return `revoke-on-exit: ${t.revoked} revoked, ${t.alreadyAbsent} already absent, ${t.failed} failed, ${left} left in place${why.length > 0 ? ` (${why.join(', ')})` : ''}`;
}

/**
 * The one warning for time-bound grants the post step could not remove yet (PIM's minimum active
 * time): access that stays until Azure ends it deserves more than the notice's count, but once for
 * the step, not once a grant. Each grant's own reason is in its log group and the summary.
 */
export function leftToExpireWarning(grants: readonly ExpiringGrant[]): string | undefined {
  if (grants.length === 0) return undefined;
  const tally = calledTally(grants);
  const named = fewNamed(
    grants.map((g) => g.result),
    (g) => `${grantName(g)}${g.expiresAt ? ` until ${g.expiresAt}` : ''}`,
  );
  const others = [...tally.values()];
  const only = others.length === 1 && others[0]!.count === grants.length ? others[0]!.called.one : undefined;
  const what = only ? `an ${only}` : others.length === 0 ? 'an assignment' : 'any of them';
  return `revoke-on-exit could not remove ${expiringWords(grants.length, others, ' grant')} yet (${named}): Azure PIM refuses to end ${what} within 5 minutes of its start, and those had not passed when \`post-timeout-seconds\` ran out. Azure ends ${grants.length === 1 ? 'it at its' : 'each at its'} end time`;
}

/** A grant left for the cloud to end, with what its kind is called (core/kinds/kind.ts `called`). */
export interface ExpiringGrant {
  result: GrantResult;
  called?: CalledAs;
}

/** How many of each kind called otherwise (an eligibility) there are, by its name. */
export function calledTally(
  grants: readonly ExpiringGrant[],
): Map<string, { called: CalledAs; count: number }> {
  const tally = new Map<string, { called: CalledAs; count: number }>();
  for (const { called } of grants)
    if (called) tally.set(called.one, { called, count: (tally.get(called.one)?.count ?? 0) + 1 });
  return tally;
}

/**
 * `2 time-bound grants and 1 eligibility`: a kind called otherwise (an eligibility) is said as
 * such, never as a time-bound grant (`noun` after `time-bound`, none in the notice's count).
 */
function expiringWords(
  count: number,
  others: readonly { called: CalledAs; count: number }[],
  noun = '',
): string {
  const timeBound = count - others.reduce((n, o) => n + o.count, 0);
  return [
    timeBound > 0 ? `${timeBound} time-bound${noun}${noun && timeBound !== 1 ? 's' : ''}` : '',
    ...others.map((o) => `${o.count} ${o.count === 1 ? o.called.one : o.called.many}`),
  ]
    .filter(Boolean)
    .join(' and ');
}

/** A grant the main step saved, as the message for one left behind names it. */
export interface LeftBehind {
  written: WrittenGrant;
  /** How to remove it by hand (a CLI command with its IDs). */
  removeBy: string;
}

/**
 * The instance a main step's handed-over state names, as the adapter that handed it over reads it
 * (aws/sso/handed-over.ts): the post step keeps that state unread. Undefined: it names none.
 */
export type InstanceHandedOver = (handedOver: HandedOver | undefined) => string | undefined;

/**
 * How to remove a saved grant by hand, with its IDs (checked against the services' patterns on
 * load), and on AWS the instance the driver handed over, when it names one.
 */
export function leftBehind(
  entry: Pick<SavedGrant, 'ids' | 'grant'>,
  { settings, handedOver }: { settings: SavedSettings; handedOver?: HandedOver | undefined },
  instanceOf: InstanceHandedOver,
): LeftBehind {
  const { ids } = entry;
  return {
    written: entry.grant.written,
    // AWS: the type the main step signed in to write (an Azure kind's command has none).
    removeBy: kindNamed(entry.grant.kind).removeByHand(removalParts(ids, settings.principalType), {
      instanceArn: instanceOf(handedOver),
    }),
  };
}

/**
 * The one error of a post step that leaves the main step's grants in place because it may not act
 * on them (its \`revoke-on-exit\` is now false, or its inputs are not valid): what is left, and
 * how to remove each by hand.
 */
export function leftBehindError(
  why: string,
  left: LeftBehind[],
  whose = 'the main step created',
  /** What ends them otherwise, said before "remove by hand". */
  ending?: string,
): string {
  const listed = left.slice(0, 10).map((g) => `${grantName(g.written)} (${g.removeBy})`);
  const more = left.length > 10 ? `; and ${left.length - 10} more, in the saved state` : '';
  const them = left.length === 1 ? 'it' : 'them';
  return `revoke-on-exit: ${why}, so the ${left.length} grant${left.length === 1 ? '' : 's'} ${whose} ${left.length === 1 ? 'is' : 'are'} left in place: ${listed.join('; ')}${more}. ${ending ? `${ending}; otherwise remove ${them}` : `Remove ${them}`} by hand if not needed`;
}

/** A saved grant the post step did not revoke, and why (`verdict`). */
export function notRevoked(
  cloud: Grant['cloud'],
  entry: SavedCreate & { grant: Pick<Grant, 'written'> },
  verdict: Extract<OwnershipVerdict, { ours: false }>,
): GrantResult {
  return {
    cloud,
    operation: 'revoke',
    ...entry.grant.written,
    resolved: entry.ids,
    status: verdict.status,
    changed: false,
    before: verdict.gone ? 'absent' : 'unknown',
    after: verdict.gone ? 'absent' : 'unknown',
    change: 'none',
    durationMs: 0,
    ...(verdict.status === 'SUCCEEDED' ? { note: verdict.reason } : { failureReason: verdict.reason }),
  };
}

/** A create the main step saved, with the grant it stands for. */
export interface OwnedCreate<G extends Grant = Grant> extends SavedCreate {
  grant: G;
}

/** What the saved grants' revokes came to. */
export interface GrantEnds<G extends Grant = Grant> {
  /** One per saved create, in their order. */
  results: GrantResult[];
  tally: RevokeTally;
  /** Time-bound grants the service would not remove yet (PIM's minimum active time): it ends them itself. */
  leftToExpire: ExpiringGrant[];
  /** Left in place though they may be the step's (the service cannot tell): a person should look. */
  mayBeOwn: OwnedCreate<G>[];
}

/**
 * What each saved grant came to, in their order: revoked, or why not (the verdict of its check,
 * or the one it met in its own turn), each not told as it ended told to `onResult` now; and the
 * tally of them all.
 */
export function grantEnds<G extends Grant>(
  saved: readonly OwnedCreate<G>[],
  cloud: GrantDriver<G>['cloud'],
  {
    verdicts,
    late: lateVerdicts,
    revokedBy,
  }: {
    verdicts: readonly OwnershipVerdict[];
    late: ReadonlyMap<G, Extract<OwnershipVerdict, { ours: false }>>;
    revokedBy: ReadonlyMap<G, GrantResult>;
  },
  options: { existedBefore: number; onResult?: ((result: GrantResult) => void) | undefined },
): GrantEnds<G> {
  const tally: RevokeTally = {
    revoked: 0,
    alreadyAbsent: 0,
    failed: 0,
    existedBefore: options.existedBefore,
    notShownOwn: 0,
  };
  const leftToExpire: ExpiringGrant[] = [];
  const mayBeOwn: OwnedCreate<G>[] = [];
  const results = saved.map((entry, i): GrantResult => {
    const late = lateVerdicts.get(entry.grant);
    const done = late ? undefined : revokedBy.get(entry.grant);
    if (done) {
      if (done.status !== 'SUCCEEDED') tally.failed++;
      else if (done.changed) tally.revoked++;
      else if (done.after !== 'present') tally.alreadyAbsent++;
      else if (done.endsOnItsOwn) {
        // Not removable yet (PIM's minimum active time), and time-bound: said, not failed.
        tally.leftToExpire = (tally.leftToExpire ?? 0) + 1;
        const called = kindNamed(entry.grant.kind).called;
        leftToExpire.push({ result: done, ...(called ? { called } : {}) });
        tally.leftToExpireCalled = calledTally(leftToExpire);
      } else tally.notShownOwn++;
      return done;
    }
    // Why each grant was not revoked is in its result (the log group and the summary).
    const verdict = late ?? (verdicts[i] as Extract<OwnershipVerdict, { ours: false }>);
    if (verdict.leftInPlace) {
      tally.notShownOwn++;
      if (verdict.mayBeOwn) mayBeOwn.push(entry);
    } else if (verdict.status === 'SUCCEEDED') tally.alreadyAbsent++;
    else tally.failed++;
    // A grant left in its turn was logged as the grant writer ended it.
    if (late) return revokedBy.get(entry.grant) ?? notRevoked(cloud, entry, verdict);
    const result = notRevoked(cloud, entry, verdict);
    options.onResult?.(result);
    return result;
  });
  return { results, tally, leftToExpire, mayBeOwn };
}
