// A role assignment as ARM listed it, taken only when every part is of the form the project
// accepts (./run-markers.ts reads claims from it, azure/report/held.ts a report's rows): its name,
// principal and role by their patterns, its scope as an input would write it and exactly as ARM
// wrote it, its ID rebuilt from those parts, its writers object IDs or none, its description no
// longer than an input's. What is shown and deleted is built from these parts, never from the raw
// answer.
import type { RoleAssignment } from '@azure/arm-authorization';
import { assignmentIdOf, parseListedScope } from '../../core/azure-scope.js';
import { DESCRIPTION_MAX } from '../../core/inputs/azure-description.js';
import { GUID, ROLE_DEFINITION_ID } from '../../core/patterns.js';
import { isAzurePrincipalType } from '../../core/principal-forms.js';
import type { AzureResolvedIds } from '../../core/types.js';

const lower = (s: string) => s.toLowerCase();

/** An assignment as the sweep trusts it: every part validated. */
export interface Checked {
  ids: AzureResolvedIds & { name: string };
  id: string;
  description: string;
  createdBy: string | undefined;
  createdOn: number;
  /** Who last wrote it (ARM sets it on every PUT, the create's included). */
  updatedBy: string | undefined;
  /** When it was last written; `createdOn` when ARM does not say. */
  updatedOn: number;
}

/** An object ID as ARM records a writer, lower-cased; '' when it records none; undefined when it is not one. */
function writerOf(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return '';
  return typeof value === 'string' && GUID.test(value) ? lower(value) : undefined;
}

/** An assignment as the sweep (and a report) trusts it, or undefined when any part fails validation. */
export function checkedAssignment(a: RoleAssignment): Checked | undefined {
  const { name, scope, principalId, roleDefinitionId, createdOn, updatedOn } = a;
  if (typeof name !== 'string' || !GUID.test(name)) return undefined;
  if (typeof principalId !== 'string' || !GUID.test(principalId)) return undefined;
  if (typeof roleDefinitionId !== 'string' || !ROLE_DEFINITION_ID.test(roleDefinitionId)) return undefined;
  if (typeof scope !== 'string') return undefined;
  // Only a scope the inputs would accept (or the root, which a report shows inherited and no input
  // takes), and exactly as ARM wrote it (but for the keywords' case): what is deleted is the scope
  // shown, never a normalised neighbour.
  const parsed = parseListedScope(scope);
  if (typeof parsed === 'string' || lower(parsed.scope) !== lower(scope)) return undefined;
  const id = assignmentIdOf(parsed.scope, lower(name));
  if (typeof a.id !== 'string' || lower(a.id) !== lower(id)) return undefined;
  // ARM leaves `createdBy` and `updatedBy` empty on some old assignments; any other value must be an object ID.
  const createdBy = writerOf(a.createdBy);
  const updatedBy = writerOf(a.updatedBy);
  if (createdBy === undefined || updatedBy === undefined) return undefined;
  const madeAt = createdOn instanceof Date ? createdOn.getTime() : Number.NaN;
  if (!Number.isFinite(madeAt)) return undefined;
  const writtenAt =
    updatedOn instanceof Date && Number.isFinite(updatedOn.getTime()) ? updatedOn.getTime() : madeAt;
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
      ...(isAzurePrincipalType(type) ? { principalType: type } : {}),
    },
    id,
    description,
    createdBy: createdBy || undefined,
    createdOn: madeAt,
    updatedBy: updatedBy || undefined,
    updatedOn: writtenAt,
  };
}
