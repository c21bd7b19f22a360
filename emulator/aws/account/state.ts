// The IAM Identity Center data model behind SSO Admin and Identity Store: one instance, its
// permission sets (with a version, so edits make provisioned accounts outdated), account
// assignments, users and groups, and the asynchronous requests that change them.
//
// Asynchronous requests complete lazily: each carries `completesAt`, and `settle()` applies every
// request that is due, in order, before anything reads the state. No timers, so reset() and
// close() never leave work behind, and a status flips exactly `writeDelayMs` after acceptance.
import { randomUUID } from 'node:crypto';
import {
  assignmentKey,
  ENTITLEMENT_MISSING,
  IDENTITY_STORE_ID,
  identityStoreResourceId,
  INSTANCE_ARN,
  permissionSetArnFor,
  policyKey,
  type Assignment,
  type AssignmentRequest,
  type Group,
  type Instance,
  type PermissionSet,
  type ProvisioningRequest,
  type StatusValue,
  type User,
} from './model.js';
import { SEED_GROUPS, SEED_PERMISSION_SETS, SEED_USERS } from './seed.js';

/** IAM's inline policy size for a role, counted without whitespace ("IAM and AWS STS quotas"). */
const MAX_ROLE_INLINE_POLICY = 10_240;

export class AwsState {
  readonly instanceArn = INSTANCE_ARN;
  readonly identityStoreId = IDENTITY_STORE_ID;
  readonly instanceCreatedDate = new Date('2024-01-15T09:30:00Z');
  /**
   * What ListInstances shows in the Region, in order: the seeded instance, and any a test adds
   * (others visible to the caller, which hold nothing) or removes (none visible).
   */
  instances: Instance[] = [];
  permissionSets = new Map<string, PermissionSet>();
  /** permission set ARN → account → the permission set version provisioned there. */
  provisioned = new Map<string, Map<string, number>>();
  assignments = new Map<string, Assignment>();
  users = new Map<string, User>();
  groups = new Map<string, Group>();
  creations = new Map<string, AssignmentRequest>();
  /** The creation time of the last assignment request accepted (epoch ms). */
  private lastRequestStamp = 0;
  deletions = new Map<string, AssignmentRequest>();
  provisionings = new Map<string, ProvisioningRequest>();
  /**
   * The customer-managed policies each account holds (account → `path+name`): a permission set
   * that references one (or has it as its boundary) cannot be provisioned to an account without it.
   */
  customerPolicies = new Map<string, Set<string>>();
  /**
   * How many sets of each name were deleted: a set made again under a name gets an ARN of its own,
   * as IAM Identity Center gives each set a new `ps-` ID (the old set's sign-ins are not the new one's).
   */
  private readonly endedLives = new Map<string, number>();
  /** Called with each provisioning account outcome, to find per-account injected failures. */
  provisionFailureFor: (accountId: string) => string | undefined = () => undefined;

  constructor() {
    this.seed();
  }

  seed(): void {
    this.permissionSets.clear();
    this.endedLives.clear();
    this.provisioned.clear();
    this.assignments.clear();
    this.users.clear();
    this.groups.clear();
    this.creations.clear();
    this.deletions.clear();
    this.provisionings.clear();
    this.customerPolicies.clear();
    this.instances = [{ instanceArn: INSTANCE_ARN, identityStoreId: IDENTITY_STORE_ID, name: 'octo-org' }];
    for (const name of SEED_PERMISSION_SETS) this.addPermissionSet(name);
    for (const name of SEED_USERS) this.addUser(name);
    for (const name of SEED_GROUPS) this.addGroup(name);
  }

  addPermissionSet(name: string, fields: Partial<PermissionSet> = {}): PermissionSet {
    const life = this.endedLives.get(name) ?? 0;
    const arn = permissionSetArnFor(life === 0 ? name : `${name}\u0000${life}`);
    const ps: PermissionSet = {
      arn,
      name,
      description: `${name} permission set`,
      sessionDuration: 'PT1H',
      createdDate: new Date('2024-01-15T10:00:00Z'),
      version: 1,
      managedPolicies: [],
      customerManagedPolicies: [],
      tags: [],
      ...fields,
    };
    this.permissionSets.set(arn, ps);
    return ps;
  }

  permissionSetByName(name: string): PermissionSet | undefined {
    return [...this.permissionSets.values()].find((p) => p.name === name);
  }

  /** Removes a permission set and what is provisioned of it (the caller checked it may go). */
  deletePermissionSet(arn: string): void {
    const name = this.permissionSets.get(arn)?.name;
    if (name !== undefined) this.endedLives.set(name, (this.endedLives.get(name) ?? 0) + 1);
    this.permissionSets.delete(arn);
    this.provisioned.delete(arn);
  }

  /**
   * Why the permission set cannot be provisioned to the account, or undefined: a customer-managed
   * policy it references (or has as its boundary) that the account does not hold (IAM answers an
   * attach of a missing policy so, and Identity Center's provisioning ends FAILED with it), or an
   * inline policy larger than IAM takes for a role.
   */
  missingCustomerPolicy(permissionSetArn: string, accountId: string): string | undefined {
    const ps = this.permissionSets.get(permissionSetArn);
    if (!ps) return undefined;
    const held = this.customerPolicies.get(accountId) ?? new Set<string>();
    const boundary = ps.permissionsBoundary?.CustomerManagedPolicyReference;
    const missing = [...ps.customerManagedPolicies, ...(boundary ? [boundary] : [])].find(
      (ref) => !held.has(policyKey(ref)),
    );
    if (missing)
      return `Received a 404 status error: Policy arn:aws:iam::${accountId}:policy${policyKey(missing)} does not exist or is not attachable.`;
    // IAM counts a role's inline policy without whitespace; the model lets a larger one in.
    const size = ps.inlinePolicy?.replace(/\s/g, '').length ?? 0;
    return size > MAX_ROLE_INLINE_POLICY
      ? `Received a 409 status error: Maximum policy size of ${MAX_ROLE_INLINE_POLICY} bytes exceeded for role AWSReservedSSO_${ps.name}.`
      : undefined;
  }

  addUser(userName: string): User {
    const user: User = {
      id: identityStoreResourceId('user', userName),
      userName,
      displayName: userName.charAt(0).toUpperCase() + userName.slice(1),
      givenName: userName.charAt(0).toUpperCase() + userName.slice(1),
      familyName: 'Example',
      email: `${userName}@example.com`,
    };
    this.users.set(user.id, user);
    return user;
  }

  addGroup(displayName: string, description?: string): Group {
    const group: Group = {
      id: identityStoreResourceId('group', displayName),
      displayName,
      ...(description ? { description } : {}),
    };
    this.groups.set(group.id, group);
    return group;
  }

  /** Adds an assignment directly (no request), provisioning the permission set to the account. */
  putAssignment(assignment: Assignment): void {
    this.assignments.set(assignmentKey(assignment), { ...assignment });
    this.provision(assignment.permissionSetArn, assignment.accountId);
  }

  removeAssignment(assignment: Assignment): boolean {
    const removed = this.assignments.delete(assignmentKey(assignment));
    // The last assignment of a permission set in an account takes its role away: the permission
    // set is no longer provisioned there.
    const stillUsed = [...this.assignments.values()].some(
      (a) => a.permissionSetArn === assignment.permissionSetArn && a.accountId === assignment.accountId,
    );
    if (removed && !stillUsed)
      this.provisioned.get(assignment.permissionSetArn)?.delete(assignment.accountId);
    return removed;
  }

  provision(permissionSetArn: string, accountId: string, version?: number): void {
    const ps = this.permissionSets.get(permissionSetArn);
    if (!ps) return;
    let accounts = this.provisioned.get(permissionSetArn);
    if (!accounts) this.provisioned.set(permissionSetArn, (accounts = new Map()));
    accounts.set(accountId, Math.max(accounts.get(accountId) ?? 0, version ?? ps.version));
  }

  /** Accounts where the permission set is provisioned, sorted, with whether each is current. */
  provisionedAccounts(permissionSetArn: string): { accountId: string; current: boolean }[] {
    const ps = this.permissionSets.get(permissionSetArn);
    const accounts = this.provisioned.get(permissionSetArn) ?? new Map<string, number>();
    return [...accounts.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([accountId, version]) => ({ accountId, current: version >= (ps?.version ?? 0) }));
  }

  /** An edit: every account where the permission set is provisioned becomes outdated. */
  bumpVersion(permissionSetArn: string): void {
    const ps = this.permissionSets.get(permissionSetArn);
    if (ps) ps.version++;
  }

  startAssignmentRequest(
    kind: 'create' | 'delete',
    assignment: Assignment,
    delayMs: number,
    forcedFailure?: string,
    requestId: string = randomUUID(),
  ): AssignmentRequest {
    // Requests accepted in the same millisecond still get distinct creation times, in acceptance
    // order, so the creation-status list orders them as it shows them. The stamp only orders: each
    // request completes `delayMs` after it was accepted (a burst of 15 would otherwise finish up to
    // 15 ms late, later than the service's own timing says).
    const acceptedAt = Date.now();
    const stamp = Math.max(acceptedAt, this.lastRequestStamp + 1);
    this.lastRequestStamp = stamp;
    const request: AssignmentRequest = {
      kind,
      requestId,
      assignment: { ...assignment },
      createdDate: new Date(stamp),
      completesAt: acceptedAt + delayMs,
      status: 'IN_PROGRESS',
      ...(forcedFailure ? { forcedFailure } : {}),
    };
    (kind === 'create' ? this.creations : this.deletions).set(request.requestId, request);
    return request;
  }

  /** A create or delete request recorded in the state given, as if accepted earlier; see AwsEmulator.recordCreation. */
  recordAssignmentRequest(
    kind: 'create' | 'delete',
    assignment: Assignment,
    status: StatusValue,
    createdDate?: Date,
  ): AssignmentRequest {
    const request = this.startAssignmentRequest(kind, assignment, 0);
    if (createdDate) request.createdDate = createdDate;
    request.status = status;
    request.completesAt = status === 'IN_PROGRESS' ? Infinity : request.createdDate.getTime();
    if (status === 'FAILED') request.failureReason = 'The request failed.';
    return request;
  }

  startProvisioning(
    permissionSetArn: string,
    accountId: string | undefined,
    delayMs: number,
  ): ProvisioningRequest {
    const now = Date.now();
    const ps = this.permissionSets.get(permissionSetArn);
    const request: ProvisioningRequest = {
      requestId: randomUUID(),
      permissionSetArn,
      ...(accountId ? { accountId } : {}),
      accounts: accountId ? [accountId] : this.provisionedAccounts(permissionSetArn).map((a) => a.accountId),
      version: ps?.version ?? 1,
      createdDate: new Date(now),
      completesAt: now + delayMs,
      status: 'IN_PROGRESS',
      failures: {},
    };
    this.provisionings.set(request.requestId, request);
    return request;
  }

  /** Applies every asynchronous request that is due, oldest first. */
  settle(now = Date.now()): void {
    const due = [
      ...[...this.creations.values(), ...this.deletions.values()]
        .filter((r) => r.status === 'IN_PROGRESS' && r.completesAt <= now)
        .map((r) => ({ at: r.completesAt, apply: () => this.completeAssignmentRequest(r) })),
      ...[...this.provisionings.values()]
        .filter((r) => r.status === 'IN_PROGRESS' && r.completesAt <= now)
        .map((r) => ({ at: r.completesAt, apply: () => this.completeProvisioning(r) })),
    ].sort((a, b) => a.at - b.at);
    for (const { apply } of due) apply();
  }

  private completeAssignmentRequest(request: AssignmentRequest): void {
    if (request.forcedFailure) {
      request.status = 'FAILED';
      request.failureReason = request.forcedFailure;
      return;
    }
    if (request.kind === 'create') {
      // A create provisions the permission set to the account first, which fails as a
      // ProvisionPermissionSet would there.
      const missing = this.missingCustomerPolicy(
        request.assignment.permissionSetArn,
        request.assignment.accountId,
      );
      if (missing) {
        request.status = 'FAILED';
        request.failureReason = missing;
        return;
      }
      // A duplicate create ends SUCCEEDED and the assignment (keyed by the tuple) stays single.
      this.putAssignment(request.assignment);
      request.status = 'SUCCEEDED';
    } else if (this.removeAssignment(request.assignment)) {
      request.status = 'SUCCEEDED';
    } else {
      request.status = 'FAILED';
      request.failureReason = ENTITLEMENT_MISSING(request.assignment);
    }
  }

  private completeProvisioning(request: ProvisioningRequest): void {
    for (const accountId of request.accounts) {
      const failure =
        this.provisionFailureFor(accountId) ??
        this.missingCustomerPolicy(request.permissionSetArn, accountId);
      if (failure) request.failures[accountId] = failure;
      else this.provision(request.permissionSetArn, accountId, request.version);
    }
    const failed = Object.entries(request.failures);
    if (failed.length === 0) {
      request.status = 'SUCCEEDED';
      return;
    }
    request.status = 'FAILED';
    request.failureReason = request.accountId
      ? (failed[0]?.[1] ?? 'failed')
      : failed.map(([account, reason]) => `${account}: ${reason}`).join('; ');
  }

  /**
   * Makes every IN_PROGRESS create, delete and provisioning complete within `withinMs` from now
   * (at once by default), whatever write delay it was accepted with; returns how many were held.
   */
  completeHeld(withinMs = 0, now = Date.now()): number {
    const held = [
      ...this.inProgress(this.creations),
      ...this.inProgress(this.deletions),
      ...this.inProgress(this.provisionings),
    ];
    for (const request of held) request.completesAt = Math.min(request.completesAt, now + withinMs);
    this.settle(now);
    return held.length;
  }

  inProgress<T extends { status: StatusValue }>(requests: Map<string, T>): T[] {
    return [...requests.values()].filter((r) => r.status === 'IN_PROGRESS');
  }
}
