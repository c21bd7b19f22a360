// What tests, the demo and the control endpoints hold of a running Azure emulator: its addresses
// and seeded identities, its state, and the calls that seed and inspect it (./index.ts starts it).
import type { JwtClaims } from '../common/jwt.js';
import type { AzureConfig, AzureFaults } from './tenant/config.js';
import type {
  DirectoryApplication,
  DirectoryGroup,
  DirectoryServicePrincipal,
  DirectoryUser,
  EntraDirectory,
  PrincipalType,
  UserAssignedIdentity,
} from './tenant/directory.js';
import type { PimPolicySettings, PimStatus } from './tenant/pim-records.js';
import type { EligibilityPolicySettings } from './tenant/eligibility-records.js';
import type { GroupAccess, GroupPimKind, GroupPolicySettings } from './tenant/pim-groups-records.js';
import type {
  toEligibilityInstance,
  toEligibilityRequest,
  toEligibilitySchedule,
} from './pim/eligibility-render.js';
import type { toInstance, toRequest, toSchedule } from './pim/schedule-render.js';
import type { Permission, RoleDefinitionRecord } from './tenant/roles.js';
import type { RoleAssignment } from './tenant/role-assignments.js';
import type { AzureState } from './tenant/state.js';

export interface AddRoleAssignment {
  scope: string;
  /** A role GUID or a full role definition ID. */
  roleDefinitionId: string;
  principalId: string;
  principalType?: PrincipalType;
  /** GUID; random by default. */
  name?: string;
  description?: string;
  condition?: string;
  conditionVersion?: string;
  /**
   * Reads (GET, list) do not show it for this long, as when someone else wrote it moments ago:
   * it exists all the same, so a PUT of the same name answers 200 and one of another name for the
   * same principal, role and scope 409 RoleAssignmentExists.
   */
  hiddenForMs?: number;
  /**
   * As `hiddenForMs`, counted in reads rather than time: the next this many GETs and lists that
   * would show it do not (a PIM list does not show it until then, and counts nothing), so a test
   * of a lagging read depends on the order of the calls, not on the machine's speed.
   */
  hiddenForReads?: number;
  /** The identity ARM records as having made it (`createdBy`); none by default. */
  createdBy?: string;
  /** When it was made (`createdOn`); now by default. */
  createdOn?: Date;
  /** Who last wrote it (`updatedBy`), as after another identity's PUT; `createdBy` by default. */
  updatedBy?: string;
  /** When it was last written (`updatedOn`); `createdOn` by default. */
  updatedOn?: Date;
}

/** A PIM active assignment made at once (AdminAssign request Provisioned, schedule, role assignment). */
export interface AddRoleAssignmentSchedule {
  scope: string;
  /** A role GUID or a full role definition ID. */
  roleDefinitionId: string;
  principalId: string;
  /** ms since the epoch; now by default. */
  startMs?: number;
  /** ms since the epoch; null (the default) for no expiration. */
  endMs?: number | null;
  /** The schedule's GUID name; random by default. */
  name?: string;
  /** The role assignment's (and instance's) GUID name; random by default. */
  assignmentName?: string;
  /** The Provisioned AdminAssign request's GUID name; random by default. */
  requestName?: string;
  /** Who asked for it (the request's requestorId, the role assignment's createdBy); the seeded app by default. */
  requestorId?: string;
}

/** PIM as the ARM GETs show it now: every request (terminal ones too), current schedules, instances active now. */
export interface PimSnapshot {
  requests: ReturnType<typeof toRequest>[];
  schedules: ReturnType<typeof toSchedule>[];
  instances: ReturnType<typeof toInstance>[];
}

/** PIM eligibility as the ARM GETs show it now. */
export interface EligibilitySnapshot {
  /** Requests reads return (younger than config.eligibilityRequestRetentionMs). */
  requests: ReturnType<typeof toEligibilityRequest>[];
  /** Requests reads no longer return: the name stays taken ("already exists"). */
  expiredRequests: ReturnType<typeof toEligibilityRequest>[];
  /** Current and future schedules. */
  schedules: ReturnType<typeof toEligibilitySchedule>[];
  /** Eligibilities in force now. */
  instances: ReturnType<typeof toEligibilityInstance>[];
}

/** A person's activation of their eligibility, as ARM keeps its request (activateEligibility). */
export interface EligibilityActivation {
  /** The eligibility's scope: the activation's. */
  scope: string;
  /** A role GUID or role definition ID. */
  roleDefinitionId: string;
  principalId: string;
  /** When it was requested (epoch ms; default now): the request's `createdOn`. */
  at?: number;
  /** The status it ended in (default `Provisioned`): `Denied`, `AdminDenied`, `Failed` … are no activation. */
  status?: PimStatus;
  /** `scheduleInfo.expiration.duration` (default `PT8H`). */
  duration?: string;
  justification?: string;
  /**
   * The group whose eligibility a member activates (its schedule is the request's
   * `linkedRoleEligibilityScheduleId`); default: the principal's own, else a group's it is in.
   */
  through?: string;
}

/** A person's activation of their eligible membership of a group (activateGroupMembership). */
export interface GroupMembershipActivation {
  groupId: string;
  /** The person: eligible themselves, or a member of a group that is. */
  principalId: string;
  /** Default `member`. */
  accessId?: GroupAccess;
  /** When it was requested (epoch ms; default now): the request's `createdDateTime`. */
  at?: number;
  /** The status it ended in (default `Provisioned`): `Denied`, `Failed` … activated nothing. */
  status?: string;
  /** `scheduleInfo.expiration.duration` (default `PT8H`). */
  duration?: string;
  justification?: string;
}

/** An eligibility an admin writes in the portal (writeEligibilityAsAdmin). */
export interface EligibilityPortalWrite {
  scope: string;
  /** A role GUID or a full role definition ID. */
  roleDefinitionId: string;
  /** A principal the emulator holds. */
  principalId: string;
  /** ISO 8601 (default P365D); null: no end. */
  duration?: string | null;
  /** ms since the epoch; now by default. */
  startMs?: number;
  /** The request's GUID name; random by default. */
  requestName?: string;
  /** Who wrote it; SEED.portalAdminObjectId (not the action) by default. */
  requestorId?: string;
  justification?: string;
  /** The new schedule's and its instance's GUID names; random by default. */
  scheduleName?: string;
  instanceName?: string;
}

export interface AddApp {
  clientId?: string;
  /** Subjects of federated credentials with GitHub's issuer and audience api://AzureADTokenExchange. */
  federatedSubjects: string[];
  /** Roles (name or GUID) its service principal holds. */
  roleAtScopes?: { scope: string; role: string }[];
  /** Defaults to GitHub's issuer. */
  issuer?: string;
  audiences?: string[];
}

export interface AzureEmulator {
  /**
   * Azurite's blob endpoint, path-style (`https://127.0.0.1:<port>/devstoreaccount1`), when the
   * emulator was started with `azurite: true`: `audit-log`'s Blob Storage.
   */
  readonly azuriteBlobEndpoint?: string;
  /**
   * For the action's process: NODE_EXTRA_CA_CERTS, AZURE_TENANT_ID, AZURE_CLIENT_ID,
   * AZURE_SUBSCRIPTION_ID, AZURE_AUTHORITY_HOST and EMULATOR_ARM_ENDPOINT.
   */
  readonly env: Record<string, string>;
  /** The action's inputs that sign in to this emulator's Entra and reach its ARM: `client-id`, `tenant-id`, `authority-host`, `resource-manager-endpoint`. */
  readonly actionInputs: Record<string, string>;
  /** `https://127.0.0.1:PORT`: Entra. */
  readonly authorityHost: string;
  /** `https://127.0.0.1:PORT2`: ARM. */
  readonly resourceManagerEndpoint: string;
  /** `https://127.0.0.1:PORT3`: Microsoft Graph (the action's `graph-endpoint`). */
  readonly graphEndpoint: string;
  /** The emulator's CA certificate (PEM), valid until close(). */
  readonly caCertPath: string;
  readonly caCert: string;
  readonly tenantId: string;
  readonly subscriptionId: string;
  /** The seeded app registration (client ID) and its service principal's object ID. */
  readonly clientId: string;
  readonly objectId: string;
  readonly state: AzureState;
  /** Mutable; reset() restores the defaults. */
  config: AzureConfig;
  /** Mutable, all off by default; reset() turns them off. */
  faults: AzureFaults;
  /** Every access token the Entra emulator has issued, oldest first. */
  readonly issuedAccessTokens: string[];

  /** A principal in the directory; `createdAt` (ms) defaults to now (see config.principalReplicationDelayMs). */
  addPrincipal(opts?: { type?: PrincipalType; createdAt?: number; id?: string }): string;
  /** An assignment made at once (no request), visible to reads at once unless `hiddenForMs` or `hiddenForReads`. */
  addRoleAssignment(assignment: AddRoleAssignment): RoleAssignment;
  /** Every assignment that exists now (including ones reads do not see yet). */
  roleAssignments(): RoleAssignment[];
  findRoleAssignment(scope: string, principalId: string, role: string): RoleAssignment | undefined;
  addApp(app: AddApp): { clientId: string; objectId: string };
  /** A custom role (two with the same name at different scopes are allowed). */
  addRoleDefinition(role: {
    roleName: string;
    assignableScopes: string[];
    permissions?: Partial<Permission>[];
    guid?: string;
    description?: string;
  }): RoleDefinitionRecord;
  /**
   * A subscription, in `managementGroup` (default: the tenant root group), named `displayName`
   * (default: `Azure subscription 1`).
   */
  addSubscription(subscriptionId?: string, opts?: { managementGroup?: string; displayName?: string }): string;
  addManagementGroup(name: string, parent?: string): void;
  /**
   * A resource group (default: in the seeded subscription), which a role assignment at or under it
   * needs: ARM answers 404 ResourceGroupNotFound for one that does not exist. Returns its scope.
   */
  addResourceGroup(name: string, subscriptionId?: string): string;
  /** PIM requests, schedules and instances as ARM shows them now (also in GET /_emulator/state). */
  pim(): PimSnapshot;
  /** A PIM active assignment that exists at once (someone else's, or set-up for a test). */
  addRoleAssignmentSchedule(schedule: AddRoleAssignmentSchedule): ReturnType<typeof toSchedule>;
  /**
   * Sets PIM policy rules (merged into the current ones): of one role (GUID or name) at every
   * scope, or of every role. Same as editing config.pimPolicies / config.pimPolicy.
   */
  setPimPolicy(settings: Partial<PimPolicySettings>, role?: string): void;
  /** PIM eligibility's requests, schedules and instances as ARM shows them now (also in GET /_emulator/state). */
  eligibility(): EligibilitySnapshot;
  /**
   * An eligibility written as an admin does it in the portal: AdminAssign when the principal is not
   * eligible for the role at the scope, else AdminUpdate, which gives the schedule a new name and a
   * `roleEligibilityScheduleRequestId` that is the admin's request. Returns the new schedule.
   */
  writeEligibilityAsAdmin(write: EligibilityPortalWrite): ReturnType<typeof toEligibilitySchedule>;
  /**
   * A person activated their eligibility (SelfActivate) at `at`: the request ARM lists afterwards
   * under roleAssignmentScheduleRequests, in the status it ended in. The assignment it made is not
   * modelled (a staged activation has ended). Returns the request as ARM shows it.
   */
  activateEligibility(activation: EligibilityActivation): ReturnType<typeof toRequest>;
  /**
   * Makes every eligibility request `ms` older (schedules unchanged): past
   * config.eligibilityRequestRetentionMs (45 days) GET answers 404 and lists leave it out.
   */
  ageEligibilityRequests(ms: number): void;
  /**
   * Sets Expiration_Admin_Eligibility at a scope (exactly) for a role (GUID, ID or name); either
   * absent: every scope / role. Later calls win. Same as adding to config.eligibilityPolicies.
   */
  setEligibilityPolicy(
    settings: Partial<EligibilityPolicySettings>,
    at?: { scope?: string; role?: string },
  ): void;
  /** Brings a group under PIM for groups, as its first request or a portal admin does (policy assignments list it). */
  onboardGroupToPim(groupId: string): void;
  /**
   * Sets a group's PIM policy (its admin expirations and justification) for a group and accessId;
   * either absent: every group / both. Setting it for a group onboards the group.
   */
  setGroupPimPolicy(
    settings: Partial<GroupPolicySettings>,
    at?: { groupId?: string; accessId?: GroupAccess },
  ): void;
  /**
   * Makes every PIM-for-groups request `ms` older: one still within
   * config.groupPimProvisioningDelayMs takes its outcome when that has passed, and an instance
   * due config.groupPimInstanceDelayMs after its provisioning is listed when that has.
   */
  ageGroupPimRequests(ms: number): void;
  /**
   * A person activated their eligible membership of a group (PIM for groups `selfActivate`): the
   * request assignmentScheduleRequests lists afterwards, at its time, in the status it ended in.
   */
  activateGroupMembership(activation: GroupMembershipActivation): Record<string, unknown>;
  /** PIM for groups as Graph shows it now: the onboarded groups, requests, schedules in force and instances. */
  groupPim(): {
    onboarded: string[];
    requests: ({ kind: GroupPimKind } & Record<string, unknown>)[];
    schedules: ({ kind: GroupPimKind } & Record<string, unknown>)[];
    instances: ({ kind: GroupPimKind } & Record<string, unknown>)[];
  };
  /** A user; `guest: true` with `mail` makes a B2B guest (`alice_contoso.com#EXT#@…`). */
  addUser(user: Parameters<EntraDirectory['addUser']>[0]): DirectoryUser;
  /** A group; display names need not be unique. */
  addGroup(group: Parameters<EntraDirectory['addGroup']>[0]): DirectoryGroup;
  /** An app registration with its service principal (the registration needs no federated credential). */
  addApplication(app: Parameters<EntraDirectory['addApplication']>[0]): {
    application: DirectoryApplication;
    servicePrincipal: DirectoryServicePrincipal;
  };
  /** A user-assigned managed identity (in the seeded subscription unless given) and its service principal. */
  addManagedIdentity(identity: {
    name: string;
    resourceGroup?: string;
    subscriptionId?: string;
    principalId?: string;
  }): UserAssignedIdentity;
  /** Signs an access token as the Entra emulator would (for tests of ARM's token checks). */
  signAccessToken(claims: JwtClaims): string;
  reset(): void;
  close(): Promise<void>;
}
