// A permanent grant stays: no sweep ends a grant made by `assign` without `revoke-on-exit` or
// `duration`. A permanent assign that finds the same assignment already made
// by another run's ephemeral step reports it in place; it must not be ended silently by that run's
// sweep. Through the bundle, as the runner runs it, against the emulator.
import { describe, expect, it } from '@jest/globals';
import { azure, azureInputs, newPrincipal, READER, runMain, subscription, useEmulator } from './fixture.js';

const emulator = useEmulator();
const REPOSITORY = 'octo-org/octo-repo';
const scope = () => `${subscription()}/resourceGroups/rg-permanent-on-ephemeral`;
const assignmentOf = (principal: string) =>
  azure()
    .roleAssignments()
    .find((a) => a.properties.principalId === principal);

describe('Azure: a permanent assign on an assignment another run made ephemeral', () => {
  // Job E (run 51, `revoke-on-exit`) creates Reader with its `:e` marker. Job P (run 52, a plain
  // `assign`, meant to be permanent) finds it in place: it does not make it permanent, and it says
  // so as a warning naming the run it ends with and how to keep it.
  it('says so, or the sweep leaves it, when the run that made it ends', async () => {
    const deployer = newPrincipal('ServicePrincipal');
    const inputs = (more: Record<string, string>) =>
      azureInputs({
        principal: deployer,
        'principal-type': 'ServicePrincipal',
        target: scope(),
        role: READER,
        ...more,
      });
    const ephemeral = await runMain(inputs({ 'revoke-on-exit': 'true' }), {
      GITHUB_RUN_ID: '51',
      GITHUB_RUN_ATTEMPT: '1',
    });
    expect(ephemeral.exitCode).toBe(0);
    const permanent = await runMain(inputs({}), { GITHUB_RUN_ID: '52', GITHUB_RUN_ATTEMPT: '1' });
    expect(permanent.exitCode).toBe(0);
    const warned = permanent.warnings.some((w) => w.includes('51'));

    // Run 51's post step never ran (its runner was lost); the run has ended.
    emulator().github.runs.setRun({
      repository: REPOSITORY,
      repositoryId: '123456789',
      runId: '51',
      attempt: '1',
      status: 'completed',
      conclusion: 'failure',
    });
    const sweep = await runMain(
      azureInputs({ operation: 'sweep', target: scope(), 'github-token': emulator().github.runs.jobToken }),
      { GITHUB_EVENT_NAME: 'schedule' },
    );
    expect(sweep.exitCode).toBe(0);
    expect({ warned, kept: assignmentOf(deployer) !== undefined }).not.toEqual({
      warned: false,
      kept: false,
    });
  }, 120_000);
});
