// The Azure sweep's care of the grants it leaves while a run still relies on them: the reliance
// markers of runs that have ended are removed from the description, so that a grant shared by many
// runs over its life does not fill its 2048 characters with the dead and cut off the next relier.
// Only `:r` markers go: the user's text, the creating run's `:e` (which the sweep needs to prove
// the claim once the last relier ends) and every live run's marker are written back as they are.
// ARM takes no ETag on a role assignment and keeps the last write, so a relier whose marker lands
// (and reads back) between the sweep's read and its PUT is written over, unseen, and a later sweep
// would end the grant while that job runs: the sweep writes only a description more than half full,
// where the dead would soon cut off the next relier anyway. The relier itself makes room when its
// marker would not fit (core/state/azure-reliance.ts: the markers of its repository's ended runs
// go in its own write), so this is the second way, for what the relier's token cannot read; a
// sweep's write applied before a relier's read-back is healed by it (azure/arm/reliance.ts).
import type { RoleAssignment } from '@azure/arm-authorization';
import { describeError } from '../../core/errors.js';
import { DESCRIPTION_MAX } from '../../core/inputs/azure-description.js';
import { withoutRelianceMarkers, type AzureRunMark } from '../../core/run-marks.js';
import type { Claim, ClaimMark, SweepEntry } from '../../core/claims/claims.js';
import { mapWithConcurrency } from '../../engine/limits/limits.js';
import { putDescription, rewritable } from '../arm/description-write.js';
import type { ArmSession } from '../arm/session.js';

const sameRun = (mark: AzureRunMark, ended: ClaimMark) =>
  mark.repository === ended.run.repository &&
  mark.runId === ended.run.runId &&
  mark.attempt === ended.run.attempt &&
  mark.expiresAt === ended.expiresAt;

/** The description without the reliance markers of the `ended` runs, all else kept; and how many went. Pure. */
export function withoutEndedReliers(
  description: string,
  ended: readonly ClaimMark[],
): { description: string; removed: number } {
  const next = withoutRelianceMarkers(description, (m) => ended.some((e) => sameRun(m, e)));
  return { description: next.description, removed: next.removed.length };
}

/** The assignment read again by name as the sweep listed it, or why it is not. */
export type ReadAgain = (claim: Claim) => Promise<{ found: RoleAssignment } | { why: string }>;

/** A description this long or shorter has room for the next reliers: it is not written again. */
export const TIDY_FROM = DESCRIPTION_MAX / 2;

interface TidyOptions {
  dryRun: boolean;
  readAgain: ReadAgain;
  /** `audit-log`: resolves once the step's first record is written; no rewrite is sent before, nor when it rejects. */
  beforeWrite?: (() => Promise<void>) | undefined;
}

/** Rewrites at once (ARM's write bucket is paced by the session). */
const REWRITES_AT_ONCE = 4;

/**
 * Each `running` entry with ended reliers: its description written again without their markers,
 * read again by name just before (a write since the list leaves it for the next sweep). Only on an
 * assignment the sweep's own identity made: ARM records the rewrite's writer as `updatedBy`, and
 * the relying steps and the maker's post step trust a description last written by its maker, so
 * a rewrite by another identity would cut off the next relier and keep the grant past its runs.
 */
export async function tidyLeftGrants(
  session: ArmSession,
  entries: readonly SweepEntry[],
  options: TidyOptions,
): Promise<{ tidied: Map<Claim, string>; notes: string[] }> {
  const tidied = new Map<Claim, string>();
  let written = 0;
  const due = entries.filter((e) => e.kind === 'running' && (e.endedReliers?.length ?? 0) > 0);
  await mapWithConcurrency(due, REWRITES_AT_ONCE, async ({ claim, endedReliers }) => {
    const runs = endedReliers!.map((m) => `run ${m.run.runId} attempt ${m.run.attempt}`).join(', ');
    const said = await tidyOne(session, claim, endedReliers!, options);
    if (said.written) written++;
    tidied.set(
      claim,
      said.written
        ? `the markers of ${runs}, which have ended, ${options.dryRun ? 'would be' : 'were'} removed from its description`
        : `the markers of ${runs}, which have ended, are kept: ${said.why}`,
    );
  });
  const verb = options.dryRun ? 'would be written' : 'written';
  return {
    tidied,
    notes:
      due.length > 0
        ? [
            `${due.length} grant(s) left hold the markers of ended runs: ${written} description(s) ${verb} again without them`,
          ]
        : [],
  };
}

async function tidyOne(
  session: ArmSession,
  claim: Claim,
  ended: readonly ClaimMark[],
  { dryRun, readAgain, beforeWrite }: TidyOptions,
): Promise<{ written: true } | { written: false; why: string }> {
  const own = session.objectId;
  if (!own || claim.madeBy !== own)
    return {
      written: false,
      why: `the sweep signs in as ${own ?? 'an identity its token does not name'}, not ${claim.madeBy} that made it, and a description it wrote would no longer be its maker's to the steps that rely on it (sign the sweep in as the identity your ephemeral steps use to have them removed)`,
    };
  try {
    const again = await readAgain(claim);
    if ('why' in again) return { written: false, why: again.why };
    const current = rewritable(again.found);
    if (typeof current === 'string') return { written: false, why: current };
    if (current.description.length <= TIDY_FROM)
      return {
        written: false,
        why: `its description (${current.description.length} of ${DESCRIPTION_MAX} characters) has room for the next reliers, and a write over it could replace the marker of a relier writing meanwhile (ARM takes no ETag); it is written again once more than half full`,
      };
    const next = withoutEndedReliers(current.description, ended);
    if (next.removed === 0) return { written: false, why: 'read again, its description holds none of them' };
    if (!dryRun && claim.ids.cloud === 'azure') {
      await beforeWrite?.();
      await putDescription(session, claim.ids, current, next.description);
    }
    return { written: true };
  } catch (error) {
    return { written: false, why: `its description could not be written again: ${describeError(error)}` };
  }
}
