// How the emulated IAM Identity Center behaves, seen through the real SDK clients: asynchronous
// writes, idempotency quirks, quotas, provisioning versions, pagination and injected faults.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import * as identityStore from '@aws-sdk/client-identitystore';
import * as ssoAdmin from '@aws-sdk/client-sso-admin';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { identityStoreClient, rejection, sleep, ssoAdminClient } from './sdk.js';

/**
 * How long a write or a provisioning stays IN_PROGRESS here: long enough that a loaded machine's
 * first status read still comes before it ends, short enough to wait out.
 */
const DELAY_MS = 400;
let emulator: Emulator;
/** The emulator's write delay passes, on the clock clockStandsStill stopped. */
const afterTheWriteDelay = () => jest.setSystemTime(Date.now() + DELAY_MS + 50);
beforeAll(async () => {
  emulator = await startEmulator({ awsWriteDelayMs: DELAY_MS, awsProvisionDelayMs: DELAY_MS, quiet: true });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());
afterEach(() => {
  jest.useRealTimers();
});

const sso = () => ssoAdminClient(emulator);
const assignment = (accountId = '111111111111', user = 'alice', permissionSet = 'ReadOnlyAccess') => ({
  accountId,
  permissionSetArn: emulator.aws.permissionSetArn(permissionSet),
  principalType: 'USER' as const,
  principalId: emulator.aws.userId(user),
});
const request = (a: ReturnType<typeof assignment>) => ({
  InstanceArn: emulator.aws.instanceArn,
  TargetId: a.accountId,
  TargetType: 'AWS_ACCOUNT' as const,
  PermissionSetArn: a.permissionSetArn,
  PrincipalType: a.principalType,
  PrincipalId: a.principalId,
});
const create = (a = assignment()) => sso().send(new ssoAdmin.CreateAccountAssignmentCommand(request(a)));
const remove = (a = assignment()) => sso().send(new ssoAdmin.DeleteAccountAssignmentCommand(request(a)));
const creationStatus = async (id: string) =>
  (
    await sso().send(
      new ssoAdmin.DescribeAccountAssignmentCreationStatusCommand({
        InstanceArn: emulator.aws.instanceArn,
        AccountAssignmentCreationRequestId: id,
      }),
    )
  ).AccountAssignmentCreationStatus!;
const deletionStatus = async (id: string) =>
  (
    await sso().send(
      new ssoAdmin.DescribeAccountAssignmentDeletionStatusCommand({
        InstanceArn: emulator.aws.instanceArn,
        AccountAssignmentDeletionRequestId: id,
      }),
    )
  ).AccountAssignmentDeletionStatus!;

describe('account assignments are asynchronous', () => {
  it('a create is IN_PROGRESS, then SUCCEEDED after the write delay, then listed', async () => {
    clockStandsStill();
    const { AccountAssignmentCreationStatus: accepted } = await create();
    expect(accepted).toMatchObject({
      Status: 'IN_PROGRESS',
      TargetId: '111111111111',
      PrincipalType: 'USER',
    });
    expect(accepted!.RequestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect((await creationStatus(accepted!.RequestId!)).Status).toBe('IN_PROGRESS');
    expect(emulator.aws.hasAssignment(assignment())).toBe(false);
    afterTheWriteDelay();
    expect((await creationStatus(accepted!.RequestId!)).Status).toBe('SUCCEEDED');
    const listed = await sso().send(
      new ssoAdmin.ListAccountAssignmentsCommand({
        InstanceArn: emulator.aws.instanceArn,
        AccountId: '111111111111',
        PermissionSetArn: assignment().permissionSetArn,
      }),
    );
    expect(listed.AccountAssignments).toEqual([
      {
        AccountId: '111111111111',
        PermissionSetArn: assignment().permissionSetArn,
        PrincipalType: 'USER',
        PrincipalId: emulator.aws.userId('alice'),
      },
    ]);
    // "As part of a successful CreateAccountAssignment call, the permission set will automatically be provisioned."
    expect(emulator.aws.provisionedAccounts(assignment().permissionSetArn)).toEqual([
      { accountId: '111111111111', current: true },
    ]);
  });

  it('a duplicate create gets a new request ID, ends SUCCEEDED, and does not duplicate the assignment', async () => {
    clockStandsStill();
    emulator.aws.addAssignment(assignment());
    const first = await create();
    const second = await create();
    expect(first.AccountAssignmentCreationStatus!.RequestId).not.toBe(
      second.AccountAssignmentCreationStatus!.RequestId,
    );
    afterTheWriteDelay();
    expect((await creationStatus(second.AccountAssignmentCreationStatus!.RequestId!)).Status).toBe(
      'SUCCEEDED',
    );
    expect(emulator.aws.assignments()).toHaveLength(1);
  });

  it('a delete of a missing assignment is accepted, then FAILED with the EntitlementItem reason', async () => {
    clockStandsStill();
    const { AccountAssignmentDeletionStatus: accepted } = await remove();
    expect(accepted!.Status).toBe('IN_PROGRESS');
    afterTheWriteDelay();
    const status = await deletionStatus(accepted!.RequestId!);
    expect(status.Status).toBe('FAILED');
    expect(status.FailureReason).toMatch(
      /^Received a 404 status error: EntitlementItem doesn't exist with the given entitlement key/,
    );
  });

  it("a delete of a missing assignment answers ResourceNotFoundException with deleteMissing: 'not-found'", async () => {
    emulator.aws.config.deleteMissing = 'not-found';
    expect((await rejection(remove())).name).toBe('ResourceNotFoundException');
  });

  it('a delete removes the assignment after the delay, and the last one deprovisions the account', async () => {
    clockStandsStill();
    emulator.aws.addAssignment(assignment());
    const { AccountAssignmentDeletionStatus: accepted } = await remove();
    expect(emulator.aws.hasAssignment(assignment())).toBe(true);
    afterTheWriteDelay();
    expect((await deletionStatus(accepted!.RequestId!)).Status).toBe('SUCCEEDED');
    expect(emulator.aws.hasAssignment(assignment())).toBe(false);
    expect(emulator.aws.provisionedAccounts(assignment().permissionSetArn)).toEqual([]);
  });

  it('an injected creation failure is accepted, then FAILED with its reason, only for the matching account', async () => {
    clockStandsStill();
    emulator.aws.faults.failCreations = [
      { reason: 'Maximum IAM roles quota reached', accountId: '222222222222' },
    ];
    const failing = await create(assignment('222222222222'));
    const fine = await create(assignment('333333333333'));
    expect(failing.AccountAssignmentCreationStatus!.Status).toBe('IN_PROGRESS');
    afterTheWriteDelay();
    expect(await creationStatus(failing.AccountAssignmentCreationStatus!.RequestId!)).toMatchObject({
      Status: 'FAILED',
      FailureReason: 'Maximum IAM roles quota reached',
    });
    expect((await creationStatus(fine.AccountAssignmentCreationStatus!.RequestId!)).Status).toBe('SUCCEEDED');
    expect(emulator.aws.hasAssignment(assignment('222222222222'))).toBe(false);
  });

  it('unknown request IDs are ResourceNotFoundException; malformed ones ValidationException', async () => {
    expect((await rejection(creationStatus('0f0f0f0f-0000-4000-8000-000000000000'))).name).toBe(
      'ResourceNotFoundException',
    );
    expect((await rejection(creationStatus('NOT-A-UUID'))).name).toBe('ValidationException');
  });

  it('records each write like CloudTrail, with the caller', async () => {
    await create();
    expect(emulator.aws.cloudTrail).toEqual([
      expect.objectContaining({
        eventSource: 'sso.amazonaws.com',
        eventName: 'CreateAccountAssignment',
        principalArn: 'arn:aws:iam::123456789012:user/emulator',
      }),
    ]);
  });
});

describe('the request log', () => {
  it("carries each SSO Admin and Identity Store call's input, so a test can tell what a call was about", async () => {
    await create(assignment('222222222222'));
    expect(emulator.requests.at(-1)).toMatchObject({
      operation: 'CreateAccountAssignment',
      input: { TargetId: '222222222222', PrincipalId: emulator.aws.userId('alice') },
    });
  });

  it('carries the status each answer gave each request, so the benchmarks can tell which read first saw a write end', async () => {
    clockStandsStill();
    const id = (await create()).AccountAssignmentCreationStatus!.RequestId!;
    expect(emulator.requests.at(-1)?.statuses).toEqual({ [id]: 'IN_PROGRESS' });
    afterTheWriteDelay();
    await creationStatus(id);
    expect(emulator.requests.at(-1)?.statuses).toEqual({ [id]: 'SUCCEEDED' });
    await sso().send(
      new ssoAdmin.ListAccountAssignmentCreationStatusCommand({ InstanceArn: emulator.aws.instanceArn }),
    );
    expect(emulator.requests.at(-1)?.statuses).toEqual({ [id]: 'SUCCEEDED' });
    await sso().send(new ssoAdmin.ListInstancesCommand({}));
    expect(emulator.requests.at(-1)?.statuses).toBeUndefined();
  });
});

/**
 * Date stands still while timers and I/O run, and moves only when a test says: every call of a
 * burst reaches the quota's window in the same instant, and a write is IN_PROGRESS until the test
 * lets its delay pass, as on a machine quick enough to read it at once, so what a test sees holds
 * whatever the load. The SDK signs by the same clock the emulator checks.
 */
function clockStandsStill(): void {
  jest.useFakeTimers({
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
  });
}

describe('quotas', () => {
  it('answers ThrottlingException above 20 TPS collective across SSO Admin operations', async () => {
    clockStandsStill();
    const client = sso();
    const calls = Array.from({ length: 30 }, (_, i) =>
      (i % 2
        ? client.send(new ssoAdmin.ListInstancesCommand({}))
        : client.send(new ssoAdmin.ListPermissionSetsCommand({ InstanceArn: emulator.aws.instanceArn }))
      ).then(
        () => 'ok',
        (e: Error) => e.name,
      ),
    );
    const outcomes = await Promise.all(calls);
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(20);
    expect(outcomes.filter((o) => o === 'ThrottlingException')).toHaveLength(10);
    expect(emulator.aws.stats.throttled).toBe(10);
    expect(emulator.requests.filter((r) => r.status === 429)).toHaveLength(10);
    // A second later the window has room again.
    jest.setSystemTime(Date.now() + 1000);
    await expect(client.send(new ssoAdmin.ListInstancesCommand({}))).resolves.toBeDefined();
  });

  it('Identity Store throttles at 20 TPS per API, with RetryAfterSeconds', async () => {
    clockStandsStill();
    const client = identityStoreClient(emulator);
    const IdentityStoreId = emulator.aws.identityStoreId;
    const getUser = () =>
      client.send(
        new identityStore.GetUserIdCommand({
          IdentityStoreId,
          AlternateIdentifier: { UniqueAttribute: { AttributePath: 'userName', AttributeValue: 'bob' } },
        }),
      );
    const outcomes = await Promise.all(
      Array.from({ length: 25 }, () =>
        getUser().then(
          () => undefined,
          (e: unknown) => e as Record<string, unknown>,
        ),
      ),
    );
    const throttled = outcomes.filter((o) => o !== undefined);
    expect(throttled).toHaveLength(5);
    expect(throttled[0]).toMatchObject({ name: 'ThrottlingException', RetryAfterSeconds: 1 });
    // Another API has its own budget.
    await expect(
      client.send(
        new identityStore.GetGroupIdCommand({
          IdentityStoreId,
          AlternateIdentifier: {
            UniqueAttribute: { AttributePath: 'displayName', AttributeValue: 'Platform' },
          },
        }),
      ),
    ).resolves.toMatchObject({ GroupId: emulator.aws.groupId('Platform') });
  });

  it('a burst accepted within one millisecond keeps distinct creation times in order, and each ends the write delay after it was accepted', () => {
    const before = Date.now();
    const requests = Array.from({ length: 15 }, (_, i) =>
      emulator.aws.state.startAssignmentRequest('create', assignment(String(100000000000 + i)), DELAY_MS),
    );
    const after = Date.now();
    const stamps = requests.map((r) => r.createdDate.getTime());
    expect(new Set(stamps).size).toBe(15);
    expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
    for (const r of requests) {
      expect(r.completesAt).toBeGreaterThanOrEqual(before + DELAY_MS);
      expect(r.completesAt).toBeLessThanOrEqual(after + DELAY_MS);
    }
  });

  it('throttles the 16th outstanding CreateAccountAssignment', async () => {
    emulator.aws.config.writeDelayMs = 5000;
    const accounts = Array.from({ length: 16 }, (_, i) => String(100000000000 + i));
    for (const account of accounts.slice(0, 15)) await create(assignment(account));
    const sixteenth = await rejection(create(assignment(accounts[15])));
    expect(sixteenth.name).toBe('ThrottlingException');
    expect(sixteenth.message).toBe('There are too many requests processing. Please try again later.');
    // Deletes are not counted against the creation quota.
    await expect(remove(assignment(accounts[15]))).resolves.toBeDefined();
  });

  // As an SDK recorded AWS answering it (the default), with the model's status for
  // ThrottlingException, in the TPS quota's words, and as ConflictException: a client must handle
  // each (src/aws/sdk/aws-errors.ts).
  it.each([
    [
      'recorded',
      'ThrottlingException',
      400,
      'There are too many requests processing. Please try again later.',
    ],
    ['model', 'ThrottlingException', 429, 'There are too many requests processing. Please try again later.'],
    ['rate', 'ThrottlingException', 429, 'Rate exceeded'],
    ['conflict', 'ConflictException', 409, 'There are too many requests processing. Please try again later.'],
  ] as const)(
    'refuses the 16th outstanding CreateAccountAssignment as %s: %s, HTTP %i, %j',
    async (shape, name, status, message) => {
      emulator.aws.config.writeDelayMs = 5000;
      emulator.aws.config.outstandingCreatesRefusal = shape;
      const accounts = Array.from({ length: 16 }, (_, i) => String(100000000000 + i));
      for (const account of accounts.slice(0, 15)) await create(assignment(account));
      const sixteenth = await rejection(create(assignment(accounts[15])));
      expect(sixteenth).toMatchObject({ name, message, $metadata: { httpStatusCode: status } });
      expect(emulator.aws.stats.outstandingCreatesRefused).toBeGreaterThanOrEqual(1);
    },
  );
});

describe('permission set versions and provisioning', () => {
  const InstanceArn = () => emulator.aws.instanceArn;
  const outdated = async (PermissionSetArn: string, ProvisioningStatus?: ssoAdmin.ProvisioningStatus) =>
    (
      await sso().send(
        new ssoAdmin.ListAccountsForProvisionedPermissionSetCommand({
          InstanceArn: InstanceArn(),
          PermissionSetArn,
          ...(ProvisioningStatus ? { ProvisioningStatus } : {}),
        }),
      )
    ).AccountIds;
  const provision = (PermissionSetArn: string, TargetId?: string) =>
    sso().send(
      new ssoAdmin.ProvisionPermissionSetCommand({
        InstanceArn: InstanceArn(),
        PermissionSetArn,
        ...(TargetId
          ? { TargetType: 'AWS_ACCOUNT' as const, TargetId }
          : { TargetType: 'ALL_PROVISIONED_ACCOUNTS' as const }),
      }),
    );
  const provisioningStatus = async (id: string) =>
    (
      await sso().send(
        new ssoAdmin.DescribePermissionSetProvisioningStatusCommand({
          InstanceArn: InstanceArn(),
          ProvisionPermissionSetRequestId: id,
        }),
      )
    ).PermissionSetProvisioningStatus!;

  it('an edit makes every provisioned account outdated, and the filter tells them apart', async () => {
    const ps = emulator.aws.permissionSetArn('PowerUserAccess');
    for (const account of ['111111111111', '222222222222'])
      emulator.aws.addAssignment(assignment(account, 'alice', 'PowerUserAccess'));
    expect(await outdated(ps, 'LATEST_PERMISSION_SET_NOT_PROVISIONED')).toEqual([]);
    await sso().send(
      new ssoAdmin.PutInlinePolicyToPermissionSetCommand({
        InstanceArn: InstanceArn(),
        PermissionSetArn: ps,
        InlinePolicy: '{"Version":"2012-10-17","Statement":[]}',
      }),
    );
    expect(await outdated(ps, 'LATEST_PERMISSION_SET_NOT_PROVISIONED')).toEqual([
      '111111111111',
      '222222222222',
    ]);
    expect(await outdated(ps, 'LATEST_PERMISSION_SET_PROVISIONED')).toEqual([]);
    expect(await outdated(ps)).toEqual(['111111111111', '222222222222']);
  });

  it('ProvisionPermissionSet is IN_PROGRESS, then SUCCEEDED, and the account is current', async () => {
    clockStandsStill();
    const ps = emulator.aws.permissionSetArn('ReadOnlyAccess');
    for (const account of ['111111111111', '222222222222']) emulator.aws.addAssignment(assignment(account));
    emulator.aws.markOutdated(ps, ['222222222222']);
    expect(await outdated(ps, 'LATEST_PERMISSION_SET_NOT_PROVISIONED')).toEqual(['222222222222']);
    const { PermissionSetProvisioningStatus: accepted } = await provision(ps, '222222222222');
    expect(accepted).toMatchObject({
      Status: 'IN_PROGRESS',
      AccountId: '222222222222',
      PermissionSetArn: ps,
    });
    afterTheWriteDelay();
    expect((await provisioningStatus(accepted!.RequestId!)).Status).toBe('SUCCEEDED');
    expect(await outdated(ps, 'LATEST_PERMISSION_SET_NOT_PROVISIONED')).toEqual([]);
  });

  it('the last assignment of a set in an account deleted, the account is no longer listed; a ProvisionPermissionSet there is accepted and makes the role again, as AWS does (terraform-provider-aws #32006)', async () => {
    clockStandsStill();
    const ps = emulator.aws.permissionSetArn('ReadOnlyAccess');
    emulator.aws.addAssignment(assignment('111111111111'));
    emulator.aws.addAssignment(assignment('222222222222'));
    const { AccountAssignmentDeletionStatus: deleted } = await remove(assignment('111111111111'));
    afterTheWriteDelay();
    expect((await deletionStatus(deleted!.RequestId!)).Status).toBe('SUCCEEDED');
    expect(await outdated(ps)).toEqual(['222222222222']);
    const { PermissionSetProvisioningStatus: accepted } = await provision(ps, '111111111111');
    afterTheWriteDelay();
    expect((await provisioningStatus(accepted!.RequestId!)).Status).toBe('SUCCEEDED');
    expect(await outdated(ps)).toEqual(['111111111111', '222222222222']);
  });

  it('ALL_PROVISIONED_ACCOUNTS ends FAILED naming the accounts that failed, which stay outdated', async () => {
    clockStandsStill();
    const ps = emulator.aws.permissionSetArn('ReadOnlyAccess');
    for (const account of ['111111111111', '222222222222', '333333333333'])
      emulator.aws.addAssignment(assignment(account));
    emulator.aws.markOutdated(ps);
    emulator.aws.faults.provisionFailures = { '222222222222': 'IAM role quota exceeded' };
    const { PermissionSetProvisioningStatus: accepted } = await provision(ps);
    expect(accepted!.AccountId).toBeUndefined();
    afterTheWriteDelay();
    expect(await provisioningStatus(accepted!.RequestId!)).toMatchObject({
      Status: 'FAILED',
      FailureReason: '222222222222: IAM role quota exceeded',
    });
    expect(await outdated(ps, 'LATEST_PERMISSION_SET_NOT_PROVISIONED')).toEqual(['222222222222']);
  });

  it('at most 3 ProvisionPermissionSet run at once; the same permission set and target conflicts', async () => {
    emulator.aws.config.provisionDelayMs = 5000;
    const [a, b, c, d] = ['AdministratorAccess', 'ReadOnlyAccess', 'PowerUserAccess', 'ViewOnlyAccess'].map(
      (n) => emulator.aws.permissionSetArn(n),
    ) as [string, string, string, string];
    await provision(a, '111111111111');
    expect((await rejection(provision(a, '111111111111'))).name).toBe('ConflictException');
    await provision(b, '111111111111');
    await provision(c);
    const fourth = await rejection(provision(d, '111111111111'));
    expect(fourth.name).toBe('ThrottlingException');
    expect(fourth.message).toBe('Too many concurrent ProvisionPermissionSet requests');
  });
});

describe('reads', () => {
  it('List operations paginate with MaxResults and NextToken', async () => {
    const arns: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await sso().send(
        new ssoAdmin.ListPermissionSetsCommand({
          InstanceArn: emulator.aws.instanceArn,
          MaxResults: 1,
          NextToken,
        }),
      );
      arns.push(...(page.PermissionSets ?? []));
      NextToken = page.NextToken;
    } while (NextToken);
    expect(arns.sort()).toEqual(
      ['AdministratorAccess', 'PowerUserAccess', 'ReadOnlyAccess', 'ViewOnlyAccess']
        .map((n) => emulator.aws.permissionSetArn(n))
        .sort(),
    );
    expect(
      (
        await rejection(
          sso().send(
            new ssoAdmin.ListPermissionSetsCommand({
              InstanceArn: emulator.aws.instanceArn,
              NextToken: 'bm9wZSMx',
            }),
          ),
        )
      ).name,
    ).toBe('ValidationException');
  });

  it('an unknown permission set or instance is ResourceNotFoundException', async () => {
    const missing = 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-0000000000000000';
    const error = await rejection(
      sso().send(
        new ssoAdmin.DescribePermissionSetCommand({
          InstanceArn: emulator.aws.instanceArn,
          PermissionSetArn: missing,
        }),
      ),
    );
    expect(error.name).toBe('ResourceNotFoundException');
    const instance = await rejection(
      sso().send(
        new ssoAdmin.ListPermissionSetsCommand({
          InstanceArn: 'arn:aws:sso:::instance/ssoins-0000000000000000',
        }),
      ),
    );
    expect(instance.name).toBe('ResourceNotFoundException');
  });

  it('DescribeUser and DescribeGroup return the seeded identities', async () => {
    const client = identityStoreClient(emulator);
    const user = await client.send(
      new identityStore.DescribeUserCommand({
        IdentityStoreId: emulator.aws.identityStoreId,
        UserId: emulator.aws.userId('carol'),
      }),
    );
    expect(user).toMatchObject({ UserName: 'carol', UserId: emulator.aws.userId('carol') });
    expect(emulator.aws.userId('carol')).toMatch(
      /^[0-9a-f]{10}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    const group = await client.send(
      new identityStore.DescribeGroupCommand({
        IdentityStoreId: emulator.aws.identityStoreId,
        GroupId: emulator.aws.groupId('Auditors'),
      }),
    );
    expect(group.DisplayName).toBe('Auditors');
  });
});

describe('injected faults', () => {
  it('accessDenied names the caller, the IAM action and the resource', async () => {
    emulator.aws.faults.accessDenied = ['CreateAccountAssignment'];
    const error = await rejection(create());
    expect(error.name).toBe('AccessDeniedException');
    expect(error.message).toBe(
      `User: arn:aws:iam::123456789012:user/emulator is not authorized to perform: sso:CreateAccountAssignment on resource: ${assignment().permissionSetArn}`,
    );
    expect(emulator.aws.hasAssignment(assignment())).toBe(false);
  });

  it('conflictRate answers ConflictException on writes only', async () => {
    emulator.aws.faults.conflictRate = 1;
    const error = await rejection(create());
    expect(error).toMatchObject({
      name: 'ConflictException',
      $metadata: expect.objectContaining({ httpStatusCode: 409 }),
    });
    await expect(sso().send(new ssoAdmin.ListInstancesCommand({}))).resolves.toBeDefined();
  });

  it('latencyMs delays every answer', async () => {
    emulator.aws.faults.latencyMs = 150;
    const started = Date.now();
    await sso().send(new ssoAdmin.ListInstancesCommand({}));
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('resetRate destroys the connection without an answer', async () => {
    emulator.aws.faults.resetRate = 1;
    const error = await rejection(sso().send(new ssoAdmin.ListInstancesCommand({})));
    expect(`${error.name} ${error.message} ${String(error.code)}`).toMatch(/ECONNRESET|socket hang up/);
    expect(emulator.requests.at(-1)).toMatchObject({
      operation: 'ListInstances',
      status: 0,
      errorCode: 'ConnectionReset',
    });
  });

  it('hangRate never answers, and close() still ends the hung connection', async () => {
    const local = await startEmulator({ quiet: true });
    local.aws.faults.hangRate = 1;
    const pending = rejection(ssoAdminClient(local).send(new ssoAdmin.ListInstancesCommand({})));
    // Until the request has arrived (a loaded machine takes longer than a moment), then held.
    for (let waited = 0; local.requests.length === 0 && waited < 5000; waited += 50) await sleep(50);
    expect(local.requests).toEqual([
      expect.objectContaining({ operation: 'ListInstances', errorCode: 'NoResponse' }),
    ]);
    await local.close();
    expect((await pending).message).toMatch(/socket hang up|ECONNRESET|aborted/i);
  });

  it('faults are deterministic after reset()', async () => {
    const run = async () => {
      emulator.reset();
      emulator.aws.faults.throttleRate = 0.5;
      const client = sso();
      const outcomes: string[] = [];
      for (let i = 0; i < 10; i++)
        outcomes.push(
          await client.send(new ssoAdmin.ListInstancesCommand({})).then(
            () => 'ok',
            (e: Error) => e.name,
          ),
        );
      return outcomes;
    };
    const first = await run();
    expect(first).toContain('ThrottlingException');
    expect(first).toContain('ok');
    expect(await run()).toEqual(first);
  });
});

describe('request status lists', () => {
  const list = (
    kind: 'creation' | 'deletion',
    input: { MaxResults?: number; NextToken?: string; Status?: string },
  ) => {
    const { Status, ...page } = input;
    const request = {
      InstanceArn: emulator.aws.instanceArn,
      ...page,
      ...(Status ? { Filter: { Status: Status as ssoAdmin.StatusValues } } : {}),
    };
    return kind === 'creation'
      ? sso()
          .send(new ssoAdmin.ListAccountAssignmentCreationStatusCommand(request))
          .then((r) => ({ items: r.AccountAssignmentsCreationStatus ?? [], next: r.NextToken }))
      : sso()
          .send(new ssoAdmin.ListAccountAssignmentDeletionStatusCommand(request))
          .then((r) => ({ items: r.AccountAssignmentsDeletionStatus ?? [], next: r.NextToken }));
  };

  it('ListAccountAssignmentCreationStatus lists every create, newest first, filtered by Status and paged', async () => {
    clockStandsStill();
    emulator.aws.faults.failCreations = [{ reason: 'no', accountId: '333333333333' }];
    const ids: string[] = [];
    for (const account of ['111111111111', '222222222222', '333333333333'])
      ids.push((await create(assignment(account))).AccountAssignmentCreationStatus!.RequestId!);
    const all = await list('creation', {});
    expect(all.items.map((s) => s.RequestId)).toEqual([...ids].reverse());
    expect(all.items.every((s) => s.Status === 'IN_PROGRESS' && s.CreatedDate instanceof Date)).toBe(true);
    expect(Object.keys(all.items[0]!).sort()).toEqual(['CreatedDate', 'RequestId', 'Status']);
    expect((await list('creation', { Status: 'SUCCEEDED' })).items).toEqual([]);

    afterTheWriteDelay();
    expect((await list('creation', { Status: 'FAILED' })).items.map((s) => s.RequestId)).toEqual([ids[2]]);
    const first = await list('creation', { Status: 'SUCCEEDED', MaxResults: 1 });
    expect(first.items.map((s) => s.RequestId)).toEqual([ids[1]]);
    const second = await list('creation', { Status: 'SUCCEEDED', MaxResults: 1, NextToken: first.next! });
    expect(second).toEqual({ items: [expect.objectContaining({ RequestId: ids[0] })], next: undefined });
    // A token is bound to the list it came from.
    expect((await rejection(list('creation', { NextToken: first.next! }))).name).toBe('ValidationException');
    expect((await rejection(list('creation', { Status: 'DONE' }))).name).toBe('ValidationException');
  });

  it('ListAccountAssignmentDeletionStatus lists the deletes, not the creates', async () => {
    emulator.aws.addAssignment(assignment());
    await create(assignment('222222222222'));
    const deleted = (await remove()).AccountAssignmentDeletionStatus!.RequestId!;
    expect((await list('deletion', {})).items.map((s) => [s.RequestId, s.Status])).toEqual([
      [deleted, 'IN_PROGRESS'],
    ]);
  });
});

describe('injected request failures and request IDs', () => {
  it('failRequests answers the matching request with the given error, `times` times', async () => {
    const accepted = await create();
    const id = accepted.AccountAssignmentCreationStatus!.RequestId!;
    const other = (await create(assignment('222222222222'))).AccountAssignmentCreationStatus!.RequestId!;
    emulator.aws.faults.failRequests = [
      {
        operation: 'DescribeAccountAssignmentCreationStatus',
        match: { AccountAssignmentCreationRequestId: id },
        status: 403,
        code: 'AccessDeniedException',
        message: 'not for you',
        times: 2,
      },
    ];
    for (let i = 0; i < 2; i++) {
      const error = await rejection(creationStatus(id));
      expect(error).toMatchObject({
        name: 'AccessDeniedException',
        message: 'not for you',
        $metadata: expect.objectContaining({ httpStatusCode: 403 }),
      });
    }
    // Another request ID is answered as usual, and after `times` answers so is this one.
    await expect(creationStatus(other)).resolves.toMatchObject({ RequestId: other });
    await expect(creationStatus(id)).resolves.toMatchObject({ RequestId: id });
    expect(emulator.requests.filter((r) => r.errorCode === 'AccessDeniedException')).toHaveLength(2);
  });

  it('failRequests without `match` or `times` answers every call of the operation', async () => {
    emulator.aws.faults.failRequests = [
      {
        operation: 'CreateAccountAssignment',
        status: 400,
        code: 'ThrottlingException',
        message: 'slow down',
      },
    ];
    for (const account of ['111111111111', '222222222222'])
      expect(await rejection(create(assignment(account)))).toMatchObject({
        name: 'ThrottlingException',
        message: 'slow down',
      });
    expect(emulator.aws.state.creations.size).toBe(0);
    await expect(remove()).resolves.toBeDefined();
  });

  it('forcedRequestIds gives the next creates and deletes those IDs, which Describe finds', async () => {
    clockStandsStill();
    const hostile = 'x\n::warning::pwned';
    emulator.aws.faults.forcedRequestIds = [hostile, 'del-1'];
    const created = await create();
    expect(created.AccountAssignmentCreationStatus!.RequestId).toBe(hostile);
    const deleted = await remove(assignment('222222222222'));
    expect(deleted.AccountAssignmentDeletionStatus!.RequestId).toBe('del-1');
    expect(emulator.aws.faults.forcedRequestIds).toEqual([]);
    // The next ones are UUIDs again.
    expect((await create(assignment('333333333333'))).AccountAssignmentCreationStatus!.RequestId).toMatch(
      /^[0-9a-f-]{36}$/,
    );
    afterTheWriteDelay();
    expect(await creationStatus(hostile)).toMatchObject({ RequestId: hostile, Status: 'SUCCEEDED' });
    expect(await deletionStatus('del-1')).toMatchObject({ RequestId: 'del-1', Status: 'FAILED' });
    // An ID the emulator never handed out must still look like one.
    expect((await rejection(creationStatus('del-1'))).name).toBe('ValidationException');
  });
});

describe('held requests', () => {
  it('a 600 000 ms write delay holds a create IN_PROGRESS until completeHeldRequests()', async () => {
    emulator.aws.config.writeDelayMs = 600_000;
    const id = (await create()).AccountAssignmentCreationStatus!.RequestId!;
    await sleep(150);
    expect((await creationStatus(id)).Status).toBe('IN_PROGRESS');
    // Lowering the delay does not release what was accepted under the old one.
    emulator.aws.config.writeDelayMs = 100;
    await sleep(150);
    expect((await creationStatus(id)).Status).toBe('IN_PROGRESS');
    expect(emulator.aws.completeHeldRequests()).toBe(1);
    expect((await creationStatus(id)).Status).toBe('SUCCEEDED');
    expect(emulator.aws.hasAssignment(assignment())).toBe(true);
    expect(emulator.aws.completeHeldRequests()).toBe(0);
  });

  it('completeHeldRequests(withinMs) lets them finish that soon, and reset() restores the write delay', async () => {
    clockStandsStill();
    emulator.aws.config.writeDelayMs = 600_000;
    const id = (await create()).AccountAssignmentCreationStatus!.RequestId!;
    emulator.aws.completeHeldRequests(1_000);
    expect((await creationStatus(id)).Status).toBe('IN_PROGRESS');
    jest.setSystemTime(Date.now() + 1_050);
    expect((await creationStatus(id)).Status).toBe('SUCCEEDED');
    emulator.reset();
    expect(emulator.aws.config.writeDelayMs).toBe(DELAY_MS);
  });

  it('the control API completes held requests', async () => {
    emulator.aws.config.writeDelayMs = 600_000;
    const id = (await create()).AccountAssignmentCreationStatus!.RequestId!;
    const res = await fetch(`${emulator.endpoints.github}/_emulator/complete-held-requests`, {
      method: 'POST',
    });
    expect(await res.json()).toEqual({ completed: 1 });
    expect((await creationStatus(id)).Status).toBe('SUCCEEDED');
  });
});

describe('reset()', () => {
  it('restores the seeded state and clears requests, faults and config', async () => {
    emulator.aws.addAssignment(assignment());
    emulator.aws.addUser('dave');
    emulator.aws.faults.throttleRate = 1;
    emulator.aws.config.tps = 1;
    await rejection(sso().send(new ssoAdmin.ListInstancesCommand({})));
    emulator.reset();
    expect(emulator.requests).toEqual([]);
    expect(emulator.aws.assignments()).toEqual([]);
    expect(() => emulator.aws.userId('dave')).toThrow();
    expect(emulator.aws.faults.throttleRate).toBe(0);
    expect(emulator.aws.faults).toMatchObject({ failRequests: [], forcedRequestIds: [] });
    expect(emulator.aws.config).toMatchObject({
      tps: 20,
      writeDelayMs: DELAY_MS,
      provisionDelayMs: DELAY_MS,
    });
  });
});
