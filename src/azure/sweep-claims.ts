// `operation: sweep` on Azure, the pure part: the claims among the role assignments listed under
// the swept scopes. A claim is an assignment whose description ends with a run marker
// (core/run-marks.ts); it holds only when ARM's server-set `createdBy` is one of `created-by`,
// since anyone who may write a description can copy a marker. Everything ARM answered is taken
// as hostile: an assignment whose name, scope, ID, principal, role or creator is not of the form
// the project accepts is no claim, and what is shown and deleted is rebuilt from validated parts.
import type { RoleAssignment } from '@azure/arm-authorization';
import { parseAzureScope, roleGuidOf } from '../core/azure-scope.js';
import { DESCRIPTION_MAX } from '../core/inputs/azure-description.js';
import { GUID, ROLE_DEFINITION_ID } from '../core/patterns.js';
import type { AzurePrincipalType } from '../core/principal-forms.js';
import { azureRunMarkerOf, azureRunMarkOf } from '../core/run-marks.js';
import type { Claim } from '../core/sweep/types.js';
import type { AzureResolvedIds } from '../core/types.js';

const PRINCIPAL_TYPES: ReadonlySet<string> = new Set<AzurePrincipalType>([
  'User',
  'Group',
  'ServicePrincipal',
  'ForeignGroup',
  'Device',
]);

/** Whose markers count: the object IDs (lower case), and how the reason names them. */
export interface CreatedBy {
  ids: ReadonlySet<string>;
  /** E.g. `5b7d…` or `5b7d…, the sweep's own identity, as \`created-by\` is not set`. */
  shown: string;
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

/** `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`: the ID a delete builds. */
export const assignmentIdOf = (scope: string, name: string): string =>
  `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`;

const lower = (s: string) => s.toLowerCase();

/** An assignment as the sweep trusts it, or undefined when any part fails validation. */
interface Checked {
  ids: AzureResolvedIds & { name: string };
  id: string;
  description: string;
  createdBy: string | undefined;
  createdOn: number;
}

function checked(a: RoleAssignment): Checked | undefined {
  const { name, scope, principalId, roleDefinitionId, createdBy, createdOn } = a;
  if (typeof name !== 'string' || !GUID.test(name)) return undefined;
  if (typeof principalId !== 'string' || !GUID.test(principalId)) return undefined;
  if (typeof roleDefinitionId !== 'string' || !ROLE_DEFINITION_ID.test(roleDefinitionId)) return undefined;
  if (typeof scope !== 'string') return undefined;
  // Only a scope the inputs would accept, and exactly as ARM wrote it (but for the keywords' case):
  // what is deleted is the scope shown, never a normalised neighbour.
  const parsed = parseAzureScope(scope);
  if (typeof parsed === 'string' || lower(parsed.scope) !== lower(scope)) return undefined;
  const id = assignmentIdOf(parsed.scope, lower(name));
  if (typeof a.id !== 'string' || lower(a.id) !== lower(id)) return undefined;
  // ARM leaves `createdBy` empty on some old assignments; any other value must be an object ID.
  if (createdBy !== undefined && createdBy !== null && createdBy !== '' && !GUID.test(String(createdBy)))
    return undefined;
  const madeAt = createdOn instanceof Date ? createdOn.getTime() : Number.NaN;
  if (!Number.isFinite(madeAt)) return undefined;
  const description = a.description ?? '';
  if (typeof description !== 'string' || description.length > DESCRIPTION_MAX) return undefined;
  const type = a.principalType;
  return {
    ids: {
      cloud: 'azure',
      principalId: lower(principalId),
      scope: parsed,
      roleId: roleDefinitionId,
      name: lower(name),
      ...(typeof type === 'string' && PRINCIPAL_TYPES.has(type)
        ? { principalType: type as AzurePrincipalType }
        : {}),
    },
    id,
    description,
    createdBy: createdBy ? lower(String(createdBy)) : undefined,
    createdOn: madeAt,
  };
}

/** The claims among `assignments` (the lists of every swept scope, in order). */
export function azureClaimsOf(assignments: readonly RoleAssignment[], createdBy: CreatedBy): AzureClaimsRead {
  const listed = new Set<string>();
  const places = new Set<string>();
  const read: AzureClaimsRead = { claims: [], seen: 0, unmarked: 0, malformed: 0 };
  for (const a of assignments) {
    const key = typeof a.id === 'string' ? lower(a.id) : undefined;
    if (key !== undefined) {
      if (listed.has(key)) continue;
      listed.add(key);
    }
    read.seen++;
    const c = checked(a);
    if (!c) {
      read.malformed++;
      continue;
    }
    // ARM refuses a second assignment of one principal, role and scope: a list showing two is not
    // to be acted on (a revoke is found by principal, role and scope).
    const place = [c.ids.principalId, roleGuidOf(c.ids.roleId), lower(c.ids.scope.scope)].join('|');
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

function claimOf(c: Checked, createdBy: CreatedBy): Claim | undefined {
  const mark = azureRunMarkOf(c.description);
  if (!mark) return undefined;
  const marker = `[${azureRunMarkerOf(mark)}]`;
  const holds = c.createdBy !== undefined && createdBy.ids.has(c.createdBy);
  return {
    ids: c.ids,
    shown: { principal: c.ids.principalId, role: c.ids.roleId, target: c.ids.scope.scope },
    mark: {
      run: { repository: mark.repository, runId: mark.runId, attempt: mark.attempt },
      ephemeral: true,
      ...(mark.expiresAt !== undefined ? { expiresAt: mark.expiresAt } : {}),
    },
    madeBy: c.createdBy ?? 'unknown',
    madeAt: c.createdOn,
    evidence: `description marker ${marker} on ${c.id}, createdBy ${c.createdBy ?? 'unknown'}`,
    standing: holds
      ? { holds: true }
      : {
          holds: false,
          kind: 'unproven',
          reason: `the marker is on an assignment ${c.createdBy ?? 'an unknown identity'} created, not one of \`created-by\` (${createdBy.shown}): a marker copied by hand proves nothing`,
        },
  };
}
