import { describe, expect, it } from '@jest/globals';
import { atOrUnder, roleGuidOf, type AzureScope } from '../../../src/core/azure-scope.js';
import {
  odataString,
  principalIdFilter,
  roleDefinitionIdFor,
  roleDefinitionsScopeOf,
  roleNameFilter,
  sameScope,
} from '../../../src/azure/arm/roles.js';
import { parseRoleReference } from '../../../src/core/inputs/azure-values.js';

const SUB = '11111111-1111-1111-1111-111111111111';
const READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';
const subscription: AzureScope = {
  scope: `/subscriptions/${SUB}`,
  kind: 'subscription',
  subscriptionId: SUB,
};
const resourceGroup: AzureScope = {
  scope: `/subscriptions/${SUB}/resourceGroups/rg`,
  kind: 'resourceGroup',
  subscriptionId: SUB,
};
const managementGroup: AzureScope = {
  scope: '/providers/Microsoft.Management/managementGroups/platform',
  kind: 'managementGroup',
};

describe('the role input', () => {
  it('tells a GUID, a full role definition ID and a name apart', () => {
    expect(parseRoleReference(READER.toUpperCase())).toEqual({ kind: 'guid', guid: READER });
    const id = `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${READER}`;
    expect(parseRoleReference(id)).toEqual({ kind: 'id', id });
    expect(parseRoleReference(`/providers/Microsoft.Authorization/roleDefinitions/${READER}`).kind).toBe(
      'id',
    );
    expect(parseRoleReference('Storage Blob Data Reader')).toEqual({
      kind: 'name',
      name: 'Storage Blob Data Reader',
    });
  });

  it('builds a subscription-level role definition ID at subscription scope and below, as the REST examples do', () => {
    expect(roleDefinitionIdFor(READER, subscription)).toBe(
      `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${READER}`,
    );
    expect(roleDefinitionIdFor(READER, resourceGroup)).toBe(
      `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${READER}`,
    );
  });

  it('builds a tenant-level role definition ID at management group scope', () => {
    expect(roleDefinitionIdFor(READER, managementGroup)).toBe(
      `/providers/Microsoft.Authorization/roleDefinitions/${READER}`,
    );
  });
});

describe('role definitions compare by their trailing GUID (ARM echoes another prefix: examples/RoleAssignments_CreateForSubscription.json in __tests__/fixtures/contracts)', () => {
  it('gets the same GUID from either form', () => {
    const sent = `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${READER.toUpperCase()}`;
    const echoed = `/providers/Microsoft.Authorization/roleDefinitions/${READER}`;
    expect(roleGuidOf(sent)).toBe(roleGuidOf(echoed));
    expect(roleGuidOf(READER)).toBe(READER);
  });
});

describe('a scope’s role definitions are listed at its subscription, or at the management group itself', () => {
  it('lists a resource group’s and a subscription’s at the subscription', () => {
    expect(roleDefinitionsScopeOf(resourceGroup)).toEqual(subscription);
    expect(roleDefinitionsScopeOf(subscription)).toEqual(subscription);
  });

  it('lists a management group’s at the management group', () => {
    expect(roleDefinitionsScopeOf(managementGroup)).toEqual(managementGroup);
  });
});

describe('OData filters', () => {
  it('quotes a role name and doubles a quote inside it', () => {
    expect(odataString("O'Brien's role")).toBe("'O''Brien''s role'");
    expect(roleNameFilter('Reader')).toBe("roleName eq 'Reader'");
    expect(roleNameFilter("a'b")).toBe("roleName eq 'a''b'");
  });

  it('encodes the principalId filter itself, since the SDK sends it unencoded (x-ms-skip-url-encoding)', () => {
    const filter = principalIdFilter('ce2ce14e-85d7-4629-bdbc-454d0519d987');
    expect(filter).not.toContain(' ');
    expect(decodeURIComponent(filter)).toBe("principalId eq 'ce2ce14e-85d7-4629-bdbc-454d0519d987'");
  });
});

describe('scopes compare as ARM compares them', () => {
  it('ignores case and a trailing slash', () => {
    expect(
      sameScope(`/subscriptions/${SUB}/resourceGroups/RG`, `/subscriptions/${SUB}/resourcegroups/rg/`),
    ).toBe(true);
    expect(sameScope(`subscriptions/${SUB}`, `/subscriptions/${SUB}`)).toBe(true);
  });

  it('does not match a scope above or below', () => {
    expect(sameScope(`/subscriptions/${SUB}`, `/subscriptions/${SUB}/resourceGroups/rg`)).toBe(false);
    expect(sameScope(undefined, `/subscriptions/${SUB}`)).toBe(false);
  });

  // JavaScript's toLowerCase folds letters ARM's case-insensitive compare may keep apart (ẞ and ß,
  // İ and i with a dot above, ϴ and Θ): a grant, a revoke or a managed scope must never reach
  // another resource group's assignment through such a fold. Only ASCII letters are folded.
  it.each([
    ['rg-ẞ', 'rg-ß'],
    ['rg-İ', 'rg-i\u0307'],
    ['rg-ϴ', 'rg-θ'],
    ['rg-É', 'rg-é'],
  ])('never takes resource group %s for %s (letters beyond ASCII compare as written)', (a, b) => {
    const at = (name: string) => `/subscriptions/${SUB}/resourceGroups/${name}`;
    expect(sameScope(at(a), at(b))).toBe(false);
    expect(atOrUnder(`${at(b)}/providers/Microsoft.Storage/storageAccounts/sa`, at(a))).toBe(false);
    expect(atOrUnder(at(b), at(a))).toBe(false);
    expect(sameScope(at(a), at(a).replace('resourceGroups', 'RESOURCEGROUPS'))).toBe(true);
  });
});
