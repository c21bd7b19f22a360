// What the emulated Graph serves of each directory type: its properties (names as in Graph's v1.0
// CSDL, __tests__/fixtures/contracts/azure/graph-v1.0-principals.csdl.xml), the default set a read
// without `$select` returns, and the properties `$filter` takes by default.
export type GraphCollection = 'users' | 'groups' | 'servicePrincipals' | 'applications';

export interface GraphType {
  odataType: string;
  properties: readonly string[];
  defaults: readonly string[];
  filterable: readonly string[];
}

export const GRAPH_TYPES: Record<GraphCollection, GraphType> = {
  users: {
    odataType: 'user',
    properties: ['id', 'displayName', 'userPrincipalName', 'mail', 'userType'],
    // https://learn.microsoft.com/graph/api/user-get: a read returns only a default set (of which the emulator keeps these).
    defaults: ['id', 'displayName', 'userPrincipalName', 'mail'],
    filterable: ['id', 'displayName', 'userPrincipalName', 'mail', 'userType'],
  },
  groups: {
    odataType: 'group',
    properties: ['id', 'displayName', 'mailNickname', 'securityEnabled', 'mailEnabled', 'groupTypes'],
    defaults: ['id', 'displayName', 'mailNickname', 'securityEnabled', 'mailEnabled', 'groupTypes'],
    filterable: ['id', 'displayName', 'mailNickname', 'securityEnabled', 'mailEnabled'],
  },
  servicePrincipals: {
    odataType: 'servicePrincipal',
    properties: [
      'id',
      'appId',
      'displayName',
      'servicePrincipalType',
      'alternativeNames',
      'servicePrincipalNames',
    ],
    defaults: [
      'id',
      'appId',
      'displayName',
      'servicePrincipalType',
      'alternativeNames',
      'servicePrincipalNames',
    ],
    filterable: ['id', 'appId', 'displayName', 'servicePrincipalType'],
  },
  applications: {
    odataType: 'application',
    properties: ['id', 'appId', 'displayName'],
    defaults: ['id', 'appId', 'displayName'],
    filterable: ['id', 'appId', 'displayName'],
  },
};
