// What an assign whose grants end with the job says of the grants it found in place: revoke-on-exit
// leaves them, and what became of the run's reliance on them. Pure.
import { fewNamed, grantName } from '../../core/output/named-grants.js';
import type { WrittenGrant } from '../../core/types.js';
import type { GrantResult } from '../../core/grant-result.js';

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
 * became of the run's reliance on it (engine/run/reliance.ts), when it sent one.
 */
export function foundInPlaceNote(reliance: GrantResult['reliance']): string {
  if (!reliance) return 'revoke-on-exit leaves it in place: it existed before this step';
  if (reliance.remade?.byStep)
    return `${reliance.remade.why}: it is this step's own create, and revoke-on-exit revokes it (only this job's post step does: a sweep never takes a reliance for a creation)`;
  if (reliance.remade) return `${reliance.remade.why}: revoke-on-exit leaves it in place, and the step warns`;
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
 * The main step's one warning for grants it found in place that were deleted before its reliance
 * landed, which may then have made them again, and not shown to: nothing ends them by itself (the
 * post step revokes only what it shows the step made, and a sweep never takes a reliance for a
 * creation). AWS only: Azure's reliance write says so itself (201), and its markers let a sweep
 * end the grant. Undefined when there is none.
 */
export function remadeRelianceWarning(results: GrantResult[]): string | undefined {
  const remade = results.filter((r) => r.reliance?.remade && !r.reliance.remade.byStep);
  if (remade.length === 0) return undefined;
  const one = remade.length === 1;
  const it = one ? 'it' : 'them';
  return `revoke-on-exit: ${remade.length} grant${one ? '' : 's'} this step found in place (${fewNamed(remade, grantName)}) may have been made again by its reliance (${remade[0]!.reliance!.remade!.why}), and nothing will end ${it} automatically: the post step revokes only what it shows this step made, and a sweep never takes a reliance for a creation. Once every job that uses ${it} has ended, check and remove ${it} (\`operation: revoke\`, or \`aws sso-admin delete-account-assignment\`); put jobs that share a grant in one \`concurrency:\` group so that none ends it between another's read and its reliance`;
}

/**
 * An access request's note on a grant it found in place (AWS): left as it is, and relied on until
 * the request's expiry (`-tr`), so that a sweep does not end it under the request before then.
 */
export function timeBoundFoundNote(reliance: GrantResult['reliance'], expiresAt: string): string {
  const registered =
    reliance?.status === 'SUCCEEDED'
      ? `reliance registered until ${expiresAt}${reliance.requestId ? ` (request ${reliance.requestId})` : ''}`
      : `reliance not registered${reliance?.failureReason ? ` (${reliance.failureReason})` : ''}: a sweep may end it before ${expiresAt} if another run made it`;
  return `already in place: the request leaves it as it is; ${registered}`;
}
