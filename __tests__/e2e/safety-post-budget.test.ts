// Revoke-on-exit does not fail open: the post step revokes every grant it can even
// when one cannot be followed, re-reads nothing it already knows, starts whatever size the main
// step's batch was, and has a budget of its own (`post-timeout-seconds`, default 300) rather than
// the main step's `timeout-seconds`.
import { describe, expect, it } from '@jest/globals';
import { runStep } from '../../harness/action-runner.js';
import { deterministicAssignmentName } from '../../src/core/azure-assignment-name.js';
import {
  accounts,
  awsAssignment,
  awsInputs,
  awsQuiesce,
  azureInputs,
  READER,
  resultsOf,
  runMain,
  runPost,
  useEmulator,
  watched,
} from './fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 100 });

const ACCOUNTS = ['111111111111', '222222222222', '333333333333'];
const has = (accountId: string) => emulator().aws.hasAssignment(awsAssignment(accountId));
const describes = () =>
  emulator().requests.filter((r) => r.operation === 'DescribeAccountAssignmentCreationStatus');

describe('AWS post step', () => {
  it('revokes the grants it can follow when one cannot be, and fails naming that one', async () => {
    emulator().aws.config.writeDelayMs = 1_000;
    const inputs = awsInputs({
      principal: 'alice',
      target: ACCOUNTS.join('\n'),
      role: 'ReadOnlyAccess',
      wait: 'false',
      'revoke-on-exit': 'true',
    });
    const main = await runMain(inputs);
    expect(main.exitCode).toBe(0);
    const results = resultsOf(main);
    expect(results.map((r) => [r.target, r.status])).toEqual(ACCOUNTS.map((a) => [a, 'IN_PROGRESS']));
    const [, , third] = results;
    expect(third!.requestId).toMatch(/^[0-9a-f-]{36}$/);

    // The status of the third create cannot be read.
    emulator().aws.faults.failRequests = [
      {
        operation: 'DescribeAccountAssignmentCreationStatus',
        match: { AccountAssignmentCreationRequestId: third!.requestId! },
        status: 403,
        code: 'AccessDeniedException',
        message: 'User: arn:aws:sts::123456789012:assumed-role/cloud-access/post is not authorized',
      },
    ];
    const post = await runPost(inputs, main.state);
    await awsQuiesce();
    expect([has(ACCOUNTS[0]!), has(ACCOUNTS[1]!)]).toEqual([false, false]);
    expect(post.exitCode).not.toBe(0);
    expect([...post.errors, post.outputs.results ?? ''].join('\n')).toContain(ACCOUNTS[2]);
  }, 30_000);

  it('reads no create status again after a main step that followed every create to SUCCEEDED', async () => {
    const inputs = awsInputs({
      principal: 'alice',
      target: ACCOUNTS.join('\n'),
      role: 'ReadOnlyAccess',
      'revoke-on-exit': 'true',
    });
    const main = await runMain(inputs);
    expect(resultsOf(main).map((r) => r.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    emulator().requests.length = 0;
    const post = await runPost(inputs, main.state);
    expect(post.exitCode).toBe(0);
    expect(ACCOUNTS.map(has)).toEqual([false, false, false]);
    expect(describes()).toEqual([]);
  });

  it('cleans up 56 creates the main step left pending at its deadline, with the default post budget', async () => {
    // Every create accepted stays IN_PROGRESS past the main step's deadline, however slow the
    // machine, and ends 10 s after it: what the post step meets depends on the order, not the speed.
    emulator().aws.config.writeDelayMs = 600_000;
    // 14 users × 4 accounts, by ID, with the instance and permission set given: no look-ups, so
    // the step's budget goes to the 56 creates. alice holds the permission set in the 4 accounts
    // already: those stay.
    const users = Array.from({ length: 14 }, (_, i) =>
      emulator().aws.addUser(`user${String(i).padStart(2, '0')}`),
    );
    const targets = accounts(4);
    for (const account of targets) emulator().aws.addAssignment(awsAssignment(account));
    const before = emulator().aws.assignments();
    const inputs = awsInputs({
      principal: [emulator().aws.userId('alice'), ...users].join('\n'),
      target: targets.join('\n'),
      role: emulator().aws.permissionSetArn('ReadOnlyAccess'),
      'instance-arn': emulator().aws.instanceArn,
      'identity-store-id': emulator().aws.identityStoreId,
      'timeout-seconds': '10',
      'max-concurrency': '60',
      'revoke-on-exit': 'true',
    });
    const main = await runStep('main', watched({ inputs, env: emulator().env }, 20_000).options);
    const { creations } = emulator().aws.state;
    const pending = emulator().aws.state.inProgress(creations).length;
    console.log(
      `56 creates, timeout-seconds 10: ${creations.size} accepted, ${pending} still IN_PROGRESS when the main step exited after ${main.durationMs} ms`,
    );
    expect(pending).toBeGreaterThan(0);
    emulator().aws.completeHeldRequests(10_000);
    emulator().aws.config.writeDelayMs = 200; // the post step's deletes; the creates end in 10 s

    const { options, watch } = watched({ inputs, env: emulator().env, state: main.state }, 40_000);
    const post = await runStep('post', options);
    await awsQuiesce();
    const left = emulator().aws.assignments().length - before.length;
    console.log(
      `post step: ${post.durationMs} ms, exit ${String(post.exitCode)}, ${left} created assignment(s) left`,
    );
    expect(watch.killed).toBe(false);
    expect(emulator().aws.assignments()).toEqual(before);
  }, 60_000);

  it('stops at `post-timeout-seconds` (2 s), not at the `timeout-seconds` of the main step', async () => {
    emulator().aws.config.writeDelayMs = 600_000; // the creates never finish
    const inputs = awsInputs({
      principal: 'alice',
      target: ACCOUNTS.join('\n'),
      role: 'ReadOnlyAccess',
      wait: 'false',
      'timeout-seconds': '30',
      'revoke-on-exit': 'true',
      'post-timeout-seconds': '2',
    });
    const main = await runMain(inputs);
    expect(main.exitCode).toBe(0);
    const { options, watch } = watched({ inputs, env: emulator().env, state: main.state }, 15_000);
    const post = await runStep('post', options);
    console.log(`post-timeout-seconds 2: the post step exited after ${post.durationMs} ms`);
    expect(watch.killed).toBe(false);
    // On the emulator's clock, from the post step's first request to its last: its own 2 s (and a
    // second for a request under way to arrive), not the main step's 30 s. Its start-up, which a
    // loaded machine slows, is not counted.
    const posted = emulator()
      .requests.filter((r) => r.at >= watch.spawnedAt)
      .map((r) => r.at);
    expect(posted.length).toBeGreaterThan(0);
    expect(Math.max(...posted) - Math.min(...posted)).toBeLessThanOrEqual(2_000 + 1_000);
  }, 30_000);
});

describe('Azure post step', () => {
  it('starts after a main step that found 300 grants in place and created one, and revokes only that one', async () => {
    const azure = emulator().azure!;
    const principal = azure.addPrincipal({ type: 'User', createdAt: 0 });
    const sub = `/subscriptions/${azure.subscriptionId}`;
    const resourceGroup = `${sub}/resourceGroups/rg-${'r'.repeat(87)}`;
    const storageAccount = (i: number) =>
      `${resourceGroup}/providers/Microsoft.Storage/storageAccounts/sa${String(i).padStart(3, '0')}${'x'.repeat(55)}`;
    const existing = Array.from({ length: 300 }, (_, i) => storageAccount(i));
    for (const scope of existing) {
      azure.addRoleAssignment({
        scope,
        roleDefinitionId: READER,
        principalId: principal,
        name: deterministicAssignmentName(scope.toLowerCase(), principal, READER),
      });
    }
    const created = storageAccount(300);
    const inputs = azureInputs({
      principal,
      target: [...existing, created].join('\n'),
      role: `${sub}/providers/Microsoft.Authorization/roleDefinitions/${READER}`,
      'revoke-on-exit': 'true',
      'max-concurrency': '50',
    });
    const main = await runMain(inputs);
    expect(main.exitCode).toBe(0);
    const largest = Math.max(...Object.values(main.state).map((v) => Buffer.byteLength(v)));
    console.log(
      `301 grants: the main step took ${main.durationMs} ms and saved ${Object.keys(main.state).length} state values, the largest ${largest} bytes`,
    );
    expect(largest).toBeLessThan(16 * 1024);
    expect(azure.findRoleAssignment(created, principal, READER)).toBeDefined();

    emulator().requests.length = 0;
    const post = await runPost(inputs, main.state);
    expect(post.exitCode).toBe(0);
    expect(azure.findRoleAssignment(created, principal, READER)).toBeUndefined();
    expect(emulator().requests.filter((r) => r.operation === 'RoleAssignments_Delete')).toHaveLength(1);
    expect(azure.roleAssignments().filter((a) => a.properties.principalId === principal)).toHaveLength(300);
  }, 60_000);
});
