// An Azure reconcile's plan names who gains and loses what: principals by what the
// manifest's names resolved to, the rest by Microsoft Graph (a user by UPN, others by display
// name), roles by name, beside the object IDs and GUIDs, in the log, the summary and `results`.
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  azure,
  azureInputs,
  CONTRIBUTOR,
  forgedCommands,
  OWNER,
  READER,
  runMain,
  subscription,
  useEmulator,
} from './fixture.js';

const emulator = useEmulator();
const workspace = mkdtempSync(join(tmpdir(), 'reconcile-azure-names-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

const MARKER = 'cloud-access:octo-org/octo-repo:access.yml';
const rg = () => `${subscription()}/resourceGroups/rg-app`;
const reconcile = (manifest: string, inputs: Record<string, string> = {}) => {
  writeFileSync(join(workspace, 'access.yml'), manifest);
  return runMain(azureInputs({ operation: 'reconcile', manifest: 'access.yml', ...inputs }), {
    GITHUB_WORKSPACE: workspace,
  });
};
const manifest = (principal: string) => `version: 1
azure:
  manages:
    scopes: [${rg()}]
  assignments:
    - {principal: '${principal}', role: Reader, target: ${rg()}}
`;
const owned = (principalId: string, roleDefinitionId: string) =>
  azure().addRoleAssignment({ scope: rg(), roleDefinitionId, principalId, description: `[${MARKER}]` });
const graphRequests = () => emulator().requests.filter((r) => r.service === 'graph');

describe('an Azure reconcile plan names every principal and role it would change', () => {
  it('names a group the file resolved by name and a user it never names, and a role it never names, in as few Graph requests as fit', async () => {
    const readers = azure().addGroup({ displayName: 'app-readers' });
    const alice = azure().addUser({
      userPrincipalName: 'alice@octoorg.onmicrosoft.com',
      displayName: 'Alice',
    });
    owned(readers.id, CONTRIBUTOR); // a change of role: Contributor → Reader
    owned(alice.id, OWNER); // added by hand, with the marker: the file never names alice
    const step = await reconcile(manifest('group:app-readers'), { 'dry-run': 'true' });
    expect(step.exitCode).toBe(0);
    expect(JSON.parse(step.outputs.plan!)).toEqual({
      create: 1,
      delete: 2,
      unchanged: 0,
      unmanaged: 0,
      update: 0,
      claimed: 0,
      unknown: 0,
    });
    expect(step.stdout).toContain(
      `delete: group app-readers (${readers.id}) / Contributor (${CONTRIBUTOR}) / ${rg()}`,
    );
    expect(step.stdout).toContain(
      `delete: user alice@octoorg.onmicrosoft.com (${alice.id}) / Owner (${OWNER}) / ${rg()}`,
    );
    expect(step.summary).toContain(`<td>user alice@octoorg.onmicrosoft.com (${alice.id})</td>`);
    const deletes = (JSON.parse(step.outputs.results!) as Record<string, unknown>[]).filter(
      (r) => r.action === 'delete',
    );
    expect(deletes.map((r) => [r.principal, r.principalName, r.roleName])).toEqual(
      expect.arrayContaining([
        [readers.id, 'app-readers', 'Contributor'],
        [alice.id, 'alice@octoorg.onmicrosoft.com', 'Owner'],
      ]),
    );
    // The file's name in one request; alice (a user, a group or a service principal?) in one $batch.
    expect(graphRequests()).toHaveLength(2);
  });

  it('a display name Graph sends that holds workflow commands or markup is shown inert', async () => {
    const hostile = azure().addGroup({ displayName: 'x\n::warning::pwned ##[add-mask]y <b>z</b>' });
    owned(hostile.id, CONTRIBUTOR);
    const step = await reconcile(manifest(azure().addPrincipal({ type: 'Group', createdAt: 0 })), {
      'dry-run': 'true',
    });
    expect(step.exitCode).toBe(0);
    expect(step.stdout).toContain(`(${hostile.id})`);
    expect(forgedCommands(step)).toEqual([]);
    expect(step.summary).not.toContain('<b>');
    expect(step.outputs.results).not.toContain('##[');
  });

  it('without the Graph permission to name them, says so once and shows the object IDs', async () => {
    const ids = [
      azure().addPrincipal({ type: 'User', createdAt: 0 }),
      azure().addPrincipal({ type: 'Group', createdAt: 0 }),
    ];
    for (const id of ids) owned(id, CONTRIBUTOR);
    const listed = azure().addPrincipal({ type: 'Group', createdAt: 0 });
    azure().config.graphRoles = [];
    const step = await reconcile(manifest(listed), { 'dry-run': 'true' });
    expect(step.exitCode).toBe(0);
    const said = step.stdout.split('\n').filter((l) => l.includes('Microsoft Graph did not name'));
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(
      /did not name 3 principal\(s\) \(403 .*shown by object ID; to show their names, grant/,
    );
    // Unnamed, each still says what it is: the role assignment's principalType.
    expect(step.stdout).toContain(`delete: user ${ids[0]} / Contributor (${CONTRIBUTOR})`);
    expect(step.stdout).toContain(`delete: group ${ids[1]} / Contributor (${CONTRIBUTOR})`);
  });
});

describe('assign names what the step read anyway', () => {
  it('a principal given by name gets the name Graph resolved it to: principalName in the results, no Graph request of its own', async () => {
    const deployers = azure().addGroup({ displayName: 'platform-deployers' });
    const step = await runMain(
      azureInputs({ principal: 'group:platform-deployers', role: READER, target: subscription() }),
    );
    expect(step.exitCode).toBe(0);
    expect(JSON.parse(step.outputs.results!)[0]).toMatchObject({
      principal: 'group:platform-deployers',
      principalName: 'platform-deployers',
    });
    expect(step.stdout).toContain(`assign group platform-deployers (group:platform-deployers) →`);
    expect(graphRequests()).toHaveLength(1);
    expect(azure().findRoleAssignment(subscription(), deployers.id, READER)).toBeDefined();
  });

  it('a bare object ID, which no Graph request checks, is shown without the kind its principal-type claims', async () => {
    const readers = azure().addGroup({ displayName: 'app-readers' });
    const step = await runMain(
      azureInputs({ principal: readers.id, role: READER, target: subscription(), 'dry-run': 'true' }),
    );
    expect(step.exitCode).toBe(0);
    expect(step.stdout).toContain(`assign ${readers.id} → ${subscription()}`);
    expect(step.stdout).not.toContain(`user ${readers.id}`);
    expect(step.summary).not.toContain(`user ${readers.id}`);
    // `results` still says what it would be written as.
    expect(JSON.parse(step.outputs.results!)[0]).toMatchObject({ principalType: 'User' });
    expect(graphRequests()).toHaveLength(0);
  });
});

describe("an object ID's principal-type is held against the directory before any write", () => {
  const writes = () => emulator().requests.filter((r) => r.write);
  const entries = (...lines: string[]) => `version: 1
azure:
  manages:
    scopes: [${rg()}]
  assignments:
${lines.map((l) => `    - {${l}, target: ${rg()}}\n`).join('')}`;

  it("a group's object ID written without principal-type stops the step on its entry's line, naming `principal-type: Group`, and nothing is written", async () => {
    const alice = azure().addUser({ userPrincipalName: 'alice@octoorg.onmicrosoft.com' });
    const readers = azure().addGroup({ displayName: 'app-readers' });
    const step = await reconcile(
      entries(`principal: '${alice.id}', role: Reader`, `principal: '${readers.id}', role: Reader`),
    );
    expect(step.exitCode).not.toBe(0);
    expect(writes()).toEqual([]);
    expect(azure().findRoleAssignment(rg(), alice.id, READER)).toBeUndefined();
    expect(step.stdout).toContain('::error file=access.yml,line=7::');
    expect(step.errors.join('\n')).toContain(
      `access.yml:7: \`azure.assignments[1].principal\`: \`${readers.id}\` is a Group in the directory, but the entry's \`principal-type\` is User (the default), and ARM refuses the create (UnmatchedPrincipalType): set \`principal-type: Group\``,
    );
    expect(step.errors.join('\n')).toMatch(/the cloud contradicts the manifest; nothing was written/);
    // The user's entry, whose default is right, is no problem.
    expect(step.stdout).not.toContain('::error file=access.yml,line=6::');
  });

  it('a dry run stops there too, rather than show a create that cannot be made', async () => {
    const readers = azure().addGroup({ displayName: 'app-readers' });
    const step = await reconcile(entries(`principal: '${readers.id}', role: Reader`), { 'dry-run': 'true' });
    expect(step.exitCode).not.toBe(0);
    expect(step.stdout).not.toContain('would create');
    expect(step.errors.join('\n')).toContain('set `principal-type: Group`');
  });

  it('a service principal written as a Group is named as the service principal it is', async () => {
    const { servicePrincipal: bot } = azure().addApplication({ displayName: 'deploy-bot' });
    const step = await reconcile(entries(`principal: '${bot.id}', principal-type: Group, role: Reader`));
    expect(step.exitCode).not.toBe(0);
    expect(writes()).toEqual([]);
    expect(step.errors.join('\n')).toContain(
      `\`${bot.id}\` is a ServicePrincipal in the directory, but the entry's \`principal-type\` is Group, and ARM refuses the create (UnmatchedPrincipalType): set \`principal-type: ServicePrincipal\``,
    );
  });

  it('the same group with `principal-type: Group` is created as a group', async () => {
    const readers = azure().addGroup({ displayName: 'app-readers' });
    const step = await reconcile(entries(`principal: '${readers.id}', principal-type: Group, role: Reader`));
    expect(step.exitCode).toBe(0);
    expect(step.stdout).toContain(`create: group app-readers (${readers.id}) / Reader`);
    expect(azure().findRoleAssignment(rg(), readers.id, READER)?.properties.principalType).toBe('Group');
  });

  it('without the Graph permission to read its type, the step says nothing new about it', async () => {
    const readers = azure().addGroup({ displayName: 'app-readers' });
    azure().config.graphRoles = [];
    const step = await reconcile(entries(`principal: '${readers.id}', role: Reader`), { 'dry-run': 'true' });
    expect(step.exitCode).toBe(0);
    expect(step.errors).toEqual([]);
    expect(step.stdout).toContain(`create: user ${readers.id} / Reader`);
  });

  it('an assignment the file keeps is no create, so its principal-type is not held against the directory', async () => {
    const readers = azure().addGroup({ displayName: 'app-readers' });
    owned(readers.id, READER);
    const step = await reconcile(entries(`principal: '${readers.id}', role: Reader`));
    expect(step.exitCode).toBe(0);
    expect(JSON.parse(step.outputs.plan!)).toEqual({
      create: 0,
      delete: 0,
      unchanged: 1,
      unmanaged: 0,
      update: 0,
      claimed: 0,
      unknown: 0,
    });
  });
});
