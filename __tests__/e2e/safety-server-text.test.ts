// Issue #10, "never obey text a server sent": a failure reason, a request ID or an error message
// from AWS or ARM reaches the log, the outputs and the job summary as inert text. Nothing in it
// can start a workflow command (the runner reads one at the start of any line, and ends lines at
// `\r` as well as `\n`), break the `failure-reason` output over lines, or add HTML to the summary.
import { describe, expect, it } from '@jest/globals';
import type { StepRun } from '../../scripts/action-runner.js';
import { awsInputs, azureInputs, forgedCommands, READER, runMain, useEmulator } from './fixture.js';

const HOSTILE =
  'x\n::warning::pwned\n::add-mask::secret\n::set-output name=status::SUCCEEDED\n::stop-commands::t0k3n\r::error::cr <img src=x onerror=alert(1)>';

const emulator = useEmulator({ awsWriteDelayMs: 100 });

const awsGrant = awsInputs({
  principal: 'alice',
  target: '111111111111',
  role: 'ReadOnlyAccess',
  'timeout-seconds': '20',
});

/** What every step that received HOSTILE must show: the text, inert. Lists every way it was not. */
function expectInert(step: StepRun): void {
  let results = 'parses as JSON';
  try {
    JSON.parse(step.outputs.results ?? '');
  } catch (error) {
    results = `does not parse as JSON (${(error as Error).message})`;
  }
  expect({
    forgedCommands: forgedCommands(step),
    rawHtmlInSummary: /<img/i.test(step.summary),
    newlineInFailureReason: /[\r\n]/.test(step.outputs['failure-reason'] ?? ''),
    results,
  }).toEqual({
    forgedCommands: [],
    rawHtmlInSummary: false,
    newlineInFailureReason: false,
    results: 'parses as JSON',
  });
}

describe('server text is inert', () => {
  it('an AWS FailureReason', async () => {
    emulator().aws.faults.failCreations = [{ reason: HOSTILE }];
    const step = await runMain(awsGrant);
    expect(emulator().aws.state.creations.size).toBe(1);
    expect(step.outputs.status).toBe('FAILED');
    expectInert(step);
  });

  it('an AWS request ID', async () => {
    emulator().aws.faults.forcedRequestIds = [HOSTILE];
    const step = await runMain(awsGrant);
    expect(emulator().aws.state.creations.has(HOSTILE)).toBe(true);
    expectInert(step);
  });

  it('an AWS error message', async () => {
    emulator().aws.faults.failRequests = [
      { operation: 'CreateAccountAssignment', status: 400, code: 'ValidationException', message: HOSTILE },
    ];
    const step = await runMain(awsGrant);
    expect(emulator().requests.filter((r) => r.errorCode === 'ValidationException')).toHaveLength(1);
    expect(step.outputs.status).toBe('FAILED');
    expectInert(step);
  });

  it('an ARM error message', async () => {
    const azure = emulator().azure!;
    azure.faults.armFailures = [
      {
        method: 'PUT',
        pathIncludes: '/providers/Microsoft.Authorization/roleAssignments/',
        status: 400,
        code: 'InvalidRoleAssignment',
        message: HOSTILE,
      },
    ];
    const step = await runMain(
      azureInputs({
        principal: azure.addPrincipal({ type: 'User', createdAt: 0 }),
        target: `/subscriptions/${azure.subscriptionId}/resourceGroups/rg-app`,
        role: READER,
      }),
    );
    expect(emulator().requests.filter((r) => r.errorCode === 'InvalidRoleAssignment')).toHaveLength(1);
    expect(step.outputs.status).toBe('FAILED');
    expectInert(step);
  });
});
