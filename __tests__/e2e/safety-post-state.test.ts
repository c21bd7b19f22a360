// The post step trusts only its own state: state from another job (replayed into this
// one as STATE_* variables, as a step writing to GITHUB_ENV could) revokes nothing, and a post step
// whose `revoke-on-exit` is false revokes nothing either.
import { describe, expect, it } from '@jest/globals';
import { runStep } from '../../harness/action-runner.js';
import {
  accountOf,
  asJobEnv,
  awsAssignment,
  awsInputs,
  azureInputs,
  READER,
  runMain,
  runPost,
  useEmulator,
} from './fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 100 });

/** Two jobs' principals and targets on one cloud. */
interface World {
  /** Job A's principal and its three targets; job B's principal and target. */
  a: { principal: string; targets: string[] };
  b: { principal: string; target: string };
  inputs(principal: string, targets: string[], revokeOnExit: boolean): Record<string, string>;
  has(principal: string, target: string): boolean;
  deleteOperation: string;
}

function awsWorld(): World {
  return {
    a: { principal: 'alice', targets: ['111111111111', '222222222222', '333333333333'] },
    b: { principal: 'bob', target: '444444444444' },
    inputs: (principal, targets, revokeOnExit) =>
      awsInputs({
        principal,
        target: targets.join('\n'),
        role: 'ReadOnlyAccess',
        'revoke-on-exit': String(revokeOnExit),
      }),
    has: (principal, target) => emulator().aws.hasAssignment(awsAssignment(target, principal)),
    deleteOperation: 'DeleteAccountAssignment',
  };
}

function azureWorld(): World {
  const azure = emulator().azure!;
  const rg = (name: string) => `/subscriptions/${azure.subscriptionId}/resourceGroups/${name}`;
  const principal = () => azure.addPrincipal({ type: 'User', createdAt: 0 });
  return {
    a: { principal: principal(), targets: [rg('rg-a1'), rg('rg-a2'), rg('rg-a3')] },
    b: { principal: principal(), target: rg('rg-b') },
    inputs: (principal, targets, revokeOnExit) =>
      azureInputs({
        principal,
        target: targets.join('\n'),
        role: READER,
        'revoke-on-exit': String(revokeOnExit),
      }),
    has: (principal, target) => azure.findRoleAssignment(target, principal, READER) !== undefined,
    deleteOperation: 'RoleAssignments_Delete',
  };
}

const writes = () =>
  emulator()
    .requests.filter((r) => r.write)
    .map((r) => `${r.operation} ${accountOf(r.input) ?? r.path}`);

describe.each([
  ['AWS', awsWorld],
  ['Azure', azureWorld],
] as const)('%s', (_cloud, makeWorld) => {
  it("a post step whose main step saved nothing revokes nothing, whatever another job's state the environment holds", async () => {
    const w = makeWorld();
    const jobA = await runMain(w.inputs(w.a.principal, w.a.targets, true));
    expect(jobA.exitCode).toBe(0);
    expect(Object.keys(jobA.state).length).toBeGreaterThan(0);

    const inputsB = w.inputs(w.b.principal, [w.b.target], false);
    const mainB = await runMain(inputsB);
    expect(mainB.exitCode).toBe(0);
    emulator().requests.length = 0;
    const postB = await runStep('post', {
      inputs: inputsB,
      env: { ...emulator().env, ...asJobEnv(jobA.state) },
      state: mainB.state,
    });
    expect(postB.exitCode).toBe(0);
    expect(writes()).toEqual([]);
    for (const target of w.a.targets) expect([target, w.has(w.a.principal, target)]).toEqual([target, true]);
    expect(w.has(w.b.principal, w.b.target)).toBe(true);
  }, 30_000);

  it("a post step revokes its own grant and none of another job's, whose state the environment holds under its own", async () => {
    const w = makeWorld();
    const jobA = await runMain(w.inputs(w.a.principal, w.a.targets, true));
    expect(jobA.exitCode).toBe(0);

    const inputsB = w.inputs(w.b.principal, [w.b.target], true);
    const mainB = await runMain(inputsB);
    expect(mainB.exitCode).toBe(0);
    expect(w.has(w.b.principal, w.b.target)).toBe(true);
    emulator().requests.length = 0;
    // The runner lays the step's own state over the job's environment.
    const postB = await runStep('post', {
      inputs: inputsB,
      env: { ...emulator().env, ...asJobEnv(jobA.state) },
      state: mainB.state,
    });
    expect(w.has(w.b.principal, w.b.target)).toBe(false);
    for (const target of w.a.targets) expect([target, w.has(w.a.principal, target)]).toEqual([target, true]);
    expect(emulator().requests.filter((r) => r.operation === w.deleteOperation)).toHaveLength(1);
    expect(postB.errors).toEqual([]);
  }, 30_000);

  it("a post step whose main step failed before its first request revokes nothing, even with another job's state for the very same grants", async () => {
    const w = makeWorld();
    const inputs = w.inputs(w.a.principal, w.a.targets, true);
    const jobA = await runMain(inputs);
    expect(jobA.exitCode).toBe(0);

    // Job B asks for the same grants, but cannot sign in: it fails before any request to the cloud.
    const { ACTIONS_ID_TOKEN_REQUEST_URL: _url, ...noOidc } = emulator().env;
    const mainB = await runStep('main', { inputs, env: noOidc });
    expect(mainB.exitCode).toBe(1);
    emulator().requests.length = 0;
    const postB = await runStep('post', {
      inputs,
      env: { ...emulator().env, ...asJobEnv(jobA.state) },
      state: mainB.state,
    });
    expect(postB.exitCode).toBe(0);
    expect(writes()).toEqual([]);
    for (const target of w.a.targets) expect([target, w.has(w.a.principal, target)]).toEqual([target, true]);
  }, 30_000);

  it('a post step whose `revoke-on-exit` is now false revokes nothing, and fails naming the grants its main step left', async () => {
    const w = makeWorld();
    const main = await runMain(w.inputs(w.a.principal, w.a.targets, true));
    expect(main.exitCode).toBe(0);
    emulator().requests.length = 0;
    const post = await runPost(w.inputs(w.a.principal, w.a.targets, false), main.state);
    expect(post.exitCode).toBe(1);
    expect(post.errors).toEqual([
      expect.stringContaining('so the 3 grants the main step created are left in place'),
    ]);
    expect(writes()).toEqual([]);
    for (const target of w.a.targets) expect([target, w.has(w.a.principal, target)]).toEqual([target, true]);
  }, 30_000);
});
