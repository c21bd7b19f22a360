// What a role's PIM policy asks of a time-bound assignment, and how the action explains a refusal.
// The rules are those of the 2020-10-01 example GetRoleManagementPolicyByScope.
import { describe, expect, it } from '@jest/globals';
import type { RoleManagementPolicyAssignment, RoleManagementPolicyRuleUnion } from '@azure/arm-authorization';
import { parseDuration, type Duration } from '../../../src/core/duration.js';
import { pimPolicyOf, policyError, rulesBroken, rulesNamedIn } from '../../../src/azure/pim/policy.js';

const SUB = '/subscriptions/dfa2a084-766f-4003-8ae1-c4aeb893a99f';
const CONTRIBUTOR = 'b24988ac-6180-42a0-ab88-20f7382dd24c';
const READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';
const roleId = (guid: string) => `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
const admin = { caller: 'Admin', operations: ['All'], level: 'Assignment' };
const duration = (text: string) => parseDuration(text) as Duration;

function policyAssignment(
  guid: string,
  expiration: { maximumDuration?: string; isExpirationRequired?: boolean },
  enabledRules: string[] = [],
): RoleManagementPolicyAssignment {
  const rules = [
    {
      id: 'Expiration_Admin_Assignment',
      ruleType: 'RoleManagementPolicyExpirationRule',
      target: admin,
      ...expiration,
    },
    {
      id: 'Enablement_Admin_Assignment',
      ruleType: 'RoleManagementPolicyEnablementRule',
      target: admin,
      enabledRules,
    },
    // The end user's (activation) rules are not the admin assignment's.
    {
      id: 'Expiration_EndUser_Assignment',
      ruleType: 'RoleManagementPolicyExpirationRule',
      target: { ...admin, caller: 'EndUser' },
      maximumDuration: 'PT7H',
    },
  ] as RoleManagementPolicyRuleUnion[];
  return { scope: SUB, roleDefinitionId: roleId(guid), effectiveRules: rules };
}

describe("a role's PIM policy is read from the scope's policy assignments", () => {
  it("takes the admin assignment's maximum and enablement rules of the role asked for", () => {
    const policy = pimPolicyOf(
      [
        policyAssignment(READER, { maximumDuration: 'PT1H' }),
        policyAssignment(CONTRIBUTOR, { maximumDuration: 'P90D', isExpirationRequired: false }, [
          'MultiFactorAuthentication',
          'Justification',
        ]),
      ],
      `/providers/Microsoft.Authorization/roleDefinitions/${CONTRIBUTOR}`,
      SUB,
    );
    expect(policy).toEqual({
      maximum: { iso: 'P90D', ms: 90 * 86_400_000 },
      isExpirationRequired: false,
      enabledRules: ['MultiFactorAuthentication', 'Justification'],
    });
  });

  it('is undefined when no assignment names the role', () => {
    expect(pimPolicyOf([policyAssignment(READER, {})], roleId(CONTRIBUTOR), SUB)).toBeUndefined();
  });
});

describe('a request that would break the policy is refused before it is written', () => {
  const policy = {
    maximum: { iso: 'P1D', ms: 86_400_000 },
    isExpirationRequired: true,
    enabledRules: ['Justification'],
  };

  it('lets any end time through where permanent assignments are allowed (the maximum is greyed out)', () => {
    expect(rulesBroken({ ...policy, isExpirationRequired: false }, duration('P30D'))).toEqual([]);
  });

  it('allows a duration within the maximum, and a justification (the description is always sent)', () => {
    expect(rulesBroken(policy, duration('PT8H'))).toEqual([]);
    expect(rulesBroken(policy, duration('P1D'))).toEqual([]);
  });

  it('refuses a duration over the maximum, naming `duration`, the maximum and where it is changed', () => {
    const broken = rulesBroken(policy, duration('P2D'));
    expect(broken).toEqual(['ExpirationRule']);
    const error = policyError(broken, { role: 'Reader', scope: SUB, duration: duration('P2D'), policy });
    expect(error.input).toBe('duration');
    expect(error.describe()).toMatch(/`duration` P2D \(2 days\) is longer than the P1D \(1 day\)/);
    expect(error.describe()).toMatch(/set `duration` to P1D or less/);
    expect(error.describe()).toMatch(/Privileged Identity Management → Azure resources/);
  });

  it('names the MFA and ticket rules a workflow cannot meet, with their settings', () => {
    const strict = { enabledRules: ['MultiFactorAuthentication', 'Ticketing'] };
    const broken = rulesBroken(strict, duration('PT1H'));
    expect(broken).toEqual(['TicketingRule', 'MfaRule']);
    const text = policyError(broken, { role: 'Reader', scope: SUB, duration: duration('PT1H') }).describe();
    expect(text).toMatch(/Require ticket information on active assignment/);
    expect(text).toMatch(/Require Azure Multi-Factor Authentication on active assignment/);
  });
});

describe("a refused request's rules are read from Azure's message, and nothing else of it", () => {
  it('takes the known rule names only', () => {
    expect(rulesNamedIn('The following policy rules failed: ["ExpirationRule","MfaRule"]')).toEqual([
      'ExpirationRule',
      'MfaRule',
    ]);
    expect(rulesNamedIn('The following policy rules failed: ["::error::Injected"]')).toEqual([]);
    expect(rulesNamedIn(undefined)).toEqual([]);
  });
});
