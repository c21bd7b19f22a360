// The AWS assignment driver's reliance on a grant found in place, over the emulated IAM Identity
// Center and its STS, signed in with a GitHub OIDC token as a step is: a duplicate create under a
// second sign-in whose session name ends `-r`, which CloudTrail records under that name.
import { beforeEach, describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { createAwsAssignments } from '../../../src/aws/index.js';
import { createSsoSession } from '../../../src/aws/sso/session.js';
import { STAMP_RESOLUTION_MS } from '../../../src/aws/sso/reliance-remake.js';
import type { AwsSessionSettings } from '../../../src/core/inputs/index.js';
import type { AwsResolvedIds } from '../../../src/core/types.js';
import type { WriteOutcome } from '../../../src/engine/calls/driver.js';
import {
  ACCOUNT,
  ADMIN,
  ALICE,
  READ_ONLY,
  awsPlan,
  emulatedDeps,
  emulatedSso,
} from '../../harness/emulated-sso.js';

const sso = emulatedSso();
const ROLE = 'arn:aws:iam::123456789012:role/cloud-access';
const CREATES = 'cloud-access-123456789-7-1-e';
const RELIES = 'cloud-access-123456789-7-1-r';

beforeEach(() => {
  // The SDK's STS client reaches the emulator's STS; the harness restores the environment after all.
  process.env.AWS_ENDPOINT_URL_STS = sso.emulator.env.AWS_ENDPOINT_URL_STS;
});

/** A GitHub OIDC token from the emulator, as the runner hands one to a step. */
async function githubToken(audience: string): Promise<string> {
  const { env } = sso.emulator;
  const answer = await fetch(`${env.ACTIONS_ID_TOKEN_REQUEST_URL}&audience=${audience}`, {
    headers: { Authorization: `Bearer ${env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}` },
  });
  return ((await answer.json()) as { value: string }).value;
}

/** An ephemeral step's settings, signed in with `role-to-assume` (no static key). */
function signedIn(relianceSessionName: string | null = RELIES): AwsSessionSettings {
  return {
    ...awsPlan({ 'role-to-assume': ROLE }),
    roleSessionName: CREATES,
    ...(relianceSessionName ? { relianceSessionName } : {}),
  };
}

function setUp(settings: AwsSessionSettings) {
  const { deps, seams } = emulatedDeps(sso);
  const { credentials: _static, ...loose } = seams;
  return createAwsAssignments(settings, { ...deps, requestToken: githubToken }, loose).driver;
}

const ids = (roleId = READ_ONLY): AwsResolvedIds => ({
  cloud: 'aws',
  principalId: ALICE,
  principalType: 'USER',
  accountId: ACCOUNT,
  roleId,
});
const sessionNames = () => sso.emulator.aws.sessions.map((s) => s.sessionName);
/** The session name CloudTrail recorded with each CreateAccountAssignment, in order. */
const createdBy = () =>
  sso.emulator.aws.cloudTrail
    .filter((e) => e.eventName === 'CreateAccountAssignment')
    .map((e) => e.principalArn.split('/').at(-1));

function pending(outcome: WriteOutcome | undefined) {
  if (outcome?.kind !== 'pending') throw new Error(`expected pending, got ${JSON.stringify(outcome)}`);
  return outcome.request;
}

describe('registerReliance', () => {
  it('sends the create again under a second sign-in as `-r`, once per step however many grants', async () => {
    sso.addAssignment(ALICE, READ_ONLY);
    sso.addAssignment(ALICE, ADMIN);
    const driver = setUp(signedIn());
    await driver.prepare();
    expect(await driver.findExisting(ids())).toEqual({});
    expect(sessionNames()).toEqual([CREATES]);

    const [first, second] = await Promise.all([
      driver.registerReliance(ids()),
      driver.registerReliance(ids(ADMIN)),
    ]);
    expect(sso.count('CreateAccountAssignment')).toBe(2);
    expect(createdBy()).toEqual([RELIES, RELIES]);
    expect(sessionNames()).toEqual([CREATES, RELIES]);

    // IAM Identity Center ends a duplicate create SUCCEEDED, and keeps one assignment.
    sso.completeHeld();
    expect(await pending(first).poll()).toMatchObject({ status: 'SUCCEEDED' });
    expect(await pending(second).poll()).toMatchObject({ status: 'SUCCEEDED' });
    expect(sso.emulator.aws.assignments()).toHaveLength(2);
  });

  it('signs in and sends nothing without a reliance session name (a user-set role-session-name)', async () => {
    sso.addAssignment(ALICE, READ_ONLY);
    const driver = setUp(signedIn(null));
    await driver.prepare();
    await driver.findExisting(ids());
    expect(await driver.registerReliance(ids())).toBeUndefined();
    expect(sso.count('CreateAccountAssignment')).toBe(0);
    expect(sessionNames()).toEqual([CREATES]);
  });

  it('is never one of the step’s own creates: the step’s own create of the same grant is proven against it', async () => {
    const driver = setUp(signedIn());
    await driver.prepare({ operation: 'assign', grants: [], proveOwnership: true });
    pending(await driver.registerReliance(ids()));
    const create = pending(await driver.create(ids()));
    sso.completeHeld();
    expect(await create.poll()).toMatchObject({ status: 'SUCCEEDED' });
    expect(await driver.proveCreated(ids(), create.requestId)).toMatchObject({
      created: false,
      why: expect.stringContaining('another create request for the same assignment'),
    });
  });
});

describe('a session signed in again', () => {
  it('shares the first one’s outstanding-create slots, counts and instance', async () => {
    const { deps, seams } = emulatedDeps(sso);
    const session = createSsoSession(awsPlan(), deps, seams);
    await session.prepare();
    const again = session.signedInAs(RELIES);
    expect(again.outstandingCreates).toBe(session.outstandingCreates);
    expect(again.stats).toBe(session.stats);
    expect(again.instance).toBe(session.instance);
    expect(again.clients).not.toBe(session.clients);
  });
});

describe('relianceRemade', () => {
  const assignment = {
    accountId: ACCOUNT,
    permissionSetArn: READ_ONLY,
    principalType: 'USER' as const,
    principalId: ALICE,
  };
  /** Another job's post step ending the grant (its `-e` sign-in), stamped now. */
  const anotherJobDeletes = (): void =>
    void sso.emulator.aws.deleteAssignmentAs(assignment, {
      principalArn: 'arn:aws:sts::123456789012:assumed-role/cloud-access/cloud-access-123456789-6-1-e',
      sessionName: 'cloud-access-123456789-6-1-e',
    });

  /** The step reads the grant in place; `between` runs before its reliance, which is followed to its end. */
  async function relyAfter(between: () => Promise<void> | void) {
    sso.addAssignment(ALICE, READ_ONLY);
    const driver = setUp(signedIn());
    await driver.prepare({ operation: 'assign', grants: [], proveOwnership: true });
    expect(await driver.findExisting(ids())).toEqual({});
    await between();
    const reliance = pending(await driver.registerReliance(ids()));
    sso.completeHeld();
    expect(await reliance.poll()).toMatchObject({ status: 'SUCCEEDED' });
    return { driver, requestId: reliance.requestId };
  }

  it('nothing deleted it since the read: a duplicate, as meant (the running deletes listed at the read, and one list since)', async () => {
    const { driver, requestId } = await relyAfter(() => {});
    expect(await driver.relianceRemade(ids(), requestId, true)).toBeUndefined();
    expect(sso.count('ListAccountAssignmentDeletionStatus')).toBe(2);
  });

  it('a delete already running as the step began reading, ended after its read: the reliance may have made it again, and the step says so', async () => {
    sso.addAssignment(ALICE, READ_ONLY);
    // Another job's delete, sent before this step reads, and running until the test ends it.
    const another = setUp(signedIn());
    await another.prepare({ operation: 'revoke', grants: [], proveOwnership: false });
    await another.remove(ids());
    const driver = setUp(signedIn());
    await driver.prepare({ operation: 'assign', grants: [], proveOwnership: true });
    expect(await driver.findExisting(ids())).toEqual({});
    sso.completeHeld();
    expect(sso.emulator.aws.hasAssignment(assignment)).toBe(false);
    const reliance = pending(await driver.registerReliance(ids()));
    sso.completeHeld();
    expect(await reliance.poll()).toMatchObject({ status: 'SUCCEEDED' });
    expect(await driver.relianceRemade(ids(), reliance.requestId, true)).toEqual({
      byStep: false,
      why: expect.stringContaining('still running when this step began reading'),
    });
  });

  it('deleted surely after the step began reading, and no other create of it: the reliance made it, and is the step’s own', async () => {
    // Over a second after the snapshot (the stamps' resolution), as when a batch's earlier grants
    // went first; 1.5 s more than that, since the window also widens by the reliance's round trip,
    // which a loaded machine stretches (at 1.1 s, two suites side by side on 2 cores failed here).
    const { driver, requestId } = await relyAfter(async () => {
      await sleep(STAMP_RESOLUTION_MS + 1_500);
      anotherJobDeletes();
    });
    expect(sso.emulator.aws.hasAssignment(assignment)).toBe(true);
    expect(await driver.relianceRemade(ids(), requestId, true)).toEqual({
      byStep: true,
      why: expect.stringContaining(`this step's reliance (request ${requestId}) made it again`),
    });
    // The post step's check before its delete finds nothing since: the reliance is its own create.
    expect(await driver.stillOwn(ids(), requestId, Date.now())).toEqual({ created: true });
  });

  it('a reliance not followed to its end may yet make it again: never the step’s, only said', async () => {
    sso.addAssignment(ALICE, READ_ONLY);
    const driver = setUp(signedIn());
    await driver.prepare({ operation: 'assign', grants: [], proveOwnership: true });
    await driver.findExisting(ids());
    await sleep(1_100);
    anotherJobDeletes();
    const reliance = pending(await driver.registerReliance(ids()));
    expect(await driver.relianceRemade(ids(), reliance.requestId, false)).toEqual({
      byStep: false,
      why: expect.stringMatching(
        /may make it again; the reliance had not ended when this step stopped following it$/,
      ),
    });
  });

  it('deleted within a second of the read: it may have made it, and is not taken for the step’s', async () => {
    const { driver, requestId } = await relyAfter(anotherJobDeletes);
    expect(await driver.relianceRemade(ids(), requestId, true)).toEqual({
      byStep: false,
      why: expect.stringContaining("stamped too close to the step's read"),
    });
  });

  it('another create of it after the delete: either may have made it, and it is not taken for the step’s', async () => {
    const { driver, requestId } = await relyAfter(async () => {
      // Surely after the read (as above), so that only the other create stands in the way.
      await sleep(STAMP_RESOLUTION_MS + 1_500);
      anotherJobDeletes();
      sso.emulator.aws.createAssignmentAs(assignment, {
        principalArn: 'arn:aws:iam::123456789012:user/admin',
      });
    });
    expect(await driver.relianceRemade(ids(), requestId, true)).toEqual({
      byStep: false,
      why: expect.stringContaining('another create request for the same assignment'),
    });
  });
});
