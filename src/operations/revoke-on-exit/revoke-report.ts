// What revoke-on-exit says: the post step's notice and warnings, the error of a post step that
// may not act, and the main step's notice about grants it relies on but did not make. Pure.
import { escapeHtmlWithCode } from '../../core/inert.js';
import type { GrantResult, WrittenGrant } from '../../core/types.js';
import { runHeaderHtml, type RunHeader } from '../../core/report/run-header.js';
import type { StepReport } from '../../core/report/step.js';

/** The title of the post step's summary: `cloud-access: aws revoke on exit`, the cloud once the state says it. */
export const postTitle = (cloud: string | undefined): string =>
  `cloud-access: ${cloud ? `${cloud} ` : ''}revoke on exit`;

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
}

/** The post step's one notice: how many grants were revoked, already absent, failed, left in place. */
export function describeRevokes(t: RevokeTally): string {
  const expiring = t.leftToExpire ?? 0;
  const left = t.existedBefore + t.notShownOwn + expiring;
  const why = [
    t.existedBefore > 0 ? `${t.existedBefore} existed before the main step` : '',
    t.notShownOwn > 0 ? `${t.notShownOwn} not shown to be its own` : '',
    expiring > 0 ? `${expiring} time-bound, which Azure ends at their end time` : '',
  ].filter(Boolean);
  return `revoke-on-exit: ${t.revoked} revoked, ${t.alreadyAbsent} already absent, ${t.failed} failed, ${left} left in place${why.length > 0 ? ` (${why.join(', ')})` : ''}`;
}

/**
 * The one warning for time-bound grants the post step could not remove yet (PIM's minimum active
 * time): access that stays until Azure ends it deserves more than the notice's count, but once for
 * the step, not once a grant. Each grant's own reason is in its log group and the summary.
 */
export function leftToExpireWarning(grants: GrantResult[]): string | undefined {
  if (grants.length === 0) return undefined;
  const named = fewNamed(grants, (g) => `${grantName(g)}${g.expiresAt ? ` until ${g.expiresAt}` : ''}`);
  return `revoke-on-exit could not remove ${grants.length} time-bound grant${grants.length === 1 ? '' : 's'} yet (${named}): Azure PIM refuses to end an assignment within 5 minutes of its start, and still did when \`post-timeout-seconds\` ran out. Azure ends ${grants.length === 1 ? 'it at its' : 'each at its'} end time`;
}

/**
 * The main step's one notice for grants it relies on but did not create: they existed before it
 * (or another party's create raced its own), so its post step leaves them in place, and another
 * run that did create them may remove them with its own revoke-on-exit while this job still needs
 * them. Said by the job at risk, once; undefined when there is none.
 */
export function sharedGrantsNotice(reliedOn: WrittenGrant[]): string | undefined {
  if (reliedOn.length === 0) return undefined;
  const one = reliedOn.length === 1;
  return `revoke-on-exit: ${reliedOn.length} grant${one ? '' : 's'} this step relies on (${fewNamed(reliedOn, grantName)}) ${one ? 'was' : 'were'} not made by it, so it leaves ${one ? 'it' : 'them'} in place; another run that made ${one ? 'it' : 'them'} may remove ${one ? 'it' : 'them'} with its own revoke-on-exit while this job runs. Put jobs that share a grant in one \`concurrency:\` group`;
}

/**
 * What the main step says of a grant it found already in place: revoke-on-exit leaves it, and what
 * became of the run's reliance on it (engine/reliance.ts), when it sent one.
 */
export function foundInPlaceNote(reliance: GrantResult['reliance']): string {
  if (!reliance) return 'revoke-on-exit leaves it in place: it existed before this step';
  const request = reliance.requestId ? `request ${reliance.requestId}` : '';
  const what = (...parts: (string | undefined)[]) => {
    const said = parts.filter(Boolean).join(', ');
    return said ? ` (${said})` : '';
  };
  switch (reliance.status) {
    case 'SUCCEEDED':
      return `already in place; reliance registered for the sweep${what(request)}: revoke-on-exit leaves it in place, and a sweep waits for this run too`;
    case 'IN_PROGRESS':
      return `already in place; reliance sent for the sweep${what(request, 'not yet ended', reliance.failureReason)}: revoke-on-exit leaves it in place`;
    case 'FAILED':
      return `already in place; reliance not registered for the sweep${what(reliance.failureReason, request)}: revoke-on-exit leaves it in place`;
  }
}

/**
 * The main step's one warning for grants it found in place whose reliance it could not register:
 * the grants are there, but nothing tells a sweep, or the post step of the run that made them,
 * that this job needs them. Undefined when there is none.
 */
export function unregisteredRelianceWarning(results: GrantResult[]): string | undefined {
  const failed = results.filter((r) => r.reliance?.status === 'FAILED');
  if (failed.length === 0) return undefined;
  const one = failed.length === 1;
  const reason = failed[0]!.reliance!.failureReason;
  return `revoke-on-exit: this step found ${failed.length} grant${one ? '' : 's'} already in place (${fewNamed(failed, grantName)}) and could not register its reliance on ${one ? 'it' : 'them'}${reason ? ` (${reason})` : ''}: ${one ? 'it stays' : 'they stay'}, but a sweep, or the post step of the run that made ${one ? 'it' : 'them'}, may end ${one ? 'it' : 'them'} while this job runs. Put jobs that share a grant in one \`concurrency:\` group`;
}

/** A grant the main step saved, as the message for one left behind names it. */
export interface LeftBehind {
  written: WrittenGrant;
  /** How to remove it by hand (a CLI command with its IDs). */
  removeBy: string;
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

const grantName = (g: WrittenGrant) => `${g.principal} → ${g.target} / ${g.role}`;

/** The first three items named, and how many more: a warning names examples, not a list. */
function fewNamed<T>(items: T[], name: (item: T) => string): string {
  const more = items.length > 3 ? ` and ${items.length - 3} more` : '';
  return `${items.slice(0, 3).map(name).join('; ')}${more}`;
}
