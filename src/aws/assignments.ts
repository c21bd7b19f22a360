// IAM Identity Center account assignments behind the engine's GrantDriver interface.
import {
  CreateAccountAssignmentCommand,
  DeleteAccountAssignmentCommand,
  DescribeAccountAssignmentCreationStatusCommand,
  DescribeAccountAssignmentDeletionStatusCommand,
  DescribePermissionSetCommand,
  ListAccountAssignmentCreationStatusCommand,
  ListAccountAssignmentsCommand,
  ListInstancesCommand,
  ListPermissionSetsCommand,
  type AccountAssignment,
  type AccountAssignmentOperationStatus,
  type AccountAssignmentOperationStatusMetadata,
  type InstanceMetadata,
} from '@aws-sdk/client-sso-admin';
import { GetGroupIdCommand, GetUserIdCommand } from '@aws-sdk/client-identitystore';
import { CloudAccessError } from '../core/errors.js';
import type { AwsConfig } from '../core/inputs/index.js';
import { closestNames } from '../core/lists.js';
import { IDENTITY_STORE_PRINCIPAL_ID, PERMISSION_SET_ARN } from '../core/patterns.js';
import type { AwsGrant, AwsPrincipalRef, PermissionSetRef, ResolvedIds } from '../core/types.js';
import type { CallRunner } from '../engine/calls.js';
import type { WaitBound } from '../engine/deadline.js';
import type {
  AdapterState,
  CallStats,
  ExistingAssignment,
  GrantDriver,
  OwnCreate,
  WriteOutcome,
} from '../engine/driver.js';
import { Semaphore } from '../engine/limits.js';
import type { StatusSnapshot } from '../engine/poll.js';
import { SharedReads } from '../engine/shared-reads.js';
import type { AwsClients } from './clients.js';

/** "The CreateAccountAssignment write API has a limit of 15 outstanding asynchronous calls" (User Guide, quotas). */
export const MAX_OUTSTANDING_CREATES = 15;

/** Deleting what is already gone may be accepted and then fail with this (terraform-provider-aws). */
const ENTITLEMENT_MISSING = /EntitlementItem doesn't exist/i;

export class AwsAssignmentDriver implements GrantDriver<AwsGrant> {
  readonly cloud = 'aws' as const;
  private readonly reads = new SharedReads();
  private readonly outstandingCreates = new Semaphore(
    MAX_OUTSTANDING_CREATES,
    `one of the ${MAX_OUTSTANDING_CREATES} outstanding CreateAccountAssignment requests to finish`,
  );
  private instanceArn: string | undefined;
  private identityStoreId: string | undefined;

  constructor(
    private readonly plan: AwsConfig,
    readonly clients: AwsClients,
    readonly call: CallRunner,
    readonly stats: CallStats,
    /** The step's deadline and cancellation: waits for a create slot end with them. */
    private readonly bound: WaitBound,
    saved?: AdapterState,
  ) {
    this.instanceArn = saved?.instanceArn ?? plan.instanceArn;
    this.identityStoreId = plan.identityStoreId;
  }

  get instance(): string {
    if (!this.instanceArn) throw new Error('prepare() must run first');
    return this.instanceArn;
  }

  postState(): AdapterState {
    return { instanceArn: this.instance };
  }

  /** Discovers the instance and identity store with ListInstances when they were not given. */
  async prepare(): Promise<void> {
    const needsStore =
      !this.identityStoreId && this.plan.grants.some((g) => !g.resolved && g.principal.kind === 'name');
    if (this.instanceArn && !needsStore) return;
    const instances: InstanceMetadata[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.call('ListInstances', (signal) =>
        this.clients.ssoAdmin.send(new ListInstancesCommand({ NextToken: nextToken }), {
          abortSignal: signal,
        }),
      );
      instances.push(...(page.Instances ?? []));
      nextToken = page.NextToken;
    } while (nextToken);
    const describe = (i: InstanceMetadata) =>
      `${i.InstanceArn} (identity store ${i.IdentityStoreId}${i.Name ? `, ${i.Name}` : ''})`;
    const chosen = this.instanceArn
      ? instances.find((i) => i.InstanceArn === this.instanceArn)
      : instances.length === 1
        ? instances[0]
        : undefined;
    if (!chosen) {
      if (this.instanceArn) {
        throw new CloudAccessError(
          `instance ${this.instanceArn} is not among the IAM Identity Center instances visible in ${this.plan.region}`,
          {
            input: 'instance-arn',
            fix: `check \`aws-region\`, or pass \`identity-store-id\`; visible: ${instances.map(describe).join('; ') || 'none'}`,
          },
        );
      }
      throw new CloudAccessError(
        instances.length === 0
          ? `no IAM Identity Center instance is visible in ${this.plan.region}`
          : `${instances.length} IAM Identity Center instances are visible in ${this.plan.region}: ${instances.map(describe).join('; ')}`,
        {
          input: 'instance-arn',
          fix:
            instances.length === 0
              ? "check `aws-region` (the instance's home Region) and that the role may call sso:ListInstances"
              : 'pass `instance-arn` (and `identity-store-id`) to choose one',
        },
      );
    }
    this.instanceArn = chosen.InstanceArn;
    this.identityStoreId ??= chosen.IdentityStoreId;
  }

  async resolve(grant: AwsGrant): Promise<ResolvedIds> {
    const [principalId, roleId] = await Promise.all([
      this.principalId(grant.principal),
      this.permissionSetArn(grant.permissionSet),
    ]);
    return { principalId, targetId: grant.accountId, roleId };
  }

  private principalId(ref: AwsPrincipalRef): Promise<string> {
    if (ref.kind === 'id') return Promise.resolve(ref.id);
    const principal = ref.name;
    const isUser = this.plan.principalType === 'USER';
    return this.reads.get(`principal:${this.plan.principalType}:${principal}`, async () => {
      const storeId = this.identityStoreId!;
      try {
        if (isUser) {
          const found = await this.call('GetUserId', (signal) =>
            this.clients.identityStore.send(
              new GetUserIdCommand({
                IdentityStoreId: storeId,
                AlternateIdentifier: {
                  UniqueAttribute: { AttributePath: 'userName', AttributeValue: principal },
                },
              }),
              { abortSignal: signal },
            ),
          );
          return checkedPrincipalId(found.UserId, principal);
        }
        const found = await this.call('GetGroupId', (signal) =>
          this.clients.identityStore.send(
            new GetGroupIdCommand({
              IdentityStoreId: storeId,
              AlternateIdentifier: {
                UniqueAttribute: { AttributePath: 'displayName', AttributeValue: principal },
              },
            }),
            { abortSignal: signal },
          ),
        );
        return checkedPrincipalId(found.GroupId, principal);
      } catch (error) {
        if (error instanceof CloudAccessError && /not found/i.test(error.message)) {
          throw new CloudAccessError(
            `${isUser ? 'user name' : 'group display name'} \`${principal}\` was not found in identity store ${storeId}`,
            {
              input: 'principal',
              fix: isUser
                ? 'check the user name, pass the user ID, or set `principal-type: GROUP` if it is a group'
                : 'check the display name, pass the group ID, or set `principal-type: USER` if it is a user',
            },
          );
        }
        throw error;
      }
    });
  }

  async permissionSetArn(ref: PermissionSetRef): Promise<string> {
    if (ref.kind === 'arn') return ref.arn;
    const role = ref.name;
    const byName = await this.permissionSetsByName();
    const arn = byName.get(role);
    if (!arn) {
      const close = closestNames(role, [...byName.keys()]);
      throw new CloudAccessError(`permission set \`${role}\` was not found in ${this.instance}`, {
        input: 'role',
        fix:
          close.length > 0
            ? `did you mean ${close.map((n) => `\`${n}\``).join(', ')}? Names are case-sensitive; or pass the permission set ARN`
            : 'the instance has no permission sets; create one first',
      });
    }
    return arn;
  }

  /** Every permission set of the instance by name: one list, one describe each, once per step. */
  permissionSetsByName(): Promise<Map<string, string>> {
    return this.reads.get('permission-sets', async () => {
      const arns: string[] = [];
      let nextToken: string | undefined;
      do {
        const page = await this.call('ListPermissionSets', (signal) =>
          this.clients.ssoAdmin.send(
            new ListPermissionSetsCommand({ InstanceArn: this.instance, NextToken: nextToken }),
            { abortSignal: signal },
          ),
        );
        arns.push(...(page.PermissionSets ?? []));
        nextToken = page.NextToken;
      } while (nextToken);
      const described = await Promise.all(
        arns.map((arn) =>
          this.call('DescribePermissionSet', (signal) =>
            this.clients.ssoAdmin.send(
              new DescribePermissionSetCommand({ InstanceArn: this.instance, PermissionSetArn: arn }),
              { abortSignal: signal },
            ),
          ),
        ),
      );
      // Only ARNs of the pattern an input ARN is held to can be granted by name.
      return new Map(
        described
          .map((d, i) => [d.PermissionSet?.Name ?? arns[i]!, arns[i]!] as const)
          .filter(([, arn]) => PERMISSION_SET_ARN.test(arn)),
      );
    });
  }

  /** One ListAccountAssignments per account and permission set, shared by every grant that needs it. */
  async findExisting(ids: ResolvedIds): Promise<ExistingAssignment | undefined> {
    const assignments = await this.reads.get(`assignments:${ids.targetId}:${ids.roleId}`, async () => {
      const all: AccountAssignment[] = [];
      let nextToken: string | undefined;
      do {
        const page = await this.call('ListAccountAssignments', (signal) =>
          this.clients.ssoAdmin.send(
            new ListAccountAssignmentsCommand({
              InstanceArn: this.instance,
              AccountId: ids.targetId,
              PermissionSetArn: ids.roleId,
              NextToken: nextToken,
            }),
            { abortSignal: signal },
          ),
        );
        all.push(...(page.AccountAssignments ?? []));
        nextToken = page.NextToken;
      } while (nextToken);
      return all;
    });
    const found = assignments.find(
      (a) => a.PrincipalId === ids.principalId && a.PrincipalType === this.plan.principalType,
    );
    return found ? {} : undefined;
  }

  async create(ids: ResolvedIds): Promise<WriteOutcome> {
    const release = await this.outstandingCreates.acquire('CreateAccountAssignment', this.bound);
    try {
      const { AccountAssignmentCreationStatus: status } = await this.call(
        'CreateAccountAssignment',
        (signal) =>
          this.clients.ssoAdmin.send(
            new CreateAccountAssignmentCommand({ InstanceArn: this.instance, ...this.assignmentFields(ids) }),
            { abortSignal: signal },
          ),
      );
      return this.outcome(status, 'create', release, (requestId) =>
        this.call('DescribeAccountAssignmentCreationStatus', (signal) =>
          this.clients.ssoAdmin.send(
            new DescribeAccountAssignmentCreationStatusCommand({
              InstanceArn: this.instance,
              AccountAssignmentCreationRequestId: requestId,
            }),
            { abortSignal: signal },
          ),
        ).then((r) => r.AccountAssignmentCreationStatus),
      );
    } catch (error) {
      release();
      throw error;
    }
  }

  async remove(ids: ResolvedIds): Promise<WriteOutcome> {
    try {
      const { AccountAssignmentDeletionStatus: status } = await this.call(
        'DeleteAccountAssignment',
        (signal) =>
          this.clients.ssoAdmin.send(
            new DeleteAccountAssignmentCommand({ InstanceArn: this.instance, ...this.assignmentFields(ids) }),
            { abortSignal: signal },
          ),
      );
      return this.outcome(
        status,
        'delete',
        () => {},
        (requestId) =>
          this.call('DescribeAccountAssignmentDeletionStatus', (signal) =>
            this.clients.ssoAdmin.send(
              new DescribeAccountAssignmentDeletionStatusCommand({
                InstanceArn: this.instance,
                AccountAssignmentDeletionRequestId: requestId,
              }),
              { abortSignal: signal },
            ),
          ).then((r) => r.AccountAssignmentDeletionStatus),
      );
    } catch (error) {
      // Already gone: terraform-provider-aws treats ResourceNotFoundException on delete as done.
      if (error instanceof CloudAccessError && /^DeleteAccountAssignment: not found/.test(error.message)) {
        return { kind: 'done', changed: false, alreadyExisted: true };
      }
      throw error;
    }
  }

  async followCreate(requestId: string): Promise<StatusSnapshot> {
    const { AccountAssignmentCreationStatus: status } = await this.call(
      'DescribeAccountAssignmentCreationStatus',
      (signal) =>
        this.clients.ssoAdmin.send(
          new DescribeAccountAssignmentCreationStatusCommand({
            InstanceArn: this.instance,
            AccountAssignmentCreationRequestId: requestId,
          }),
          { abortSignal: signal },
        ),
    );
    return snapshotOf(status, 'create');
  }

  /**
   * A create request for exactly this account, permission set and principal made since `since`:
   * ListAccountAssignmentCreationStatus gives the instance's recent requests (IDs and times, once
   * for every grant), and one Describe each of those since `since` says what it was for.
   */
  async findOwnCreate(ids: ResolvedIds, since: number): Promise<OwnCreate> {
    const recent = await this.reads.get('creation-requests', async () => {
      const all: AccountAssignmentOperationStatusMetadata[] = [];
      let nextToken: string | undefined;
      do {
        const page = await this.call('ListAccountAssignmentCreationStatus', (signal) =>
          this.clients.ssoAdmin.send(
            new ListAccountAssignmentCreationStatusCommand({
              InstanceArn: this.instance,
              NextToken: nextToken,
            }),
            { abortSignal: signal },
          ),
        );
        all.push(...(page.AccountAssignmentsCreationStatus ?? []));
        nextToken = page.NextToken;
      } while (nextToken);
      return all.filter((r) => r.RequestId && r.CreatedDate && r.CreatedDate.getTime() >= since);
    });
    const fields = this.assignmentFields(ids);
    let failed = false;
    let unread: unknown;
    let inProgress: string | undefined;
    for (const request of recent) {
      let status: AccountAssignmentOperationStatus | undefined;
      try {
        status = await this.reads.get(`creation-request:${request.RequestId!}`, () =>
          this.describeCreation(request.RequestId!),
        );
      } catch (error) {
        // One unreadable request does not decide the others; it matters only if nothing matches.
        unread = error;
        continue;
      }
      const same =
        status !== undefined &&
        status.TargetId === fields.TargetId &&
        status.PermissionSetArn === fields.PermissionSetArn &&
        status.PrincipalId === fields.PrincipalId &&
        status.PrincipalType === fields.PrincipalType;
      if (!status || !same) continue;
      if (status.Status === 'SUCCEEDED') return { ownership: 'created', requestId: request.RequestId! };
      if (status.Status === 'IN_PROGRESS') inProgress ??= request.RequestId!;
      else failed = true;
    }
    if (inProgress) return { ownership: 'accepted', requestId: inProgress };
    if (unread !== undefined) throw unread;
    return {
      ownership: 'not-created',
      why: failed
        ? 'the create request this step sent for it FAILED'
        : 'IAM Identity Center shows no create request for it since this step sent one',
    };
  }

  private async describeCreation(requestId: string): Promise<AccountAssignmentOperationStatus | undefined> {
    const { AccountAssignmentCreationStatus: status } = await this.call(
      'DescribeAccountAssignmentCreationStatus',
      (signal) =>
        this.clients.ssoAdmin.send(
          new DescribeAccountAssignmentCreationStatusCommand({
            InstanceArn: this.instance,
            AccountAssignmentCreationRequestId: requestId,
          }),
          { abortSignal: signal },
        ),
    );
    return status;
  }

  private assignmentFields(ids: ResolvedIds) {
    return {
      TargetId: ids.targetId,
      TargetType: 'AWS_ACCOUNT' as const,
      PermissionSetArn: ids.roleId,
      PrincipalType: this.plan.principalType,
      PrincipalId: ids.principalId,
    };
  }

  private outcome(
    status: AccountAssignmentOperationStatus | undefined,
    kind: 'create' | 'delete',
    release: () => void,
    describe: (requestId: string) => Promise<AccountAssignmentOperationStatus | undefined>,
  ): WriteOutcome {
    const requestId = status?.RequestId ?? '';
    const first = snapshotOf(status, kind);
    if (first.status !== 'IN_PROGRESS') {
      release();
      return first.status === 'SUCCEEDED'
        ? { kind: 'done', requestId, changed: first.changed ?? true }
        : { kind: 'failed', requestId, failureReason: first.failureReason ?? 'FAILED' };
    }
    return {
      kind: 'pending',
      request: { requestId, release, poll: async () => snapshotOf(await describe(requestId), kind) },
    };
  }
}

/** An ID the Identity Store returned, held to the pattern an input ID is: what it names is what is granted. */
function checkedPrincipalId(id: string | undefined, name: string): string {
  if (id === undefined || !IDENTITY_STORE_PRINCIPAL_ID.test(id))
    throw new CloudAccessError(
      `the identity store answered \`${name}\` with an ID that is not an Identity Store ID`,
    );
  return id;
}

function snapshotOf(
  status: AccountAssignmentOperationStatus | undefined,
  kind: 'create' | 'delete',
): StatusSnapshot {
  const value = status?.Status ?? 'IN_PROGRESS';
  if (kind === 'delete' && value === 'FAILED' && ENTITLEMENT_MISSING.test(status?.FailureReason ?? '')) {
    return { status: 'SUCCEEDED', changed: false };
  }
  if (value === 'FAILED')
    return { status: 'FAILED', failureReason: status?.FailureReason ?? 'FAILED without a FailureReason' };
  return { status: value === 'SUCCEEDED' ? 'SUCCEEDED' : 'IN_PROGRESS' };
}
