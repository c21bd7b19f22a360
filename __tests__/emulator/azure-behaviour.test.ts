// The Azure emulator's behaviours the action relies on: Entra's federated token exchange and its
// AADSTS errors, and ARM's role assignment semantics, quotas and consistency.
import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createJwtIssuer, decodeJwtClaims } from '../../emulator/common/jwt.js';
import { CONTRIBUTOR, READER, startTestBed, type AzureTestBed } from './azure-helpers.js';

let bed: AzureTestBed;
beforeAll(async () => {
  bed = await startTestBed();
});
afterAll(() => bed.az.close());
beforeEach(() => {
  bed.az.reset();
  bed.requests.length = 0;
});

const sub = () => `/subscriptions/${bed.az.subscriptionId}`;
const assignmentPath = (scope: string, name: string) =>
  `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`;
const NAME = '11111111-2222-4333-8444-555555555555';
const create = (
  scope: string,
  principalId: string,
  extra: Record<string, unknown> = {},
  name = NAME,
  token?: string,
) =>
  bed.arm('PUT', assignmentPath(scope, name), {
    body: {
      properties: {
        roleDefinitionId: `${sub()}/providers/Microsoft.Authorization/roleDefinitions/${READER}`,
        principalId,
        ...extra,
      },
    },
    ...(token ? { token } : {}),
  });
const principal = (type: 'User' | 'Group' | 'ServicePrincipal' = 'User') =>
  bed.az.addPrincipal({ type, createdAt: 0 });

describe('Entra token exchange (workload identity federation)', () => {
  it('serves OpenID metadata whose issuer has the authority host, as MSAL requires', async () => {
    const res = await bed.https(
      'GET',
      `${bed.az.authorityHost}/${bed.az.tenantId}/v2.0/.well-known/openid-configuration`,
    );
    expect(res.status).toBe(200);
    expect(new URL(res.json.issuer).origin).toBe(bed.az.authorityHost);
    expect(res.json.token_endpoint).toBe(`${bed.az.authorityHost}/${bed.az.tenantId}/oauth2/v2.0/token`);
    expect(res.json).toHaveProperty('authorization_endpoint');
    expect(res.json).toHaveProperty('jwks_uri');
  });

  it('exchanges a GitHub OIDC token matching the federated credential for an ARM access token', async () => {
    const res = await bed.tokenRequest();
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ token_type: 'Bearer', expires_in: 3600, ext_expires_in: 3600 });
    const claims = decodeJwtClaims(res.json.access_token)!;
    expect(claims).toMatchObject({
      aud: 'https://management.azure.com/',
      iss: `https://sts.windows.net/${bed.az.tenantId}/`,
      tid: bed.az.tenantId,
      oid: bed.az.objectId,
      appid: bed.az.clientId,
    });
    expect(bed.az.issuedAccessTokens).toEqual([res.json.access_token]);
  });

  it('accepts the ARM endpoint itself as the resource (`resource-manager-endpoint` + /.default)', async () => {
    const res = await bed.tokenRequest({ scope: `${bed.az.resourceManagerEndpoint}/.default` });
    expect(res.status).toBe(200);
  });

  const other = createJwtIssuer();
  it.each([
    [
      'AADSTS700213 for a subject no federated credential has',
      () => ({ client_assertion: bed.githubToken({ sub: 'repo:octo-org/octo-repo:pull_request' }) }),
      undefined,
      401,
      700213,
      "subject 'repo:octo-org/octo-repo:pull_request'",
    ],
    [
      'AADSTS700211 for another issuer',
      () => ({ client_assertion: bed.githubToken({ iss: 'https://example.com' }) }),
      undefined,
      401,
      700211,
      "issuer 'https://example.com'",
    ],
    [
      'AADSTS700212 for another audience',
      () => ({ client_assertion: bed.githubToken({ aud: 'sts.amazonaws.com' }) }),
      undefined,
      401,
      700212,
      "audience 'sts.amazonaws.com'",
    ],
    [
      'AADSTS700016 for an unknown application',
      () => ({ client_id: '0f0f0f0f-1111-4222-8333-444444444444' }),
      undefined,
      400,
      700016,
      "identifier '0f0f0f0f-1111-4222-8333-444444444444' was not found in the directory",
    ],
    [
      'AADSTS700024 for an expired assertion',
      () => ({
        client_assertion: bed.githubToken({ iat: 1_700_000_000, nbf: 1_700_000_000, exp: 1_700_000_300 }),
      }),
      undefined,
      401,
      700024,
      'not within its valid time range',
    ],
    [
      'AADSTS90002 for an unknown tenant',
      () => ({}),
      '00000000-0000-0000-0000-00000000dead',
      400,
      90002,
      "Tenant '00000000-0000-0000-0000-00000000dead' not found",
    ],
    [
      'AADSTS50027 for an assertion that is not a JWT',
      () => ({ client_assertion: 'not-a-jwt' }),
      undefined,
      400,
      50027,
      'invalid or malformed',
    ],
    [
      'AADSTS50027 for an assertion signed by another key',
      () => ({
        client_assertion: other.sign({
          iss: 'https://token.actions.githubusercontent.com',
          sub: 'repo:octo-org/octo-repo:ref:refs/heads/main',
          aud: 'api://AzureADTokenExchange',
          exp: Math.floor(Date.now() / 1000) + 300,
        }),
      }),
      undefined,
      400,
      50027,
      'invalid or malformed',
    ],
  ])('answers %s', async (_name, fields, tenant, status, code, text) => {
    const res = await bed.tokenRequest(fields(), tenant);
    expect(res.status).toBe(status);
    expect(res.json.error_codes).toEqual([code]);
    expect(res.json.error_description).toMatch(new RegExp(`^AADSTS${code}: `));
    expect(res.json.error_description).toContain(text);
    expect(res.json.error_description).toMatch(
      /\r\nTrace ID: [0-9a-f-]{36}\r\nCorrelation ID: [0-9a-f-]{36}\r\nTimestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/,
    );
    expect(res.json).toEqual(
      expect.objectContaining({
        timestamp: expect.any(String),
        trace_id: expect.any(String),
        correlation_id: expect.any(String),
        error_uri: expect.stringContaining(`code=${code}`),
      }),
    );
    expect(bed.az.issuedAccessTokens).toEqual([]);
  });

  it('answers 5xx for the next `entraServerErrors` token requests, then recovers', async () => {
    bed.az.faults.entraServerErrors = 2;
    expect((await bed.tokenRequest()).status).toBe(503);
    expect((await bed.tokenRequest()).status).toBe(500);
    expect((await bed.tokenRequest()).status).toBe(200);
  });
});

describe('ARM authentication', () => {
  it('refuses a request without a token, with an expired token, or for another audience', async () => {
    const none = await bed.arm('GET', assignmentPath(sub(), NAME), { token: null });
    expect([none.status, none.json.error.code]).toEqual([401, 'AuthenticationFailed']);
    const now = Math.floor(Date.now() / 1000);
    const base = {
      iss: `https://sts.windows.net/${bed.az.tenantId}/`,
      oid: bed.az.objectId,
      tid: bed.az.tenantId,
    };
    const expired = await bed.arm('GET', assignmentPath(sub(), NAME), {
      token: bed.az.signAccessToken({ ...base, aud: 'https://management.azure.com/', exp: now - 60 }),
    });
    expect([expired.status, expired.json.error.code]).toEqual([401, 'ExpiredAuthenticationToken']);
    expect(expired.json.error.message).toMatch(
      /^The access token expiry UTC time '.+' is earlier than current UTC time '.+'\.$/,
    );
    const audience = await bed.arm('GET', assignmentPath(sub(), NAME), {
      token: bed.az.signAccessToken({ ...base, aud: 'https://graph.microsoft.com', exp: now + 60 }),
    });
    expect([audience.status, audience.json.error.code]).toEqual([401, 'InvalidAuthenticationTokenAudience']);
    const forged = await bed.arm('GET', assignmentPath(sub(), NAME), {
      token: createJwtIssuer().sign({ ...base, aud: 'https://management.azure.com/', exp: now + 60 }),
    });
    expect([forged.status, forged.json.error.code]).toEqual([401, 'InvalidAuthenticationToken']);
  });

  it('answers 400 for another api-version and 404 SubscriptionNotFound for an unknown subscription', async () => {
    const version = await bed.arm('GET', `${assignmentPath(sub(), NAME)}?api-version=2020-10-01-preview`);
    expect([version.status, version.json.error.code]).toEqual([400, 'NoRegisteredProviderFound']);
    const unknown = await bed.arm(
      'GET',
      assignmentPath('/subscriptions/99999999-9999-4999-8999-999999999999', NAME),
    );
    expect([unknown.status, unknown.json.error.code]).toEqual([404, 'SubscriptionNotFound']);
  });
});

describe('creating role assignments', () => {
  it('creates (201), answers 200 for the identical PUT, and echoes the tenant-level role definition ID', async () => {
    const p = principal();
    const first = await create(sub(), p, { principalType: 'User' });
    expect(first.status).toBe(201);
    expect(first.json.properties).toMatchObject({
      roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${READER}`,
      principalId: p,
      scope: sub(),
    });
    expect(first.headers['x-ms-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.headers['x-ms-correlation-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.headers['x-ms-ratelimit-remaining-subscription-writes']).toBe('199');
    expect((await create(sub(), p, { principalType: 'User' })).status).toBe(200);
    expect(
      bed.requests.filter((r) => r.operation === 'RoleAssignments_Create').map((r) => [r.status, r.write]),
    ).toEqual([
      [201, true],
      [200, true],
    ]);
  });

  it('keeps createdBy and records the writer in updatedBy when another identity PUTs the same assignment (an edited description)', async () => {
    const p = principal();
    const made = await create(sub(), p, { description: 'ours' });
    expect(made.status).toBe(201);
    expect(made.json.properties.createdBy).toBe(made.json.properties.updatedBy);
    const subject = 'repo:octo-org/editor:ref:refs/heads/main';
    const editor = bed.az.addApp({
      federatedSubjects: [subject],
      roleAtScopes: [{ scope: sub(), role: 'Owner' }],
    });
    const token = await bed.accessToken(editor.clientId, subject);
    const edited = await create(sub(), p, { description: 'edited' }, NAME, token);
    expect(edited.status).toBe(200);
    expect(edited.json.properties).toMatchObject({
      description: 'edited',
      createdBy: made.json.properties.createdBy,
      createdOn: made.json.properties.createdOn,
      updatedBy: editor.objectId,
    });
    expect(Date.parse(edited.json.properties.updatedOn)).toBeGreaterThanOrEqual(
      Date.parse(made.json.properties.createdOn),
    );
  });

  it('answers 409 RoleAssignmentExists with the existing ID when another name holds the same assignment', async () => {
    const p = principal();
    const existing = bed.az.addRoleAssignment({
      scope: sub(),
      roleDefinitionId: READER,
      principalId: p,
      name: '00000000-aaaa-bbbb-cccc-000000000001',
    });
    const res = await create(sub(), p);
    expect(res.status).toBe(409);
    expect(res.json.error).toEqual({
      code: 'RoleAssignmentExists',
      message:
        'The role assignment already exists. The ID of the existing role assignment is 00000000aaaabbbbcccc000000000001.',
    });
    expect(existing.name).toBe('00000000-aaaa-bbbb-cccc-000000000001');
  });

  it('answers 409 RoleAssignmentUpdateNotPermitted when the name holds another principal', async () => {
    expect((await create(sub(), principal())).status).toBe(201);
    const res = await create(sub(), principal());
    expect([res.status, res.json.error.code]).toEqual([409, 'RoleAssignmentUpdateNotPermitted']);
    expect(res.json.error.message).toBe(
      'Tenant ID, application ID, principal ID, and scope are not allowed to be updated.',
    );
  });

  it('answers PrincipalNotFound while a new principal replicates, and succeeds after', async () => {
    bed.az.config.principalReplicationDelayMs = 400;
    const p = bed.az.addPrincipal({ type: 'ServicePrincipal' });
    const early = await create(sub(), p, { principalType: 'ServicePrincipal' });
    expect([early.status, early.json.error.code]).toEqual([400, 'PrincipalNotFound']);
    expect(early.json.error.message).toBe(
      `Principal ${p.replace(/-/g, '')} does not exist in the directory ${bed.az.tenantId}. Check that you have the correct principal ID. If you are creating this principal and then immediately assigning a role, this error might be related to a replication delay. In this case, set the role assignment principalType property to a value, such as ServicePrincipal, User, or Group. See https://aka.ms/docs-principaltype`,
    );
    await sleep(450);
    expect((await create(sub(), p, { principalType: 'ServicePrincipal' })).status).toBe(201);
  });

  it('answers PrincipalNotFound for an unknown principal and UnmatchedPrincipalType for a wrong type', async () => {
    const unknown = await create(sub(), '12345678-1234-4234-8234-123456789012');
    expect(unknown.json.error.code).toBe('PrincipalNotFound');
    const wrong = await create(sub(), principal('Group'), { principalType: 'User' });
    expect([wrong.status, wrong.json.error.code]).toEqual([400, 'UnmatchedPrincipalType']);
    const invalid = await create(sub(), 'alice');
    expect([invalid.status, invalid.json.error.code]).toEqual([400, 'InvalidPrincipalId']);
  });

  it('validates the name, the role definition and the condition', async () => {
    const p = principal();
    expect((await create(sub(), p, {}, 'not-a-guid')).json.error.code).toBe('InvalidRoleAssignmentId');
    expect((await create(sub(), p, { roleDefinitionId: 'Reader' })).json.error).toEqual({
      code: 'InvalidRoleDefinitionId',
      message: "The role definition ID 'Reader' is not valid.",
    });
    expect(
      (
        await create(sub(), p, {
          roleDefinitionId:
            '/providers/Microsoft.Authorization/roleDefinitions/00000000-0000-4000-8000-000000000000',
        })
      ).json.error.code,
    ).toBe('RoleDefinitionDoesNotExist');
    expect(
      (await create(sub(), p, { condition: "@Resource[x] StringEquals 'y'", conditionVersion: '1.0' })).json
        .error.code,
    ).toBe('InvalidConditionVersion');
    const ok = await create(sub(), p, {
      condition: "@Resource[x] StringEquals 'y'",
      conditionVersion: '2.0',
      description: 'why',
    });
    expect(ok.status).toBe(201);
    expect(ok.json.properties).toMatchObject({ conditionVersion: '2.0', description: 'why' });
  });

  it('sets a condition without a version to version 2.0 (conditions-role-assignments-rest, Add a condition)', async () => {
    const res = await create(sub(), principal(), { condition: "@Resource[x] StringEquals 'y'" });
    expect(res.status).toBe(201);
    expect(res.json.properties).toMatchObject({
      condition: "@Resource[x] StringEquals 'y'",
      conditionVersion: '2.0',
    });
  });
  it('tolerates a scope with a leading slash, doubled slashes and lower-case resourcegroups', async () => {
    const p = principal();
    const res = await bed.arm(
      'PUT',
      `//subscriptions/${bed.az.subscriptionId}/resourcegroups/rg-app//providers/microsoft.authorization/roleAssignments/${NAME}`,
      {
        body: { properties: { roleDefinitionId: READER, principalId: p } },
      },
    );
    expect(res.status).toBe(201);
    expect(res.json.properties.scope).toBe(`${sub()}/resourceGroups/rg-app`);
    expect(bed.az.findRoleAssignment(`${sub()}/resourceGroups/rg-app`, p, READER)).toBeDefined();
  });

  it('answers 404 ResourceGroupNotFound in a resource group that does not exist, as ARM does, and 201 once it is made', async () => {
    const p = principal();
    for (const scope of [
      `${sub()}/resourceGroups/rg-nowhere`,
      `${sub()}/resourceGroups/rg-nowhere/providers/Microsoft.Storage/storageAccounts/st1`,
    ]) {
      const res = await create(scope, p);
      expect([res.status, res.json.error]).toEqual([
        404,
        { code: 'ResourceGroupNotFound', message: "Resource group 'rg-nowhere' could not be found." },
      ]);
    }
    expect(bed.az.roleAssignments().filter((a) => a.properties.principalId === p)).toEqual([]);
    // Resource group names are case-insensitive in ARM.
    bed.az.addResourceGroup('RG-Nowhere');
    expect((await create(`${sub()}/resourceGroups/rg-nowhere`, p)).status).toBe(201);
  });
});

describe('authorization', () => {
  it('answers 403 AuthorizationFailed (x-ms-failure-cause: gateway) to a caller with only Reader', async () => {
    const app = bed.az.addApp({
      federatedSubjects: ['repo:octo-org/reader:ref:refs/heads/main'],
      roleAtScopes: [{ scope: sub(), role: 'Reader' }],
    });
    const token = await bed.accessToken(app.clientId, 'repo:octo-org/reader:ref:refs/heads/main');
    const res = await create(sub(), principal(), {}, NAME, token);
    expect(res.status).toBe(403);
    expect(res.headers['x-ms-failure-cause']).toBe('gateway');
    expect(res.json.error).toEqual({
      code: 'AuthorizationFailed',
      message: `The client '${app.clientId}' with object id '${app.objectId}' does not have authorization to perform action 'Microsoft.Authorization/roleAssignments/write' over scope '${assignmentPath(sub(), NAME)}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    });
    // Reader still reads.
    expect(
      (await bed.arm('GET', `${sub()}/providers/Microsoft.Authorization/roleAssignments`, { token })).status,
    ).toBe(200);
  });

  it('lets Owner and Role Based Access Control Administrator write, and not Contributor', async () => {
    const tokenWith = async (role: string, n: number) => {
      const subject = `repo:octo-org/app${n}:ref:refs/heads/main`;
      const app = bed.az.addApp({ federatedSubjects: [subject], roleAtScopes: [{ scope: sub(), role }] });
      return bed.accessToken(app.clientId, subject);
    };
    const cases: [role: string, status: number][] = [
      ['Owner', 201],
      ['Role Based Access Control Administrator', 201],
      ['Contributor', 403],
    ];
    for (const [i, [role, status]] of cases.entries()) {
      const name = `${i + 2}1111111-2222-4333-8444-555555555555`;
      const token = await tokenWith(role, i + 1);
      bed.az.addResourceGroup('rg');
      expect((await create(`${sub()}/resourceGroups/rg`, principal(), {}, name, token)).status).toBe(status);
    }
  });

  it('answers 403 for the actions in faults.authorizationFailed whatever the role', async () => {
    bed.az.faults.authorizationFailed = ['Microsoft.Authorization/roleAssignments/write'];
    expect((await create(sub(), principal())).json.error.code).toBe('AuthorizationFailed');
  });
});

describe('reading and deleting', () => {
  it('gets one assignment, and answers 404 RoleAssignmentNotFound for another', async () => {
    const p = principal();
    await create(sub(), p);
    expect((await bed.arm('GET', assignmentPath(sub(), NAME))).json.properties.principalId).toBe(p);
    const missing = await bed.arm('GET', assignmentPath(sub(), '99999999-2222-4333-8444-555555555555'));
    expect([missing.status, missing.json.error.code]).toEqual([404, 'RoleAssignmentNotFound']);
  });

  it('deletes with 200 and the deleted body, and answers 204 when it is absent', async () => {
    await create(sub(), principal());
    const deleted = await bed.arm('DELETE', assignmentPath(sub(), NAME));
    expect(deleted.status).toBe(200);
    expect(deleted.json.name).toBe(NAME);
    const again = await bed.arm('DELETE', assignmentPath(sub(), NAME));
    expect([again.status, again.text]).toEqual([204, '']);
    expect(again.headers['x-ms-ratelimit-remaining-subscription-deletes']).toBe('198');
  });

  it('filters by principalId at, above and below the scope, and atScope() at or above', async () => {
    const p = principal();
    const rg = `${sub()}/resourceGroups/rg-data`;
    bed.az.addRoleAssignment({ scope: sub(), roleDefinitionId: READER, principalId: p });
    bed.az.addRoleAssignment({ scope: rg, roleDefinitionId: CONTRIBUTOR, principalId: p });
    bed.az.addRoleAssignment({
      scope: `${rg}/providers/Microsoft.Storage/storageAccounts/logs`,
      roleDefinitionId: READER,
      principalId: p,
    });
    bed.az.addRoleAssignment({ scope: rg, roleDefinitionId: READER, principalId: principal() });
    const list = async (scope: string, filter: string) =>
      (
        await bed.arm(
          'GET',
          `${scope}/providers/Microsoft.Authorization/roleAssignments?$filter=${encodeURIComponent(filter)}`,
        )
      ).json.value.map((a: { properties: { scope: string } }) => a.properties.scope);
    expect(await list(rg, `principalId eq '${p}'`)).toEqual([
      sub(),
      rg,
      `${rg}/providers/Microsoft.Storage/storageAccounts/logs`,
    ]);
    expect(await list(rg, `atScope() and assignedTo('${p}')`)).toEqual([sub(), rg]);
    const bad = await bed.arm(
      'GET',
      `${rg}/providers/Microsoft.Authorization/roleAssignments?$filter=${encodeURIComponent('roleName eq 1')}`,
    );
    expect(bad.status).toBe(400);
  });

  it('pages lists with nextLink', async () => {
    bed.az.config.pageSize = 2;
    const p = principal();
    for (const rg of ['a', 'b', 'c'])
      bed.az.addRoleAssignment({
        scope: `${sub()}/resourceGroups/${rg}`,
        roleDefinitionId: READER,
        principalId: p,
      });
    const first = await bed.arm(
      'GET',
      `${sub()}/providers/Microsoft.Authorization/roleAssignments?$filter=${encodeURIComponent(`principalId eq '${p}'`)}`,
    );
    expect(first.json.value).toHaveLength(2);
    const next = new URL(first.json.nextLink);
    expect(next.origin).toBe(bed.az.resourceManagerEndpoint);
    const second = await bed.arm('GET', next.pathname + next.search);
    expect(second.json.value).toHaveLength(1);
    expect(second.json.nextLink).toBeUndefined();
  });

  it('finds role definitions by name, including two custom roles with the same name at different scopes', async () => {
    const byName = async (scope: string, name: string) =>
      (
        await bed.arm(
          'GET',
          `${scope}/providers/Microsoft.Authorization/roleDefinitions?$filter=${encodeURIComponent(`roleName eq '${name}'`)}`,
        )
      ).json.value;
    const [reader] = await byName(sub(), 'Storage Blob Data Reader');
    expect(reader).toMatchObject({
      id: `${sub()}/providers/Microsoft.Authorization/roleDefinitions/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1`,
      properties: { type: 'BuiltInRole', assignableScopes: ['/'] },
    });
    bed.az.addRoleDefinition({ roleName: 'Deployer', assignableScopes: [sub()] });
    bed.az.addRoleDefinition({ roleName: 'Deployer', assignableScopes: [`${sub()}/resourceGroups/rg-app`] });
    expect(await byName(sub(), 'Deployer')).toHaveLength(1);
    expect(await byName(`${sub()}/resourceGroups/rg-app`, 'deployer')).toHaveLength(2);
    const one = await bed.arm('GET', `${sub()}/providers/Microsoft.Authorization/roleDefinitions/${READER}`);
    expect(one.json.properties.roleName).toBe('Reader');
    expect(
      (await bed.arm('GET', `${sub()}/providers/Microsoft.Authorization/roleDefinitions/roleDefinitionId`))
        .json.error.code,
    ).toBe('InvalidRoleDefinitionId');
  });
});

describe('throttling', () => {
  it('answers 429 with Retry-After when the write bucket is empty, and counts down the remaining header', async () => {
    bed.az.config.writes = { capacity: 2, refillPerSecond: 0.5 };
    const names = [
      'a1111111-2222-4333-8444-555555555555',
      'b1111111-2222-4333-8444-555555555555',
      'c1111111-2222-4333-8444-555555555555',
    ];
    const results = [];
    for (const name of names) results.push(await create(sub(), principal(), {}, name));
    expect(results.map((r) => r.status)).toEqual([201, 201, 429]);
    expect(results.map((r) => r.headers['x-ms-ratelimit-remaining-subscription-writes'])).toEqual([
      '1',
      '0',
      '0',
    ]);
    expect(results[2]!.headers['retry-after']).toBe('2');
    expect(results[2]!.json.error.code).toBe('SubscriptionRequestsThrottled');
    // Reads have their own bucket.
    expect((await bed.arm('GET', assignmentPath(sub(), names[0]!))).status).toBe(200);
  });

  it('injects 429s with or without Retry-After', async () => {
    bed.az.faults.throttleRate = 1;
    const withHeader = await bed.arm('GET', assignmentPath(sub(), NAME));
    expect([withHeader.status, withHeader.headers['retry-after']]).toEqual([429, '1']);
    bed.az.faults.throttleWithoutRetryAfter = true;
    const without = await bed.arm('GET', assignmentPath(sub(), NAME));
    expect([without.status, without.headers['retry-after']]).toEqual([429, undefined]);
  });

  it('injects 500/503 and connection resets', async () => {
    bed.az.faults.serverErrorRate = 1;
    expect([500, 503]).toContain((await bed.arm('GET', assignmentPath(sub(), NAME))).status);
    bed.az.faults.serverErrorRate = 0;
    bed.az.faults.resetRate = 1;
    await expect(bed.arm('GET', assignmentPath(sub(), NAME))).rejects.toThrow(/socket hang up|ECONNRESET/);
  });
});

describe('eventual consistency', () => {
  it('hides a new assignment from reads for readAfterWriteDelayMs, and shows a deleted one as long', async () => {
    bed.az.config.readAfterWriteDelayMs = 300;
    const p = principal();
    expect((await create(sub(), p)).status).toBe(201);
    expect((await bed.arm('GET', assignmentPath(sub(), NAME))).status).toBe(404);
    // Writes see it at once.
    expect((await create(sub(), p)).status).toBe(200);
    await sleep(350);
    expect((await bed.arm('GET', assignmentPath(sub(), NAME))).status).toBe(200);
    expect((await bed.arm('DELETE', assignmentPath(sub(), NAME))).status).toBe(200);
    expect((await bed.arm('GET', assignmentPath(sub(), NAME))).status).toBe(200);
    await sleep(350);
    expect((await bed.arm('GET', assignmentPath(sub(), NAME))).status).toBe(404);
  });
});

describe('assignments someone else wrote moments ago (addRoleAssignment hiddenForMs)', () => {
  it('exist for writes (200 for the same name, 409 for another) but reads do not show them yet', async () => {
    const p = principal();
    bed.az.addRoleAssignment({
      scope: sub(),
      roleDefinitionId: READER,
      principalId: p,
      name: NAME,
      hiddenForMs: 60_000,
    });
    const list = () =>
      bed.arm(
        'GET',
        `${sub()}/providers/Microsoft.Authorization/roleAssignments?$filter=${encodeURIComponent(`principalId eq '${p}'`)}`,
      );
    expect((await bed.arm('GET', assignmentPath(sub(), NAME))).status).toBe(404);
    expect((await list()).json.value).toEqual([]);
    expect(bed.az.findRoleAssignment(sub(), p, READER)).toBeDefined();
    const same = await create(sub(), p);
    expect([same.status, same.json.name]).toEqual([200, NAME]);
    const other = await create(sub(), p, {}, '22222222-3333-4444-8555-666666666666');
    expect([other.status, other.json.error.code]).toEqual([409, 'RoleAssignmentExists']);
    // The emulator's clock a minute on (not a wait: the test does not depend on the machine's speed).
    const now = Date.now;
    jest.spyOn(Date, 'now').mockImplementation(() => now() + 60_000);
    try {
      expect((await bed.arm('GET', assignmentPath(sub(), NAME))).status).toBe(200);
      expect((await list()).json.value).toHaveLength(1);
    } finally {
      jest.restoreAllMocks();
    }
  });
});

describe('assignments reads do not show for a number of reads (addRoleAssignment hiddenForReads)', () => {
  it('the next reads that would show one do not, each counted; other reads count nothing; then every read shows it', async () => {
    const p = principal();
    bed.az.addRoleAssignment({
      scope: sub(),
      roleDefinitionId: READER,
      principalId: p,
      name: NAME,
      hiddenForReads: 2,
    });
    const list = (who: string) =>
      bed.arm(
        'GET',
        `${sub()}/providers/Microsoft.Authorization/roleAssignments?$filter=${encodeURIComponent(`principalId eq '${who}'`)}`,
      );
    // A read that would not show it anyway (another principal's list) counts nothing.
    expect((await list(principal())).json.value).toEqual([]);
    expect((await bed.arm('GET', assignmentPath(sub(), NAME))).status).toBe(404);
    expect((await list(p)).json.value).toEqual([]);
    const other = await create(sub(), p, {}, '22222222-3333-4444-8555-666666666666');
    expect([other.status, other.json.error.code]).toEqual([409, 'RoleAssignmentExists']);
    expect((await list(p)).json.value).toHaveLength(1);
    expect((await bed.arm('GET', assignmentPath(sub(), NAME))).status).toBe(200);
  });
});

describe('injected ARM errors (faults.armFailures)', () => {
  it('answers matching requests with the given status and error body, `times` times', async () => {
    bed.az.faults.armFailures = [
      {
        method: 'PUT',
        pathIncludes: '/providers/microsoft.authorization/roleassignments/',
        status: 400,
        code: 'InvalidRoleAssignment',
        message: 'x\n::warning::pwned',
        times: 1,
      },
    ];
    const p = principal();
    // A GET does not match the method.
    expect((await bed.arm('GET', assignmentPath(sub(), NAME))).status).toBe(404);
    const refused = await create(sub(), p);
    expect(refused.status).toBe(400);
    expect(refused.json).toEqual({
      error: { code: 'InvalidRoleAssignment', message: 'x\n::warning::pwned' },
    });
    expect(refused.headers['x-ms-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(bed.az.findRoleAssignment(sub(), p, READER)).toBeUndefined();
    expect(bed.requests.at(-1)).toMatchObject({
      operation: 'RoleAssignments_Create',
      status: 400,
      errorCode: 'InvalidRoleAssignment',
    });
    // `times` is used up: the next one is answered as usual.
    expect((await create(sub(), p)).status).toBe(201);
  });

  it('without method, path or times, answers every authenticated request; reset() clears them', async () => {
    bed.az.faults.armFailures = [{ status: 503, code: 'ServiceUnavailable', message: 'down' }];
    for (let i = 0; i < 2; i++)
      expect((await bed.arm('GET', assignmentPath(sub(), NAME))).json.error.code).toBe('ServiceUnavailable');
    expect((await bed.arm('GET', assignmentPath(sub(), NAME), { token: null })).status).toBe(401);
    bed.az.reset();
    expect(bed.az.faults.armFailures).toEqual([]);
  });
});

describe('updating a role assignment in place (RoleAssignments_Create is "create or update")', () => {
  const A = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'a'";
  const B = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'b'";

  it('a PUT to the same name with another condition and description updates it: 200, same ID, kept exactly', async () => {
    const p = principal();
    const first = await create(sub(), p, { principalType: 'User', description: 'd1' });
    expect(first.status).toBe(201);
    const updated = await create(sub(), p, {
      principalType: 'User',
      description: 'd2',
      condition: `${A}  `,
      conditionVersion: '2.0',
    });
    expect(updated.status).toBe(200);
    expect(updated.json.id).toBe(first.json.id);
    // Stored as sent, white space included.
    expect(updated.json.properties).toMatchObject({
      condition: `${A}  `,
      conditionVersion: '2.0',
      description: 'd2',
    });
    expect((await bed.arm('GET', assignmentPath(sub(), NAME))).json.properties.condition).toBe(`${A}  `);
    const again = await create(sub(), p, { condition: B, conditionVersion: '2.0' });
    expect([again.status, again.json.properties.condition]).toEqual([200, B]);
  });

  it('removes the condition when both are written as empty strings or null (Delete a condition)', async () => {
    const p = principal();
    await create(sub(), p, { condition: A, conditionVersion: '2.0' });
    const emptied = await create(sub(), p, { condition: '', conditionVersion: '' });
    expect(emptied.status).toBe(200);
    expect(emptied.json.properties.condition ?? null).toBeNull();
    await create(sub(), p, { condition: A, conditionVersion: '2.0' });
    const nulled = await create(sub(), p, { condition: null, conditionVersion: null });
    expect([nulled.status, nulled.json.properties.condition ?? null]).toEqual([200, null]);
  });

  it('refuses an update of anything but the condition and description (the other properties must match)', async () => {
    const p = principal();
    await create(sub(), p, { principalType: 'User' });
    const delegated = await create(sub(), p, {
      principalType: 'User',
      delegatedManagedIdentityResourceId: `${sub()}/resourceGroups/rg-app/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-x`,
    });
    expect([delegated.status, delegated.json.error.code]).toEqual([409, 'RoleAssignmentUpdateNotPermitted']);
  });

  it('answers an update with only properties the swagger’s RoleAssignment defines', async () => {
    const swagger = JSON.parse(
      readFileSync(
        join(
          process.cwd(),
          '__tests__/fixtures/contracts/azure/stable-2022-04-01/authorization-RoleAssignmentsCalls.json',
        ),
        'utf8',
      ),
    ) as {
      paths: Record<string, { put: { description: string } }>;
      definitions: Record<string, { properties: Record<string, unknown> }>;
    };
    const put =
      swagger.paths['/{scope}/providers/Microsoft.Authorization/roleAssignments/{roleAssignmentName}']!.put;
    expect(put.description).toBe('Create or update a role assignment by scope and name.');
    const p = principal();
    await create(sub(), p);
    const updated = await create(sub(), p, { condition: A, conditionVersion: '2.0' });
    expect(updated.status).toBe(200);
    const defined = Object.keys(swagger.definitions.RoleAssignmentProperties!.properties);
    expect(Object.keys(updated.json.properties).filter((k) => !defined.includes(k))).toEqual([]);
    expect(Object.keys(updated.json).sort()).toEqual(
      Object.keys(swagger.definitions.RoleAssignment!.properties).sort(),
    );
  });
});
