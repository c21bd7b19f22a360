// A role assignment ARM lists, as a reconcile's plan holds it (the role assignment kind's current
// rows: ../reconcile.ts reads them, one paged list per scope), and the `full` exceptions that match
// none of those read.
import type { RoleAssignment } from '@azure/arm-authorization';
import { parseAzureScope, roleGuidOf, type AzureScope } from '../../core/azure-scope.js';
import { printable } from '../../core/inputs/fields.js';
import type { ManifestProblem } from '../../core/manifest/nodes.js';
import type { AzureManifestSection } from '../../core/manifest/types.js';
import { GUID } from '../../core/patterns.js';
import { keyedAs, type CurrentAssignment } from '../../core/plan/assignment-diff.js';
import { conditionOf, type AbacCondition } from '../../core/plan/conditions.js';

const lower = (s: string) => s.toLowerCase();

/**
 * A listed role assignment as the plan holds it; none when it is not one of the form ARM writes,
 * or `seen` holds its ID already. `managed`: whether the plan may delete it; `roleName`: the name
 * the file wrote a role definition GUID (lower-cased) by.
 */
export function currentOfListed(
  a: RoleAssignment,
  seen: Set<string>,
  managed: (a: RoleAssignment) => boolean,
  roleName: (guid: string) => string | undefined,
): CurrentAssignment<AzureScope> | undefined {
  if (!a.id || !a.name || !GUID.test(a.name) || !a.scope || !a.principalId || !a.roleDefinitionId)
    return undefined;
  if (seen.has(lower(a.id))) return undefined;
  seen.add(lower(a.id));
  // Only an assignment at a scope of the form the inputs accept is planned with (or deleted).
  const scope = parseAzureScope(a.scope);
  if (typeof scope === 'string') return undefined;
  const parts = {
    principalId: lower(a.principalId),
    principalType: a.principalType ?? '',
    roleId: a.roleDefinitionId,
    // Keyed by the scope as parsed: ARM's text may end with `/` where the manifest's does not.
    targetId: scope.scope,
    target: scope,
  };
  return {
    ...keyedAs('azure-role-assignment', parts),
    managed: managed(a),
    assignmentId: a.id,
    name: a.name,
    ...conditionField(a),
    shown: {
      principal: parts.principalId,
      role: roleName(lower(roleGuidOf(a.roleDefinitionId))) ?? roleGuidOf(a.roleDefinitionId),
      target: a.scope,
    },
  };
}

/**
 * `full` exceptions that match no assignment read under the scopes: a mistyped ID (one digit off)
 * keeps nothing, and the assignment it meant would be deleted, so each is an error on its line.
 */
export function unmatchedExceptions(section: AzureManifestSection, readIds: Set<string>): ManifestProblem[] {
  return section.manages.exceptions
    .filter((e) => !readIds.has(lower(e.value)))
    .map((e) => ({
      line: e.line,
      message: `\`azure.manages.exceptions\`: \`${printable(e.written)}\` matches no role assignment at or under \`azure.manages.scopes\``,
      fix: 'check the ID (`az role assignment list --scope <scope> --query [].id`): an exception that matches nothing keeps nothing',
    }));
}

/** What an assignment grants beyond its key, as ARM stores it: its condition, when it has one. */
function conditionField(a: RoleAssignment): { condition?: AbacCondition } {
  const condition = conditionOf(a.condition, a.conditionVersion);
  return condition ? { condition } : {};
}
