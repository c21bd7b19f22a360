// The directory objects Graph answers with, as the resolver keeps them: only with a GUID ID (what
// it names is what is granted), and with what tells same-named objects apart in an error.
import type { AzurePrincipalType } from '../../core/principal-forms.js';

type Collection = 'users' | 'groups' | 'servicePrincipals';

/** An object Graph returned, with what tells it apart from others of the same name. */
export interface DirectoryObject {
  kind: 'user' | 'group' | 'servicePrincipal';
  id: string;
  type: AzurePrincipalType;
  displayName: string | undefined;
  userPrincipalName: string | undefined;
  appId: string | undefined;
  servicePrincipalType: string | undefined;
  /** A group's kind: Security, Microsoft 365, Mail-enabled security, Distribution. */
  groupKind: string | undefined;
  /** A managed identity's ARM resource ID (its `alternativeNames`). */
  identityResource: string | undefined;
}

const GUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An object Graph returned, kept only when its ID is a GUID: what it names is what is granted. */
export function directoryObject(
  collection: Collection,
  item: Record<string, unknown>,
): DirectoryObject | undefined {
  const id = item.id;
  if (typeof id !== 'string' || !GUID_TEXT.test(id)) return undefined;
  const text = (k: string) => (typeof item[k] === 'string' ? (item[k] as string) : undefined);
  const kind = collection === 'users' ? 'user' : collection === 'groups' ? 'group' : 'servicePrincipal';
  // Only an object of the collection asked: a `$batch` answer whose items are mixed up (a service
  // principal under the groups query) would otherwise grant to it as a group of the same name.
  // Each collection's selected property that every object of it has and no other collection does.
  const ownProperty =
    kind === 'user'
      ? typeof item.userPrincipalName === 'string'
      : kind === 'group'
        ? Array.isArray(item.groupTypes)
        : typeof item.appId === 'string';
  if (!ownProperty) return undefined;
  return {
    kind,
    id: id.toLowerCase(),
    type: kind === 'user' ? 'User' : kind === 'group' ? 'Group' : 'ServicePrincipal',
    displayName: text('displayName'),
    userPrincipalName: text('userPrincipalName'),
    appId: text('appId'),
    servicePrincipalType: text('servicePrincipalType'),
    groupKind: kind === 'group' ? groupKindOf(item) : undefined,
    identityResource: Array.isArray(item.alternativeNames)
      ? (item.alternativeNames as unknown[]).find(
          (n): n is string => typeof n === 'string' && n.startsWith('/subscriptions/'),
        )
      : undefined,
  };
}

/** "Security", "Microsoft 365", "Mail-enabled security", "Distribution" (what the Entra portal shows). */
function groupKindOf(item: Record<string, unknown>): string {
  const unified = Array.isArray(item.groupTypes) && (item.groupTypes as unknown[]).includes('Unified');
  if (unified) return 'Microsoft 365';
  if (item.securityEnabled === true) return item.mailEnabled === true ? 'Mail-enabled security' : 'Security';
  return 'Distribution';
}

/** One line per object, for the error that lists several of the same name. */
export function describeObject(o: DirectoryObject): string {
  const name = `'${o.displayName ?? ''}'`;
  switch (o.kind) {
    case 'user':
      return `user ${o.id} ${name} (${o.userPrincipalName ?? 'no UPN'})`;
    case 'group':
      return `group ${o.id} ${name} (${o.groupKind ?? 'group'})`;
    default:
      return o.servicePrincipalType === 'ManagedIdentity'
        ? `managed identity ${o.id} ${name}${o.identityResource ? ` (${o.identityResource})` : ''}`
        : `service principal ${o.id} ${name} (app ID ${o.appId ?? 'unknown'}${o.servicePrincipalType ? `, ${o.servicePrincipalType}` : ''})`;
  }
}
