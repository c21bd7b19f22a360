// The IAM Identity Center data model's records (an instance, permission sets, assignments, users,
// groups, and the asynchronous requests that change them) and their IDs: the seeded instance's,
// and the ones derived from names, the same in every run and after reset(). ./state.ts holds them.
import { createHash } from 'node:crypto';

export type PrincipalType = 'USER' | 'GROUP';
export type StatusValue = 'IN_PROGRESS' | 'FAILED' | 'SUCCEEDED';

export interface Assignment {
  accountId: string;
  permissionSetArn: string;
  principalType: PrincipalType;
  principalId: string;
}

/** An instance ListInstances shows; only the seeded one (INSTANCE_ARN) holds anything. */
export interface Instance {
  instanceArn: string;
  identityStoreId: string;
  name?: string;
}

export interface PermissionSet {
  arn: string;
  name: string;
  description?: string;
  sessionDuration: string;
  relayState?: string;
  createdDate: Date;
  /** Bumped by every edit; an account is current when it was provisioned with this version. */
  version: number;
  inlinePolicy?: string;
  managedPolicies: string[];
  /** Customer-managed policies by name and path, which each account it is provisioned to must hold. */
  customerManagedPolicies: CustomerManagedPolicyReference[];
  /** An AWS-managed policy ARN, or a customer-managed policy reference, as PutPermissionsBoundary… took it. */
  permissionsBoundary?: {
    ManagedPolicyArn?: string;
    CustomerManagedPolicyReference?: CustomerManagedPolicyReference;
  };
  tags: { Key: string; Value: string }[];
}

/** The model's CustomerManagedPolicyReference: a name, and a path (`/` when none was given). */
export interface CustomerManagedPolicyReference {
  Name: string;
  Path: string;
}

/** A customer-managed policy's key in an account: its path and name, as IAM's ARN writes them. */
export const policyKey = (ref: CustomerManagedPolicyReference) => `${ref.Path}${ref.Name}`;

export interface User {
  id: string;
  userName: string;
  displayName: string;
  givenName: string;
  familyName: string;
  email: string;
}

export interface Group {
  id: string;
  displayName: string;
  description?: string;
  /** Its members: user ID → membership ID (Identity Store groups hold users only). */
  members?: Map<string, string>;
}

export interface AssignmentRequest {
  kind: 'create' | 'delete';
  requestId: string;
  assignment: Assignment;
  createdDate: Date;
  completesAt: number;
  status: StatusValue;
  failureReason?: string;
  /** Decided at acceptance (an injected failure); otherwise decided when the request completes. */
  forcedFailure?: string;
}

export interface ProvisioningRequest {
  requestId: string;
  permissionSetArn: string;
  /** The account of an AWS_ACCOUNT request; absent for ALL_PROVISIONED_ACCOUNTS. */
  accountId?: string;
  accounts: string[];
  version: number;
  createdDate: Date;
  completesAt: number;
  status: StatusValue;
  failureReason?: string;
  failures: Record<string, string>;
}

export const OWNER_ACCOUNT_ID = '123456789012';
export const INSTANCE_ID = 'ssoins-1234567890abcdef';
export const INSTANCE_ARN = `arn:aws:sso:::instance/${INSTANCE_ID}`;
export const IDENTITY_STORE_ID = 'd-1234567890';

const hex = (seed: string, length: number) =>
  createHash('sha256').update(seed).digest('hex').slice(0, length);

/** A GUID derived from a name, so seeded IDs are the same in every run and after reset(). */
function stableUuid(seed: string): string {
  const h = hex(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Identity Store IDs look like `9067xxxxxx-<uuid>` (a 10-hex store prefix and a GUID). */
export const identityStoreResourceId = (kind: string, name: string) =>
  `906744${hex(`prefix:${kind}`, 4)}-${stableUuid(`${kind}:${name}`)}`;

export const permissionSetArnFor = (name: string) =>
  `arn:aws:sso:::permissionSet/${INSTANCE_ID}/ps-${hex(`permission-set:${name}`, 16)}`;

export const assignmentKey = (a: Assignment) =>
  [a.accountId, a.permissionSetArn, a.principalType, a.principalId].join('|');

export const ENTITLEMENT_MISSING = (a: Assignment) =>
  `Received a 404 status error: EntitlementItem doesn't exist with the given entitlement key ` +
  `${a.principalType}:${a.principalId}:${a.permissionSetArn}:AWS_ACCOUNT:${a.accountId}`;
