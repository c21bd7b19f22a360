// Azure principals by name, end to end: the bundled main and post steps resolve user principal
// names, guests, group names, service principals and managed identities through the emulator's
// Microsoft Graph (and ARM, for a managed identity's resource ID), never guessing, and revoke by
// the object IDs main resolved.
import { describe, expect, it } from '@jest/globals';
import {
  azure,
  azureInputs,
  newPrincipal,
  READER,
  runMain,
  runPost,
  subscription,
  useEmulator,
} from './fixture.js';

const emulator = useEmulator();

const main = (inputs: Record<string, string>) =>
  runMain(azureInputs({ role: READER, target: subscription(), ...inputs }));
const graphRequests = () => emulator().requests.filter((r) => r.service === 'graph');
const writes = () => emulator().requests.filter((r) => r.write);
const assignmentOf = (principalId: string) => azure().findRoleAssignment(subscription(), principalId, READER);
const tokenAudiences = () =>
  azure().issuedAccessTokens.map(
    (t) => (JSON.parse(Buffer.from(t.split('.')[1]!, 'base64url').toString()) as { aud: string }).aud,
  );

function directory() {
  const alice = azure().addUser({ userPrincipalName: 'alice@octoorg.onmicrosoft.com', displayName: 'Alice' });
  const guest = azure().addUser({ mail: 'bob@contoso.com', guest: true, displayName: 'Bob' });
  const deployers = azure().addGroup({ displayName: 'platform-deployers' });
  const { servicePrincipal: bot } = azure().addApplication({ displayName: 'deploy-bot' });
  const identity = azure().addManagedIdentity({ name: 'id-deploy' });
  const other = azure().addManagedIdentity({ name: 'id-runner' });
  return { alice, guest, deployers, bot, identity, other };
}

describe('assign and revoke-on-exit by name', () => {
  it('resolves each form once, sends its type, saves the object IDs, and the post step revokes them without asking Graph', async () => {
    const d = directory();
    const inputs = {
      principal: [
        'alice@octoorg.onmicrosoft.com',
        'user:bob@contoso.com',
        'group:platform-deployers',
        `sp:${d.bot.appId}`,
        `mi:${d.identity.id}`,
        'mi:id-runner',
      ].join('\n'),
      'revoke-on-exit': 'true',
    };
    const step = await main(inputs);
    expect(step.errors).toEqual([]);
    expect(step.exitCode).toBe(0);
    const expected: [string, string][] = [
      [d.alice.id, 'User'],
      [d.guest.id, 'User'],
      [d.deployers.id, 'Group'],
      [d.bot.id, 'ServicePrincipal'],
      [d.identity.principalId, 'ServicePrincipal'],
      [d.other.principalId, 'ServicePrincipal'],
    ];
    for (const [id, type] of expected)
      expect([id, assignmentOf(id)?.properties.principalType]).toEqual([id, type]);
    // Users, the group and the service principals in one $batch; the guest by mail in a second.
    expect(graphRequests().map((r) => r.operation)).toEqual(['batch', 'GET users']);
    // The results and the summary show the principal as written.
    expect(JSON.parse(step.outputs.results!).map((r: { principal: string }) => r.principal)).toContain(
      'group:platform-deployers',
    );
    expect(Object.values(step.state).join('\n')).toContain(d.deployers.id);

    emulator().requests.length = 0;
    const revoked = await runPost(
      azureInputs({ role: READER, target: subscription(), ...inputs }),
      step.state,
    );
    expect(revoked.exitCode).toBe(0);
    for (const [id] of expected) expect(assignmentOf(id)).toBeUndefined();
    expect(graphRequests()).toEqual([]);
  });

  it('an untyped name resolves to the one group or service principal that has it; a dry run writes nothing', async () => {
    const d = directory();
    const step = await main({ principal: 'platform-deployers, deploy-bot', 'dry-run': 'true' });
    expect(step.exitCode).toBe(0);
    expect(writes()).toEqual([]);
    expect(JSON.parse(step.outputs.results!).map((r: { action: string }) => r.action)).toEqual([
      'create',
      'create',
    ]);
    expect(step.stdout).toContain(d.deployers.id);
  });
});

describe('revoke by name', () => {
  it('operation: revoke with a group name removes the assignment of the object it resolves to', async () => {
    const group = azure().addGroup({ displayName: 'platform-deployers' });
    azure().addRoleAssignment({
      scope: subscription(),
      roleDefinitionId: READER,
      principalId: group.id,
      principalType: 'Group',
    });
    const step = await main({ principal: 'group:platform-deployers', operation: 'revoke' });
    expect(step.exitCode).toBe(0);
    expect(step.outputs.changed).toBe('true');
    expect(assignmentOf(group.id)).toBeUndefined();
  });
});

describe('never guessed', () => {
  it('a name several groups share fails, listing each (type, ID, name, kind), and asks for object:<id>', async () => {
    const a = azure().addGroup({ displayName: 'ops' });
    const b = azure().addGroup({ displayName: 'ops', kind: 'Microsoft365' });
    const step = await main({ principal: 'group:ops' });
    expect(step.exitCode).toBe(1);
    const error = step.errors.join('\n');
    expect(error).toContain(`group ${a.id} 'ops' (Security)`);
    expect(error).toContain(`group ${b.id} 'ops' (Microsoft 365)`);
    expect(error).toContain('object:<id>');
    expect(writes()).toEqual([]);
  });

  it('a name nothing has fails with the closest names', async () => {
    azure().addGroup({ displayName: 'platform-deployers' });
    const step = await main({ principal: 'group:platform-deployer' });
    expect(step.exitCode).toBe(1);
    expect(step.errors.join('\n')).toMatch(
      /no group `platform-deployer` was found.*did you mean `platform-deployers`/s,
    );
    expect(writes()).toEqual([]);
  });
});

describe('the client-ID mistake', () => {
  it("an app's client ID given as the object ID fails at ARM's first PrincipalNotFound, naming the object ID to use", async () => {
    const { servicePrincipal: bot } = azure().addApplication({ displayName: 'deploy-bot' });
    const step = await main({ principal: bot.appId });
    expect(step.exitCode).toBe(1);
    expect(step.outputs['failure-reason']).toContain(
      `\`${bot.appId}\` is the client ID of 'deploy-bot', not an object ID; its service principal object ID is \`${bot.id}\`: use \`${bot.id}\` or \`sp:${bot.appId}\``,
    );
    // Not minutes of replication retries: one refused PUT.
    expect(emulator().requests.filter((r) => r.operation === 'RoleAssignments_Create')).toHaveLength(1);
  });

  it("an app registration's object ID (PrincipalTypeNotSupported) fails naming its service principal's object ID", async () => {
    const { application, servicePrincipal: bot } = azure().addApplication({ displayName: 'deploy-bot' });
    const step = await main({ principal: application.id });
    expect(step.exitCode).toBe(1);
    expect(step.outputs['failure-reason']).toContain(
      `\`${application.id}\` is the object ID of the app registration 'deploy-bot', not of its service principal; the service principal's object ID is \`${bot.id}\`: use \`${bot.id}\` or \`sp:${bot.appId}\``,
    );
  });
});

describe('the client-ID mistake, time-bound', () => {
  it("with `duration`, PIM's SubjectNotFound for a client ID fails at once the same way", async () => {
    const { servicePrincipal: bot } = azure().addApplication({ displayName: 'deploy-bot' });
    const step = await main({ principal: bot.appId, duration: 'PT1H' });
    expect(step.exitCode).toBe(1);
    expect(step.outputs['failure-reason']).toContain(`its service principal object ID is \`${bot.id}\``);
    expect(
      emulator().requests.filter((r) => r.operation === 'RoleAssignmentScheduleRequests_Create'),
    ).toHaveLength(1);
  });
});

describe('Graph permissions and throttling', () => {
  it('a missing Graph permission names it and says an Entra admin must consent it', async () => {
    azure().addGroup({ displayName: 'platform-deployers' });
    azure().config.graphRoles = [];
    const step = await main({ principal: 'group:platform-deployers' });
    expect(step.exitCode).toBe(1);
    const error = step.errors.join('\n');
    expect(error).toContain('Authorization_RequestDenied');
    expect(error).toContain('GroupMember.Read.All');
    expect(error).toMatch(/an Entra admin must .* grant admin consent/);
    expect(error).toMatch(/Graph request-id [0-9a-f-]{36}/);
  });

  it('throttled Graph answers are retried after their Retry-After, a plain request and a $batch item alike', async () => {
    const d = directory();
    azure().faults.graphThrottled = 2;
    const single = await main({ principal: 'group:platform-deployers' });
    expect(single.exitCode).toBe(0);
    expect(graphRequests().map((r) => r.status)).toEqual([429, 429, 200]);
    emulator().requests.length = 0;
    azure().faults.graphThrottled = 1;
    const batched = await main({ principal: `group:platform-deployers, sp:${d.bot.appId}` });
    expect(batched.exitCode).toBe(0);
    // The throttled item alone is sent again, in a second $batch, after its own Retry-After.
    expect(graphRequests().map((r) => r.operation)).toEqual(['batch', 'batch']);
  });
});

describe('object IDs alone', () => {
  it('ask Graph nothing and get no Graph token', async () => {
    const step = await main({ principal: newPrincipal() });
    expect(step.exitCode).toBe(0);
    expect(graphRequests()).toEqual([]);
    expect(tokenAudiences().filter((aud) => aud === azure().graphEndpoint)).toEqual([]);
  });
});

describe('bad principal forms are refused before any request', () => {
  it.each([
    ['team:ops', 'has the unknown prefix `team:`'],
    ['group:', 'has nothing after `group:`'],
    ['object:not-a-guid', 'is not `object:` and a GUID'],
    ['alice smith@contoso.com', 'is not a user principal name: it has spaces'],
  ])('%s', async (principal, problem) => {
    const step = await main({ principal });
    expect(step.exitCode).toBe(1);
    expect(step.errors.join('\n')).toContain(`input \`principal\`: \`${principal}\` ${problem}`);
    expect(emulator().requests.filter((r) => r.service !== 'github')).toEqual([]);
  });
});
