// `operation: sweep` on Azure, through the bundle as the runner runs it: an assignment a
// revoke-on-exit step made carries its run's marker; once that run has finished, the sweep deletes
// it, provided ARM says one of `created-by` made it.
import { describe, expect, it } from '@jest/globals';
import { azure, azureInputs, newPrincipal, READER, runMain, subscription, useEmulator } from './fixture.js';

const emulator = useEmulator();
const scope = () => `${subscription()}/resourceGroups/rg-sweep`;
const has = (principal: string) =>
  azure()
    .roleAssignments()
    .some((a) => a.properties.principalId === principal);

const setRun = (runId: string, status: string, conclusion?: string) =>
  emulator().github.runs.setRun({
    repository: 'octo-org/octo-repo',
    repositoryId: '123456789',
    runId,
    attempt: '1',
    status,
    ...(conclusion ? { conclusion } : {}),
  });

const sweep = (more: Record<string, string> = {}) =>
  runMain(
    azureInputs({
      operation: 'sweep',
      target: scope(),
      'github-token': emulator().github.runs.jobToken,
      ...more,
    }),
    { GITHUB_EVENT_NAME: 'schedule' },
  );

describe('the Azure sweep', () => {
  it('revokes a finished run’s marked assignment that our identity created; leaves a copied marker', async () => {
    const deployer = newPrincipal('ServicePrincipal');
    const job = await runMain(
      azureInputs({
        principal: deployer,
        'principal-type': 'ServicePrincipal',
        target: scope(),
        role: READER,
        'revoke-on-exit': 'true',
      }),
      { GITHUB_RUN_ID: '801' },
    );
    expect(job.exitCode).toBe(0);
    const made = azure()
      .roleAssignments()
      .find((a) => a.properties.principalId === deployer)!;
    expect(made.properties.description).toMatch(/\[cloud-access:octo-org\/octo-repo:run:801:1:e\]$/);

    // The same marker, copied by hand onto an assignment another identity created.
    const other = newPrincipal('User');
    azure().addRoleAssignment({
      scope: scope(),
      roleDefinitionId: READER,
      principalId: other,
      description: made.properties.description!,
      createdBy: '99999999-9999-4999-8999-999999999999',
    });
    setRun('801', 'completed', 'success');

    const plan = await sweep({ 'dry-run': 'true' });
    expect(plan.exitCode).toBe(0);
    expect(JSON.parse(plan.outputs.plan!)).toMatchObject({ revoke: 1, unproven: 1 });
    expect(has(deployer)).toBe(true);

    const step = await sweep();
    expect(step.exitCode).toBe(0);
    const results = JSON.parse(step.outputs.results!) as {
      principal: string;
      kind: string;
      action: string;
      reason: string;
    }[];
    expect(results.find((r) => r.principal === deployer)).toMatchObject({
      kind: 'revoke',
      action: 'revoked',
    });
    expect(results.find((r) => r.principal === other)).toMatchObject({
      kind: 'unproven',
      reason: expect.stringMatching(/copied by hand/),
    });
    expect(has(deployer)).toBe(false);
    expect(has(other)).toBe(true);
  }, 60_000);

  it('leaves the assignment of a run still going', async () => {
    const deployer = newPrincipal('ServicePrincipal');
    await runMain(
      azureInputs({
        principal: deployer,
        'principal-type': 'ServicePrincipal',
        target: scope(),
        role: READER,
        'revoke-on-exit': 'true',
      }),
      { GITHUB_RUN_ID: '802' },
    );
    setRun('802', 'in_progress');
    const step = await sweep();
    expect(JSON.parse(step.outputs.plan!)).toMatchObject({ revoke: 0, running: 1 });
    expect(has(deployer)).toBe(true);
  }, 60_000);
});
