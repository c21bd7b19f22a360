// A run's claim on a membership of a group (PIM for groups), read from GitHub as every other
// claim is, end to end through the bundled step against the emulator's Graph and GitHub runs API:
// the sweep ends a finished run's ephemeral membership (revoke-on-exit, no duration) and counts it
// in `plan`, and leaves a running run's; a reconcile of a managed group keeps a running run's
// membership as `claimed`, and ends it as drift once its run has finished.
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { azure, azureInputs, runMain, useEmulator } from './fixture.js';

const emulator = useEmulator();
const workspace = mkdtempSync(join(tmpdir(), 'group-claims-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

let users = 0;
const newUser = () => azure().addUser({ userPrincipalName: `claimant${++users}@octoorg.onmicrosoft.com` }).id;
function managedGroup(): string {
  const id = azure().addGroup({ displayName: 'platform-admins' }).id;
  azure().onboardGroupToPim(id);
  azure().setGroupPimPolicy({ assignmentExpirationRequired: false }, { groupId: id });
  return id;
}
const setRun = (runId: string, status: string, conclusion?: string) =>
  emulator().github.runs.setRun({
    repository: 'octo-org/octo-repo',
    repositoryId: '123456789',
    runId,
    attempt: '1',
    status,
    ...(conclusion ? { conclusion } : {}),
  });
/** A job's ephemeral membership (revoke-on-exit, no duration) made in run `runId`; its post step never ran. */
async function jobMembership(p: string, runId: string) {
  const job = await runMain(
    azureInputs({ principal: p, target: 'group:platform-admins', role: 'member', 'revoke-on-exit': 'true' }),
    { GITHUB_RUN_ID: runId },
  );
  expect(job.exitCode).toBe(0);
  const [request] = azure()
    .groupPim()
    .requests.filter((r) => r.principalId === p);
  expect(request!.justification).toMatch(
    new RegExp(`\\[cloud-access:octo-org/octo-repo:run:${runId}:1:e\\]$`),
  );
}
const inForce = (p: string) =>
  azure()
    .groupPim()
    .instances.filter((i) => i.principalId === p);
const removals = (p: string) =>
  azure()
    .groupPim()
    .requests.filter((r) => r.principalId === p && r.action === 'adminRemove');

const sweep = (more: Record<string, string> = {}) =>
  runMain(
    azureInputs({
      operation: 'sweep',
      target: 'group:platform-admins',
      'github-token': emulator().github.runs.jobToken,
      ...more,
    }),
    { GITHUB_EVENT_NAME: 'schedule' },
  );
const planOf = (step: { outputs: Record<string, string> }) =>
  JSON.parse(step.outputs.plan!) as { groupMemberships?: Record<string, number> };

describe('the sweep of a group', () => {
  it('ends a finished run’s ephemeral membership, counted in its plan; a dry run first ends nothing', async () => {
    const group = managedGroup();
    const p = newUser();
    await jobMembership(p, '901');
    setRun('901', 'completed', 'success');

    const plan = await sweep({ 'dry-run': 'true' });
    expect(plan.exitCode).toBe(0);
    expect(planOf(plan).groupMemberships).toEqual({ end: 1, running: 0, unknown: 0, unproven: 0 });
    expect(inForce(p)).toHaveLength(1);

    const step = await sweep();
    expect(step.exitCode).toBe(0);
    expect(planOf(step).groupMemberships).toMatchObject({ end: 1 });
    expect(removals(p)).toEqual([expect.objectContaining({ groupId: group, accessId: 'member' })]);
    expect(inForce(p)).toEqual([]);
    expect(step.outputs.changed).toBe('true');
    expect(JSON.parse(step.outputs.results!)).toContainEqual(
      expect.objectContaining({ principal: p, operation: 'revoke', status: 'SUCCEEDED', changed: true }),
    );
  }, 90_000);

  it('leaves a running run’s membership, counted as running', async () => {
    managedGroup();
    const p = newUser();
    await jobMembership(p, '902');
    setRun('902', 'in_progress');
    const step = await sweep();
    expect(step.exitCode).toBe(0);
    expect(planOf(step).groupMemberships).toMatchObject({ end: 0, running: 1 });
    expect(removals(p)).toEqual([]);
    expect(inForce(p)).toHaveLength(1);
  }, 90_000);
});

describe('a reconcile of a managed group', () => {
  const reconcile = (group: string) => {
    writeFileSync(
      join(workspace, 'access.yml'),
      `version: 1\nazure:\n  manages:\n    groups: [${group}]\n  groups: []\n`,
    );
    return runMain(
      azureInputs({
        operation: 'reconcile',
        manifest: 'access.yml',
        'github-token': emulator().github.runs.jobToken,
      }),
      { GITHUB_WORKSPACE: workspace },
    );
  };

  it('keeps a running run’s membership as claimed, and ends it as drift once the run has finished', async () => {
    const group = managedGroup();
    const p = newUser();
    await jobMembership(p, '903');
    setRun('903', 'in_progress');
    const kept = await reconcile(group);
    expect(kept.exitCode).toBe(0);
    expect(kept.stdout).toMatch(new RegExp(`= ${p} as member of group: [^\\n]*: kept, .*run 903`));
    expect(kept.stdout).not.toMatch(/cannot be told/);
    expect(planOf(kept).groupMemberships).toMatchObject({ delete: 0, claimed: 1, unknown: 0 });
    expect(removals(p)).toEqual([]);

    setRun('903', 'completed', 'failure');
    const ended = await reconcile(group);
    expect(ended.exitCode).toBe(0);
    expect(planOf(ended).groupMemberships).toMatchObject({ delete: 1 });
    expect(removals(p)).toHaveLength(1);
    expect(inForce(p)).toEqual([]);
  }, 90_000);
});
