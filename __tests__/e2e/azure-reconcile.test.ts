// `operation: reconcile` on Azure, end to end: the bundled main step, a manifest in the workspace,
// the emulator's Entra and ARM behind the unmodified SDKs.
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  azure,
  azureInputs,
  CONTRIBUTOR,
  newPrincipal,
  OWNER,
  READER,
  runMain,
  subscription,
  useEmulator,
} from './fixture.js';

const emulator = useEmulator();
const workspace = mkdtempSync(join(tmpdir(), 'reconcile-azure-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

/** The marker of access.yml in the repository the harness runs in. */
const MARKER = 'cloud-access:octo-org/octo-repo:access.yml';
const rg = () => `${subscription()}/resourceGroups/rg-app`;

const reconcile = (manifest: string, inputs: Record<string, string> = {}) => {
  writeFileSync(join(workspace, 'access.yml'), manifest);
  return runMain(azureInputs({ operation: 'reconcile', manifest: 'access.yml', ...inputs }), {
    GITHUB_WORKSPACE: workspace,
  });
};
const manifest = (entries: string, manages = '') => `version: 1
azure:
  manages:
    scopes: [${rg()}]
${manages}  assignments:
${entries}`;
const entry = (principal: string, role: string, type = 'Group') =>
  `    - {principal: ${principal}, principal-type: ${type}, role: ${role}, target: ${rg()}}\n`;
const writes = () => emulator().requests.filter((r) => r.write);
const has = (principal: string, role: string) =>
  azure().findRoleAssignment(rg(), principal, role) !== undefined;

describe('reconcile makes Azure RBAC match the manifest: ownedOnly by default', () => {
  it('creates with the marker, deletes only marked assignments the file dropped, and leaves unmarked ones', async () => {
    const listed = newPrincipal('Group');
    const ownedDropped = newPrincipal('Group');
    const byHand = newPrincipal('User');
    const unchanged = newPrincipal('Group');
    azure().addRoleAssignment({
      scope: rg(),
      roleDefinitionId: READER,
      principalId: ownedDropped,
      description: `old [${MARKER}]`,
    });
    azure().addRoleAssignment({
      scope: rg(),
      roleDefinitionId: READER,
      principalId: byHand,
      description: 'added in the portal',
    });
    azure().addRoleAssignment({
      scope: rg(),
      roleDefinitionId: READER,
      principalId: unchanged,
      description: `[${MARKER}]`,
    });
    // Another manifest's marker that starts like ours is not ours.
    const other = newPrincipal('Group');
    azure().addRoleAssignment({
      scope: rg(),
      roleDefinitionId: READER,
      principalId: other,
      description: `[${MARKER}.bak]`,
    });

    const step = await reconcile(manifest(entry(listed, 'Reader') + entry(unchanged, 'Reader')));
    expect(step.exitCode).toBe(0);
    expect(JSON.parse(step.outputs.plan!)).toEqual({
      create: 1,
      delete: 1,
      unchanged: 1,
      unmanaged: 2,
      update: 0,
      claimed: 0,
      unknown: 0,
    });
    expect(has(listed, READER)).toBe(true);
    expect(azure().findRoleAssignment(rg(), listed, READER)!.properties.description).toContain(`[${MARKER}]`);
    expect(has(ownedDropped, READER)).toBe(false);
    expect(has(byHand, READER)).toBe(true);
    expect(has(other, READER)).toBe(true);
    expect(has(unchanged, READER)).toBe(true);
    expect(
      writes()
        .map((w) => w.operation)
        .sort(),
    ).toEqual(['RoleAssignments_Create', 'RoleAssignments_Delete']);
  });

  it('changes a role without a gap: the new assignment is created and read back before the old one is deleted', async () => {
    const p = newPrincipal('Group');
    azure().addRoleAssignment({
      scope: rg(),
      roleDefinitionId: READER,
      principalId: p,
      description: `[${MARKER}]`,
    });
    const step = await reconcile(manifest(entry(p, 'Contributor')));
    expect(step.exitCode).toBe(0);
    const ops = emulator()
      .requests.filter((r) => r.service === 'arm')
      .map((r) => r.operation);
    expect(ops.lastIndexOf('RoleAssignments_Create')).toBeLessThan(ops.indexOf('RoleAssignments_Delete'));
    // The create was read back (twice in a row) before the delete went.
    expect(
      ops.slice(ops.lastIndexOf('RoleAssignments_Create'), ops.indexOf('RoleAssignments_Delete')),
    ).toContain('RoleAssignments_Get');
    expect(has(p, CONTRIBUTOR)).toBe(true);
    expect(has(p, READER)).toBe(false);
  });
});

describe('the read is complete: one list per scope, every page', () => {
  it('sees marked assignments on later pages of the list', async () => {
    azure().config.pageSize = 2;
    const principals = Array.from({ length: 5 }, () => newPrincipal('Group'));
    for (const p of principals)
      azure().addRoleAssignment({
        scope: rg(),
        roleDefinitionId: READER,
        principalId: p,
        description: `[${MARKER}]`,
      });
    const step = await reconcile(
      manifest(
        principals
          .slice(0, 3)
          .map((p) => entry(p, 'Reader'))
          .join(''),
      ),
    );
    expect(step.exitCode).toBe(0);
    expect(JSON.parse(step.outputs.plan!)).toEqual({
      create: 0,
      delete: 2,
      unchanged: 3,
      unmanaged: 0,
      update: 0,
      claimed: 0,
      unknown: 0,
    });
    expect(principals.map((p) => has(p, READER))).toEqual([true, true, true, false, false]);
    // Every page was read (ARM lists the assignments inherited from above the scope too).
    const pages = Number(
      /read: one paged role assignment list and one eligibility schedule list per scope \(1\): (\d+) call/.exec(
        step.stdout,
      )?.[1],
    );
    expect(pages).toBeGreaterThanOrEqual(3);
  });
});

describe('mode: full deletes what the file does not list under the scopes, but the exceptions', () => {
  it('deletes an unmarked assignment, keeps an exception', async () => {
    const byHand = newPrincipal('User');
    const kept = newPrincipal('User');
    const listed = newPrincipal('Group');
    azure().addRoleAssignment({ scope: rg(), roleDefinitionId: READER, principalId: byHand });
    const exception = azure().addRoleAssignment({ scope: rg(), roleDefinitionId: READER, principalId: kept });
    // The step's own identity's access at the scope is never its to delete.
    azure().addRoleAssignment({ scope: rg(), roleDefinitionId: OWNER, principalId: azure().objectId });
    const step = await reconcile(
      manifest(entry(listed, READER), `    mode: full\n    exceptions: [${exception.id}]\n`),
    );
    expect(step.exitCode).toBe(0);
    expect(JSON.parse(step.outputs.plan!)).toEqual({
      create: 1,
      delete: 1,
      unchanged: 0,
      unmanaged: 2,
      update: 0,
      claimed: 0,
      unknown: 0,
    });
    expect(has(azure().objectId, OWNER)).toBe(true);
    expect(has(byHand, READER)).toBe(false);
    expect(has(kept, READER)).toBe(true);
    expect(has(listed, READER)).toBe(true);
  });

  it('more deletes than max-deletions: reported, nothing written', async () => {
    for (let i = 0; i < 3; i++)
      azure().addRoleAssignment({ scope: rg(), roleDefinitionId: READER, principalId: newPrincipal('User') });
    const step = await reconcile(manifest(entry(newPrincipal('Group'), 'Reader'), '    mode: full\n'), {
      'max-deletions': '2',
    });
    expect(step.exitCode).not.toBe(0);
    expect(writes()).toEqual([]);
    expect(step.errors.join('\n')).toMatch(/more than `max-deletions` \(2\)/);
  });
});

describe('manifest errors and unknown roles on Azure', () => {
  it('reports an unknown role with did-you-mean at its line, before any write', async () => {
    const step = await reconcile(manifest(entry(newPrincipal('Group'), 'Reeder')));
    expect(step.exitCode).not.toBe(0);
    expect(writes()).toEqual([]);
    expect(step.stdout).toContain('::error file=access.yml,line=6::');
    expect(step.errors.join('\n')).toMatch(/role `Reeder` was not found.*did you mean `Reader`/);
  });
});

describe('principals by name in a manifest', () => {
  it('resolves group names through Microsoft Graph, sends the type Graph gives, and reports an unknown name at its line', async () => {
    const deployers = azure().addGroup({ displayName: 'platform-deployers' });
    const step = await reconcile(manifest(entry('group:platform-deployers', 'Reader', 'User')));
    expect(step.exitCode).toBe(0);
    const made = azure().findRoleAssignment(rg(), deployers.id, READER);
    expect(made?.properties.principalType).toBe('Group');
    const unknown = await reconcile(manifest(entry('group:platform-deployer', 'Reader')));
    expect(unknown.exitCode).not.toBe(0);
    expect(unknown.stdout).toContain('::error file=access.yml,line=6::');
    expect(unknown.errors.join('\n')).toMatch(/platform-deployer/);
  });

  it('plans and applies every form the input takes: a UPN, a guest, a group, a service principal by app ID, a managed identity by resource ID and by name', async () => {
    const alice = azure().addUser({
      userPrincipalName: 'alice@octoorg.onmicrosoft.com',
      displayName: 'Alice',
    });
    const guest = azure().addUser({ mail: 'bob@contoso.com', guest: true, displayName: 'Bob' });
    const deployers = azure().addGroup({ displayName: 'platform-deployers' });
    const { servicePrincipal: bot } = azure().addApplication({ displayName: 'deploy-bot' });
    const identity = azure().addManagedIdentity({ name: 'id-deploy' });
    const runner = azure().addManagedIdentity({ name: 'id-runner' });
    const forms = [
      'alice@octoorg.onmicrosoft.com',
      'user:bob@contoso.com',
      'group:platform-deployers',
      `sp:${bot.appId}`,
      `mi:${identity.id}`,
      'mi:id-runner',
    ];
    const file = manifest(forms.map((f) => entry(`'${f}'`, 'Reader', 'User')).join(''));
    // The plan a pull request gets: every name resolved, six creates, nothing written.
    const plan = await reconcile(file, { 'dry-run': 'true' });
    expect(plan.errors).toEqual([]);
    expect(JSON.parse(plan.outputs.plan!)).toMatchObject({ create: 6, delete: 0 });
    expect(writes()).toEqual([]);
    const step = await reconcile(file);
    expect(step.errors).toEqual([]);
    expect(step.exitCode).toBe(0);
    expect(JSON.parse(step.outputs.plan!)).toMatchObject({ create: 6, delete: 0 });
    const expected: [string, string][] = [
      [alice.id, 'User'],
      [guest.id, 'User'],
      [deployers.id, 'Group'],
      [bot.id, 'ServicePrincipal'],
      [identity.principalId, 'ServicePrincipal'],
      [runner.principalId, 'ServicePrincipal'],
    ];
    for (const [id, type] of expected)
      expect([id, azure().findRoleAssignment(rg(), id, READER)?.properties.principalType]).toEqual([
        id,
        type,
      ]);
    // Run again: the same file resolves to the same object IDs, so nothing changes.
    const again = await reconcile(file);
    expect(JSON.parse(again.outputs.plan!)).toMatchObject({ create: 0, delete: 0, unchanged: 6 });
  });
});
