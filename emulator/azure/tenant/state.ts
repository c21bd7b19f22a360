// The Azure data model: the Entra directory (tenant, principals, app registrations with their
// federated credentials), the management group / subscription hierarchy, role definitions and
// role assignments (their records: ./role-assignments.ts), with ARM's scope inheritance and
// eventually consistent reads.
import { randomUUID } from 'node:crypto';
import { EntraDirectory, type PrincipalType } from './directory.js';
import type { PimRequestRecord, PimScheduleRecord } from './pim-records.js';
import { EligibilityStore } from './eligibility-records.js';
import { GroupPimStore } from './pim-groups-records.js';
import { builtInRoles, roleAllows, type Permission, type RoleDefinitionRecord } from './roles.js';
import type { AssignmentRecord } from './role-assignments.js';
import { parseScope, pathContains, type Scope } from './scope.js';

export interface Principal {
  id: string;
  type: PrincipalType;
  /** When it was created (ms); ARM sees it after config.principalReplicationDelayMs. */
  createdAt: number;
}

export interface FederatedCredential {
  issuer: string;
  subject: string;
  audiences: string[];
}

export interface AppRegistration {
  clientId: string;
  /** Object ID of the app's service principal in the tenant: the `oid` of its tokens. */
  objectId: string;
  displayName: string;
  federatedCredentials: FederatedCredential[];
}

export const SEED = {
  tenantId: '8b5e9f3c-27a4-4c1d-9e6f-0a2b7c4d1e93',
  tenantDomain: 'octoorg.onmicrosoft.com',
  subscriptionId: '3f2a9c71-5d4e-4b8a-a6c2-91e07d5b8f14',
  /** The management group the seeded subscription sits in (under the tenant root group). */
  managementGroup: 'platform',
  clientId: 'a7c3e5f1-2b4d-4e6a-8c9b-0d1f3a5c7e92',
  appObjectId: '5b7d9f13-6a8c-4e2b-b4d6-f8a0c2e4a6b8',
  /** The resource groups of the seeded subscription: rg-app is the one examples/ grants on. */
  resourceGroups: ['rg-app'],
  /** Someone who changes PIM eligibilities in the portal (the requestorId of their requests). */
  portalAdminObjectId: '6ad0a1b2-7c3d-4e5f-9a6b-7c8d9e0fa1b2',
  githubIssuer: 'https://token.actions.githubusercontent.com',
  subject: 'repo:octo-org/octo-repo:ref:refs/heads/main',
  audience: 'api://AzureADTokenExchange',
} as const;

export class AzureState {
  readonly tenantId: string = SEED.tenantId;
  readonly tenantDomains = new Set<string>([SEED.tenantDomain]);
  readonly principals = new Map<string, Principal>();
  readonly apps = new Map<string, AppRegistration>();
  /** Users, groups, service principals and managed identities as Microsoft Graph shows them. */
  readonly directory = new EntraDirectory(
    (type, createdAt, id) => this.addPrincipal(type, createdAt, id),
    SEED.tenantId,
    SEED.tenantDomain,
  );
  /** Management group name (lower case) → { name, parent name (lower case) or null for the root }. */
  readonly managementGroups = new Map<string, { name: string; parent: string | null }>();
  /** Subscription ID (lower case) → its management group (lower case). */
  readonly subscriptions = new Map<string, string>();
  /** Subscription ID (lower case) → its display name, as Subscriptions_Get answers it. */
  readonly subscriptionNames = new Map<string, string>();
  readonly roleDefinitions = new Map<string, RoleDefinitionRecord>();
  /** Every assignment ever made, deleted ones included until reads stop seeing them. */
  readonly assignments: AssignmentRecord[] = [];
  /** PIM role assignment schedule requests, terminal ones included (the service keeps them 45 days). */
  readonly pimRequests: PimRequestRecord[] = [];
  /** PIM role assignment schedules, ended ones included (settlePim decides what is current). */
  readonly pimSchedules: PimScheduleRecord[] = [];
  /** PIM eligibility: its requests and schedules (pim/eligibility*.ts). */
  readonly eligibility = new EligibilityStore();
  /** PIM for groups (Graph): its requests, schedules, onboarded groups and policies (../graph/pim-groups*.ts). */
  readonly groupPim = new GroupPimStore();

  constructor() {
    this.managementGroups.set(this.tenantId, { name: this.tenantId, parent: null });
    for (const role of builtInRoles()) this.roleDefinitions.set(role.guid, role);
  }

  // ---- directory ----

  addPrincipal(type: PrincipalType = 'User', createdAt = Date.now(), id: string = randomUUID()): string {
    const key = id.toLowerCase();
    this.principals.set(key, { id: key, type, createdAt });
    return key;
  }

  addApp(app: {
    clientId?: string;
    objectId?: string;
    displayName?: string;
    federatedCredentials: FederatedCredential[];
  }): AppRegistration {
    const registration: AppRegistration = {
      clientId: (app.clientId ?? randomUUID()).toLowerCase(),
      objectId: (app.objectId ?? randomUUID()).toLowerCase(),
      displayName: app.displayName ?? 'cloud-access',
      federatedCredentials: app.federatedCredentials,
    };
    this.apps.set(registration.clientId, registration);
    this.directory.addApplication({
      displayName: registration.displayName,
      appId: registration.clientId,
      servicePrincipalId: registration.objectId,
    });
    return registration;
  }

  isTenant(tenant: string): boolean {
    return tenant.toLowerCase() === this.tenantId || this.tenantDomains.has(tenant.toLowerCase());
  }

  // ---- hierarchy ----

  addManagementGroup(name: string, parent: string = this.tenantId): void {
    this.managementGroups.set(name.toLowerCase(), { name, parent: parent.toLowerCase() });
  }

  /** `displayName`: by default the name the Azure portal gives a first subscription. */
  addSubscription(
    subscriptionId: string,
    managementGroup: string = this.tenantId,
    displayName = 'Azure subscription 1',
  ): void {
    const mg = managementGroup.toLowerCase();
    if (!this.managementGroups.has(mg)) this.addManagementGroup(managementGroup);
    this.subscriptions.set(subscriptionId.toLowerCase(), mg);
    this.subscriptionNames.set(subscriptionId.toLowerCase(), displayName);
  }

  hasSubscription(subscriptionId: string): boolean {
    return this.subscriptions.has(subscriptionId.toLowerCase());
  }

  /** Subscription ID (lower case) → its resource groups' names (lower case: ARM matches them so). */
  readonly resourceGroups = new Map<string, Set<string>>();

  addResourceGroup(subscriptionId: string, name: string): void {
    const key = subscriptionId.toLowerCase();
    const groups = this.resourceGroups.get(key) ?? new Set<string>();
    groups.add(name.toLowerCase());
    this.resourceGroups.set(key, groups);
  }

  hasResourceGroup(subscriptionId: string, name: string): boolean {
    return this.resourceGroups.get(subscriptionId.toLowerCase())?.has(name.toLowerCase()) === true;
  }

  /** The management groups above a scope, nearest first, ending with the tenant root group. */
  managementGroupChain(scope: Scope): string[] {
    let current: string | null | undefined =
      scope.kind === 'managementGroup'
        ? scope.managementGroup!.toLowerCase()
        : scope.subscriptionId
          ? (this.subscriptions.get(scope.subscriptionId.toLowerCase()) ?? this.tenantId)
          : null;
    const chain: string[] = [];
    while (current && !chain.includes(current)) {
      chain.push(current);
      // An unknown management group hangs off the tenant root group.
      current =
        this.managementGroups.get(current)?.parent ?? (current === this.tenantId ? null : this.tenantId);
    }
    return chain;
  }

  /** Whether an assignment (or role) at `above` applies at `scope`: at or above it. */
  isAtOrAbove(above: Scope, scope: Scope): boolean {
    if (above.kind === 'root') return true;
    if (above.kind === 'managementGroup')
      return this.managementGroupChain(scope).includes(above.managementGroup!.toLowerCase());
    if (scope.kind === 'root' || scope.kind === 'managementGroup') return false;
    return pathContains(above, scope);
  }

  // ---- role definitions ----

  addRoleDefinition(role: {
    roleName: string;
    permissions: Partial<Permission>[];
    assignableScopes: string[];
    guid?: string;
    description?: string;
    type?: 'BuiltInRole' | 'CustomRole';
  }): RoleDefinitionRecord {
    const record: RoleDefinitionRecord = {
      guid: (role.guid ?? randomUUID()).toLowerCase(),
      roleName: role.roleName,
      type: role.type ?? 'CustomRole',
      description: role.description ?? '',
      assignableScopes: role.assignableScopes.map((s) => parseScope(s).path),
      permissions: role.permissions.map((p) => ({
        actions: p.actions ?? [],
        notActions: p.notActions ?? [],
        dataActions: p.dataActions ?? [],
        notDataActions: p.notDataActions ?? [],
      })),
    };
    this.roleDefinitions.set(record.guid, record);
    return record;
  }

  /** Whether a role can be assigned (and is listed) at a scope: one of its assignable scopes is at or above it. */
  roleAssignableAt(role: RoleDefinitionRecord, scope: Scope): boolean {
    return role.assignableScopes.some((s) => this.isAtOrAbove(parseScope(s), scope));
  }

  // ---- role assignments ----

  /** Assignments that exist now (what writes see). */
  live(): AssignmentRecord[] {
    return this.assignments.filter((a) => a.deletedAt === undefined);
  }

  /** Assignments a read sees now: created long enough ago, or deleted too recently to notice. */
  visible(now = Date.now()): AssignmentRecord[] {
    return this.inSight(now).filter((a) => !a.hiddenReads);
  }

  /**
   * What one GET or list shows of the assignments `shows` picks: as `visible`, except that each
   * one still hidden from reads (`hiddenReads`) is left out, and this read counted against it.
   */
  read(shows: (a: AssignmentRecord) => boolean, now = Date.now()): AssignmentRecord[] {
    return this.inSight(now).filter((a) => {
      if (!shows(a)) return false;
      if (!a.hiddenReads) return true;
      a.hiddenReads--;
      return false;
    });
  }

  private inSight(now: number): AssignmentRecord[] {
    return this.assignments.filter(
      (a) => a.visibleFrom <= now && (a.hiddenFrom === undefined || now < a.hiddenFrom),
    );
  }

  /** Drops tombstones no read can see any more. */
  prune(now = Date.now()): void {
    for (let i = this.assignments.length - 1; i >= 0; i--) {
      const a = this.assignments[i]!;
      if (a.hiddenFrom !== undefined && a.hiddenFrom <= now) this.assignments.splice(i, 1);
    }
  }

  /** Whether `principalId` holds, at or above `scope`, a role that allows `action`. */
  isAuthorized(principalId: string, action: string, scope: Scope): boolean {
    const id = principalId.toLowerCase();
    return this.live().some((a) => {
      if (a.principalId !== id || !this.isAtOrAbove(a.scope, scope)) return false;
      const role = this.roleDefinitions.get(a.roleGuid);
      return role !== undefined && roleAllows(role, action);
    });
  }
}
