// What a role's PIM policy allows of an eligibility an admin makes (`Expiration_Admin_Eligibility`),
// and the refusal that comes before any write. The rules are shaped as in the 2020-10-01 example
// GetRoleManagementPolicyByScope.
import { describe, expect, it } from '@jest/globals';
import type { RoleManagementPolicyAssignment, RoleManagementPolicyRuleUnion } from '@azure/arm-authorization';
import { parseDuration, type Duration } from '../../../src/core/duration.js';
import { CloudAccessError } from '../../../src/core/errors.js';
import {
  describeEligibilityRule,
  eligibilityRefusal,
  eligibilityRuleOf,
} from '../../../src/azure/eligible/policy.js';

const SUB = '/subscriptions/dfa2a084-766f-4003-8ae1-c4aeb893a99f';
const READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';
const roleId = `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${READER}`;
const duration = (text: string) => parseDuration(text) as Duration;
const where = { role: roleId, scope: SUB };

function policy(eligibility: {
  maximumDuration?: string;
  isExpirationRequired?: boolean;
}): RoleManagementPolicyAssignment[] {
  const rules = [
    {
      id: 'Expiration_Admin_Assignment',
      ruleType: 'RoleManagementPolicyExpirationRule',
      target: { caller: 'Admin', level: 'Assignment' },
      isExpirationRequired: true,
      maximumDuration: 'PT1H',
    },
    {
      id: 'Expiration_Admin_Eligibility',
      ruleType: 'RoleManagementPolicyExpirationRule',
      target: { caller: 'Admin', level: 'Eligibility' },
      ...eligibility,
    },
  ] as RoleManagementPolicyRuleUnion[];
  return [{ scope: SUB, roleDefinitionId: roleId, effectiveRules: rules }];
}

describe("an eligibility's policy rule", () => {
  it("is the eligibility's rule, not the active assignment's", () => {
    expect(
      eligibilityRuleOf(policy({ isExpirationRequired: true, maximumDuration: 'P90D' }), roleId, SUB),
    ).toEqual({
      isExpirationRequired: true,
      maximum: { iso: 'P90D', ms: 90 * 86_400_000 },
    });
  });

  it('finds the role by its GUID, whichever form of its ID the policy names', () => {
    const tenantLevel = `/providers/Microsoft.Authorization/roleDefinitions/${READER}`;
    expect(eligibilityRuleOf(policy({ isExpirationRequired: false }), tenantLevel, SUB)).toEqual({
      isExpirationRequired: false,
    });
  });
});

describe('an eligibility the rule would refuse is refused before any write', () => {
  const rule = { isExpirationRequired: true, maximum: { iso: 'P90D', ms: 90 * 86_400_000 } };

  it('names the rule, its maximum and the scope, for one longer than the maximum', () => {
    const refusal = eligibilityRefusal(rule, duration('P180D'), where);
    expect(refusal).toBeInstanceOf(CloudAccessError);
    expect(refusal!.message).toContain('Expiration_Admin_Eligibility');
    expect(refusal!.message).toContain('P90D');
    expect(refusal!.message).toContain(SUB);
    expect(refusal!.message).toContain('nothing was written');
    expect(refusal!.input).toBe('duration');
  });

  it('refuses one without an end where the rule requires an end', () => {
    expect(eligibilityRefusal(rule, undefined, where)!.message).toMatch(
      /refuses a permanent eligibility: its rule Expiration_Admin_Eligibility requires an end, at most P90D/,
    );
  });

  it('allows one within the maximum, and any where permanent eligibility is allowed', () => {
    expect(eligibilityRefusal(rule, duration('P90D'), where)).toBeUndefined();
    expect(
      eligibilityRefusal({ isExpirationRequired: false, maximum: rule.maximum }, duration('P365D'), where),
    ).toBeUndefined();
    expect(eligibilityRefusal({ isExpirationRequired: false }, undefined, where)).toBeUndefined();
    expect(eligibilityRefusal(undefined, undefined, where)).toBeUndefined();
  });

  it('says what the rule allows in a dry run', () => {
    expect(describeEligibilityRule(rule)).toContain('at most P90D');
    expect(describeEligibilityRule({ isExpirationRequired: false })).toContain(
      'allows permanent eligibility',
    );
  });
});
