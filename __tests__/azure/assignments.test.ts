// The Azure driver against a small in-memory ARM behind the SDK's transport (the real
// @azure/arm-authorization client builds and parses every request).
import { describe, expect, it } from '@jest/globals';
import { createHttpHeaders, type HttpClient, type PipelineRequest } from '@azure/core-rest-pipeline';
import { AzureRoleAssignmentDriver } from '../../src/azure/assignments.js';
import { createArmClients } from '../../src/azure/clients.js';
import { classifyAzureError } from '../../src/azure/errors.js';
import { ArmWritePacer } from '../../src/azure/pacing.js';
import { parseInputs, type AzureConfig } from '../../src/core/inputs/index.js';
import { createCallRunner } from '../../src/engine/calls.js';
import { Deadline } from '../../src/engine/deadline.js';
import { emptyStats } from '../../src/engine/driver.js';
import { waitForTerminalStatus } from '../../src/engine/poll.js';

const SUB = '11111111-1111-1111-1111-111111111111';
const SCOPE = `/subscriptions/${SUB}/resourceGroups/rg-app`;
const PRINCIPAL = 'ce2ce14e-85d7-4629-bdbc-454d0519d987';
const READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';
const ROLE_DEFINITIONS = '/providers/Microsoft.Authorization/roleDefinitions/';

interface Stored {
  id: string;
  name: string;
  properties: {
    scope: string;
    roleDefinitionId: string;
    principalId: string;
    principalType?: string;
    description?: string;
    createdBy?: string;
    createdOn?: string;
  };
}

/** The identity the driver signs in as (its token's `oid`), which ARM records as `createdBy`. */
const OBJECT_ID = '0f1e2d3c-4b5a-4697-8877-665544332211';
const token = (claims: object) =>
  `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.signature`;

/** Just enough of ARM's Microsoft.Authorization for the driver's calls. */
class FakeArm implements HttpClient {
  readonly assignments = new Map<string, Stored>();
  readonly requests: string[] = [];
  roleDefinitions: { id: string; roleName: string }[] = [
    { id: `/subscriptions/${SUB}${ROLE_DEFINITIONS}${READER}`, roleName: 'Reader' },
  ];
  /** PUTs answered with PrincipalNotFound before the principal "replicates". */
  principalNotFound = 0;
  /** GETs of a new assignment that still answer 404 (eventual consistency). */
  invisibleReads = 0;
  /** PUTs that are applied but whose answer is lost (the connection drops). */
  lostAnswers = 0;
  lastBody: unknown;

  async sendRequest(request: PipelineRequest) {
    const url = new URL(request.url);
    const path = decodeURIComponent(url.pathname);
    this.requests.push(`${request.method} ${path}`);
    const reply = (status: number, body?: unknown) => ({
      request,
      status,
      headers: createHttpHeaders({
        'content-type': 'application/json',
        'x-ms-request-id': `req-${this.requests.length}`,
      }),
      bodyAsText: body === undefined ? '' : JSON.stringify(body),
    });
    const error = (status: number, code: string) =>
      reply(status, { error: { code, message: `${code} (fake)` } });
    const filter = url.searchParams.get('$filter') ?? '';
    if (path.endsWith('/providers/Microsoft.Authorization/roleDefinitions')) {
      const name = /^roleName eq '(.*)'$/.exec(filter)?.[1]?.replace(/''/g, "'");
      const value = this.roleDefinitions
        .filter((d) => d.roleName === name)
        .map((d) => ({ id: d.id, properties: { roleName: d.roleName } }));
      return reply(200, { value });
    }
    if (path.endsWith('/providers/Microsoft.Authorization/roleAssignments')) {
      const principal = /^principalId eq '(.*)'$/.exec(filter)?.[1];
      return reply(200, {
        value: [...this.assignments.values()].filter((a) => a.properties.principalId === principal),
      });
    }
    const key = path.toLowerCase();
    const found = this.assignments.get(key);
    switch (request.method) {
      case 'GET':
        if (found && this.invisibleReads > 0) {
          this.invisibleReads--;
          return error(404, 'RoleAssignmentNotFound');
        }
        return found ? reply(200, found) : error(404, 'RoleAssignmentNotFound');
      case 'DELETE':
        if (!found) return reply(204);
        this.assignments.delete(key);
        return reply(200, found);
      case 'PUT': {
        const { properties } = JSON.parse(String(request.body)) as { properties: Stored['properties'] };
        this.lastBody = properties;
        if (found) return reply(200, found);
        if (this.principalNotFound > 0) {
          this.principalNotFound--;
          return error(400, 'PrincipalNotFound');
        }
        const scope = path.slice(0, path.indexOf('/providers/Microsoft.Authorization/'));
        const guid = properties.roleDefinitionId.split('/').pop();
        const duplicate = [...this.assignments.values()].some(
          (a) =>
            a.properties.scope === scope &&
            a.properties.principalId === properties.principalId &&
            a.properties.roleDefinitionId.endsWith(guid!),
        );
        if (duplicate) return error(409, 'RoleAssignmentExists');
        const stored: Stored = {
          id: path,
          name: path.split('/').pop()!,
          properties: {
            ...properties,
            scope,
            roleDefinitionId: `${ROLE_DEFINITIONS}${guid}`,
            createdBy: OBJECT_ID,
            createdOn: new Date().toISOString(),
          },
        };
        this.assignments.set(key, stored);
        if (this.lostAnswers > 0) {
          this.lostAnswers--;
          throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
        }
        return reply(201, stored);
      }
    }
    return error(400, 'Unexpected');
  }

  add(name: string, roleGuid = READER, scope = SCOPE, made: { by?: string; on?: Date } = {}): Stored {
    const id = `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`;
    const stored = {
      id,
      name,
      properties: {
        scope,
        roleDefinitionId: `${ROLE_DEFINITIONS}${roleGuid}`,
        principalId: PRINCIPAL,
        createdBy: made.by ?? '99999999-9999-4999-8999-999999999999',
        createdOn: (made.on ?? new Date(0)).toISOString(),
      },
    };
    this.assignments.set(id.toLowerCase(), stored);
    return stored;
  }
}

function setUp(inputs: Record<string, string> = {}, seconds = 30) {
  const plan = parseInputs(
    (name) => ({ cloud: 'azure', principal: PRINCIPAL, target: SCOPE, role: READER, ...inputs })[name] ?? '',
    {},
  ) as AzureConfig;
  const arm = new FakeArm();
  const deadline = new Deadline(seconds);
  const stats = emptyStats();
  const credential = {
    getToken: async () => ({ token: token({ oid: OBJECT_ID }), expiresOnTimestamp: Date.now() + 3_600_000 }),
  };
  const driver = new AzureRoleAssignmentDriver(plan, {
    clientFor: createArmClients(plan, credential, new ArmWritePacer(async () => {}), arm),
    credential,
    call: createCallRunner({ classify: classifyAzureError, deadline, stats }),
    stats,
    deadline,
  });
  return { plan, arm, driver, deadline, grant: plan.grants[0]! };
}

describe('resolve', () => {
  it('builds the role definition ID and a deterministic name that a re-run derives again', async () => {
    const { driver, grant } = setUp();
    const ids = await driver.resolve(grant);
    expect(ids).toMatchObject({
      principalId: PRINCIPAL,
      targetId: SCOPE,
      roleId: `/subscriptions/${SUB}${ROLE_DEFINITIONS}${READER}`,
    });
    expect(ids.name).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // The post step resolves the full role ID it saved: same name.
    expect((await driver.resolve({ ...grant, role: { kind: 'id', id: ids.roleId } })).name).toBe(ids.name);
  });

  it('uses assignment-name when given', async () => {
    const name = '05c5a614-a7d6-4502-b150-c2fb455033ff';
    const { driver, grant } = setUp({ 'assignment-name': name });
    expect((await driver.resolve(grant)).name).toBe(name);
  });

  it('looks a role name up once per scope', async () => {
    const { driver, arm, grant } = setUp({ role: 'Reader' });
    const [a, b] = await Promise.all([driver.resolve(grant), driver.resolve(grant)]);
    expect(a.roleId).toBe(`/subscriptions/${SUB}${ROLE_DEFINITIONS}${READER}`);
    expect(b.roleId).toBe(a.roleId);
    expect(arm.requests.filter((r) => r.endsWith('/roleDefinitions'))).toHaveLength(1);
  });

  it('says a role name was not found, and suggests the GUID', async () => {
    const { driver, grant } = setUp({ role: 'Readerr' });
    await expect(driver.resolve(grant)).rejects.toMatchObject({
      input: 'role',
      message: expect.stringContaining('`Readerr` was not found'),
      fix: expect.stringContaining('GUID'),
    });
  });

  it('lists the IDs when several roles have the name', async () => {
    const { driver, arm, grant } = setUp({ role: 'Reader' });
    arm.roleDefinitions.push({
      id: `/subscriptions/${SUB}${ROLE_DEFINITIONS}00000000-0000-0000-0000-00000000000a`,
      roleName: 'Reader',
    });
    await expect(driver.resolve(grant)).rejects.toMatchObject({
      message: expect.stringContaining('00000000-0000-0000-0000-00000000000a'),
    });
  });
});

describe('findExisting', () => {
  it('finds the assignment by its name with one GET', async () => {
    const { driver, arm, grant } = setUp();
    const ids = await driver.resolve(grant);
    const stored = arm.add(ids.name!);
    expect(await driver.findExisting(ids)).toEqual({ assignmentId: stored.id, name: ids.name });
    expect(arm.requests).toHaveLength(1);
  });

  it('finds one made under another name by listing the principal at the scope, matching role by GUID', async () => {
    const { driver, arm, grant } = setUp();
    arm.add('00000000-aaaa-bbbb-cccc-000000000001', 'b24988ac-6180-42a0-ab88-20f7382dd24c');
    arm.add('00000000-aaaa-bbbb-cccc-000000000002', READER, `/subscriptions/${SUB}`);
    const other = arm.add('00000000-aaaa-bbbb-cccc-000000000003');
    const ids = await driver.resolve(grant);
    expect(await driver.findExisting(ids)).toEqual({ assignmentId: other.id, name: other.name });
  });

  it('reports absence', async () => {
    const { driver, grant } = setUp();
    expect(await driver.findExisting(await driver.resolve(grant))).toBeUndefined();
  });
});

describe('create', () => {
  it('PUTs the name with principalType and description, and is done after two reads in a row see it', async () => {
    const { driver, arm, grant, deadline } = setUp();
    const ids = await driver.resolve(grant);
    const outcome = await driver.create(ids);
    if (outcome.kind !== 'pending') throw new Error(`expected pending, got ${outcome.kind}`);
    expect(outcome.request.requestId).toBe('req-1');
    expect(outcome.request.assignmentId).toBe(
      `${SCOPE}/providers/Microsoft.Authorization/roleAssignments/${ids.name}`,
    );
    expect(arm.lastBody).toMatchObject({
      roleDefinitionId: ids.roleId,
      principalId: PRINCIPAL,
      principalType: 'User',
      description: expect.stringContaining('cloud-access'),
    });
    arm.invisibleReads = 1;
    expect(await waitForTerminalStatus(() => outcome.request.poll(), { deadline })).toEqual({
      status: 'SUCCEEDED',
    });
    // One 404 while not yet visible, then two reads that agree.
    expect(arm.requests.filter((r) => r.startsWith('GET'))).toHaveLength(3);
  });

  it('treats 409 RoleAssignmentExists as already assigned, with the existing ID', async () => {
    const { driver, arm, grant } = setUp();
    const other = arm.add('00000000-aaaa-bbbb-cccc-000000000001');
    const outcome = await driver.create(await driver.resolve(grant));
    expect(outcome).toEqual({
      kind: 'done',
      changed: false,
      alreadyExisted: true,
      requestId: 'req-1',
      assignmentId: other.id,
    });
  });

  it('retries PrincipalNotFound while the principal replicates', async () => {
    const { driver, arm, grant } = setUp();
    arm.principalNotFound = 2;
    const outcome = await driver.create(await driver.resolve(grant));
    expect(outcome.kind).toBe('pending');
    expect(arm.requests.filter((r) => r.startsWith('PUT'))).toHaveLength(3);
    expect(driver.stats.retries).toBe(2);
  });

  it('gives up on PrincipalNotFound at the deadline, explaining replication and principal-type', async () => {
    const { driver, arm, grant } = setUp({}, 1);
    arm.principalNotFound = 1000;
    await expect(driver.create(await driver.resolve(grant))).rejects.toMatchObject({
      input: 'principal',
      message: expect.stringContaining('still not found'),
      fix: expect.stringContaining('principal-type'),
    });
  });
});

describe('remove', () => {
  it('DELETEs by ID and is done after two reads in a row miss it', async () => {
    const { driver, arm, grant, deadline } = setUp();
    const ids = await driver.resolve(grant);
    const stored = arm.add('00000000-aaaa-bbbb-cccc-000000000001');
    const outcome = await driver.remove(ids, { assignmentId: stored.id, name: stored.name });
    if (outcome.kind !== 'pending') throw new Error(`expected pending, got ${outcome.kind}`);
    expect(arm.requests[0]).toBe(`DELETE ${stored.id}`);
    expect(await waitForTerminalStatus(() => outcome.request.poll(), { deadline })).toEqual({
      status: 'SUCCEEDED',
    });
  });

  it('treats 204 (already gone) as done without change', async () => {
    const { driver, grant } = setUp();
    const ids = await driver.resolve(grant);
    expect(await driver.remove(ids, undefined)).toMatchObject({
      kind: 'done',
      changed: false,
      alreadyExisted: true,
    });
  });
});

describe("ownership: only ARM's word makes an assignment this step's", () => {
  it('a PUT answered 200 at the first attempt was there already: not created, and says why', async () => {
    const { driver, arm, grant } = setUp();
    await driver.prepare();
    const ids = await driver.resolve(grant);
    arm.add(ids.name!, READER, SCOPE, { by: OBJECT_ID, on: new Date() });
    const outcome = await driver.create(ids);
    expect(outcome).toMatchObject({ kind: 'done', changed: false, alreadyExisted: true });
    expect(outcome.kind === 'done' && outcome.note).toContain('ARM answered 200');
  });

  it("a 201 is the step's at once", async () => {
    const { driver, grant } = setUp();
    await driver.prepare();
    const outcome = await driver.create(await driver.resolve(grant));
    expect(outcome.kind === 'pending' && outcome.request.createdOnAcceptance).toBe(true);
  });

  it("a 200 after an attempt whose answer was lost is the step's when ARM records it made it", async () => {
    const { driver, arm, grant } = setUp();
    await driver.prepare();
    arm.lostAnswers = 1;
    const outcome = await driver.create(await driver.resolve(grant));
    expect(arm.requests.filter((r) => r.startsWith('PUT'))).toHaveLength(2);
    expect(outcome.kind === 'pending' && outcome.request.createdOnAcceptance).toBe(true);
  });

  it("a 200 after a lost answer is not the step's when someone else made it before the step began", async () => {
    const { driver, arm, grant } = setUp();
    await driver.prepare();
    const ids = await driver.resolve(grant);
    arm.add(ids.name!);
    arm.sendRequest = ((send) =>
      async function (this: FakeArm, request: PipelineRequest) {
        if (request.method === 'PUT' && arm.requests.filter((r) => r.startsWith('PUT')).length === 0) {
          arm.requests.push(`PUT ${request.url}`);
          throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
        }
        return send.call(arm, request);
      })(arm.sendRequest);
    const outcome = await driver.create(ids);
    expect(outcome).toMatchObject({ kind: 'done', changed: false });
  });

  it('post step: a lost create is found by its name, creator and time', async () => {
    const { driver, arm, grant } = setUp();
    await driver.prepare();
    const ids = await driver.resolve(grant);
    const since = Date.now() - 1000;
    arm.add(ids.name!, READER, SCOPE, { by: OBJECT_ID, on: new Date() });
    expect(await driver.findOwnCreate(ids, since)).toEqual({ ownership: 'created' });
  });

  it('post step: an assignment under that name made by another identity, or before the step, is left alone', async () => {
    const { driver, arm, grant } = setUp();
    await driver.prepare();
    const ids = await driver.resolve(grant);
    arm.add(ids.name!, READER, SCOPE, { on: new Date() });
    expect(await driver.findOwnCreate(ids, Date.now() - 1000)).toMatchObject({ ownership: 'not-created' });
    arm.add(ids.name!, READER, SCOPE, { by: OBJECT_ID, on: new Date(Date.now() - 60_000) });
    const earlier = await driver.findOwnCreate(ids, Date.now() - 1000);
    expect(earlier).toMatchObject({ ownership: 'not-created' });
    expect(earlier.ownership === 'not-created' && earlier.why).toContain('not by this step');
  });

  it("post step: nothing under that name is not the step's", async () => {
    const { driver, grant } = setUp({}, 2);
    await driver.prepare();
    const found = await driver.findOwnCreate(await driver.resolve(grant), Date.now());
    expect(found).toMatchObject({ ownership: 'not-created' });
  });
});
