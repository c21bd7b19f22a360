// What a role's PIM policy at a scope asks of an active (admin) assignment, and what the action can
// and cannot satisfy: the longest duration (`Expiration_Admin_Assignment`), and justification,
// ticket or MFA (`Enablement_Admin_Assignment`). Pure: assign.ts reads the scope's policy
// assignments (one list, arm/reads.ts) and hands them to `pimPolicyOf`.
import type { RoleManagementPolicyAssignment, RoleManagementPolicyRuleUnion } from '@azure/arm-authorization';
import { roleGuidOf } from '../../core/azure-scope.js';
import { CloudAccessError } from '../../core/errors.js';
import { describeDuration, parseServiceDuration, type Duration } from '../../core/duration.js';
import { sameScope } from '../arm/roles.js';

/** The rules of one role's policy at one scope that bear on an active assignment an admin makes. */
export interface PimPolicy {
  /** `maximumDuration`, as Azure wrote it (`P90D`) and in ms; undefined when it cannot be read. */
  maximum?: { iso: string; ms: number };
  isExpirationRequired?: boolean;
  /** `enabledRules` of the admin assignment: `Justification`, `Ticketing`, `MultiFactorAuthentication`. */
  enabledRules: string[];
}

/** Where an administrator changes what this policy asks (the portal's path to the role's settings). */
const SETTINGS =
  'Privileged Identity Management → Azure resources → the resource → Settings → the role → Edit → Assignment';

/**
 * The policy rules of the role at the scope, from the scope's policy assignments (the SDK's list
 * takes no filter; each item names its role definition). Undefined when none names the role.
 */
export function pimPolicyOf(
  assignments: RoleManagementPolicyAssignment[],
  roleId: string,
  scope: string,
): PimPolicy | undefined {
  const rules = effectiveRulesFor(assignments, roleId, scope);
  if (!rules) return undefined;
  const expiration = adminRule(rules, 'Expiration_Admin_Assignment', 'RoleManagementPolicyExpirationRule');
  const enablement = adminRule(rules, 'Enablement_Admin_Assignment', 'RoleManagementPolicyEnablementRule');
  return {
    ...(expiration ? expirationTerms(expiration) : {}),
    enabledRules:
      enablement && 'enabledRules' in enablement && Array.isArray(enablement.enabledRules)
        ? enablement.enabledRules.filter((r): r is string => typeof r === 'string')
        : [],
  };
}

/** What an expiration rule says: whether an end is required, and the longest (as Azure wrote it, and in ms). */
export function expirationTerms(rule: RoleManagementPolicyRuleUnion): {
  isExpirationRequired?: boolean;
  maximum?: { iso: string; ms: number };
} {
  const iso =
    'maximumDuration' in rule && typeof rule.maximumDuration === 'string' ? rule.maximumDuration : undefined;
  const ms = parseServiceDuration(iso);
  return {
    ...(iso !== undefined && ms !== undefined ? { maximum: { iso, ms } } : {}),
    ...('isExpirationRequired' in rule && typeof rule.isExpirationRequired === 'boolean'
      ? { isExpirationRequired: rule.isExpirationRequired }
      : {}),
  };
}

/** The effective rules of the role's policy at the scope (policyAssignmentFor); undefined when none names the role. */
export function effectiveRulesFor(
  assignments: RoleManagementPolicyAssignment[],
  roleId: string,
  scope: string,
): RoleManagementPolicyRuleUnion[] | undefined {
  const assignment = policyAssignmentFor(assignments, roleId, scope);
  return assignment && (assignment.effectiveRules ?? []);
}

/** The policy assignment of the role (by its GUID) at the scope, else the first that names the role. */
export function policyAssignmentFor(
  assignments: RoleManagementPolicyAssignment[],
  roleId: string,
  scope: string,
): RoleManagementPolicyAssignment | undefined {
  const guid = roleGuidOf(roleId);
  const forRole = assignments.filter(
    (a) => a.roleDefinitionId !== undefined && roleGuidOf(a.roleDefinitionId) === guid,
  );
  return forRole.find((a) => sameScope(a.scope, scope)) ?? forRole[0];
}

/** The rule by its ID, else the rule of that type that targets what an admin makes at `level`. */
export function adminRule(
  rules: RoleManagementPolicyRuleUnion[],
  id: string,
  type: RoleManagementPolicyRuleUnion['ruleType'],
  level: 'assignment' | 'eligibility' = 'assignment',
): RoleManagementPolicyRuleUnion | undefined {
  return (
    rules.find((r) => r.id === id) ??
    rules.find(
      (r) =>
        r.ruleType === type &&
        r.target?.caller?.toLowerCase() === 'admin' &&
        r.target.level?.toLowerCase() === level,
    )
  );
}

/** Names the role and scope a policy is about, for messages. */
export interface PolicyContext {
  role: string;
  scope: string;
  duration: Duration;
  /** The policy when it could be read (for the maximum a refused write does not state). */
  policy?: PimPolicy | undefined;
}

/** The policy rule names Azure reports when a request breaks them (`The following policy rules failed: [...]`). */
export const POLICY_RULES = [
  'ExpirationRule',
  'JustificationRule',
  'TicketingRule',
  'MfaRule',
  'EligibilityRule',
] as const;
export type PolicyRule = (typeof POLICY_RULES)[number];

/**
 * The rules this request would break, judged before it is written: a duration past the maximum,
 * and enablement rules a workflow's identity cannot meet (the justification is always sent).
 */
export function rulesBroken(policy: PimPolicy, duration: Duration): PolicyRule[] {
  const broken: PolicyRule[] = [];
  // The maximum binds only when expiration is required: where permanent active assignments are
  // allowed, the portal greys "Expire active assignments after" out, and any end is within policy.
  if (maximumApplies(policy) && duration.ms > policy.maximum!.ms) broken.push('ExpirationRule');
  if (policy.enabledRules.includes('Ticketing')) broken.push('TicketingRule');
  if (policy.enabledRules.includes('MultiFactorAuthentication')) broken.push('MfaRule');
  return broken;
}

/** Whether the policy limits how long an active assignment may last. */
export function maximumApplies(policy: PimPolicy): boolean {
  return policy.isExpirationRequired === true && policy.maximum !== undefined;
}

/** What the policy allows, for the log and the dry run. */
export function describeLimit(policy: PimPolicy | undefined): string {
  if (!policy) return "the role's PIM policy could not be read: Azure applies it when the request is made";
  if (maximumApplies(policy)) return `the role's PIM policy allows at most ${policy.maximum!.iso}`;
  return "the role's PIM policy allows permanent active assignments, so any end time is within it";
}

/** The rule names in a RoleAssignmentRequestPolicyValidationFailed message: only names known here are taken. */
export function rulesNamedIn(message: string | undefined): PolicyRule[] {
  return POLICY_RULES.filter((rule) => new RegExp(`\\b${rule}\\b`).test(message ?? ''));
}

/** One error for every broken rule, each with what it means and who fixes it where. */
export function policyError(rules: PolicyRule[], context: PolicyContext, said?: string): CloudAccessError {
  const at = `role \`${context.role}\` at scope \`${context.scope}\``;
  const reasons =
    rules.length > 0
      ? rules.map((rule) => explainRule(rule, context))
      : [
          {
            what: 'Azure named no rule this action knows',
            fix: "compare `duration` and the role's assignment settings",
          },
        ];
  const onlyDuration = rules.length === 1 && rules[0] === 'ExpirationRule';
  return new CloudAccessError(
    `the PIM policy of ${at} refuses this time-bound assignment: ${reasons.map((r) => r.what).join('; ')}${said ? ` (${said})` : ''}`,
    {
      ...(onlyDuration || rules.length === 0 ? { input: 'duration' } : {}),
      fix: [...reasons.map((r) => r.fix), `an administrator changes the policy in ${SETTINGS}`].join('; '),
    },
  );
}

function explainRule(rule: PolicyRule, context: PolicyContext): { what: string; fix: string } {
  const max = context.policy?.maximum;
  switch (rule) {
    case 'ExpirationRule':
      return max
        ? {
            what: `\`duration\` ${context.duration.iso} (${describeDuration(context.duration.ms)}) is longer than the ${max.iso} (${describeDuration(max.ms)}) it allows for active assignments`,
            fix: `set \`duration\` to ${max.iso} or less, or have the maximum raised ("Expire active assignments after")`,
          }
        : {
            what: `\`duration\` ${context.duration.iso} (${describeDuration(context.duration.ms)}) is outside what its expiration rule allows`,
            fix: 'shorten `duration` to the policy\'s "Expire active assignments after", or have it raised',
          };
    case 'TicketingRule':
      return {
        what: 'it requires ticket information on active assignment, which the action does not send',
        fix: 'have "Require ticket information on active assignment" turned off for this role',
      };
    case 'MfaRule':
      return {
        what: "it requires Azure MFA on active assignment, which a workflow's identity cannot perform",
        fix: 'have "Require Azure Multi-Factor Authentication on active assignment" turned off for this role, or leave `duration` empty for a permanent assignment',
      };
    case 'JustificationRule':
      return {
        what: 'it requires a justification, and Azure did not accept the one sent',
        fix: 'set `description` (sent as the justification) to a non-empty text',
      };
    case 'EligibilityRule':
      return {
        what: 'it requires an eligible assignment first',
        fix: 'this rule applies to activations, not to the admin assignments the action makes: check the role settings',
      };
  }
}
