// The e2e suites run most bundled steps in the test's own process (../harness/in-process-step.ts)
// and the rest each in a process of its own, as the runner does (harness/action-runner.ts). Both
// must show the same step: the same bundle, the same exit code, outputs, saved state, job summary,
// annotations and log, whichever ran it. Each case runs a step both ways over the same world (the
// emulator reset between them) and compares what a test would assert on, with what differs from
// one run to the next by nature taken out (request IDs, nonces, durations, masked credentials).
import { describe, expect, it } from '@jest/globals';
import { runStep, type RunOptions, type StepRun } from '../../harness/action-runner.js';
import { runStepInProcess } from '../harness/in-process-step.js';
import { awsInputs, azureInputs, CONTRIBUTOR, newPrincipal, subscription, useEmulator } from './fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 50 });

/** The step's count of its calls (`::debug::calls: {…}`), by name: calls sent at once are counted in the order they went. */
const sortedCalls = (line: string) =>
  line.replace(/^::debug::calls: (.*)$/, (_, json: string) => {
    const counted = JSON.parse(json) as { calls: Record<string, number> };
    const calls = Object.fromEntries(Object.entries(counted.calls).sort(([a], [b]) => a.localeCompare(b)));
    return `::debug::calls: ${JSON.stringify({ ...counted, calls })}`;
  });

/** What differs between two runs of one step by nature, written the same in both. */
const steady = (text: string) =>
  sortedCalls(text)
    .replace(/"(\w*Ms)":\d+/g, '"$1":<duration>')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>')
    .replace(/[0-9a-f]{32}/g, '<nonce>')
    .replace(/\b\d+(\.\d+)? ?(ms|s)\b/g, '<duration>')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>')
    .replace(/::add-mask::.*/g, '::add-mask::<secret>')
    .replace(/\/[^\s'"`]*cloud-access-(main|post)-[^\s'"`/]*/g, '<step folder>');

/** What a test asserts on of a step, with run-to-run differences written the same. */
const shownOf = (run: StepRun) => ({
  exitCode: run.exitCode,
  outputs: Object.fromEntries(Object.entries(run.outputs).map(([k, v]) => [k, steady(v)])),
  state: Object.keys(run.state).sort(),
  summary: steady(run.summary),
  errors: run.errors.map(steady),
  warnings: run.warnings.map(steady),
  log: run.log.map((line) => steady(line)),
});

/** The step run both ways, each from the same reset world (`setUp` makes it): what each showed. */
async function bothWays(step: 'main' | 'post', options: () => RunOptions, setUp: () => void = () => {}) {
  const shown = [];
  for (const run of [runStepInProcess, runStep]) {
    emulator().reset();
    emulator().azure?.addResourceGroup('rg');
    setUp();
    shown.push(shownOf(await run(step, options())));
  }
  return { inProcess: shown[0]!, asProcess: shown[1]! };
}

describe('a bundled step shows the same in the test’s process as in a process of its own', () => {
  it('an AWS assign that grants, with revoke-on-exit: exit code, outputs, state, summary, log', async () => {
    const inputs = () =>
      awsInputs({
        principal: 'alice',
        target: '111111111111',
        role: 'ReadOnlyAccess',
        'revoke-on-exit': 'true',
      });
    const { inProcess, asProcess } = await bothWays('main', () => ({
      inputs: inputs(),
      env: emulator().env,
    }));
    expect(inProcess.exitCode).toBe(0);
    expect(inProcess.state.length).toBeGreaterThan(0);
    expect(inProcess).toEqual(asProcess);
  });

  it('an assign that fails: exit code 1, the same error annotations and outputs', async () => {
    const inputs = awsInputs({ principal: 'alice', target: '111111111111', role: 'NoSuchSet' });
    const { inProcess, asProcess } = await bothWays('main', () => ({ inputs, env: emulator().env }));
    expect(inProcess.exitCode).toBe(1);
    expect(inProcess.errors.length).toBeGreaterThan(0);
    expect(inProcess).toEqual(asProcess);
  });

  it('an Azure assign: the emulator’s CA trusted as NODE_EXTRA_CA_CERTS has the step’s process trust it', async () => {
    let principal = '';
    const inputs = () =>
      azureInputs({
        principal,
        'principal-type': 'User',
        target: `${subscription()}/resourceGroups/rg`,
        role: CONTRIBUTOR,
      });
    const { inProcess, asProcess } = await bothWays(
      'main',
      () => ({ inputs: inputs(), env: emulator().env }),
      () => (principal = newPrincipal()),
    );
    expect(inProcess.exitCode).toBe(0);
    expect(inProcess).toEqual(asProcess);
  });

  it('a post step with nothing saved: its one debug line', async () => {
    const inputs = awsInputs({ principal: 'alice', target: '111111111111', role: 'ReadOnlyAccess' });
    const { inProcess, asProcess } = await bothWays('post', () => ({
      inputs,
      env: emulator().env,
      state: {},
    }));
    expect(inProcess.log.join('\n')).toContain('nothing to revoke');
    expect(inProcess).toEqual(asProcess);
  });

  it('a post step that revokes what its main step saved', async () => {
    const inputs = awsInputs({
      principal: 'alice',
      target: '111111111111',
      role: 'ReadOnlyAccess',
      'revoke-on-exit': 'true',
    });
    // Each way after a main step of its own (a process, as in every job): the state it saved.
    const shown = [];
    for (const run of [runStepInProcess, runStep]) {
      emulator().reset();
      const { state } = await runStep('main', { inputs, env: emulator().env });
      shown.push(shownOf(await run('post', { inputs, env: emulator().env, state })));
      expect(emulator().aws.assignments()).toEqual([]);
    }
    expect(shown[0]!.exitCode).toBe(0);
    expect(shown[0]).toEqual(shown[1]);
  });
});

describe('a step in the test’s process leaves the process as it found it', () => {
  /**
   * The listeners on the worker's own streams, which every test file jest runs in the worker shares,
   * and the process's warning listeners, which a step replaces (src/github/step-end.ts).
   */
  const streamListeners = () => [
    ...[process.stdout, process.stderr].map((stream) =>
      Object.fromEntries(stream.eventNames().map((event) => [String(event), stream.rawListeners(event)])),
    ),
    process.rawListeners('warning'),
  ];

  it('no listener it added stays on stdout or stderr, and Node’s warning printer is back, for the worker’s later files', async () => {
    const before = streamListeners();
    const inputs = awsInputs({ principal: 'alice', target: '111111111111', role: 'ReadOnlyAccess' });
    for (const exitCode of [0, 1]) {
      const run = await runStepInProcess('main', {
        inputs: exitCode === 0 ? inputs : { ...inputs, role: 'NoSuchSet' },
        env: emulator().env,
      });
      expect(run.exitCode).toBe(exitCode);
      expect(streamListeners()).toEqual(before);
    }
  });
});
