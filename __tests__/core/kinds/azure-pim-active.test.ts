// An active PIM assignment: its own key, and how a person removes it.
import { describe, expect, it } from '@jest/globals';
import { azurePimActive } from '../../../src/core/kinds/azure-pim-active.js';
import { azureRoleAssignment } from '../../../src/core/kinds/azure-role-assignment.js';

const parts = {
  principalId: '11111111-1111-1111-1111-111111111111',
  principalType: 'User',
  roleId: '/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7',
  targetId: '/subscriptions/00000000-0000-0000-0000-000000000001',
};

describe('an active PIM assignment', () => {
  it('is keyed apart from a role assignment of one principal, role and scope', () => {
    expect(azurePimActive.key(parts)).not.toBe(azureRoleAssignment.key(parts));
  });

  it('is removed by hand through a PIM AdminRemove', () => {
    expect(azurePimActive.removeByHand(parts)).toBe(
      `a PIM AdminRemove of role ${parts.roleId} for principal ${parts.principalId} at ${parts.targetId}`,
    );
  });
});
