// The Azure values a list or a field of the inputs holds, each checked into the typed value the
// adapter takes: scopes in ARM's form, roles, and an ABAC condition. Beside ./azure.ts, which makes
// grants of them, and the manifest's Azure section (../manifest/azure.ts), which checks its entries
// with them. Pure.
import { parseAzureScope, unsafePathReason, type AzureScope } from '../azure-scope.js';
import { GUID, ROLE_DEFINITION_ID, ROLE_NAME } from '../patterns.js';
import type { AzureRoleRef } from '../types.js';
import { listSyntaxFix, printable, type InputReader, type Problems } from './fields.js';
import type { Parsed } from './grants.js';

/** Scopes in ARM's form: the same scope always yields the same assignment name. */
export function scopes(problems: Problems, targets: string[]): Parsed<AzureScope>[] {
  return targets.flatMap((t) => {
    const parsed = parseAzureScope(t);
    if (typeof parsed === 'string') {
      const fix =
        listSyntaxFix('target', t, '/subscriptions/{id}, /subscriptions/{id}/resourceGroups/{name}') ??
        'use /subscriptions/{id}, /subscriptions/{id}/resourceGroups/{name}, a resource ID, or /providers/Microsoft.Management/managementGroups/{id}';
      problems.add('target', `\`${printable(t)}\` is not an Azure scope: ${parsed}`, fix + groupHint(t));

      return [];
    }
    return [{ written: parsed.scope, value: parsed }];
  });
}

/**
 * A bare word may be an Entra group's name: said from the text alone (no lookup before the inputs
 * pass), for a word that is no path, no GUID and no list.
 */
function groupHint(target: string): string {
  const word = target.trim();
  if (!/^[^/:,\s][^/:,]*$/.test(word) || GUID.test(word) || word !== printable(word)) return '';
  return `; if you meant the Entra group ${word}, write \`group:${word}\``;
}

/** A role definition GUID, a full role definition ID, or a role name to look up at the scope. */
export function roleRefs(problems: Problems, roles: string[]): Parsed<AzureRoleRef>[] {
  return roles.map((r): Parsed<AzureRoleRef> => {
    const ref = parseRoleReference(r);
    const written = ref.kind === 'guid' ? ref.guid : r;
    if (ref.kind === 'guid') return { written, value: ref };
    if (ref.kind === 'id') {
      const unsafe = unsafePathReason(r);
      if (unsafe) problems.add('role', `\`${printable(r)}\` is not a role definition ID: ${unsafe}`);
      return { written, value: ref };
    }
    if (r.includes('/') || /^[0-9a-f-]{30,}$/i.test(r)) {
      problems.add(
        'role',
        `\`${printable(r)}\` is not a role definition GUID or ID`,
        'use the GUID, /subscriptions/{id}/providers/Microsoft.Authorization/roleDefinitions/{GUID}, or the role name',
      );
    } else if (!ROLE_NAME.test(r)) {
      problems.add(
        'role',
        `\`${printable(r)}\` is not a role name (letters, digits, spaces and . _ ( ) & / , : + -)`,
      );
    }
    return { written, value: ref };
  });
}

/** What the `role` input holds: a GUID, a full role definition ID, or a role name to look up. */
export function parseRoleReference(role: string): AzureRoleRef {
  if (GUID.test(role)) return { kind: 'guid', guid: role.toLowerCase() };
  if (ROLE_DEFINITION_ID.test(role)) return { kind: 'id', id: role };
  return { kind: 'name', name: role };
}

export function abacCondition(
  problems: Problems,
  read: InputReader,
): { condition: string | undefined; conditionVersion: string | undefined } {
  const condition = read('condition').trim() || undefined;
  if (condition !== undefined) {
    if (condition.length > 8192) problems.add('condition', 'is longer than 8192 characters');
    // Newlines and tabs are fine in a multi-line condition; other control characters are not.
    if (/[^\P{Cc}\n\r\t]/u.test(condition)) problems.add('condition', 'contains control characters');
    if (
      !/@(Resource|Request|Principal|Environment)\[|ActionMatches\{|SubOperationMatches\{/.test(condition)
    ) {
      problems.add(
        'condition',
        'is not an Azure ABAC condition expression',
        'see https://learn.microsoft.com/azure/role-based-access-control/conditions-format',
      );
    }
  }
  const versionText = read('condition-version').trim();
  if (versionText && versionText !== '2.0')
    problems.add('condition-version', `\`${printable(versionText)}\` is not supported; use \`2.0\``);
  if (versionText && !condition) problems.add('condition-version', 'is set without a `condition`');
  return { condition, conditionVersion: condition ? versionText || '2.0' : undefined };
}
