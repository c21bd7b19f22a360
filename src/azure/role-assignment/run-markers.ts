// The claims role assignments carry, as the sweep, the report and the reconcile read them (the
// pure part; what a claim is and whether it is live is core/claims/'s). A claim is an assignment whose description ends with run markers
// (core/run-marks.ts): the first the creating run's (`:e`), any after it the runs that relied on it
// since (shared grants). It holds only when ARM's server-set `createdBy` and `updatedBy` are both
// of `created-by`: anyone who may write a description can copy a marker, and ARM keeps `createdBy`
// when another identity edits the description. Everything ARM answered is taken as hostile: an
// assignment whose name, scope, ID, principal, role, creator or last writer is not of the form the
// project accepts is no claim, and what is shown and deleted is rebuilt from validated parts.
import type { RoleAssignment } from '@azure/arm-authorization';
import { keyOfIds } from '../../core/kinds/index.js';
import { safeIso } from '../../core/duration.js';
import {
  azureRunMarkerOf,
  azureRunMarksOf,
  describedWithRunMarker,
  type AzureRunMark,
} from '../../core/run-marks.js';
import type { Claim, ClaimMark, Relier } from '../../core/claims/claims.js';
import { namedPrincipal, principalKindOf } from '../../core/shown-names.js';
import { type Checked, checkedAssignment } from './checked-assignment.js';

/** Whose markers count: the object IDs (lower case), and how the reason names them. */
export interface CreatedBy {
  ids: ReadonlySet<string>;
  /** E.g. `5b7d…` or `5b7d…, the sweep's own identity, as \`created-by\` is not set`. */
  shown: string;
}

/**
 * Whose markers count: `created-by`, or the identity the step signs in as (its token's `oid`, which
 * ARM records as `createdBy` of what that identity creates); undefined when neither is known.
 * `step`: how the reason names that identity (`the sweep's`).
 */
export function createdByIdentities(
  createdBy: readonly string[],
  own: string | undefined,
  step: string,
): CreatedBy | undefined {
  if (createdBy.length > 0) {
    const ids = createdBy.map((id) => id.toLowerCase());
    return { ids: new Set(ids), shown: ids.join(', ') };
  }
  if (!own) return undefined;
  return { ids: new Set([own]), shown: `${own}, ${step} own identity, as \`created-by\` is not set` };
}

/** The claims among the assignments listed, and what the rest were, for the log. */
export interface AzureClaimsRead {
  claims: Claim[];
  /** Distinct assignments listed (one listed under two overlapping scopes counts once). */
  seen: number;
  /** Well formed, without a run marker at the end of the description: not a sweep's to consider. */
  unmarked: number;
  /** Not of the form ARM writes (or a second assignment of one principal, role and scope): ignored. */
  malformed: number;
}

/** The claims among `assignments` (the lists of every swept scope, in order). */
export function azureClaimsOf(assignments: readonly RoleAssignment[], createdBy: CreatedBy): AzureClaimsRead {
  const listed = new Set<string>();
  const places = new Set<string>();
  const read: AzureClaimsRead = { claims: [], seen: 0, unmarked: 0, malformed: 0 };
  for (const a of assignments) {
    const key = typeof a.id === 'string' ? a.id.toLowerCase() : undefined;
    if (key !== undefined) {
      if (listed.has(key)) continue;
      listed.add(key);
    }
    read.seen++;
    const c = checkedAssignment(a);
    if (!c) {
      read.malformed++;
      continue;
    }
    // ARM refuses a second assignment of one principal, role and scope: a list showing two is not
    // to be acted on (a revoke is found by principal, role and scope).
    const place = keyOfIds('azure-role-assignment', c.ids);
    if (places.has(place)) {
      read.malformed++;
      continue;
    }
    places.add(place);
    const claim = claimOf(c, createdBy);
    if (claim) read.claims.push(claim);
    else read.unmarked++;
  }
  return read;
}

const bracketed = (mark: AzureRunMark) => `[${azureRunMarkerOf(mark)}]`;

const claimMarkOf = (mark: AzureRunMark): ClaimMark => ({
  run: { repository: mark.repository, runId: mark.runId, attempt: mark.attempt },
  ephemeral: true,
  ...(mark.expiresAt !== undefined ? { expiresAt: mark.expiresAt } : {}),
});

function claimOf(c: Checked, createdBy: CreatedBy): Claim | undefined {
  const { text, marks } = azureRunMarksOf(c.description);
  const [first, ...later] = marks;
  if (!first) return undefined;
  const madeBy = c.createdBy ?? 'unknown';
  const lastBy = c.updatedBy ?? 'unknown';
  const reliers = later.map((mark): Relier => ({
    ...claimMarkOf(mark),
    // ARM keeps only the last writer: each relying run's marker is as trusted as that writer.
    madeBy: lastBy,
    madeAt: c.updatedOn,
    evidence: `description marker ${bracketed(mark)} on ${c.id}, updatedBy ${lastBy}`,
  }));
  return {
    ids: c.ids,
    shown: {
      principal: namedPrincipal(c.ids.principalId, undefined, principalKindOf(c.ids.principalType)),
      role: c.ids.roleId,
      target: c.ids.scope.scope,
    },
    mark: claimMarkOf(first),
    ...(reliers.length > 0 ? { reliers } : {}),
    madeBy,
    madeAt: c.createdOn,
    evidence: `description marker ${bracketed(first)} on ${c.id}, createdBy ${madeBy}, updatedBy ${lastBy}`,
    standing: standingOf(c, { text, marks }, createdBy),
  };
}

/**
 * A grant no run's creation proves (a person's, one made before the markers) whose first marker is
 * a run's reliance (`:r`, written by a step that found it in place): the relying runs' claim, as
 * long as one of them needs it, when the markers read back as a step writes them and ARM's last
 * writer is of `created-by` (each relying run's marker is as trusted as that writer). A reliance
 * never proves who made a grant, so the sweep never revokes for it; a reconcile leaves it while it
 * is live; a report says it, and classes the grant by its creation. Undefined when it is no such reliance.
 */
export function azureRelianceClaim(a: RoleAssignment, createdBy: CreatedBy): Claim | undefined {
  const c = checkedAssignment(a);
  if (!c) return undefined;
  const { text, marks } = azureRunMarksOf(c.description);
  if (!marks[0]?.relies || marks.reduce(describedWithRunMarker, text) !== c.description) return undefined;
  if (c.updatedBy === undefined || !createdBy.ids.has(c.updatedBy)) return undefined;
  const claim = claimOf(c, createdBy);
  if (!claim || claim.standing.holds) return claim;
  return {
    ...claim,
    madeBy: c.updatedBy,
    madeAt: c.updatedOn,
    evidence: `a run's reliance: description marker ${bracketed(marks[0])} on ${c.id}, updatedBy ${c.updatedBy} (the grant itself: ${claim.standing.reason})`,
    standing: { holds: true },
    reliance: true,
  };
}

/** Whether the markers prove a run's claim: written as a step writes them, first a creation, by `created-by` alone. */
function standingOf(
  c: Checked,
  { text, marks }: { text: string; marks: AzureRunMark[] },
  createdBy: CreatedBy,
): Claim['standing'] {
  const unproven = (reason: string) => ({ holds: false as const, kind: 'unproven' as const, reason });
  // Read back, the markers must give the description again exactly: a marker a step cannot have
  // written (an expiry no number holds, no space before it) is not taken for one.
  if (marks.reduce(describedWithRunMarker, text) !== c.description)
    return unproven('its description ends with markers no step writes in that form: they prove nothing');
  if (marks[0]!.relies)
    return unproven(
      `its first marker is a reliance (\`:r\`), not a creation (\`:e\`): a run that relied on an assignment never made it, so whoever made it is not known`,
    );
  if (c.createdBy === undefined || !createdBy.ids.has(c.createdBy))
    return unproven(
      `the marker is on an assignment ${c.createdBy ?? 'an unknown identity'} created, not one of \`created-by\` (${createdBy.shown}): a marker copied by hand proves nothing`,
    );
  // A run's grant (created by `created-by`, a creation marker first) that another identity wrote
  // since: no sweep will prove it, so once its runs have ended it is stuck (said, and a failure).
  if (c.updatedBy === undefined || !createdBy.ids.has(c.updatedBy))
    return {
      ...unproven(
        `it was last written by ${c.updatedBy ?? 'an identity ARM does not name'} (updatedBy, at ${safeIso(c.updatedOn)}), not one of \`created-by\` (${createdBy.shown}): a description edited by another identity proves nothing`,
      ),
      pinned: { since: c.updatedOn },
    };
  return { holds: true };
}
