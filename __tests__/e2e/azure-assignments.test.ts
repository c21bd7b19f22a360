// Azure RBAC role assignments, end to end: the bundled main step run as the runner runs it, against the
// emulator's Entra (TLS) and ARM, with the unmodified @azure/identity and @azure/arm-authorization.
import { describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  azure,
  azureInputs,
  CONTRIBUTOR,
  newPrincipal,
  READER,
  runMain,
  runPost,
  subscription,
  useEmulator,
} from './fixture.js';

const emulator = useEmulator();

const run = (extra: Record<string, string>, env: Record<string, string> = {}) =>
  runMain(azureInputs(extra), env);
const armRequests = () => emulator().requests.filter((r) => r.service === 'arm');
const writes = () => emulator().requests.filter((r) => r.write);

describe('assign', () => {
  it('creates a role assignment with a deterministic name and reads it back', async () => {
    const p = newPrincipal();
    const step = await run({ principal: p, target: `${subscription()}/resourceGroups/rg-app`, role: READER });
    expect(step.exitCode).toBe(0);
    expect(step.outputs).toMatchObject({ status: 'SUCCEEDED', changed: 'true' });
    expect(step.outputs['assignment-id']).toMatch(
      new RegExp(
        `^${subscription()}/resourceGroups/rg-app/providers/Microsoft.Authorization/roleAssignments/[0-9a-f-]{36}$`,
      ),
    );
    expect(step.outputs['request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(azure().findRoleAssignment(`${subscription()}/resourceGroups/rg-app`, p, READER)).toBeDefined();
    // "Poll until terminal" on Azure: the write is read back once ARM's reads show it.
    expect(armRequests().filter((r) => r.operation === 'RoleAssignments_Get')).toHaveLength(1);

    emulator().requests.length = 0;
    const again = await run({
      principal: p,
      target: `${subscription()}/resourceGroups/rg-app`,
      role: READER,
    });
    expect(again.outputs).toMatchObject({ status: 'SUCCEEDED', changed: 'false' });
    expect(writes()).toEqual([]);
  });

  it('sends principalType, the description and a condition with version 2.0', async () => {
    const p = newPrincipal('Group');
    const condition =
      "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs'";
    const step = await run({
      principal: p,
      'principal-type': 'group',
      target: subscription(),
      role: READER,
      condition,
    });
    expect(step.exitCode).toBe(0);
    const created = azure().findRoleAssignment(subscription(), p, READER)!;
    expect(created.properties).toMatchObject({ principalType: 'Group', condition, conditionVersion: '2.0' });
    expect(created.properties.description).toBe(
      'Granted by cloud-access for octo-org/octo-repo workflow "deploy" run 1234567890 attempt 1 started by octocat on refs/heads/main',
    );
  });

  it('treats 409 RoleAssignmentExists under another name as already assigned', async () => {
    const p = newPrincipal();
    const existing = azure().addRoleAssignment({
      scope: subscription(),
      roleDefinitionId: CONTRIBUTOR,
      principalId: p,
      name: '00000000-aaaa-bbbb-cccc-000000000001',
    });
    const step = await run({ principal: p, target: subscription(), role: 'Contributor' });
    expect(step.exitCode).toBe(0);
    expect(step.outputs).toMatchObject({
      status: 'SUCCEEDED',
      changed: 'false',
      'assignment-id': existing.id,
    });
  });

  it('retries PrincipalNotFound while a new principal replicates, then succeeds', async () => {
    // Not replicated until the step has met PrincipalNotFound: however slow its start, it meets it.
    azure().config.principalReplicationDelayMs = 600_000;
    const p = azure().addPrincipal({ type: 'ServicePrincipal' });
    const running = run({
      principal: p,
      'principal-type': 'ServicePrincipal',
      target: subscription(),
      role: READER,
    });
    let ended = false;
    void running.finally(() => (ended = true));
    while (!ended && !emulator().requests.some((r) => r.errorCode === 'PrincipalNotFound'))
      await new Promise((resolve) => setTimeout(resolve, 20));
    azure().config.principalReplicationDelayMs = 0;
    const step = await running;
    expect(step.exitCode).toBe(0);
    expect(step.outputs.status).toBe('SUCCEEDED');
    expect(emulator().requests.some((r) => r.errorCode === 'PrincipalNotFound')).toBe(true);
    // Said in a plain log line, not only in the debug log (and again every 15 s of a longer wait).
    expect(step.log).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^RoleAssignments_Create: waiting for principal ${p} to replicate from Entra ID to Azure Resource Manager \\(PrincipalNotFound\\); retrying for up to \\d+ s$`,
        ),
      ),
    );
  });

  it('resolves a role by name at the scope', async () => {
    const step = await run({
      principal: newPrincipal(),
      target: subscription(),
      role: 'Storage Blob Data Reader',
    });
    expect(step.exitCode).toBe(0);
    expect(armRequests().some((r) => r.operation === 'RoleDefinitions_List')).toBe(true);
  });

  it('says so when no role has that name, naming the closest ones', async () => {
    const step = await run({ principal: newPrincipal(), target: subscription(), role: 'Readerr' });
    expect(step.exitCode).toBe(1);
    expect(step.errors.join()).toContain('role `Readerr` was not found at scope');
    expect(step.errors.join()).toMatch(/did you mean `Reader`/);
    expect(writes()).toEqual([]);
  });

  it.each([
    ['management group', () => '/providers/Microsoft.Management/managementGroups/platform'],
    ['subscription', () => subscription()],
    ['resource group', () => `${subscription()}/resourceGroups/rg-data`],
    [
      'resource',
      () => `${subscription()}/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/logs`,
    ],
  ])('assigns at a %s scope', async (_kind, scope) => {
    const step = await run({ principal: newPrincipal(), target: scope(), role: READER });
    expect(step.exitCode).toBe(0);
    expect(step.outputs.status).toBe('SUCCEEDED');
  });

  it('fails at once on AuthorizationFailed, naming the permission and scope', async () => {
    azure().faults.authorizationFailed = ['Microsoft.Authorization/roleAssignments/write'];
    const step = await run({ principal: newPrincipal(), target: subscription(), role: READER });
    expect(step.exitCode).toBe(1);
    expect(step.errors.join()).toContain('Microsoft.Authorization/roleAssignments/write');
    expect(emulator().requests.filter((r) => r.operation === 'RoleAssignments_Create')).toHaveLength(1);
  });

  it('recovers from 429 with and without Retry-After', async () => {
    azure().faults.throttleRate = 0.4;
    const first = await run({ principal: newPrincipal(), target: subscription(), role: READER });
    expect(first.exitCode).toBe(0);
    azure().faults.throttleWithoutRetryAfter = true;
    const second = await run({ principal: newPrincipal(), target: subscription(), role: READER });
    expect(second.exitCode).toBe(0);
    expect(emulator().requests.filter((r) => r.status === 429).length).toBeGreaterThan(0);
  });
});

describe('revoke', () => {
  it('deletes the assignment', async () => {
    const p = newPrincipal();
    await run({ principal: p, target: subscription(), role: READER });
    const step = await run({ operation: 'revoke', principal: p, target: subscription(), role: READER });
    expect(step.exitCode).toBe(0);
    expect(step.outputs).toMatchObject({ status: 'SUCCEEDED', changed: 'true' });
    expect(azure().findRoleAssignment(subscription(), p, READER)).toBeUndefined();
  });

  it('finds an assignment made under another name, and deletes it', async () => {
    const p = newPrincipal();
    azure().addRoleAssignment({
      scope: subscription(),
      roleDefinitionId: READER,
      principalId: p,
      name: '00000000-aaaa-bbbb-cccc-000000000002',
    });
    const step = await run({ operation: 'revoke', principal: p, target: subscription(), role: READER });
    expect(step.exitCode).toBe(0);
    expect(azure().findRoleAssignment(subscription(), p, READER)).toBeUndefined();
  });

  it('treats an absent assignment as SUCCEEDED with changed=false, saying it did not exist', async () => {
    const step = await run({
      operation: 'revoke',
      principal: newPrincipal(),
      target: subscription(),
      role: READER,
    });
    expect(step.exitCode).toBe(0);
    expect(step.outputs).toMatchObject({ status: 'SUCCEEDED', changed: 'false' });
    expect(JSON.parse(step.outputs.results!)).toMatchObject([{ existed: false, exists: false }]);
    expect(writes()).toEqual([]);
  });
});

describe('revoke-on-exit', () => {
  it('grants in main and revokes in post, leaving a pre-existing grant alone', async () => {
    const p = newPrincipal();
    azure().addRoleAssignment({ scope: subscription(), roleDefinitionId: READER, principalId: p });
    const both = {
      principal: p,
      target: `${subscription()}, ${subscription()}/resourceGroups/rg-app`,
      role: READER,
      'revoke-on-exit': 'true',
    };
    const main = await run(both);
    expect(main.exitCode).toBe(0);
    const post = await runPost(azureInputs(both), main.state);
    expect(post.exitCode).toBe(0);
    expect(azure().findRoleAssignment(subscription(), p, READER)).toBeDefined();
    expect(azure().findRoleAssignment(`${subscription()}/resourceGroups/rg-app`, p, READER)).toBeUndefined();
    expect(main.stdout).toContain('revoke-on-exit leaves it in place: it existed before this step');
    expect(post.log).toContainEqual(
      '::notice::revoke-on-exit: 1 revoked, 0 already absent, 0 failed, 1 left in place (1 existed before the main step)',
    );
  });

  it('dry-run writes nothing', async () => {
    const step = await run({
      principal: newPrincipal(),
      target: subscription(),
      role: READER,
      'dry-run': 'true',
    });
    expect(step.exitCode).toBe(0);
    expect(writes()).toEqual([]);
    expect(JSON.parse(step.outputs.results!)[0]).toMatchObject({ action: 'create', changed: false });
  });
});

describe('credentials', () => {
  it('explains AADSTS700213 with the token subject the federated credential must have', async () => {
    emulator().github.claims.sub = 'repo:octo-org/octo-repo:pull_request';
    const step = await run({ principal: newPrincipal(), target: subscription(), role: READER });
    expect(step.exitCode).toBe(1);
    const error = step.errors.join();
    expect(error).toContain('AADSTS700213');
    expect(error).toContain('repo:octo-org/octo-repo:pull_request');
    expect(armRequests()).toEqual([]);
  });

  it('asks GitHub for one OIDC token per Entra token exchange', async () => {
    // MSAL asks for the client assertion several times per access token; a GitHub token a moment
    // old is handed out again rather than requested anew.
    const step = await run({
      principal: newPrincipal(),
      target: `${subscription()}/resourceGroups/rg-app`,
      role: READER,
    });
    expect(step.exitCode).toBe(0);
    expect(azure().issuedAccessTokens.length).toBe(1);
    expect(emulator().github.issuedTokens.length).toBe(1);
  });

  it.each([
    [
      'an application that is not in the tenant (AADSTS700016)',
      () => ({ 'client-id': '0f0f0f0f-1111-4222-8333-444444444444' }),
      'AADSTS700016',
      '`client-id` (the application/client ID, not its object ID)',
    ],
    [
      'an `audience` the federated credential does not accept (AADSTS700212)',
      () => ({ audience: 'api://cloud-access' }),
      'AADSTS700212',
      'check the `audience` input first: it asks for `api://cloud-access`, while federated credentials accept `api://AzureADTokenExchange` unless changed',
    ],
    [
      'a tenant that does not exist (AADSTS90002)',
      () => ({ 'tenant-id': '0e0e0e0e-1111-4222-8333-444444444444' }),
      'AADSTS90002',
      'check `tenant-id`',
    ],
    [
      'an assertion outside its time window (AADSTS700024)',
      () => {
        emulator().github.tokenLifetimeSeconds = -600;
        return {};
      },
      'AADSTS700024',
      "runner's clock",
    ],
  ])('explains %s with its fix, and fails at once', async (_what, setUp, code, fix) => {
    const step = await run({ principal: newPrincipal(), target: subscription(), role: READER, ...setUp() });
    expect(step.exitCode).toBe(1);
    const error = step.errors.join();
    expect(error).toContain(code);
    expect(error).toContain(fix);
    expect(armRequests()).toEqual([]);
    // A set-up error is not retried until the deadline: one token request, or MSAL's own two.
    expect(
      emulator().requests.filter((r) => r.service === 'entra' && r.operation === 'token').length,
    ).toBeLessThanOrEqual(2);
  });

  it('uses the endpoints of the chosen environment', async () => {
    // Without overrides the step goes to AzureUSGovernment's public hosts. A local proxy that
    // records CONNECT targets and refuses them shows where it went, and no traffic leaves the machine.
    const seen: string[] = [];
    const proxy = createServer();
    proxy.on('connect', (request: IncomingMessage, socket: Socket) => {
      seen.push(request.url ?? '');
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const { port } = proxy.address() as AddressInfo;
    try {
      const step = await runMain(
        {
          cloud: 'azure',
          'client-id': azure().clientId,
          'tenant-id': azure().tenantId,
          environment: 'AzureUSGovernment',
          principal: newPrincipal(),
          target: subscription(),
          role: READER,
          'timeout-seconds': '5',
        },
        { HTTPS_PROXY: `http://127.0.0.1:${port}`, NO_PROXY: '' },
      );
      expect(step.exitCode).toBe(1);
      expect(seen[0]).toBe('login.microsoftonline.us:443');
    } finally {
      proxy.close();
    }
  });
});

describe('invalid input reaches no endpoint', () => {
  it.each([
    [{ target: '/subscriptions/nope' }, 'input `target`'],
    [{ role: 'acdd72a7-3385-48ef-bd42-f606fba81ae' }, 'input `role`'],
    [{ principal: 'team:alice' }, 'input `principal`'],
    [{ 'principal-type': 'Robot' }, 'input `principal-type`'],
    [{ operation: 'provision' }, 'input `operation`'],
  ])('%j', async (bad, message) => {
    const step = await run({ principal: newPrincipal(), target: subscription(), role: READER, ...bad });
    expect(step.exitCode).toBe(1);
    expect(step.errors.join()).toContain(message);
    expect(emulator().requests).toEqual([]);
  });
});
