// Shared grants through the Azure driver, against the emulated ARM with the real SDK client: a
// relying step appends its reliance marker to an assignment another run's step made (one PUT, the
// user's text, the other markers and the condition kept), and the post step of the run that made
// it leaves it once anything was added.
import { describe, expect, it } from '@jest/globals';
import type { HttpClient } from '@azure/core-rest-pipeline';
import { AzureRoleAssignmentDriver } from '../../../src/azure/arm/assignments.js';
import type { AzureRunMark } from '../../../src/core/run-marks.js';
import { emulatedArm, OBJECT_ID, PRINCIPAL, READER, SCOPE } from '../../harness/emulated-arm.js';
import { signedInSession } from '../../harness/arm-driver.js';

const arm = emulatedArm();
const NAME = '0a1b2c3d-0000-4000-8000-000000000001';
const CREATOR = '[cloud-access:octo-org/octo-repo:run:1:1:e]';
const RELYING: AzureRunMark = { repository: 'octo-org/octo-repo', runId: '2', attempt: '1', ephemeral: true };
const CONDITION =
  "((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs'))";
const OTHER = '99999999-9999-4999-8999-999999999999';

/** `relianceMark`: the run the step registers, or null for a step whose grants do not end with its run. */
function setUp(
  relianceMark: AzureRunMark | null = RELYING,
  httpClient: HttpClient = arm.httpClient,
  seconds = 30,
) {
  const plan = arm.plan({ principal: PRINCIPAL, target: SCOPE, role: READER, 'revoke-on-exit': 'true' });
  const settings = { ...plan, relianceMark: relianceMark ?? undefined };
  const { session } = signedInSession(arm, settings, { armClient: httpClient, seconds });
  return { driver: new AzureRoleAssignmentDriver(settings, session), grant: plan.grants[0]! };
}

const puts = () => arm.requests().filter((r) => r.startsWith('PUT'));
const descriptionNow = () => arm.az.state.live().find((a) => a.name === NAME)?.description;

describe("registerReliance: a step registers its reliance on another run's ephemeral assignment", () => {
  it('appends its marker after the others with one PUT, keeping the text, the condition and the name', async () => {
    const { driver, grant } = setUp();
    await driver.prepare();
    arm.add(NAME, READER, SCOPE, {
      by: OTHER,
      description: `deploy api ${CREATOR} [cloud-access:octo-org/octo-repo:run:3:1:r]`,
      condition: CONDITION,
    });
    const ids = await driver.resolve(grant);
    const reliance = await driver.registerReliance(ids);
    expect(reliance).toMatchObject({
      kind: 'done',
      note: expect.stringContaining("run 1 attempt 1's post step leaves it"),
    });
    expect(puts()).toEqual([expect.stringContaining(`/roleAssignments/${NAME}`)]);
    expect(descriptionNow()).toBe(
      `deploy api ${CREATOR} [cloud-access:octo-org/octo-repo:run:3:1:r] [cloud-access:octo-org/octo-repo:run:2:1:r]`,
    );
    expect(arm.lastBody()).toMatchObject({ condition: CONDITION, conditionVersion: '2.0' });
    // ARM keeps who made it, and records this step's identity as its last writer.
    expect(arm.az.state.live().find((a) => a.name === NAME)).toMatchObject({
      createdBy: OTHER,
      updatedBy: OBJECT_ID,
    });
  });

  it('writes nothing on an assignment no run made ephemeral (no creation marker first)', async () => {
    for (const description of ['granted by hand', '[cloud-access:octo-org/octo-repo:run:3:1:r]']) {
      const { driver, grant } = setUp();
      await driver.prepare();
      arm.add(NAME, READER, SCOPE, { description });
      const reliance = await driver.registerReliance(await driver.resolve(grant));
      expect(reliance).toBeUndefined();
      expect(puts()).toEqual([]);
      expect(descriptionNow()).toBe(description);
    }
  });

  it('has nothing to register on an assignment ARM lists without a description (null), and says no more', async () => {
    const { driver, grant } = setUp();
    await driver.prepare();
    arm.add(NAME, READER, SCOPE, {});
    expect(await driver.registerReliance(await driver.resolve(grant))).toBeUndefined();
    expect(puts()).toEqual([]);
  });

  it('writes nothing when its own reliance is there already (another job of the run)', async () => {
    const { driver, grant } = setUp();
    await driver.prepare();
    arm.add(NAME, READER, SCOPE, { description: `${CREATOR} [cloud-access:octo-org/octo-repo:run:2:1:r]` });
    expect(await driver.registerReliance(await driver.resolve(grant))).toBeUndefined();
    expect(puts()).toEqual([]);
  });

  it('fails, naming why (the description is full), the fix and that it wrote nothing, when the description cannot take the marker', async () => {
    const { driver, grant } = setUp();
    await driver.prepare();
    const long = `${'x'.repeat(2048 - CREATOR.length - 1)} ${CREATOR}`;
    arm.add(NAME, READER, SCOPE, { description: long });
    const reliance = await driver.registerReliance(await driver.resolve(grant));
    expect(reliance).toMatchObject({
      kind: 'failed',
      saysFix: true,
      failureReason: expect.stringMatching(
        /longer than the 2048 ARM keeps: the description is full, and run 1 attempt 1's post step, or a sweep once the runs it names have ended, may revoke it while this job runs\. Shorten the `description`.*\. This step wrote nothing on it: the grant stays as it was$/,
      ),
    });
    expect(puts()).toEqual([]);
    expect(descriptionNow()).toBe(long);
  });

  // The run that made it ended it between this step's read and its PUT: the PUT makes it again. ARM
  // says so (201), the step says so, and the markers it writes (the maker's `:e` first, then this
  // run's `:r`) let a sweep end it once both runs have ended: nothing leaves it standing for good.
  it('says so when its PUT made the assignment again (201), the maker’s marker first', async () => {
    let removed = false;
    const removingBeforePut: HttpClient = {
      sendRequest: (request) => {
        if (!removed && request.method === 'PUT' && request.url.includes(NAME)) {
          removed = true;
          const { assignments } = arm.az.state;
          assignments.splice(
            assignments.findIndex((a) => a.name === NAME),
            1,
          );
        }
        return arm.httpClient.sendRequest(request);
      },
    };
    const { driver, grant } = setUp(RELYING, removingBeforePut);
    await driver.prepare();
    arm.add(NAME, READER, SCOPE, { by: OBJECT_ID, description: `deploy ${CREATOR}` });
    const reliance = await driver.registerReliance(await driver.resolve(grant));
    expect(removed).toBe(true);
    expect(arm.answers().filter((a) => a.method === 'PUT')).toEqual([{ method: 'PUT', status: 201 }]);
    expect(reliance).toMatchObject({
      kind: 'done',
      note: expect.stringContaining(
        "it had been removed since this step's read, and this write made it again, so it stays until the sweep ends it",
      ),
    });
    expect(descriptionNow()).toBe(`deploy ${CREATOR} [cloud-access:octo-org/octo-repo:run:2:1:r]`);
  });

  // ARM keeps the last write of a description (no ETag): a job writing just after this one puts
  // its own description, without this run's marker, over it each time.
  it('writes again, with backoff, until the deadline; unregistered then, the grant fails', async () => {
    let puts = 0;
    const overwrittenAfterPut: HttpClient = {
      sendRequest: async (request) => {
        const answer = await arm.httpClient.sendRequest(request);
        if (request.method === 'PUT' && request.url.includes(NAME)) {
          puts++;
          arm.az.state.live().find((a) => a.name === NAME)!.description = `deploy ${CREATOR}`;
        }
        return answer;
      },
    };
    const { driver, grant } = setUp(RELYING, overwrittenAfterPut, 2);
    await driver.prepare();
    arm.add(NAME, READER, SCOPE, { by: OBJECT_ID, description: `deploy ${CREATOR}` });
    const reliance = await driver.registerReliance(await driver.resolve(grant));
    expect(reliance).toMatchObject({
      kind: 'failed',
      saysFix: true,
      // Where the deadline falls: in the wait between writes, or while ARM has yet to answer one.
      failureReason: expect.stringMatching(
        /^(another job's write replaced .* until|this run's reliance marker, written \d+ times?, was not seen on the grant before) the 2s deadline \(`timeout-seconds`\) passed/,
      ),
    });
    // Written again after the first replacement, spread by the backoff (200 ms doubling, jittered):
    // how many times fit in the deadline depends on the machine's speed, so only "again" and the
    // backoff's ceiling (no more than 2 s of 200 ms doublings allow) are asserted.
    expect(puts).toBeGreaterThan(1);
    expect(puts).toBeLessThan(12);
  });

  it('fails the grant, saying so, when the deadline passes while ARM has yet to answer its read-back', async () => {
    let put = false;
    const stalledAfterPut: HttpClient = {
      sendRequest: async (request) => {
        if (put && request.method === 'GET' && request.url.includes(NAME))
          // ARM never answers: the request ends when the step's deadline aborts it.
          return new Promise((_, reject) => {
            const aborted = Object.assign(new Error('the request was aborted'), { name: 'AbortError' });
            request.abortSignal?.addEventListener('abort', () => reject(aborted));
          });
        const answer = await arm.httpClient.sendRequest(request);
        if (request.method === 'PUT' && request.url.includes(NAME)) put = true;
        return answer;
      },
    };
    const { driver, grant } = setUp(RELYING, stalledAfterPut, 2);
    await driver.prepare();
    arm.add(NAME, READER, SCOPE, { by: OBJECT_ID, description: `deploy ${CREATOR}` });
    const reliance = await driver.registerReliance(await driver.resolve(grant));
    expect(reliance).toMatchObject({
      kind: 'failed',
      saysFix: true,
      failureReason: expect.stringMatching(
        /^this run's reliance marker, written 1 time, was not seen on the grant before the 2s deadline \(`timeout-seconds`\) passed, ARM's answer to its last write or read-back still to come/,
      ),
    });
  });

  it('is registered once its marker reads back after another job’s write replaced it', async () => {
    let replaced = false;
    const overwrittenOnce: HttpClient = {
      sendRequest: async (request) => {
        const answer = await arm.httpClient.sendRequest(request);
        if (!replaced && request.method === 'PUT' && request.url.includes(NAME)) {
          replaced = true;
          arm.az.state.live().find((a) => a.name === NAME)!.description =
            `deploy ${CREATOR} [cloud-access:octo-org/octo-repo:run:3:1:r]`;
        }
        return answer;
      },
    };
    const { driver, grant } = setUp(RELYING, overwrittenOnce);
    await driver.prepare();
    arm.add(NAME, READER, SCOPE, { by: OBJECT_ID, description: `deploy ${CREATOR}` });
    expect(await driver.registerReliance(await driver.resolve(grant))).toMatchObject({ kind: 'done' });
    expect(descriptionNow()).toBe(
      `deploy ${CREATOR} [cloud-access:octo-org/octo-repo:run:3:1:r] [cloud-access:octo-org/octo-repo:run:2:1:r]`,
    );
  });

  it('has nothing to register for a step whose grants do not end with its run', async () => {
    const { driver, grant } = setUp(null);
    await driver.prepare();
    arm.add(NAME, READER, SCOPE, { description: CREATOR });
    expect(await driver.registerReliance(await driver.resolve(grant))).toBeUndefined();
    expect(arm.requests().filter((r) => !r.includes('roleDefinitions'))).toEqual([]);
  });
});

describe('stillOwn: the post step leaves what another run relies on or another identity wrote', () => {
  /** The assignment as this step's create left it: its name, its description, its identity. */
  async function created(change: { description?: (own: string) => string; updatedBy?: string } = {}) {
    const { driver, grant } = setUp(null);
    await driver.prepare();
    const ids = { ...(await driver.resolve(grant)), name: NAME };
    const own = arm.plan({
      principal: PRINCIPAL,
      target: SCOPE,
      role: READER,
      'revoke-on-exit': 'true',
    }).description;
    arm.add(NAME, READER, SCOPE, {
      by: OBJECT_ID,
      on: new Date(),
      description: change.description ? change.description(own) : own,
      ...(change.updatedBy ? { updatedBy: change.updatedBy } : {}),
    });
    return driver.stillOwn(ids);
  }

  it('revokes what is as it wrote it', async () => {
    expect(await created()).toEqual({ created: true });
  });

  it('leaves it, saying the sweep ends it, once a run registered its reliance', async () => {
    expect(
      await created({ description: (own) => `${own} [cloud-access:octo-org/octo-repo:run:2:1:r]` }),
    ).toEqual({
      created: false,
      why: 'relied on by run 2 attempt 1: the sweep ends it once every run that relies on it has ended',
    });
  });

  it('holds a create whose answer was lost to the same rule', async () => {
    const { driver, grant } = setUp(null);
    await driver.prepare();
    const ids = { ...(await driver.resolve(grant)), name: NAME };
    const { description } = arm.plan({
      principal: PRINCIPAL,
      target: SCOPE,
      role: READER,
      'revoke-on-exit': 'true',
    });
    arm.add(NAME, READER, SCOPE, {
      by: OBJECT_ID,
      on: new Date(),
      description: `${description} [cloud-access:octo-org/octo-repo:run:2:1:r]`,
    });
    expect(await driver.findOwnCreate(ids, Date.now() - 5_000)).toEqual({
      ownership: 'not-created',
      why: expect.stringMatching(/^relied on by run 2 attempt 1/),
    });
  });

  it('leaves it for a person once another identity wrote it', async () => {
    expect(await created({ updatedBy: OTHER })).toMatchObject({
      created: false,
      why: expect.stringContaining(`by ${OTHER} (updatedBy)`),
      mayBeOwn: true,
    });
    expect(await created({ description: () => 'edited' })).toMatchObject({ created: false, mayBeOwn: true });
  });
});
