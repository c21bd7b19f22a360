// A PIM eligibility: its own key, its requests' names derived from the repository and the grant
// (so a later run recognises a schedule whose request ARM no longer returns), and how a person
// removes one by hand.
import { describe, expect, it } from '@jest/globals';
import { azurePimActive } from '../../../src/core/kinds/azure-pim-active.js';
import {
  azurePimEligible,
  derivedNameIndex,
  eligibilityRequestName,
  eligibilityRequestNames,
  ELIGIBILITY_NAMES,
} from '../../../src/core/kinds/azure-pim-eligible.js';
import { azureRoleAssignment } from '../../../src/core/kinds/azure-role-assignment.js';
import { GUID } from '../../../src/core/patterns.js';

const SUB = '/subscriptions/00000000-0000-0000-0000-000000000001';
const READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';
const parts = {
  principalId: '11111111-1111-1111-1111-111111111111',
  principalType: 'User',
  roleId: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${READER}`,
  targetId: SUB,
};
const names = {
  owner: 'github:123456',
  scope: SUB,
  roleId: parts.roleId,
  principalId: parts.principalId,
};

describe('an eligibility is a kind of its own', () => {
  it('is keyed apart from an active assignment and a role assignment of one principal, role and scope', () => {
    const keys = new Set([
      azurePimEligible.key(parts),
      azurePimActive.key(parts),
      azureRoleAssignment.key(parts),
    ]);
    expect(keys.size).toBe(3);
  });

  it('compares a role by its GUID, whether or not its ID names the subscription (management-group scopes)', () => {
    const tenantLevel = { ...parts, roleId: `/providers/Microsoft.Authorization/roleDefinitions/${READER}` };
    expect(azurePimEligible.key(tenantLevel)).toBe(azurePimEligible.key(parts));
  });

  it('is removed by hand through a PIM eligibility AdminRemove or the portal', () => {
    expect(azurePimEligible.removeByHand(parts)).toMatch(
      /^a PIM eligibility AdminRemove \(roleEligibilityScheduleRequests\)/,
    );
    expect(azurePimEligible.removeByHand(parts)).toContain('Eligible assignments');
  });
});

describe("an eligibility request's name is recomputed by a later run from the repository and the grant", () => {
  it('is a GUID, the same every time it is computed', () => {
    const name = eligibilityRequestName(names, 0);
    expect(name).toMatch(GUID);
    expect(name).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(eligibilityRequestName({ ...names }, 0)).toBe(name);
  });

  it('differs by repository, scope, role, principal and life', () => {
    const all = new Set([
      eligibilityRequestName(names, 0),
      eligibilityRequestName({ ...names, owner: 'github:654321' }, 0),
      eligibilityRequestName({ ...names, scope: `${SUB}/resourceGroups/rg` }, 0),
      eligibilityRequestName(
        {
          ...names,
          roleId: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c`,
        },
        0,
      ),
      eligibilityRequestName({ ...names, principalId: '22222222-2222-2222-2222-222222222222' }, 0),
      eligibilityRequestName(names, 1),
    ]);
    expect(all.size).toBe(6);
  });

  it('ignores how ARM writes the IDs: case, and a role ID with or without its subscription', () => {
    const written = {
      ...names,
      scope: SUB.toUpperCase().replace('SUBSCRIPTIONS', 'subscriptions'),
      principalId: names.principalId.toUpperCase(),
      roleId: `/providers/Microsoft.Authorization/roleDefinitions/${READER.toUpperCase()}`,
    };
    expect(eligibilityRequestName(written, 3)).toBe(eligibilityRequestName(names, 3));
  });

  it('recognises a request ID, full or bare, ending with one of the names it allows, and which life it is', () => {
    const third = eligibilityRequestName(names, 2);
    expect(
      derivedNameIndex(
        names,
        `${SUB}/providers/Microsoft.Authorization/RoleEligibilityScheduleRequests/${third}`,
      ),
    ).toBe(2);
    expect(derivedNameIndex(names, third.toUpperCase())).toBe(2);
    expect(eligibilityRequestNames(names)).toHaveLength(ELIGIBILITY_NAMES);
  });

  it("does not take another's request (a portal change, another repository) for one of its own", () => {
    expect(
      derivedNameIndex(
        names,
        `${SUB}/providers/Microsoft.Authorization/RoleEligibilityScheduleRequests/0b7d3f9c-1111-4aaa-8bbb-123456789abc`,
      ),
    ).toBeUndefined();
    expect(
      derivedNameIndex(names, eligibilityRequestName({ ...names, owner: 'github:999' }, 0)),
    ).toBeUndefined();
    expect(derivedNameIndex(names, undefined)).toBeUndefined();
  });
});
