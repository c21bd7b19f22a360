// What a role's PIM policy at a scope allows of an eligibility an admin makes: its
// `Expiration_Admin_Eligibility` rule (whether an end is required, and the longest eligibility).
// Read before any write, so that an eligibility ARM would refuse (400
// RoleAssignmentRequestPolicyValidationFailed, `["ExpirationRule"]`) is refused first, naming the
// rule, its maximum and the scope. Pure: the driver reads the scope's policy assignments.
import type { RoleManagementPolicyAssignment } from '@azure/arm-authorization';
import { CloudAccessError } from '../../core/errors.js';
import { describeDuration, type Duration } from '../../core/duration.js';
import { adminRule, effectiveRulesFor, expirationTerms } from '../pim/policy.js';

export const ELIGIBILITY_RULE = 'Expiration_Admin_Eligibility';

/** The rule, as far as the policy says it. */
export interface EligibilityRule {
  isExpirationRequired?: boolean;
  /** `maximumDuration`, as Azure wrote it and in ms. */
  maximum?: { iso: string; ms: number };
}

/** Where an administrator changes it (the portal's path to the role's settings). */
const SETTINGS =
  'Privileged Identity Management → Azure resources → the resource → Settings → the role → Edit → Assignment ("Allow permanent eligible assignment", "Expire eligible assignments after")';

/** The rule of the role at the scope; undefined when no policy names the role. */
export function eligibilityRuleOf(
  assignments: RoleManagementPolicyAssignment[],
  roleId: string,
  scope: string,
): EligibilityRule | undefined {
  const rules = effectiveRulesFor(assignments, roleId, scope);
  if (!rules) return undefined;
  const rule = adminRule(rules, ELIGIBILITY_RULE, 'RoleManagementPolicyExpirationRule', 'eligibility');
  return rule ? expirationTerms(rule) : {};
}

/**
 * Why the rule refuses an eligibility of `duration` (undefined: without an end), or undefined when
 * it allows it. The maximum binds only where an end is required: where permanent eligibility is
 * allowed, any end is within the rule.
 */
export function eligibilityRefusal(
  rule: EligibilityRule | undefined,
  duration: Duration | undefined,
  where: { role: string; scope: string },
): CloudAccessError | undefined {
  if (!rule?.isExpirationRequired) return undefined;
  const max = rule.maximum;
  const maxText = max ? `${max.iso} (${describeDuration(max.ms)})` : 'a limited time';
  const at = `role \`${where.role}\` at scope \`${where.scope}\``;
  if (!duration)
    return new CloudAccessError(
      `the PIM policy of ${at} refuses a permanent eligibility: its rule ${ELIGIBILITY_RULE} requires an end, at most ${maxText}; nothing was written`,
      {
        input: 'duration',
        fix: `set \`duration\` to ${max?.iso ?? 'the maximum'} or less, or have an administrator allow permanent eligible assignments in ${SETTINGS}`,
      },
    );
  if (max && duration.ms > max.ms)
    return new CloudAccessError(
      `the PIM policy of ${at} refuses this eligibility: \`duration\` ${duration.iso} (${describeDuration(duration.ms)}) is longer than the ${maxText} its rule ${ELIGIBILITY_RULE} allows; nothing was written`,
      {
        input: 'duration',
        fix: `set \`duration\` to ${max.iso} or less, or have an administrator raise it in ${SETTINGS}`,
      },
    );
  return undefined;
}

/**
 * Azure's refusal (400 RoleAssignmentRequestPolicyValidationFailed, `["ExpirationRule"]`) of an
 * eligibility whose rule the step could not read (403, or no policy names the role): what it asked
 * for, what Azure said and what to change, since the step cannot name the maximum.
 */
export function eligibilityRefusedUnread(
  said: string,
  duration: Duration | undefined,
  where: { role: string; scope: string },
): CloudAccessError {
  const asked = duration
    ? `\`duration\` ${duration.iso} (${describeDuration(duration.ms)})`
    : 'an eligibility without an end';
  return new CloudAccessError(
    `the PIM policy of role \`${where.role}\` at scope \`${where.scope}\` refuses this eligibility: ${asked} is more than its rule ${ELIGIBILITY_RULE} allows, as far as Azure said (${said}); the step could not read the rule to say its maximum`,
    {
      input: 'duration',
      fix: `set \`duration\` to what the role's policy allows, or have an administrator change it in ${SETTINGS}; with \`Microsoft.Authorization/roleManagementPolicyAssignments/read\` at the scope the step refuses it before writing, naming the maximum`,
    },
  );
}

/** What the rule allows, for the dry run and the log. */
export function describeEligibilityRule(rule: EligibilityRule | undefined): string {
  if (!rule) return "the role's PIM policy could not be read: Azure applies it when the request is made";
  if (!rule.isExpirationRequired)
    return `the role's PIM policy (${ELIGIBILITY_RULE}) allows permanent eligibility`;
  return `the role's PIM policy (${ELIGIBILITY_RULE}) allows at most ${rule.maximum?.iso ?? 'a limited time'}`;
}
