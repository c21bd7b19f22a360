// The kinds of access and their keys: an assignment is compared by its kind's key, built once.
import { describe, expect, it } from '@jest/globals';
import {
  GRANT_KINDS,
  KINDS,
  LISTED_KIND,
  assignmentKey,
  keyOfIds,
  kindOf,
  kindWordShown,
  manifestKind,
  manifestTypes,
  type AssignmentKeyParts,
} from '../../../src/core/kinds/index.js';
import { azureKeyOf } from '../../../src/core/kinds/azure-role-assignment.js';
import { parseAzureScope, type AzureScope } from '../../../src/core/azure-scope.js';

const SCOPE = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg';
const ROLE =
  '/subscriptions/00000000-0000-0000-0000-000000000001/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7';
const azureParts: AssignmentKeyParts = {
  principalId: '11111111-1111-1111-1111-111111111111',
  principalType: 'User',
  roleId: ROLE,
  targetId: SCOPE,
};

describe('an assignment is keyed by its kind', () => {
  it('gives an active and an eligible grant of one principal, role and scope different keys', () => {
    // No eligible kind exists yet: an Azure kind's key is the kind and ARM's comparison of the parts.
    const eligible = azureKeyOf('azure-pim-eligible', azureParts);
    expect(eligible).not.toBe(assignmentKey('azure-pim-active', azureParts));
    expect(eligible).not.toBe(assignmentKey('azure-role-assignment', azureParts));
  });

  it('gives an active PIM assignment and a role assignment of one principal, role and scope different keys', () => {
    expect(assignmentKey('azure-pim-active', azureParts)).not.toBe(
      assignmentKey('azure-role-assignment', azureParts),
    );
  });

  it('never gives two kinds one key for the same parts', () => {
    const keys = GRANT_KINDS.map((kind) => assignmentKey(kind, azureParts));
    expect(new Set(keys).size).toBe(GRANT_KINDS.length);
  });

  it('registers every kind under its own name, of the cloud it belongs to', () => {
    for (const kind of GRANT_KINDS) expect(KINDS[kind].kind).toBe(kind);
    expect(KINDS['aws-account-assignment'].cloud).toBe('aws');
    expect(KINDS['azure-role-assignment'].cloud).toBe('azure');
    expect(KINDS['azure-pim-active'].cloud).toBe('azure');
  });

  it('keys what a cloud lists as that cloud’s kind', () => {
    expect(KINDS[LISTED_KIND.aws].cloud).toBe('aws');
    expect(KINDS[LISTED_KIND.azure].cloud).toBe('azure');
  });
});

describe('a grant’s resolved IDs key as its parts do', () => {
  it('keys AWS IDs by principal type, ID, permission set and account', () => {
    const ids = {
      cloud: 'aws' as const,
      principalId: 'u-1',
      principalType: 'GROUP' as const,
      roleId: 'arn:aws:sso:::permissionSet/ssoins-1/ps-1',
      accountId: '111111111111',
    };
    expect(keyOfIds('aws-account-assignment', ids)).toBe(
      assignmentKey('aws-account-assignment', {
        principalId: 'u-1',
        principalType: 'GROUP',
        roleId: ids.roleId,
        targetId: '111111111111',
      }),
    );
    expect(keyOfIds('aws-account-assignment', ids)).not.toBe(
      keyOfIds('aws-account-assignment', { ...ids, principalType: 'USER' }),
    );
  });

  it('keys Azure IDs by the scope as parsed', () => {
    const scope = parseAzureScope(SCOPE) as AzureScope;
    const ids = { cloud: 'azure' as const, principalId: azureParts.principalId, roleId: ROLE, scope };
    expect(keyOfIds('azure-role-assignment', ids)).toBe(assignmentKey('azure-role-assignment', azureParts));
  });
});

describe("a step's kind is its cloud's of its word whose `duration` rule fits", () => {
  it.each([
    ['azure', 'active', false, 'azure-role-assignment'],
    ['azure', 'active', true, 'azure-pim-active'],
    ['azure', 'eligible', false, 'azure-pim-eligible'],
    ['azure', 'eligible', true, 'azure-pim-eligible'],
    ['aws', 'active', false, 'aws-account-assignment'],
    ['aws', 'active', true, 'aws-account-assignment'],
  ] as const)('%s, %s, with a duration: %s → %s', (cloud, type, timed, kind) => {
    expect(kindOf(cloud, type, timed)).toBe(kind);
  });

  it('has no AWS kind a person calls eligible', () => {
    expect(() => kindOf('aws', 'eligible', false)).toThrow(/aws has no kind of access `eligible`/);
  });

  it("reads a manifest entry's `type` among the words of the kinds a manifest makes, the default first", () => {
    expect(manifestTypes('azure')).toEqual(['active', 'eligible']);
    expect(manifestTypes('aws')).toEqual(['active']);
    expect(manifestKind('azure', 'active').kind).toBe('azure-role-assignment');
    expect(manifestKind('azure', 'eligible').kind).toBe('azure-pim-eligible');
  });

  it('gives each Azure kind a manifest makes its own rules of `duration` and `condition`', () => {
    expect([KINDS['azure-role-assignment'].duration, KINDS['azure-role-assignment'].condition]).toEqual([
      'none',
      true,
    ]);
    expect([KINDS['azure-pim-eligible'].duration, KINDS['azure-pim-eligible'].condition]).toEqual([
      'optional',
      false,
    ]);
  });
});

describe('a plan line gives the kind by its word where it is not its cloud’s plain kind', () => {
  it('names a PIM eligibility `eligible` and an active PIM assignment `active`, and the plain kinds not at all', () => {
    expect(kindWordShown('azure-pim-eligible')).toBe('eligible');
    expect(kindWordShown('azure-pim-active')).toBe('active');
    expect(kindWordShown('azure-role-assignment')).toBeUndefined();
    expect(kindWordShown('aws-account-assignment')).toBeUndefined();
  });
});
