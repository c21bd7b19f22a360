// What tests and the control API see of the AWS half: the instance, its state, config and faults,
// and the methods that seed and inspect it (index.ts makes one).
import type { AwsCredential } from './protocol/auth.js';
import type {
  AssumableRole,
  AwsConfig,
  AwsFaults,
  AwsStats,
  CloudTrailEvent,
  TrustedRole,
} from './account/config.js';
import type { CloudTrailSeams } from './cloudtrail/seams.js';
import type { Organization } from './organizations/organization.js';
import type { Assignment, AssignmentRequest, StatusValue } from './account/model.js';
import type { AwsState } from './account/state.js';
import type { S3Emulator } from './s3/s3-state.js';

/** Also `addCloudTrailEvent`, `createAssignmentAs`, `deleteAssignmentAs` (./cloudtrail/seams.ts). */
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
  /**
   * Roles of other accounts a signed-in principal may assume (sts:AssumeRole), by the principals
   * their trust policies name; none until a test adds one. A session of one reads its account's
   * CloudTrail event history. A test adds to it; reset() empties it.
   */
  readonly assumableRoles: AssumableRole[];
  /** A long-term key pair the emulator accepts (for AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY). */
  readonly staticCredentials: { accessKeyId: string; secretAccessKey: string };
  /** S3 (AWS_ENDPOINT_URL_S3): buckets, their objects, and the roles refused s3:PutObject. */
  readonly s3: S3Emulator;
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
  /** Makes a user a member of a group (ListGroupMemberships lists it), with no CloudTrail event: a change the history misses. */
  addMembership(groupId: string, userId: string): void;
  /** Removes a user from a group, with no CloudTrail event (a write another Region's or account's history holds, an untracked path). */
  removeMembership(groupId: string, userId: string): void;
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
  /**
   * These accounts hold the customer-managed policy `path` + `name` (path `/` by default): a
   * permission set that references it, or has it as its boundary, provisions there; elsewhere its
   * provisioning (and an assignment's create) ends FAILED naming the policy.
   */
  addCustomerManagedPolicy(accountIds: string[], name: string, path?: string): void;
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
