// The Entra directory as Microsoft Graph shows it: users (members and B2B guests), groups (display
// names not unique), service principals (applications' and managed identities'), app
// registrations, and user-assigned managed identities as ARM resources. Each object is also an
// ARM principal (AzureState.principals), so role assignments can name it.
import { randomUUID } from 'node:crypto';

/** The principal types a role assignment names, as ARM spells them. */
export type PrincipalType = 'User' | 'Group' | 'ServicePrincipal' | 'ForeignGroup' | 'Device';
export const PRINCIPAL_TYPES: readonly PrincipalType[] = [
  'User',
  'Group',
  'ServicePrincipal',
  'ForeignGroup',
  'Device',
];

export interface DirectoryUser {
  id: string;
  displayName: string;
  userPrincipalName: string;
  mail: string | null;
  userType: 'Member' | 'Guest';
}

export interface DirectoryGroup {
  id: string;
  displayName: string;
  mailNickname: string;
  securityEnabled: boolean;
  mailEnabled: boolean;
  groupTypes: string[];
}

export interface DirectoryServicePrincipal {
  id: string;
  appId: string;
  displayName: string;
  servicePrincipalType: 'Application' | 'ManagedIdentity' | 'Legacy';
  alternativeNames: string[];
  servicePrincipalNames: string[];
}

export interface DirectoryApplication {
  id: string;
  appId: string;
  displayName: string;
}

/** A user-assigned managed identity (Microsoft.ManagedIdentity/userAssignedIdentities), as ARM returns it. */
export interface UserAssignedIdentity {
  id: string;
  name: string;
  principalId: string;
  clientId: string;
  tenantId: string;
}

/** Register an object as an ARM principal (AzureState.addPrincipal, replicated long ago). */
type AddPrincipal = (type: PrincipalType, createdAt: number, id: string) => string;

export class EntraDirectory {
  readonly users: DirectoryUser[] = [];
  readonly groups: DirectoryGroup[] = [];
  readonly servicePrincipals: DirectoryServicePrincipal[] = [];
  readonly applications: DirectoryApplication[] = [];
  readonly identities = new Map<string, UserAssignedIdentity>();
  /** Group ID → its direct members' object IDs (users, groups, service principals). */
  readonly members = new Map<string, Set<string>>();

  constructor(
    private readonly addPrincipal: AddPrincipal,
    private readonly tenantId: string,
    private readonly tenantDomain: string,
  ) {}

  /** A member (`alice@contoso.com`), or with `guestOf` a B2B guest whose UPN is `alice_contoso.com#EXT#@<tenant domain>`. */
  addUser(u: {
    userPrincipalName?: string;
    displayName?: string;
    mail?: string | null;
    guest?: boolean;
    id?: string;
  }): DirectoryUser {
    const id = (u.id ?? randomUUID()).toLowerCase();
    const mail = u.mail === undefined ? (u.guest ? null : (u.userPrincipalName ?? null)) : u.mail;
    const upn =
      u.guest && mail
        ? `${mail.replace('@', '_')}#EXT#@${this.tenantDomain}`
        : (u.userPrincipalName ?? `user-${id.slice(0, 8)}@${this.tenantDomain}`);
    const user: DirectoryUser = {
      id,
      displayName: u.displayName ?? upn.split('@')[0]!,
      userPrincipalName: upn,
      mail,
      userType: u.guest ? 'Guest' : 'Member',
    };
    this.users.push(user);
    this.addPrincipal('User', 0, id);
    return user;
  }

  /** `kind`: Security (default), Microsoft 365 (`Unified`), Mail-enabled security, Distribution. */
  addGroup(g: {
    displayName: string;
    kind?: 'Security' | 'Microsoft365' | 'MailEnabledSecurity' | 'Distribution';
    id?: string;
  }): DirectoryGroup {
    const id = (g.id ?? randomUUID()).toLowerCase();
    const kind = g.kind ?? 'Security';
    const group: DirectoryGroup = {
      id,
      displayName: g.displayName,
      mailNickname: g.displayName.replace(/[^A-Za-z0-9]/g, '').slice(0, 64) || 'group',
      securityEnabled: kind === 'Security' || kind === 'MailEnabledSecurity' || kind === 'Microsoft365',
      mailEnabled: kind !== 'Security',
      groupTypes: kind === 'Microsoft365' ? ['Unified'] : [],
    };
    this.groups.push(group);
    this.addPrincipal('Group', 0, id);
    return group;
  }

  /** Makes `memberId` (a user, group or service principal) a direct member of the group. */
  addMember(groupId: string, memberId: string): void {
    const id = groupId.toLowerCase();
    this.members.set(id, (this.members.get(id) ?? new Set()).add(memberId.toLowerCase()));
  }

  /** Every object reached from the group through its members, nested groups followed once each (the group itself left out). */
  transitiveMembers(groupId: string): string[] {
    const start = groupId.toLowerCase();
    const seen = new Set<string>();
    const queue = [start];
    for (let group = queue.shift(); group !== undefined; group = queue.shift())
      for (const member of this.members.get(group) ?? [])
        if (member !== start && !seen.has(member)) {
          seen.add(member);
          queue.push(member);
        }
    return [...seen];
  }

  /** An app registration and its service principal in the tenant (the enterprise application). */
  addApplication(a: {
    displayName: string;
    appId?: string;
    objectId?: string;
    servicePrincipalId?: string;
  }): {
    application: DirectoryApplication;
    servicePrincipal: DirectoryServicePrincipal;
  } {
    const appId = (a.appId ?? randomUUID()).toLowerCase();
    const application = { id: (a.objectId ?? randomUUID()).toLowerCase(), appId, displayName: a.displayName };
    this.applications.push(application);
    const servicePrincipal = this.addServicePrincipal({
      displayName: a.displayName,
      appId,
      servicePrincipalType: 'Application',
      ...(a.servicePrincipalId ? { id: a.servicePrincipalId } : {}),
    });
    return { application, servicePrincipal };
  }

  addServicePrincipal(sp: {
    displayName: string;
    appId?: string;
    servicePrincipalType?: DirectoryServicePrincipal['servicePrincipalType'];
    alternativeNames?: string[];
    id?: string;
  }): DirectoryServicePrincipal {
    const id = (sp.id ?? randomUUID()).toLowerCase();
    const appId = (sp.appId ?? randomUUID()).toLowerCase();
    const record: DirectoryServicePrincipal = {
      id,
      appId,
      displayName: sp.displayName,
      servicePrincipalType: sp.servicePrincipalType ?? 'Application',
      alternativeNames: sp.alternativeNames ?? [],
      servicePrincipalNames: [appId],
    };
    this.servicePrincipals.push(record);
    this.addPrincipal('ServicePrincipal', 0, id);
    return record;
  }

  /**
   * A user-assigned managed identity in `resourceGroup` of `subscriptionId`, with its service
   * principal (`servicePrincipalType` ManagedIdentity, `alternativeNames` holding `isExplicit=True`
   * and the resource ID, as Entra records a user-assigned one).
   */
  addManagedIdentity(m: {
    name: string;
    subscriptionId: string;
    resourceGroup: string;
    principalId?: string;
  }): UserAssignedIdentity {
    const id = `/subscriptions/${m.subscriptionId}/resourcegroups/${m.resourceGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${m.name}`;
    const clientId = randomUUID();
    const sp = this.addServicePrincipal({
      displayName: m.name,
      appId: clientId,
      servicePrincipalType: 'ManagedIdentity',
      alternativeNames: ['isExplicit=True', id],
      ...(m.principalId ? { id: m.principalId } : {}),
    });
    const identity = { id, name: m.name, principalId: sp.id, clientId, tenantId: this.tenantId };
    this.identities.set(id.toLowerCase(), identity);
    return identity;
  }
}
