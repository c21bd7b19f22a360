// How a report's Azure row is held, from what its assignment carries, and only as far as the
// assignment's writers may say it: a manifest's marker (core/state/manifest-marker.ts) counts only
// on an assignment ARM says an identity of `created-by` created and last wrote (anyone who may write
// a description can copy one), and with `manifest` given only where an entry of that manifest lists
// it; a run's marker is proven as the sweep proves it (../role-assignment/run-markers.ts). An assignment ARM answers
// in a form the action does not read is still a row, with its raw IDs and why. Pure.
import type { RoleAssignment } from '@azure/arm-authorization';
import { parseListedScope } from '../../core/azure-scope.js';
import { DESCRIPTION_MAX, runOfDefaultDescription } from '../../core/inputs/azure-description.js';
import { LISTED_KIND } from '../../core/kinds/index.js';
import { GUID, ROLE_DEFINITION_ID } from '../../core/patterns.js';
import { isAzurePrincipalType } from '../../core/principal-forms.js';
import type { HeldAssignment } from '../../engine/run/access-reader.js';
import { azureRunMarkOf } from '../../core/run-marks.js';
import { principalKindOf } from '../../core/shown-names.js';
import { manifestMarkOf } from '../../core/state/manifest-marker.js';
import { listedIn, type MarkerJudge } from '../kind/report.js';
import { azureClaimsOf, azureRelianceClaim } from '../role-assignment/run-markers.js';
import { checkedAssignment, type Checked } from '../role-assignment/checked-assignment.js';

/** How many characters of a raw value a row keeps: an ID ARM writes is far shorter. */
const RAW_MAX = 1000;

/** An assignment as the report reads it: validated, or raw with why not. */
export type ReportedAssignment =
  | { raw: RoleAssignment; c: Checked; warning?: string }
  | { raw: RoleAssignment; c?: undefined; warning: string };

/** Every assignment ARM listed: checked as the sweep checks it, and never left out. */
export function reportedAssignment(a: RoleAssignment): ReportedAssignment {
  const c = checkedAssignment(a);
  if (c) return { raw: a, c };
  // A description longer than a step writes hides no row: its markers alone are not read.
  if (typeof a.description === 'string' && a.description.length > DESCRIPTION_MAX) {
    const rest = checkedAssignment({ ...a, description: '' });
    if (rest)
      return {
        raw: a,
        c: rest,
        warning: `its description is ${a.description.length} characters, longer than the ${DESCRIPTION_MAX} a step writes: no marker in it is read`,
      };
  }
  return {
    raw: a,
    warning: `ARM answered it in a form the action does not read (${whyUnread(a)}): shown with its raw IDs`,
  };
}

function whyUnread(a: RoleAssignment): string {
  if (typeof a.scope !== 'string') return 'no scope';
  const scope = parseListedScope(a.scope);
  if (typeof scope === 'string') return `its scope: ${scope}`;
  if (typeof a.principalId !== 'string' || !GUID.test(a.principalId)) return 'its principal ID';
  if (typeof a.roleDefinitionId !== 'string' || !ROLE_DEFINITION_ID.test(a.roleDefinitionId))
    return 'its role definition ID';
  if (typeof a.name !== 'string' || !GUID.test(a.name)) return 'its name';
  return 'its ID, creator, writer or dates';
}

const rawText = (value: unknown): string | undefined => {
  if (typeof value !== 'string' || value === '') return undefined;
  return value.length > RAW_MAX ? `${value.slice(0, RAW_MAX)}…` : value;
};

/** A row of what ARM answered, as it answered it: foreign, as nothing on it is proven. */
export function rawHeld(a: RoleAssignment, warning: string): HeldAssignment {
  const type = a.principalType;
  return {
    kind: LISTED_KIND.azure,
    principal: {
      id: rawText(a.principalId) ?? '?',
      kind: isAzurePrincipalType(type) ? principalKindOf(type) : undefined,
    },
    role: { id: rawText(a.roleDefinitionId) ?? '?' },
    target: { id: rawText(a.scope) ?? rawText(a.id) ?? '?' },
    warning,
  };
}

/** The manifest a marker proves the assignment is held by, or why its marker proves nothing. */
export function manifestClaim(
  c: Checked,
  place: string,
  judge: MarkerJudge,
): Pick<HeldAssignment, 'manifest' | 'warning'> {
  const mark = manifestMarkOf(c.description);
  if (!mark) return {};
  const own = mark.repository === judge.repository;
  const claimed = own ? mark.path : `${mark.repository}:${mark.path}`;
  const claims = `its description claims manifest \`${claimed}\``;
  if (!writtenByCreatedBy(c, judge.createdBy))
    return {
      warning: `${claims}, but ARM says it was created by ${c.createdBy ?? 'an identity it does not name'} and last written by ${c.updatedBy ?? 'an identity it does not name'}, not both by \`created-by\` (${judge.shown}): a marker copied by hand proves nothing; add the reconcile's identity to \`created-by\` if it is one`,
    };
  return listedIn(mark, place, judge, 'description');
}

/** ARM's server-set creator and last writer are both of `created-by`. */
const writtenByCreatedBy = (c: Checked, createdBy: Set<string>): boolean =>
  c.createdBy !== undefined &&
  createdBy.has(c.createdBy) &&
  c.updatedBy !== undefined &&
  createdBy.has(c.updatedBy);

/**
 * The run a valid assignment names: its marker proven as the sweep proves it (and the claim, which
 * the report weighs once its run is read), or a default description of `created-by`'s (a
 * permanent grant's).
 */
export function markOf(
  raw: RoleAssignment,
  c: Checked,
  judge: MarkerJudge,
): Pick<HeldAssignment, 'mark' | 'runClaim' | 'verdict'> {
  const { createdBy, shown } = judge;
  if (createdBy.size === 0) return {};
  if (azureRunMarkOf(c.description)) {
    const marked = { ...raw, description: c.description };
    const found = azureClaimsOf([marked], { ids: createdBy, shown }).claims[0];
    // A run's reliance on a grant no run's claim made, as a reconcile weighs it (../role-assignment/claims.ts).
    const claim = found?.standing.holds
      ? found
      : (azureRelianceClaim(marked, { ids: createdBy, shown }) ?? found);
    return claim?.standing.holds && claim.mark
      ? {
          mark: { run: claim.mark.run, ephemeral: true, expiresAt: claim.mark.expiresAt },
          runClaim: claim,
        }
      : {};
  }
  const run = runOfDefaultDescription(c.description);
  const byCreatedBy =
    c.createdBy !== undefined &&
    createdBy.has(c.createdBy) &&
    (c.updatedBy === undefined || createdBy.has(c.updatedBy));
  return run && byCreatedBy
    ? {
        mark: { run, ephemeral: false },
        verdict: { none: 'a permanent grant of a cloud-access run', permanent: true },
      }
    : {};
}
