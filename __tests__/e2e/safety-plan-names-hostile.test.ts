// A hostile review of the plan's names, through the bundle: a principal's name is chosen by whoever owns the
// object (anyone who may create an Entra group names it), so a plan must not let one principal's
// row read as another's.
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { azure, azureInputs, runMain, subscription, useEmulator } from './fixture.js';

useEmulator();
const workspace = mkdtempSync(join(tmpdir(), 'review-35-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));
const rg = () => `${subscription()}/resourceGroups/rg-app`;

/** A dry run of a manifest that gives the group `principal` (its object ID) Owner at rg-app. */
const planOwnerFor = (principal: string) => {
  writeFileSync(
    join(workspace, 'access.yml'),
    `version: 1
azure:
  manages:
    scopes: [${rg()}]
  assignments:
    - {principal: '${principal}', principal-type: Group, role: Owner, target: ${rg()}}
`,
  );
  return runMain(azureInputs({ operation: 'reconcile', manifest: 'access.yml', 'dry-run': 'true' }), {
    GITHUB_WORKSPACE: workspace,
  });
};

describe("a plan reviewed on a pull request names who gains access, and no one else's name passes for it", () => {
  it("a group whose display name is a user's UPN followed by that user's object ID is shown quoted, its own ID the only bare one", async () => {
    const alice = azure().addUser({
      userPrincipalName: 'alice@octoorg.onmicrosoft.com',
      displayName: 'Alice',
    });
    const spoof = azure().addGroup({ displayName: `alice@octoorg.onmicrosoft.com (${alice.id})` });
    const step = await planOwnerFor(spoof.id);
    expect(step.exitCode).toBe(0);
    const row = step.stdout.split('\n').find((l) => l.includes('create: '));
    expect(row).toContain(
      `create: group "alice@octoorg.onmicrosoft.com (${alice.id})" (${spoof.id}) / Owner`,
    );
    expect(step.stdout).not.toContain(`alice@octoorg.onmicrosoft.com (${alice.id}) (`);
    expect(step.summary).toContain(
      `<td>group &quot;alice@octoorg.onmicrosoft.com (${alice.id})&quot; (${spoof.id})</td>`,
    );
  });

  // A group's display name may be any text, a user's UPN included: were the row `name (object ID)`
  // alone, a reviewer would read "alice@… gains Owner" while a group, whose members its owners
  // choose, does. The kind comes from the directory, not from the name (a group's object ID the
  // file writes as a `User` stops the step before the plan: azure-reconcile-names.test.ts).
  it("a group named exactly like a user's UPN is shown as a group, not as that user", async () => {
    azure().addUser({ userPrincipalName: 'alice@octoorg.onmicrosoft.com', displayName: 'Alice' });
    const lookalike = azure().addGroup({ displayName: 'alice@octoorg.onmicrosoft.com' });
    const step = await planOwnerFor(lookalike.id);
    expect(step.exitCode).toBe(0);
    const row = step.stdout.split('\n').find((l) => l.includes('create: '));
    expect(row).toContain(`create: group alice@octoorg.onmicrosoft.com (${lookalike.id}) / Owner`);
    expect(step.stdout).not.toMatch(/(create: |assign )(user )?alice@octoorg\.onmicrosoft\.com/);
    expect(step.summary).toContain(`<td>group alice@octoorg.onmicrosoft.com (${lookalike.id})</td>`);
    const groups = step.stdout.split('\n').filter((l) => l.startsWith('::group::'));
    expect(groups).toEqual([
      expect.stringContaining(`assign group alice@octoorg.onmicrosoft.com (${lookalike.id}) →`),
    ]);
  });
});
