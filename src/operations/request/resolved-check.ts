// What a request asks, compared with what its rule names once both are resolved (./within-rule.ts
// resolves them with the adapter's own resolvers): a name is not what it grants. Pure.
import { CloudAccessError } from '../../core/errors.js';
import { printable } from '../../core/inputs/fields.js';
import type { PolicyRule } from '../../core/manifest/policy-rule.js';
import { REQUEST_CLOUDS } from '../../core/manifest/request-clouds.js';

const refuse = (message: string, fix: string) => new CloudAccessError(message, { fix });

/** A grant's target and role as written, and what the cloud resolved them to. */
export interface ResolvedChoice {
  target: string;
  /** The account ID, or the scope. */
  targetId: string;
  role: string;
  /** The permission set ARN, or the role definition ID; undefined: the role does not resolve there. */
  roleId: string | undefined;
}

/** What the rule names, resolved: its targets (OUs as their accounts), and its roles at each target asked. */
export interface RuleResolved {
  targetIds: string[];
  roles: ResolvedChoice[];
}

/**
 * What is asked, decided on what it grants: each asked grant's account or scope must be one the
 * rule's targets mean, and its permission set or role definition one the rule's roles resolve to
 * there. A name that resolves to something else (`readonly`, another permission set than the
 * rule's `ReadOnly`) is refused, naming both; the rule's role asked by its ARN or GUID is allowed.
 */
export function resolvedRefusals(
  rule: PolicyRule,
  asked: readonly ResolvedChoice[],
  named: RuleResolved,
): CloudAccessError[] {
  const at = `rule \`${printable(rule.name)}\``;
  const { targetKey, roleKey } = REQUEST_CLOUDS[rule.cloud];
  const ruleTargets = new Set(named.targetIds.map(targetKey));
  const refused = new Map<string, CloudAccessError>();
  /** A value as written, and what it resolved to when that reads otherwise (a role by its ARN or GUID). */
  const written = (value: string, id: string | undefined) =>
    `\`${printable(value)}\`${id === undefined ? ' (which does not resolve there)' : id === value ? '' : ` (${printable(id)})`}`;
  const role = (choice: ResolvedChoice) =>
    written(choice.role, choice.roleId === undefined ? undefined : roleKey(choice.roleId));
  for (const grant of asked) {
    const target = targetKey(grant.targetId);
    if (!ruleTargets.has(target)) {
      refused.set(
        `target ${target}`,
        refuse(
          `${at}: \`target\` ${written(grant.target, grant.targetId)} is none of the accounts, scopes or groups the rule's targets mean (${rule.targets.map((t) => `\`${printable(t)}\``).join(', ')})`,
          "ask for one of the rule's targets, or leave `target` unset for the rule's",
        ),
      );
      continue;
    }
    const here = named.roles.filter((r) => targetKey(r.targetId) === target);
    if (
      here.some(
        (r) =>
          r.roleId !== undefined && grant.roleId !== undefined && roleKey(r.roleId) === roleKey(grant.roleId),
      )
    )
      continue;
    refused.set(
      `role ${grant.roleId ?? grant.role}`,
      refuse(
        `${at}: \`role\` ${role(grant)} is none of the rule's roles at \`${printable(grant.target)}\`: ${here.map(role).join(', ') || rule.roles.map((r) => `\`${printable(r)}\``).join(', ')}`,
        "ask for one of the rule's roles, as the rule writes it, or leave `role` unset for the rule's",
      ),
    );
  }
  return [...refused.values()];
}
