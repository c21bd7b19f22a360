// An Azure role assignment's key compares its parts as ARM does.
import { describe, expect, it } from '@jest/globals';
import { azureRoleAssignment } from '../../../src/core/kinds/azure-role-assignment.js';

const GUID = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';
const parts = {
  principalId: 'AAAAAAAA-1111-1111-1111-111111111111',
  principalType: 'User',
  roleId: `/subscriptions/00000000-0000-0000-0000-000000000001/providers/Microsoft.Authorization/roleDefinitions/${GUID.toUpperCase()}`,
  targetId: '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/RG',
};

describe('an Azure role assignment is one whatever case or form ARM writes it in', () => {
  it('ignores the case of the principal, the role and the scope’s ASCII letters', () => {
    const lower = {
      ...parts,
      principalId: parts.principalId.toLowerCase(),
      roleId: parts.roleId.toLowerCase(),
      targetId: parts.targetId.toLowerCase(),
    };
    expect(azureRoleAssignment.key(lower)).toBe(azureRoleAssignment.key(parts));
  });

  it('compares a role by its definition’s GUID, with or without its subscription', () => {
    const bare = { ...parts, roleId: `/providers/Microsoft.Authorization/roleDefinitions/${GUID}` };
    expect(azureRoleAssignment.key(bare)).toBe(azureRoleAssignment.key(parts));
  });

  it('leaves the principal type out: an object ID is one principal whatever type ARM reports', () => {
    expect(azureRoleAssignment.key({ ...parts, principalType: 'Group' })).toBe(
      azureRoleAssignment.key(parts),
    );
  });

  it('keeps a scope’s letters beyond ASCII as written: two resource groups are never taken for one', () => {
    const a = { ...parts, targetId: `${parts.targetId}/Ä` };
    const b = { ...parts, targetId: `${parts.targetId}/ä` };
    expect(azureRoleAssignment.key(a)).not.toBe(azureRoleAssignment.key(b));
  });
});

describe('an Azure role assignment is removed by hand with the CLI', () => {
  it('by its name when known, else by principal, role and scope', () => {
    expect(azureRoleAssignment.removeByHand({ ...parts, name: 'n-1' })).toBe(
      `az role assignment delete --ids ${parts.targetId}/providers/Microsoft.Authorization/roleAssignments/n-1`,
    );
    expect(azureRoleAssignment.removeByHand(parts)).toBe(
      `az role assignment delete --assignee ${parts.principalId} --role ${parts.roleId} --scope ${parts.targetId}`,
    );
  });
});

describe('a removal command copied into a shell deletes that grant and runs nothing else', () => {
  const hostile = `${parts.targetId}/providers/Microsoft.Web/sites/a$(id)'b`;
  it.each([
    ['by name', { ...parts, targetId: hostile, name: 'n-1' }],
    ['by principal, role and scope', { ...parts, targetId: hostile }],
  ])(
    'quotes a scope holding shell syntax as one word, %s (the post step and the sweep say the same command)',
    (_, p) => {
      const command = azureRoleAssignment.removeByHand(p);
      expect(command).toContain(`'${parts.targetId}/providers/Microsoft.Web/sites/a$(id)'\\''b`);
      expect(command).not.toMatch(/ [^' ]*\$\(id\)/);
    },
  );
});
