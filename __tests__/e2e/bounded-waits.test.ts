// Bounded, always, and every wait said: a service that asks (Retry-After) for a wait longer than
// the step has left ends the step at once with an `::error::` naming the service, the call, the
// wait it asked and `timeout-seconds`, every output set; a wait of a second or more before a retry
// is a plain log line (the service, the call, how long), not only a debug line.
import { describe, expect, it } from '@jest/globals';
import { azure, azureInputs, READER, runMain, subscription, useEmulator } from './fixture.js';

const emulator = useEmulator();
const graphRequests = () => emulator().requests.filter((r) => r.service === 'graph');
const plainLines = (stdout: string) => stdout.split('\n').filter((l) => !l.startsWith('::'));

describe('a Retry-After longer than the time left ends the step at once', () => {
  it.each([
    ['one lookup (a plain GET)', false, 'Graph_Groups'],
    ['several lookups (a $batch item)', true, 'Graph_Batch'],
  ])('Microsoft Graph, %s', async (_, batched, call) => {
    azure().addGroup({ displayName: 'platform-deployers' });
    const { appId } = azure().addApplication({ displayName: 'deploy-bot' }).servicePrincipal;
    const principals = ['group:platform-deployers', ...(batched ? [`sp:${appId}`] : [])];
    azure().config.graphRetryAfterSeconds = 120;
    azure().faults.graphThrottled = 1000;
    const step = await runMain(
      azureInputs({
        role: READER,
        target: subscription(),
        principal: principals.join('\n'),
        'timeout-seconds': '30',
      }),
    );
    expect(step.exitCode).toBe(1);
    const error = step.errors.join('\n');
    expect(error).toMatch(
      new RegExp(
        `Microsoft Graph asked to wait 120 s before ${call} is tried again \\(Retry-After\\), more than the \\d+ s left of the step's 30s deadline \\(\`timeout-seconds\`\\)`,
      ),
    );
    // Asked once, never again: the wait was not waited.
    expect(graphRequests()).toHaveLength(1);
    expect(step.outputs.status).toBe('FAILED');
    expect(step.outputs['failure-reason']).toContain('Microsoft Graph asked to wait 120 s');
    expect(step.outputs.results).toBe('[]');
    expect(step.stderr).toBe('');
  });

  it('Azure Resource Manager: the write ends at once, its grant FAILED with what ARM asked', async () => {
    azure().config.faultRetryAfterSeconds = 120;
    azure().faults.throttleRate = 1;
    const step = await runMain(
      azureInputs({
        role: READER,
        target: subscription(),
        principal: azure().addPrincipal({ type: 'User', createdAt: 0 }),
        'timeout-seconds': '30',
      }),
    );
    expect(step.exitCode).toBe(1);
    expect(step.errors.join('\n')).toMatch(
      /Azure Resource Manager asked to wait 120 s before \S+ is tried again \(Retry-After\), more than the \d+ s left of the step's 30s deadline \(`timeout-seconds`\)/,
    );
    expect(step.outputs.status).toBe('FAILED');
    expect(step.outputs['failure-reason']).toContain('asked to wait 120 s');
    expect(step.stderr).toBe('');
  });
});

describe('every wait of a second or more is said', () => {
  it("a throttled Graph lookup says Graph's Retry-After before it waits, and succeeds after it", async () => {
    azure().addGroup({ displayName: 'platform-deployers' });
    azure().config.graphRetryAfterSeconds = 2;
    azure().faults.graphThrottled = 1;
    const step = await runMain(
      azureInputs({ role: READER, target: subscription(), principal: 'group:platform-deployers' }),
    );
    expect(step.exitCode).toBe(0);
    expect(plainLines(step.stdout)).toContain(
      'Microsoft Graph: Graph_Groups was throttled; waiting 2 s (its Retry-After) before trying again',
    );
  });

  it('a throttled $batch item says so too', async () => {
    azure().addGroup({ displayName: 'platform-deployers' });
    const { appId } = azure().addApplication({ displayName: 'deploy-bot' }).servicePrincipal;
    azure().config.graphRetryAfterSeconds = 2;
    azure().faults.graphThrottled = 1;
    const step = await runMain(
      azureInputs({
        role: READER,
        target: subscription(),
        principal: `group:platform-deployers\nsp:${appId}`,
      }),
    );
    expect(step.errors).toEqual([]);
    expect(step.exitCode).toBe(0);
    expect(plainLines(step.stdout)).toContain(
      'Microsoft Graph: Graph_Batch (1 item(s)) was throttled; waiting 2 s (its Retry-After) before trying again',
    );
  });
});
