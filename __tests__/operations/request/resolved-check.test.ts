// A request is decided on what it grants: what is asked and what the rule names, compared once
// resolved (permission set ARNs and accounts; role definition GUIDs and scopes). Pure.
import { describe, expect, it } from '@jest/globals';
import type { PolicyRule } from '../../../src/core/manifest/policy-rule.js';
import { resolvedRefusals } from '../../../src/operations/request/resolved-check.js';

const SCOPE = '/subscriptions/00000000-0000-0000-0000-000000000000';
const azureRule: PolicyRule = {
  name: 'prod-reader',
  cloud: 'azure',
  who: ['alice'],
  roles: ['Reader'],
  targets: [`${SCOPE}/resourceGroups/RG-App`],
  maxDurationMs: 7_200_000,
  justificationRequired: false,
  environment: 'production-access',
  approvers: [],
  requestExpiryMs: 8 * 3_600_000,
  line: 1,
};

describe('what is asked, compared with the rule once both are resolved', () => {
  const PS = 'arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-';
  const awsRule: PolicyRule = {
    ...azureRule,
    cloud: 'aws',
    roles: ['ReadOnly'],
    targets: ['ou-ab12-cdefgh34'],
  };
  const readOnlyAt = (account: string) => ({
    target: account,
    targetId: account,
    role: 'ReadOnly',
    roleId: `${PS}aaaa`,
  });

  it("refuses a permission set whose name differs from the rule's only in case, naming both as resolved", () => {
    const refused = resolvedRefusals(
      awsRule,
      [{ target: '111111111111', targetId: '111111111111', role: 'readonly', roleId: `${PS}bbbb` }],
      { targetIds: ['111111111111'], roles: [readOnlyAt('111111111111')] },
    );
    expect(refused.map((r) => r.describe())).toEqual([
      expect.stringMatching(
        /rule `prod-reader`: `role` `readonly` \(.*ps-bbbb\) is none of the rule's roles at `111111111111`: `ReadOnly` \(.*ps-aaaa\)/,
      ),
    ]);
  });

  it("allows the rule's permission set by its ARN, in an account its OU holds; refuses an account outside it", () => {
    const named = { targetIds: ['111111111111', '222222222222'], roles: [readOnlyAt('111111111111')] };
    const byArn = {
      target: '111111111111',
      targetId: '111111111111',
      role: `${PS}aaaa`,
      roleId: `${PS}aaaa`,
    };
    expect(resolvedRefusals(awsRule, [byArn], named)).toEqual([]);
    const outside = { ...byArn, target: '333333333333', targetId: '333333333333' };
    expect(resolvedRefusals(awsRule, [outside], named)[0]!.describe()).toMatch(
      /`target` `333333333333` is none of the accounts, scopes or groups the rule's targets mean \(`ou-ab12-cdefgh34`\)/,
    );
  });

  it('refuses a role the rule names that does not resolve where it is asked, saying so', () => {
    const refused = resolvedRefusals(
      awsRule,
      [{ target: '111111111111', targetId: '111111111111', role: 'Other', roleId: `${PS}cccc` }],
      { targetIds: ['111111111111'], roles: [{ ...readOnlyAt('111111111111'), roleId: undefined }] },
    );
    expect(refused[0]!.describe()).toContain('`ReadOnly` (which does not resolve there)');
  });

  it("allows an Azure role asked by its GUID and the rule's scope in another case: ARM compares them so", () => {
    const guid = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';
    const rule = azureRule;
    const named = {
      targetIds: [`${SCOPE}/resourceGroups/RG-App`],
      roles: [
        {
          target: `${SCOPE}/resourceGroups/RG-App`,
          targetId: `${SCOPE}/resourceGroups/RG-App`,
          role: 'Reader',
          roleId: `/providers/Microsoft.Authorization/roleDefinitions/${guid}`,
        },
      ],
    };
    const byGuid = {
      target: `${SCOPE}/resourcegroups/rg-app/`,
      targetId: `${SCOPE}/resourceGroups/rg-app`,
      role: guid.toUpperCase(),
      roleId: `${SCOPE}/providers/Microsoft.Authorization/roleDefinitions/${guid}`,
    };
    expect(resolvedRefusals(rule, [byGuid], named)).toEqual([]);
    const contributor = {
      ...byGuid,
      role: 'Contributor',
      roleId: `${SCOPE}/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c`,
    };
    expect(resolvedRefusals(rule, [contributor], named)[0]!.describe()).toMatch(
      new RegExp(
        `\`Contributor\` \\(b24988ac-6180-42a0-ab88-20f7382dd24c\\) is none of the rule's roles .*\`Reader\` \\(${guid}\\)`,
      ),
    );
  });
});
