// The AWS half of the emulator: STS, SSO Admin, Identity Store, Organizations and CloudTrail over
// one shared data model, with the helpers tests use to seed and inspect it.
import { randomBytes } from 'node:crypto';
import { createRandom } from '../common/http.js';
import type { JwtIssuer } from '../common/jwt.js';
import type { RecordRequest } from '../common/requests.js';
import type { AwsCredential } from './auth.js';
import {
  defaultAwsConfig,
  defaultAwsFaults,
  emptyAwsStats,
  type AwsConfig,
  type AwsContext,
  type AwsFaults,
  type AwsStats,
  type CloudTrailEvent,
  type TrustedRole,
} from './config.js';
import { createCloudTrailService } from './cloudtrail.js';
import { createCloudTrailSeams, type CloudTrailSeams } from './cloudtrail-seams.js';
import { createIdentityStoreService } from './identitystore.js';
import { createOrganizationsService, DEFAULT_ORG, Organization } from './organizations.js';
import { createSsoAdminService } from './sso-admin.js';
import {
  AwsState,
  assignmentKey,
  identityStoreResourceId,
  OWNER_ACCOUNT_ID,
  type Assignment,
  type AssignmentRequest,
  type StatusValue,
} from './state.js';
import { createStsService } from './sts.js';

export type { AwsConfig, AwsFaults, AwsStats, CloudTrailEvent, FailRequest, TrustedRole } from './config.js';
export type { Assignment, AssignmentRequest, Instance, PrincipalType, StatusValue } from './state.js';
export type { AccountStatus, OrgSeed } from './organizations.js';
export type { CloudTrailSeams, PlantedTrailEvent, TrailCaller } from './cloudtrail-seams.js';
/** A recorded event as LookupEvents answers it, and the record in its `CloudTrailEvent`. */
export { cloudTrailRecord, lookedUpEvent } from './cloudtrail-record.js';

/** Also `addCloudTrailEvent`, `createAssignmentAs`, `deleteAssignmentAs` (./cloudtrail-seams.ts). */
export interface AwsEmulator extends CloudTrailSeams {
  readonly instanceArn: string;
  /**
   * The Region the instance lives in (env AWS_REGION): in any other, ListInstances shows none and
   * a call naming the instance or its identity store answers ResourceNotFoundException.
   */
  readonly region: string;
  readonly identityStoreId: string;
  /** The account that owns the instance and the seeded role. */
  readonly accountId: string;
  readonly state: AwsState;
  /** The organization OU and root targets expand in (DEFAULT_ORG until seeded otherwise). */
  readonly organization: Organization;
  /** Mutable; reset() restores the defaults (and the startEmulator options). */
  config: AwsConfig;
  /** Mutable, all off by default; reset() turns them off. */
  faults: AwsFaults;
  /** Roles STS lets a web identity assume. Seeded: `arn:aws:iam::123456789012:role/cloud-access`. */
  roles: TrustedRole[];
  /** A long-term key pair the emulator accepts (for AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY). */
  readonly staticCredentials: { accessKeyId: string; secretAccessKey: string };
  /**
   * CloudTrail's history: every write to SSO Admin or Identity Store, with the caller's role and
   * session name, and every event planted; LookupEvents answers from it.
   */
  readonly cloudTrail: CloudTrailEvent[];
  readonly stats: AwsStats;
  /** The sessions STS has issued, newest last. */
  readonly sessions: AwsCredential[];

  addUser(userName: string): string;
  addGroup(displayName: string): string;
  /** Makes a user a member of a group (ListGroupMemberships lists it). */
  addMembership(groupId: string, userId: string): void;
  /** A permission set (with these tags), not yet provisioned anywhere; its ARN. */
  addPermissionSet(name: string, tags?: Record<string, string>): string;
  /** Adds an assignment at once (no request) and provisions its permission set to the account. */
  addAssignment(assignment: Assignment): void;
  /**
   * A create request as IAM Identity Center lists and describes it (someone else's, or one a step
   * never heard back from), in the state given: nothing ends one recorded IN_PROGRESS but the test,
   * and a SUCCEEDED one does not add the assignment. Newest of the list unless `createdDate` is older.
   */
  recordCreation(assignment: Assignment, status: StatusValue, createdDate?: Date): AssignmentRequest;
  hasAssignment(assignment: Assignment): boolean;
  assignments(): Assignment[];
  permissionSetArn(name: string): string;
  userId(userName: string): string;
  groupId(displayName: string): string;
  /**
   * Makes the permission set outdated in `accountIds` (provisioning them if needed), or, without
   * accountIds, in every account where it is provisioned (as an edit to the permission set would).
   */
  markOutdated(permissionSetArn: string, accountIds?: string[]): void;
  /** Accounts where the permission set is provisioned, and whether each has the latest version. */
  provisionedAccounts(permissionSetArn: string): { accountId: string; current: boolean }[];
  /** Makes every issued STS session expired (the next SigV4 call gets ExpiredTokenException). */
  expireSessions(): void;
  /**
   * Requests accepted under a long `config.writeDelayMs` / `provisionDelayMs` keep the completion
   * time they were given: this makes every IN_PROGRESS create, delete and provisioning complete
   * within `withinMs` (at once by default). Returns how many were still in progress.
   */
  completeHeldRequests(withinMs?: number): number;
  reset(): void;
}

export interface AwsEmulatorOptions {
  /** The Region the IAM Identity Center instance lives in (default us-east-1). */
  awsRegion?: string;
  awsWriteDelayMs?: number;
  awsProvisionDelayMs?: number;
}

export const DEFAULT_REGION = 'us-east-1';

/** The roles GitHub's OIDC tokens may assume, at every start and after reset(). */
export const seededRoles = (): TrustedRole[] => [
  {
    arn: `arn:aws:iam::${OWNER_ACCOUNT_ID}:role/cloud-access`,
    trustedSubjects: ['repo:octo-org/octo-repo:*'],
    audience: 'sts.amazonaws.com',
    maxSessionDurationSeconds: 3600,
  },
];

export function createAwsEmulator(
  options: AwsEmulatorOptions,
  record: RecordRequest,
  githubIssuer: () => JwtIssuer,
  githubIssuerUrl: string,
) {
  const configDefaults = (): AwsConfig => ({
    ...defaultAwsConfig(),
    ...(options.awsWriteDelayMs !== undefined ? { writeDelayMs: options.awsWriteDelayMs } : {}),
    ...(options.awsProvisionDelayMs !== undefined ? { provisionDelayMs: options.awsProvisionDelayMs } : {}),
  });
  const state = new AwsState();
  const organization = new Organization();
  const staticCredentials = {
    accessKeyId: 'AKIAEMULATOR00000001',
    secretAccessKey: randomBytes(30).toString('base64').slice(0, 40),
  };
  const sessions: AwsCredential[] = [];
  const byKey = new Map<string, AwsCredential>();
  let random = createRandom(20200720);

  const context: AwsContext = {
    state,
    region: options.awsRegion ?? DEFAULT_REGION,
    config: configDefaults(),
    faults: defaultAwsFaults(),
    roles: seededRoles(),
    stats: emptyAwsStats(),
    cloudTrail: [],
    random: () => random(),
    record,
    credential: (accessKeyId) =>
      accessKeyId === staticCredentials.accessKeyId
        ? { ...staticCredentials, principalArn: `arn:aws:iam::${OWNER_ACCOUNT_ID}:user/emulator` }
        : byKey.get(accessKeyId),
    issueCredential(credential) {
      sessions.push(credential);
      byKey.set(credential.accessKeyId, credential);
    },
  };
  // Faults are looked up when a provisioning completes, so tests may set them after the request.
  state.provisionFailureFor = (accountId) => emulator.faults.provisionFailures[accountId];

  const settled = () => {
    state.settle();
    return state;
  };
  const lookup = <T>(found: T | undefined, what: string): T => {
    if (found === undefined) throw new Error(`emulator: ${what} is not in the emulated AWS state`);
    return found;
  };

  const emulator: AwsEmulator = {
    instanceArn: state.instanceArn,
    region: context.region,
    identityStoreId: state.identityStoreId,
    accountId: OWNER_ACCOUNT_ID,
    state,
    organization,
    get config() {
      return context.config;
    },
    set config(value) {
      context.config = value;
    },
    get faults() {
      return context.faults;
    },
    set faults(value) {
      context.faults = value;
    },
    get roles() {
      return context.roles;
    },
    set roles(value) {
      context.roles = value;
    },
    staticCredentials,
    cloudTrail: context.cloudTrail,
    stats: context.stats,
    sessions,
    ...createCloudTrailSeams(context),
    addUser: (userName) => state.addUser(userName).id,
    addGroup: (displayName) => state.addGroup(displayName).id,
    addMembership: (groupId, userId) => {
      const group = lookup(state.groups.get(groupId), `group ${groupId}`);
      group.members = (group.members ?? new Map<string, string>()).set(
        userId,
        identityStoreResourceId('membership', `${groupId}/${userId}`),
      );
    },
    addPermissionSet: (name, tags = {}) =>
      state.addPermissionSet(name, {
        createdDate: new Date(),
        tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
      }).arn,
    addAssignment: (assignment) => settled().putAssignment(assignment),
    recordCreation: (assignment, status, createdDate) =>
      settled().recordAssignmentRequest('create', assignment, status, createdDate),
    hasAssignment: (assignment) => settled().assignments.has(assignmentKey(assignment)),
    assignments: () => [...settled().assignments.values()].map((a) => ({ ...a })),
    permissionSetArn: (name) => lookup(state.permissionSetByName(name), `permission set ${name}`).arn,
    userId: (userName) =>
      lookup(
        [...state.users.values()].find((u) => u.userName === userName),
        `user ${userName}`,
      ).id,
    groupId: (displayName) =>
      lookup(
        [...state.groups.values()].find((g) => g.displayName === displayName),
        `group ${displayName}`,
      ).id,
    markOutdated(permissionSetArn, accountIds) {
      const ps = lookup(settled().permissionSets.get(permissionSetArn), `permission set ${permissionSetArn}`);
      if (!accountIds) {
        state.bumpVersion(ps.arn);
        return;
      }
      if (ps.version === 1) {
        // Make room below the latest version without touching the other accounts.
        const current = state
          .provisionedAccounts(ps.arn)
          .filter((a) => a.current)
          .map((a) => a.accountId);
        ps.version = 2;
        for (const account of current) state.provisioned.get(ps.arn)?.set(account, 2);
      }
      for (const accountId of accountIds) {
        state.provision(ps.arn, accountId);
        state.provisioned.get(ps.arn)?.set(accountId, ps.version - 1);
      }
    },
    provisionedAccounts: (permissionSetArn) => settled().provisionedAccounts(permissionSetArn),
    expireSessions() {
      for (const session of sessions) session.expiration = new Date(Date.now() - 1000);
    },
    completeHeldRequests: (withinMs = 0) => state.completeHeld(withinMs),
    reset() {
      state.seed();
      context.config = configDefaults();
      context.faults = defaultAwsFaults();
      context.roles = seededRoles();
      Object.assign(context.stats, emptyAwsStats());
      context.cloudTrail.length = 0;
      sessions.length = 0;
      byKey.clear();
      random = createRandom(20200720);
      ssoAdmin.reset();
      identityStore.reset();
      organizations.reset();
      cloudTrail.reset();
      organization.seed(DEFAULT_ORG);
    },
  };

  const ssoAdmin = createSsoAdminService(context);
  const identityStore = createIdentityStoreService(context);
  const sts = createStsService(context, githubIssuer, githubIssuerUrl);
  const organizations = createOrganizationsService(context, organization);
  const cloudTrail = createCloudTrailService(context);
  return {
    emulator,
    handlers: {
      sts: sts.handle,
      ssoAdmin: ssoAdmin.handle,
      identityStore: identityStore.handle,
      organizations: organizations.handle,
      cloudTrail: cloudTrail.handle,
    },
  };
}
