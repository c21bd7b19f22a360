// `operation: reconcile` on Azure: an entry's ABAC condition is part of what it grants. An
// assignment whose condition differs from its entry's (none, another, or one the file does not
// write) is drift, planned and applied as an update of the assignment in place (a PUT to its own
// name: "Add or edit Azure role assignment conditions using the REST API", Edit a condition).
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  azure,
  azureInputs,
  forgedCommands,
  newPrincipal,
  READER,
  runMain,
  subscription,
  useEmulator,
} from './fixture.js';

const emulator = useEmulator();
const workspace = mkdtempSync(join(tmpdir(), 'reconcile-conditions-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

const MARKER = 'cloud-access:octo-org/octo-repo:access.yml';
const rg = () => `${subscription()}/resourceGroups/rg-app`;
const CONTAINER_A =
  "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs-a'";
const CONTAINER_B =
  "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs-b'";

const reconcile = (manifest: string, inputs: Record<string, string> = {}) => {
  writeFileSync(join(workspace, 'access.yml'), manifest);
  return runMain(azureInputs({ operation: 'reconcile', manifest: 'access.yml', ...inputs }), {
    GITHUB_WORKSPACE: workspace,
  });
};
/** One entry for the principal as Reader at rg-app, with `condition` when given (YAML double-quoted). */
const manifest = (principal: string, condition?: string) => `version: 1
azure:
  manages:
    scopes: [${rg()}]
  assignments:
    - principal: ${principal}
      principal-type: Group
      role: Reader
      target: ${rg()}
${condition ? `      condition: ${JSON.stringify(condition)}\n` : ''}`;
const seed = (principal: string, condition?: string) =>
  azure().addRoleAssignment({
    scope: rg(),
    roleDefinitionId: READER,
    principalId: principal,
    principalType: 'Group',
    description: `kept as it is [${MARKER}]`,
    ...(condition ? { condition, conditionVersion: '2.0' } : {}),
  });
const inCloud = (principal: string) => azure().findRoleAssignment(rg(), principal, READER)!.properties;
const writes = () => emulator().requests.filter((r) => r.write);

describe('a condition the cloud lacks is drift, and the update writes it in place', () => {
  it('an assignment without a condition gets the entry’s, under its own name, keeping its description', async () => {
    const p = newPrincipal('Group');
    const existing = seed(p);
    const step = await reconcile(manifest(p, CONTAINER_A));
    expect(step.errors).toEqual([]);
    expect(step.exitCode).toBe(0);
    expect(JSON.parse(step.outputs.plan!)).toEqual({
      create: 0,
      delete: 0,
      update: 1,
      claimed: 0,
      unknown: 0,
      unchanged: 0,
      unmanaged: 0,
    });
    expect(step.outputs.drift).toBe('true');
    expect(step.outputs['drift-remaining']).toBe('false');
    expect(inCloud(p)).toMatchObject({
      condition: CONTAINER_A,
      conditionVersion: '2.0',
      description: `kept as it is [${MARKER}]`,
    });
    // One write: a PUT to the assignment's own name, never a second assignment beside it.
    expect(writes().map((w) => [w.operation, w.path.endsWith(existing.name), w.status])).toEqual([
      ['RoleAssignments_Create', true, 200],
    ]);
    expect(step.stdout).toContain(`condition: none → \`${CONTAINER_A}\``);
    expect(step.summary).toContain('updated');
    // Run again: the cloud now matches the file.
    const again = await reconcile(manifest(p, CONTAINER_A));
    expect(again.outputs.drift).toBe('false');
    expect(JSON.parse(again.outputs.plan!)).toMatchObject({ update: 0, unchanged: 1 });
  });

  it('another container’s condition is drift too: replaced by the entry’s', async () => {
    const p = newPrincipal('Group');
    seed(p, CONTAINER_B);
    const step = await reconcile(manifest(p, CONTAINER_A));
    expect(step.exitCode).toBe(0);
    expect(step.outputs.drift).toBe('true');
    expect(JSON.parse(step.outputs.plan!)).toMatchObject({ update: 1, unchanged: 0 });
    expect(inCloud(p).condition).toBe(CONTAINER_A);
    expect(step.stdout).toContain(`condition: \`${CONTAINER_B}\` → \`${CONTAINER_A}\``);
  });

  it('a condition that differs only in white space is a different condition', async () => {
    const p = newPrincipal('Group');
    seed(p, CONTAINER_A.replace("'logs-a'", "'logs-a '"));
    const step = await reconcile(manifest(p, CONTAINER_A));
    expect(step.outputs.drift).toBe('true');
    expect(inCloud(p).condition).toBe(CONTAINER_A);
  });

  it('an entry without a condition removes one the assignment has: the file is what it grants', async () => {
    const p = newPrincipal('Group');
    seed(p, CONTAINER_B);
    const step = await reconcile(manifest(p));
    expect(step.exitCode).toBe(0);
    expect(step.outputs.drift).toBe('true');
    expect(inCloud(p).condition ?? null).toBeNull();
    expect(step.stdout).toContain(`condition: \`${CONTAINER_B}\` → none`);
  });

  it('the same condition is unchanged: nothing is written', async () => {
    const p = newPrincipal('Group');
    seed(p, CONTAINER_A);
    const step = await reconcile(manifest(p, CONTAINER_A));
    expect(step.outputs.drift).toBe('false');
    expect(JSON.parse(step.outputs.plan!)).toMatchObject({ update: 0, unchanged: 1 });
    expect(writes()).toEqual([]);
  });
});

describe('the drift check and the pull request’s plan see a condition change and write nothing', () => {
  it('a dry run plans the update, sets drift, and leaves the assignment as it is', async () => {
    const p = newPrincipal('Group');
    seed(p);
    const step = await reconcile(manifest(p, CONTAINER_A), { 'dry-run': 'true' });
    expect(step.exitCode).toBe(0);
    expect(step.outputs.drift).toBe('true');
    expect(step.outputs['drift-remaining']).toBe('true');
    expect(JSON.parse(step.outputs.plan!)).toMatchObject({ update: 1 });
    expect(writes()).toEqual([]);
    expect(inCloud(p).condition ?? null).toBeNull();
    expect(step.summary).toContain('would update');
    expect(step.summary).toContain('condition: none →');
  });
});

describe('a condition is shown inert: it is the file’s text and the server’s', () => {
  it('a condition ARM holds with lines that look like workflow commands and markup forges nothing', async () => {
    const p = newPrincipal('Group');
    seed(p, `${CONTAINER_B}\n::warning::pwned\n##[add-mask]secret <script>alert(1)</script>`);
    const step = await reconcile(manifest(p, CONTAINER_A), { 'dry-run': 'true' });
    expect(step.exitCode).toBe(0);
    expect(step.outputs.drift).toBe('true');
    expect(forgedCommands(step)).toEqual([]);
    expect(step.summary).not.toContain('<script>');
    expect(step.summary).toContain('&lt;script&gt;');
  });
});

describe('an update that fails says what state the assignment is in', () => {
  it('ARM refuses the PUT: the step fails and says the assignment still has no condition', async () => {
    const p = newPrincipal('Group');
    const existing = seed(p);
    azure().faults.armFailures.push({
      method: 'PUT',
      pathIncludes: existing.name,
      status: 400,
      code: 'InvalidRoleAssignmentRequest',
      message: 'refused for the test',
    });
    const step = await reconcile(manifest(p, CONTAINER_A));
    expect(step.exitCode).not.toBe(0);
    expect(step.outputs['drift-remaining']).toBe('true');
    expect(inCloud(p).condition ?? null).toBeNull();
    expect(step.errors.join('\n')).toMatch(/InvalidRoleAssignmentRequest/);
    expect(step.errors.join('\n')).toMatch(/unchanged: it still has condition: none/);
  });
});
