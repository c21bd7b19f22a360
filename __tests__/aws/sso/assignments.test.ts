// The AWS assignment driver over the emulated IAM Identity Center, through the real SDK clients.
import { beforeEach, describe, expect, it } from '@jest/globals';
import { createAwsAssignments } from '../../../src/aws/index.js';
import { AwsAssignmentDriver } from '../../../src/aws/sso/assignments.js';
import {
  MAX_OUTSTANDING_CREATES,
  SSO_ADMIN_CALLS_PER_WINDOW,
  SSO_ADMIN_WINDOW_MS,
} from '../../../src/aws/sso/quotas.js';
import { AdaptiveRateLimiter } from '../../../src/engine/limits/adaptive-limits.js';
import { createSsoSession } from '../../../src/aws/sso/session.js';
import { AwsServiceError } from '../../../src/aws/sdk/aws-errors.js';
import type { AwsResolvedIds } from '../../../src/core/types.js';
import type { WriteOutcome } from '../../../src/engine/calls/driver.js';
import { Deadline } from '../../../src/engine/limits/deadline.js';
import {
  ACCOUNT,
  ADMIN,
  ALICE,
  BOB,
  INSTANCE_ARN,
  READ_ONLY,
  awsPlan,
  emulatedDeps,
  emulatedSso,
} from '../../harness/emulated-sso.js';

const sso = emulatedSso();
const config = () => sso.emulator.aws.config;
const faults = () => sso.emulator.aws.faults;

function setUp(inputs: Record<string, string> = {}, seconds = 30) {
  const { deps, seams } = emulatedDeps(sso, seconds);
  const driver = createAwsAssignments(awsPlan(inputs), deps, seams).driver;
  return { sso, driver };
}

const ids = (principalId = ALICE, roleId = READ_ONLY, accountId = ACCOUNT): AwsResolvedIds => ({
  cloud: 'aws',
  principalId,
  accountId,
  roleId,
});

function pending(outcome: WriteOutcome) {
  if (outcome.kind !== 'pending') throw new Error(`expected pending, got ${JSON.stringify(outcome)}`);
  return outcome.request;
}

describe('prepare, resolve and postState', () => {
  it('resolves a grant to IDs and hands the instance to the post step', async () => {
    const { driver } = setUp({ role: 'AdministratorAccess' });
    await driver.prepare();
    expect(await driver.resolve(awsPlan({ role: 'AdministratorAccess' }).grants[0]!)).toEqual({
      cloud: 'aws',
      principalId: ALICE,
      principalType: 'USER',
      accountId: ACCOUNT,
      roleId: ADMIN,
    });
    expect(driver.postState()).toEqual({ instanceArn: INSTANCE_ARN });
  });

  it('works in the instance the main step saved', async () => {
    const { deps, seams } = emulatedDeps(sso);
    const driver = createAwsAssignments(
      awsPlan({ 'instance-arn': '' }),
      { ...deps, saved: { instanceArn: INSTANCE_ARN } },
      seams,
    ).driver;
    await driver.prepare();
    expect(sso.calls()).toEqual([]);
    expect(driver.postState()).toEqual({ instanceArn: INSTANCE_ARN });
  });
});

describe('findExisting', () => {
  it('makes one ListAccountAssignments per account and permission set, shared by the grants', async () => {
    const { sso, driver } = setUp();
    sso.addAssignment(ALICE);
    sso.addAssignment(BOB, READ_ONLY, ACCOUNT, 'GROUP');
    await driver.prepare();
    const [alice, bob, admin] = await Promise.all([
      driver.findExisting(ids(ALICE)),
      driver.findExisting(ids(BOB)),
      driver.findExisting(ids(ALICE, ADMIN)),
    ]);
    expect(alice).toEqual({});
    // BOB's assignment is a GROUP's: a USER grant for the same ID is not it.
    expect(bob).toBeUndefined();
    expect(admin).toBeUndefined();
    expect(sso.inputsOf('ListAccountAssignments')).toEqual([
      { InstanceArn: INSTANCE_ARN, AccountId: ACCOUNT, PermissionSetArn: READ_ONLY },
      { InstanceArn: INSTANCE_ARN, AccountId: ACCOUNT, PermissionSetArn: ADMIN },
    ]);
  });

  it('follows every page of ListAccountAssignments', async () => {
    const { sso, driver } = setUp();
    sso.pageSize(2);
    for (let i = 0; i < 4; i++) sso.addAssignment(`9067a1b2c3-0000000${i}-2222-3333-4444-555555555555`);
    sso.addAssignment(ALICE);
    await driver.prepare();
    expect(await driver.findExisting(ids())).toEqual({});
    expect(sso.count('ListAccountAssignments')).toBe(3);
  });
});

describe('create', () => {
  it('sends the assignment, is pending, and is followed with Describe until SUCCEEDED', async () => {
    const { sso, driver } = setUp();
    await driver.prepare();
    const request = pending(await driver.create(ids()));
    expect(sso.inputsOf('CreateAccountAssignment')).toEqual([
      {
        InstanceArn: INSTANCE_ARN,
        TargetId: ACCOUNT,
        TargetType: 'AWS_ACCOUNT',
        PermissionSetArn: READ_ONLY,
        PrincipalType: 'USER',
        PrincipalId: ALICE,
      },
    ]);
    expect(request.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(request.createdOnAcceptance).toBeUndefined();
    expect(await request.poll()).toEqual({ status: 'IN_PROGRESS' });
    sso.completeHeld();
    expect(await request.poll()).toEqual({ status: 'SUCCEEDED' });
    expect(sso.inputsOf('DescribeAccountAssignmentCreationStatus')[0]).toEqual({
      InstanceArn: INSTANCE_ARN,
      AccountAssignmentCreationRequestId: request.requestId,
    });
    expect(await driver.readCreate(request.requestId)).toEqual({ status: 'SUCCEEDED' });
    expect(sso.emulator.aws.assignments()).toHaveLength(1);
  });

  it('reads many outstanding requests with one List…Status page: running and succeeded ones, never a failure', async () => {
    const { sso, driver } = setUp();
    await driver.prepare();
    const running = pending(await driver.create(ids(ALICE)));
    const other = { accountId: ACCOUNT, permissionSetArn: READ_ONLY, principalType: 'USER' as const };
    const done = sso.addCreation({ ...other, principalId: BOB }, 'SUCCEEDED');
    const failed = sso.addCreation({ ...other, principalId: 'carol' }, 'FAILED');
    const shown = await running.pacing!.readMany!([
      running.requestId,
      done.requestId,
      failed.requestId,
      'not-on-the-page',
    ]);
    expect(shown).toEqual(
      new Map([
        [running.requestId, { status: 'IN_PROGRESS' }],
        [done.requestId, { status: 'SUCCEEDED' }],
      ]),
    );
    expect(sso.inputsOf('ListAccountAssignmentCreationStatus')).toEqual([
      { InstanceArn: INSTANCE_ARN, MaxResults: 100 },
    ]);
    // Creates and deletes are paced apart, each learning its own completion time.
    config().deleteMissing = 'failed';
    const deletion = pending(await driver.remove(ids(ALICE)));
    expect(deletion.pacing!.key).not.toBe(running.pacing!.key);
    await deletion.pacing!.readMany!([deletion.requestId]);
    expect(sso.count('ListAccountAssignmentDeletionStatus')).toBe(1);
  });

  it("reports a request that ends FAILED with the service's FailureReason", async () => {
    const { driver } = setUp();
    config().writeDelayMs = 0;
    faults().failCreations.push({ reason: 'Maximum IAM roles quota reached in account 111111111111' });
    await driver.prepare();
    const request = pending(await driver.create(ids()));
    expect(await request.poll()).toEqual({
      status: 'FAILED',
      failureReason: 'Maximum IAM roles quota reached in account 111111111111',
    });
  });

  it('retries ConflictException, as the SSO Admin model recommends', async () => {
    const { sso, driver } = setUp();
    sso.failNext('CreateAccountAssignment', 'ConflictException', 409, 'Another request is in progress', 2);
    await driver.prepare();
    pending(await driver.create(ids()));
    expect(sso.count('CreateAccountAssignment')).toBe(3);
    expect(driver.stats).toMatchObject({ retries: 2, calls: { CreateAccountAssignment: 3 } });
  });

  it('fails a denied create with the fix, and frees its slot', async () => {
    const { sso, driver } = setUp();
    sso.failNext(
      'CreateAccountAssignment',
      'AccessDeniedException',
      400,
      'User is not authorized',
      MAX_OUTSTANDING_CREATES,
    );
    await driver.prepare();
    const errors = await Promise.all(
      Array.from({ length: MAX_OUTSTANDING_CREATES }, () => driver.create(ids()).catch((e: unknown) => e)),
    );
    expect(errors[0]).toBeInstanceOf(AwsServiceError);
    expect(errors[0]).toMatchObject({
      code: 'AccessDeniedException',
      message: expect.stringMatching(
        /^CreateAccountAssignment was denied: User is not authorized \(request [0-9a-f-]{36}\)$/,
      ),
      fix: expect.stringContaining('allow `sso:CreateAccountAssignment`'),
    });
    // The request ID is the one the service answered that create with.
    const { requestId } = errors[0] as AwsServiceError;
    expect(errors[0]).toMatchObject({ message: expect.stringContaining(`(request ${requestId})`) });
    expect(sso.emulator.requests.map((r) => r.requestId)).toContain(requestId);
    // Every slot was given back: a create still goes out at once.
    pending(await driver.create(ids()));
  });

  it(`keeps at most ${MAX_OUTSTANDING_CREATES} creates outstanding: the 16th waits for one to end`, async () => {
    const { sso, driver } = setUp();
    await driver.prepare();
    const principals = Array.from(
      { length: MAX_OUTSTANDING_CREATES + 1 },
      (_, i) => `9067a1b2c3-${String(i).padStart(8, '0')}-2222-3333-4444-555555555555`,
    );
    const creates = principals.map((p) => driver.create(ids(p)));
    const first = await Promise.all(creates.slice(0, MAX_OUTSTANDING_CREATES));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sso.count('CreateAccountAssignment')).toBe(MAX_OUTSTANDING_CREATES);
    // One request ends: its slot passes to the waiting create.
    const done = pending(first[0]!);
    expect(await done.poll()).toEqual({ status: 'IN_PROGRESS' });
    sso.completeHeld();
    expect(await done.poll()).toEqual({ status: 'SUCCEEDED' });
    done.release?.();
    pending(await creates[MAX_OUTSTANDING_CREATES]!);
    expect(sso.count('CreateAccountAssignment')).toBe(MAX_OUTSTANDING_CREATES + 1);
    expect(sso.emulator.aws.stats.maxOutstandingCreates).toBe(MAX_OUTSTANDING_CREATES);
  });

  it(`drivers over one session (a reconcile's USER and GROUP writes) keep at most ${MAX_OUTSTANDING_CREATES} creates outstanding together`, async () => {
    const { deps, seams } = emulatedDeps(sso);
    const plan = awsPlan();
    const session = createSsoSession(plan, deps, seams);
    const bound = { deadline: deps.deadline };
    const users = new AwsAssignmentDriver(plan, session, bound);
    const groups = new AwsAssignmentDriver({ ...plan, principalType: 'GROUP' }, session, bound);
    await users.prepare();
    const principals = Array.from(
      { length: MAX_OUTSTANDING_CREATES + 1 },
      (_, i) => `9067a1b2c3-${String(i).padStart(8, '0')}-2222-3333-4444-555555555555`,
    );
    const creates = principals.map((p, i) => (i % 2 ? groups : users).create(ids(p)));
    const first = await Promise.all(creates.slice(0, MAX_OUTSTANDING_CREATES));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sso.count('CreateAccountAssignment')).toBe(MAX_OUTSTANDING_CREATES);
    // One request ends: its slot passes to the other driver's waiting create.
    const done = pending(first[0]!);
    sso.completeHeld();
    expect(await done.poll()).toEqual({ status: 'SUCCEEDED' });
    done.release?.();
    pending(await creates[MAX_OUTSTANDING_CREATES]!);
    expect(sso.emulator.aws.stats.maxOutstandingCreates).toBe(MAX_OUTSTANDING_CREATES);
  });

  it('a create refused as AWS refuses a 16th outstanding (ThrottlingException, HTTP 400) is no failure: it waits for a slot and is accepted once one ends, every refusal counted as throttled', async () => {
    const { sso, driver } = setUp();
    await driver.prepare();
    // Another job holds one of the instance's 15 creates until the test ends it.
    sso.emulator.aws.recordCreation(
      {
        accountId: '999999999999',
        permissionSetArn: READ_ONLY,
        principalType: 'USER',
        principalId: BOB,
      },
      'IN_PROGRESS',
    );
    const principals = Array.from(
      { length: MAX_OUTSTANDING_CREATES },
      (_, i) => `9067a1b2c3-${String(i).padStart(8, '0')}-2222-3333-4444-555555555555`,
    );
    const creates = principals.map((p) => driver.create(ids(p)));
    const answered = creates.map((c) => {
      const state = { outcome: undefined as WriteOutcome | undefined };
      void c.then((o) => (state.outcome = o));
      return state;
    });
    // 14 are accepted; the 15th is refused, with AWS's answer, and waits rather than fails.
    const refusedOnce = () => sso.emulator.aws.stats.outstandingCreatesRefused > 0;
    while (!refusedOnce() || answered.filter((state) => state.outcome).length < MAX_OUTSTANDING_CREATES - 1)
      await new Promise((resolve) => setImmediate(resolve));
    const refusal = sso.emulator.requests.find(
      (r) => r.operation === 'CreateAccountAssignment' && r.status !== 200,
    );
    expect(refusal).toMatchObject({ status: 400, errorCode: 'ThrottlingException' });
    // Every create ends: the step's own, seen by its status reads, free slots for the refused one.
    const accepted = answered.flatMap((state) => (state.outcome ? [state.outcome] : []));
    expect(accepted).toHaveLength(MAX_OUTSTANDING_CREATES - 1);
    sso.emulator.aws.completeHeldRequests();
    for (const outcome of accepted) {
      const request = pending(outcome);
      expect(await request.poll()).toEqual({ status: 'SUCCEEDED' });
      request.release?.();
    }
    const outcomes = await Promise.all(creates);
    expect(outcomes.every((o) => o.kind === 'pending')).toBe(true);
    const sent = sso.emulator.requests.filter((r) => r.operation === 'CreateAccountAssignment');
    expect(sent.filter((r) => r.status === 200)).toHaveLength(MAX_OUTSTANDING_CREATES);
    const refused = sso.emulator.aws.stats.outstandingCreatesRefused;
    expect(refused).toBeGreaterThanOrEqual(1);
    expect(sent.filter((r) => r.status === 400)).toHaveLength(refused);
    expect(driver.stats).toMatchObject({ throttled: refused });
  });

  /** A driver over a session whose IAM Identity Center calls are paced by the step's own adaptive limiter. */
  async function pacedDriver(debug?: (line: string) => void) {
    const emulated = emulatedDeps(sso);
    const { seams } = emulated;
    const deps = debug ? { ...emulated.deps, debug } : emulated.deps;
    const limiter = new AdaptiveRateLimiter({
      ceiling: SSO_ADMIN_CALLS_PER_WINDOW,
      windowMs: SSO_ADMIN_WINDOW_MS,
    });
    const plan = awsPlan();
    const session = createSsoSession(plan, deps, { ...seams, limiter });
    const driver = new AwsAssignmentDriver(plan, session, { deadline: deps.deadline });
    await driver.prepare();
    return { driver, session, limiter };
  }

  it("a create throttled with the TPS quota's answer (ThrottlingException, HTTP 429, Rate exceeded), which a refusal for the outstanding creates may carry too, waits for a slot and leaves the rate to the step's other calls", async () => {
    const { driver, limiter } = await pacedDriver();
    sso.failNext('CreateAccountAssignment', 'ThrottlingException', 429, 'Rate exceeded');
    pending(await driver.create(ids()));
    expect(sso.count('CreateAccountAssignment')).toBe(2);
    expect(limiter.limit).toBe(SSO_ADMIN_CALLS_PER_WINDOW);
    expect(driver.stats).toMatchObject({ throttled: 1 });
  });

  it('a create refused for the outstanding creates (ThrottlingException, HTTP 400, as AWS answers a 16th) cuts the share to what the step holds, and leaves the rate as it was', async () => {
    const { driver, session, limiter } = await pacedDriver();
    pending(await driver.create(ids(BOB)));
    sso.failNext(
      'CreateAccountAssignment',
      'ThrottlingException',
      400,
      'There are too many requests processing. Please try again later.',
    );
    // Refused, it waits for a slot: the step's own create ends, or a probe finds another's.
    pending(await driver.create(ids()));
    expect(sso.count('CreateAccountAssignment')).toBe(3);
    expect(session.outstandingCreates.limit).toBeLessThan(MAX_OUTSTANDING_CREATES);
    expect(limiter.limit).toBe(SSO_ADMIN_CALLS_PER_WINDOW);
    expect(driver.stats).toMatchObject({ throttled: 1 });
  });

  // How IAM Identity Center refuses a create beyond its 15 outstanding: as an SDK recorded it
  // (HTTP 400), with the model's status for ThrottlingException (429), in the TPS quota's words
  // (429 "Rate exceeded", which no client can tell from a rate throttle), or as ConflictException
  // (409). Whatever the shape, the refused create waits for a slot (one of the step's own ends, or
  // a probe finds another's), not a backoff: an exponential backoff leaves the slot it waits for
  // idle, up to seconds after it frees (two reconciles of 45 took 1.35x their bound so).
  it.each(['recorded', 'model', 'rate', 'conflict'] as const)(
    'a create refused for the outstanding creates as %s is retried as soon as a slot frees, with no backoff, one request per attempt, and lands',
    async (shape) => {
      const said: string[] = [];
      const { driver, limiter } = await pacedDriver((line) => said.push(line));
      config().outstandingCreatesRefusal = shape;
      // Another job holds one of the instance's 15 creates until the test ends it.
      sso.emulator.aws.recordCreation(
        { accountId: '999999999999', permissionSetArn: READ_ONLY, principalType: 'USER', principalId: BOB },
        'IN_PROGRESS',
      );
      const creates = Array.from({ length: MAX_OUTSTANDING_CREATES }, (_, i) =>
        driver.create(ids(`9067a1b2c3-${String(i).padStart(8, '0')}-2222-3333-4444-555555555555`)),
      );
      const answered = creates.map((c) => {
        const state = { outcome: undefined as WriteOutcome | undefined };
        void c.then((o) => (state.outcome = o));
        return state;
      });
      const refusedOnce = () => sso.emulator.aws.stats.outstandingCreatesRefused > 0;
      while (!refusedOnce() || answered.filter((state) => state.outcome).length < MAX_OUTSTANDING_CREATES - 1)
        await new Promise((resolve) => setImmediate(resolve));
      // The step's own creates end, seen by its status reads: their slots free for the refused one.
      sso.emulator.aws.completeHeldRequests();
      for (const state of answered.filter((s) => s.outcome)) {
        const request = pending(state.outcome!);
        expect(await request.poll()).toEqual({ status: 'SUCCEEDED' });
        request.release?.();
      }
      const outcomes = await Promise.all(creates);
      expect(outcomes.every((o) => o.kind === 'pending')).toBe(true);
      const sent = sso.emulator.requests.filter((r) => r.operation === 'CreateAccountAssignment');
      const refused = sso.emulator.aws.stats.outstandingCreatesRefused;
      expect(sent.filter((r) => r.status === 200)).toHaveLength(MAX_OUTSTANDING_CREATES);
      // Each refusal is one request and one retry of the engine's: no SDK retry stacked on it.
      expect(sent).toHaveLength(MAX_OUTSTANDING_CREATES + refused);
      expect(driver.stats.retries).toBe(refused);
      const retries = said.filter((line) => line.startsWith('CreateAccountAssignment:'));
      expect(retries).toHaveLength(refused);
      for (const line of retries) expect(line).toMatch(/; retry \d+ in 0 ms$/);
      // The rate is the step's other calls' to judge: a refused create leaves it as it was.
      expect(limiter.limit).toBe(SSO_ADMIN_CALLS_PER_WINDOW);
    },
  );

  it('gives up on a create that waited for a slot past the deadline, without sending it', async () => {
    // The 1 s deadline counts from the moment the 16th create starts waiting: its clock stands
    // still while the 15 are sent, so a busy machine sends them all before it as a quiet one does.
    let stoppedAt: number | undefined = Date.now();
    let shift = 0;
    const clock = () => stoppedAt ?? Date.now() - shift;
    const { deps, seams } = emulatedDeps(sso);
    const driver = createAwsAssignments(
      awsPlan(),
      { ...deps, deadline: new Deadline(1, clock) },
      seams,
    ).driver;
    await driver.prepare();
    const creates = Array.from({ length: MAX_OUTSTANDING_CREATES }, (_, i) =>
      driver.create(ids(`9067a1b2c3-${String(i).padStart(8, '0')}-2222-3333-4444-555555555555`)),
    );
    await Promise.all(creates);
    shift = Date.now() - stoppedAt;
    stoppedAt = undefined;
    await expect(driver.create(ids())).rejects.toThrow(
      'CreateAccountAssignment was not sent: the 1s deadline (`timeout-seconds`) passed while it waited for one of the 15 outstanding CreateAccountAssignment requests to finish; raise `timeout-seconds`, or set `wait: false` to end the step once the requests are accepted',
    );
    expect(sso.count('CreateAccountAssignment')).toBe(MAX_OUTSTANDING_CREATES);
  });
});

describe('remove', () => {
  it('deletes, and is followed with Describe until SUCCEEDED', async () => {
    const { sso, driver } = setUp({ operation: 'revoke' });
    sso.addAssignment(ALICE);
    await driver.prepare();
    const request = pending(await driver.remove(ids()));
    expect(await request.poll()).toEqual({ status: 'IN_PROGRESS' });
    sso.completeHeld();
    expect(await request.poll()).toEqual({ status: 'SUCCEEDED' });
    expect(sso.emulator.aws.assignments()).toEqual([]);
    expect(sso.inputsOf('DescribeAccountAssignmentDeletionStatus')[0]).toEqual({
      InstanceArn: INSTANCE_ARN,
      AccountAssignmentDeletionRequestId: request.requestId,
    });
  });

  it('treats ResourceNotFoundException as already gone: done, unchanged', async () => {
    const { sso, driver } = setUp({ operation: 'revoke' });
    await driver.prepare();
    expect(await driver.remove(ids())).toEqual({ kind: 'done', changed: false });
    expect(sso.count('DeleteAccountAssignment')).toBe(1);
  });

  it('judges not-found by the error code: a ValidationException that says "not found" fails', async () => {
    const { sso, driver } = setUp({ operation: 'revoke' });
    sso.failNext('DeleteAccountAssignment', 'ValidationException', 400, 'principal not found');
    await driver.prepare();
    await expect(driver.remove(ids())).rejects.toMatchObject({
      code: 'ValidationException',
      message: expect.stringContaining(
        'DeleteAccountAssignment rejected the request as invalid: principal not found',
      ),
    });
  });

  it('treats a delete accepted and then FAILED with "EntitlementItem doesn\'t exist" as SUCCEEDED, unchanged', async () => {
    const { driver } = setUp({ operation: 'revoke' });
    config().deleteMissing = 'failed';
    config().writeDelayMs = 0;
    await driver.prepare();
    const request = pending(await driver.remove(ids()));
    expect(await request.poll()).toEqual({ status: 'SUCCEEDED', changed: false });
  });
});

describe("whether a create of this step's that SUCCEEDED made the assignment (IAM Identity Center ends a duplicate create SUCCEEDED too)", () => {
  const assignment = {
    accountId: ACCOUNT,
    permissionSetArn: READ_ONLY,
    principalType: 'USER' as const,
    principalId: ALICE,
  };
  // Creates end as soon as they are next read.
  beforeEach(() => void (config().writeDelayMs = 0));
  const revokeOnExit = () => {
    const set = setUp({ 'revoke-on-exit': 'true' });
    // The main step of a step with revoke-on-exit: creates' ownership is to be proven.
    const original = set.driver.prepare.bind(set.driver);
    const prepare = () => original({ operation: 'assign', grants: [], proveOwnership: true });
    return { ...set, driver: Object.assign(set.driver, { prepare }) };
  };
  /** This step's create of `ids()`, followed to SUCCEEDED. */
  async function ownCreate(driver: ReturnType<typeof setUp>['driver']): Promise<string> {
    const request = pending(await driver.create(ids()));
    while ((await request.poll()).status !== 'SUCCEEDED');
    request.release?.();
    return request.requestId;
  }

  it('it did when no other create for the assignment ran since the step began reading', async () => {
    const { sso, driver } = revokeOnExit();
    sso.addCreation(assignment, 'SUCCEEDED', new Date(Date.now() - 60_000));
    await driver.prepare();
    const mine = await ownCreate(driver);
    expect(await driver.proveCreated(ids(), mine)).toEqual({ created: true });
  });

  it("it did not when another party's create for it was made after the step began reading, before its own", async () => {
    const { sso, driver } = revokeOnExit();
    await driver.prepare();
    const rival = sso.addCreation(assignment, 'SUCCEEDED');
    const mine = await ownCreate(driver);
    expect(await driver.proveCreated(ids(), mine)).toEqual({
      created: false,
      why: `another create request for the same assignment (${rival.requestId}, SUCCEEDED) ran while this step's did, and IAM Identity Center does not say which of them made it`,
    });
  });

  it("it did not when another party's create for it was made after its own (creates need not complete in the order they are stamped)", async () => {
    const { sso, driver } = revokeOnExit();
    await driver.prepare();
    const mine = await ownCreate(driver);
    sso.addCreation(assignment, 'SUCCEEDED');
    expect(await driver.proveCreated(ids(), mine)).toMatchObject({ created: false });
  });

  it('it did not when a create for it was still running as the step began reading, however long before it was made', async () => {
    const { sso, driver } = revokeOnExit();
    const rival = sso.addCreation(assignment, 'IN_PROGRESS', new Date(Date.now() - 600_000));
    await driver.prepare();
    expect(driver.postState().creationsAtRead?.running).toEqual([rival.requestId]);
    rival.status = 'SUCCEEDED';
    const mine = await ownCreate(driver);
    expect(await driver.proveCreated(ids(), mine)).toMatchObject({ created: false });
  });

  it('creates for other assignments, and ones that FAILED, do not count', async () => {
    const { sso, driver } = revokeOnExit();
    await driver.prepare();
    sso.addCreation({ ...assignment, principalId: BOB }, 'SUCCEEDED');
    sso.addCreation(assignment, 'FAILED');
    const mine = await ownCreate(driver);
    expect(await driver.proveCreated(ids(), mine)).toEqual({ created: true });
  });

  it('a later proof reads only the newer part of the list, and describes each other request once', async () => {
    const { sso, driver } = revokeOnExit();
    sso.pageSize(2);
    await driver.prepare();
    for (let i = 0; i < 5; i++) sso.addCreation({ ...assignment, principalId: BOB }, 'SUCCEEDED');
    const first = await ownCreate(driver);
    expect(await driver.proveCreated(ids(), first)).toEqual({ created: true });
    const lists = sso.count('ListAccountAssignmentCreationStatus');
    const describes = sso.count('DescribeAccountAssignmentCreationStatus');
    sso.addCreation({ ...assignment, principalId: BOB }, 'SUCCEEDED');
    const second = pending(await driver.create(ids(BOB)));
    while ((await second.poll()).status !== 'SUCCEEDED');
    expect(await driver.proveCreated(ids(BOB), second.requestId)).toEqual({
      created: false,
      why: expect.any(String),
    });
    // The running creates as the step began (one call), then three pages of two for the first proof;
    // for the second, the page of its two new requests and the page that reaches a known one.
    expect(lists).toBe(4);
    expect(sso.count('ListAccountAssignmentCreationStatus') - lists).toBe(2);
    // The five read for the first proof are not read again; the new one is, and the second's own poll.
    expect(sso.count('DescribeAccountAssignmentCreationStatus') - describes).toBeLessThanOrEqual(3);
  });
});

describe('a create whose answer was lost (post step)', () => {
  it("is left in place, perhaps the step's, when the assignment is there: nothing IAM Identity Center shows says who sent a create", async () => {
    const { sso, driver } = setUp();
    sso.addAssignment(ALICE);
    await driver.prepare();
    expect(await driver.findOwnCreate(ids())).toMatchObject({
      ownership: 'not-created',
      mayBeOwn: true,
    });
  });

  it("is left in place, perhaps the step's, when a create request for it is still running (the assignment not listed yet)", async () => {
    const { sso, driver } = setUp();
    // Stamped by the service's clock, whatever the runner's said: found by its status, not its time.
    sso.addCreation(
      { accountId: ACCOUNT, permissionSetArn: READ_ONLY, principalType: 'USER', principalId: ALICE },
      'IN_PROGRESS',
      new Date(Date.now() - 600_000),
    );
    await driver.prepare();
    expect(await driver.findOwnCreate(ids())).toMatchObject({
      ownership: 'not-created',
      mayBeOwn: true,
      why: expect.stringContaining('is still IN_PROGRESS, and may make it'),
    });
  });

  it('is nothing to revoke when the assignment is not there', async () => {
    const { driver } = setUp();
    await driver.prepare();
    expect(await driver.findOwnCreate(ids())).toMatchObject({
      ownership: 'not-created',
      absent: true,
    });
  });
});
