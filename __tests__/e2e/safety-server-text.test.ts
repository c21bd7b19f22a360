// Never obey text a server sent, in the runner's legacy `##[name]` form too: a failure
// reason, a request ID or an error message from AWS or ARM, or an input the action echoes back (a
// principal's name, a role), reaches the log, the outputs and the job summary as inert text.
// Nothing in it can start a workflow command in either form the runner reads (`::name::` at the
// start of a line, which it ends at `\r` as well as `\n`; `##[name]` anywhere in a line), break the
// `failure-reason` output over lines, or add HTML to the summary. Above all, a planted
// `##[stop-commands]` cannot turn off the masking of a credential the step renews later on.
import { describe, expect, it } from '@jest/globals';
import type { StepRun } from '../../harness/action-runner.js';
import { findSecretLeaks, legacyCommandNames, runnerCommand } from '../harness/secret-scan.js';
import {
  awsInputs,
  azureInputs,
  forgedCommands,
  newPrincipal,
  READER,
  resultsOf,
  runMain,
  subscription,
  useEmulator,
} from './fixture.js';

const HOSTILE =
  'x\n::warning::pwned\n::add-mask::secret\n::set-output name=status::SUCCEEDED\n::stop-commands::t0k3n\r::error::cr <img src=x onerror=alert(1)> ##[add-mask]secret ##[warning]pwned ##[set-output name=status;]SUCCEEDED ##[stop-commands]t0k3n';

/** A name the directory accepts (no white space, punctuation allowed) that carries legacy commands. */
const HOSTILE_NAME = 'mallory##[stop-commands]t0k3n##[warning]pwned##[add-mask]secret';

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
  const outputs = Object.entries(step.outputs);
  expect({
    forgedCommands: forgedCommands(step),
    // A workflow may echo an output on a line of its own.
    commandsInOutputs: outputs.filter(
      ([, value]) => runnerCommand(value) || legacyCommandNames(value).length > 0,
    ),
    legacyCommandsInSummary: legacyCommandNames(step.summary),
    rawHtmlInSummary: /<img/i.test(step.summary),
    newlineInFailureReason: /[\r\n]/.test(step.outputs['failure-reason'] ?? ''),
    results,
  }).toEqual({
    forgedCommands: [],
    commandsInOutputs: [],
    legacyCommandsInSummary: [],
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

describe('an input the action echoes back is inert', () => {
  it("a principal's name, in the grant's log group, its summary row and the results output", async () => {
    emulator().aws.addUser(HOSTILE_NAME);
    const step = await runMain({ ...awsGrant, principal: HOSTILE_NAME });
    expect(step.outputs.status).toBe('SUCCEEDED');
    expect(resultsOf(step)[0]?.principal).toBe(HOSTILE_NAME);
    expectInert(step);
  });

  it('a principal the directory does not know, named in the failure', async () => {
    const step = await runMain({ ...awsGrant, principal: HOSTILE_NAME });
    expect(step.outputs.status).toBe('FAILED');
    expect(step.outputs['failure-reason']).toContain('mallory%23%23[stop-commands]t0k3n');
    expectInert(step);
  });

  it('a role that is not valid, named in the input error', async () => {
    const step = await runMain({ ...awsGrant, role: 'ReadOnly##[stop-commands]t0k3n' });
    expect(step.outputs.status).toBe('FAILED');
    expect(emulator().requests).toEqual([]);
    expectInert(step);
  });
});

describe('a stop-commands planted early cannot unmask a credential the step renews later', () => {
  const PLANTED = 'access denied ##[stop-commands]t0k3n';

  /** The values the step masked after the first log line that carries the planted text. */
  function maskedAfterPlanted(step: StepRun): string[] {
    const planted = step.log.findIndex((line) => line.includes('stop-commands]t0k3n'));
    expect(planted).toBeGreaterThanOrEqual(0);
    return step.log
      .slice(planted + 1)
      .filter((line) => line.startsWith('::add-mask::'))
      .map((line) => line.slice('::add-mask::'.length));
  }

  it('AWS: a FailureReason, then STS credentials renewed with a new GitHub token, all masked', async () => {
    // Shorter than the minute before expiry at which the action renews: every call renews them.
    emulator().aws.config.credentialLifetimeSeconds = 3;
    emulator().aws.config.writeDelayMs = 1_000;
    emulator().aws.faults.failCreations = [{ reason: PLANTED, accountId: '111111111111' }];
    const step = await runMain(
      awsInputs({
        principal: 'alice',
        target: '111111111111\n222222222222',
        role: 'ReadOnlyAccess',
        'max-concurrency': '1',
        'timeout-seconds': '30',
      }),
    );
    expect(resultsOf(step).map((r) => [r.target, r.status])).toEqual([
      ['111111111111', 'FAILED'],
      ['222222222222', 'SUCCEEDED'],
    ]);
    // The chain happened: a GitHub token and an STS session issued after the planted text.
    const later = maskedAfterPlanted(step);
    const sessions = emulator().aws.sessions;
    expect(later.some((value) => emulator().github.issuedTokens.includes(value))).toBe(true);
    expect(later.some((value) => sessions.some((s) => s.sessionToken === value))).toBe(true);
    expect(findSecretLeaks(step, emulator().issuedSecrets())).toEqual([]);
    expect(forgedCommands(step)).toEqual([]);
  });

  it('Azure: an ARM error message, then Entra access tokens renewed with a new GitHub token, all masked', async () => {
    const azure = emulator().azure!;
    azure.config.accessTokenLifetimeSeconds = 3;
    azure.config.readAfterWriteDelayMs = 4_000;
    // A GitHub token is reused for half its lifetime: this one for 2 s, so renewals need new ones.
    emulator().github.tokenLifetimeSeconds = 4;
    azure.faults.armFailures = [
      {
        method: 'PUT',
        pathIncludes: '/resourceGroups/rg-planted/providers/Microsoft.Authorization/roleAssignments/',
        status: 400,
        code: 'InvalidRoleAssignment',
        message: PLANTED,
      },
    ];
    const step = await runMain(
      azureInputs({
        principal: newPrincipal(),
        target: `${subscription()}/resourceGroups/rg-planted\n${subscription()}/resourceGroups/rg-app`,
        role: READER,
        'max-concurrency': '1',
        'timeout-seconds': '30',
      }),
    );
    expect(resultsOf(step).map((r) => r.status)).toEqual(['FAILED', 'SUCCEEDED']);
    const later = maskedAfterPlanted(step);
    expect(later.some((value) => emulator().github.issuedTokens.includes(value))).toBe(true);
    expect(later.some((value) => azure.issuedAccessTokens.includes(value))).toBe(true);
    expect(findSecretLeaks(step, emulator().issuedSecrets())).toEqual([]);
    expect(forgedCommands(step)).toEqual([]);
  });
});
