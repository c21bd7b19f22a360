// What the resolver asks Graph for each form: the properties it reads of each collection, and the
// `collection:property` queries that look a form up (and find names close to one not found).
import type { AzurePrincipalRef } from '../../core/principal-forms.js';

export const SELECT = {
  users: 'id,displayName,userPrincipalName,mail',
  groups: 'id,displayName,securityEnabled,mailEnabled,groupTypes',
  servicePrincipals: 'id,appId,displayName,servicePrincipalType,alternativeNames',
} as const;
export type Collection = keyof typeof SELECT;

/** The `collection:property` queries that look a form up. */
export const LOOKED_UP_IN: Record<AzurePrincipalRef['kind'], string[]> = {
  user: ['users:userPrincipalName', 'users:mail'],
  group: ['groups:displayName'],
  name: ['groups:displayName', 'servicePrincipals:displayName'],
  'sp-name': ['servicePrincipals:displayName'],
  'mi-name': ['servicePrincipals:displayName'],
  'sp-app': ['servicePrincipals:appId'],
  object: [],
  'mi-resource': [],
};

/** Where the names close to an unmatched form are looked for. */
export const SUGGEST_IN: Record<AzurePrincipalRef['kind'], [Collection, string][]> = {
  user: [['users', 'userPrincipalName']],
  group: [['groups', 'displayName']],
  name: [
    ['groups', 'displayName'],
    ['servicePrincipals', 'displayName'],
  ],
  'sp-name': [['servicePrincipals', 'displayName']],
  'mi-name': [['servicePrincipals', 'displayName']],
  'sp-app': [],
  object: [],
  'mi-resource': [],
};

/** "limited to 15 expressions in the filter clause by default" (Graph's filter-query-parameter docs). */
export const IN_LIMIT = 15;
