// The fault matrix: every fault the emulator can inject, on both clouds, end to end through the bundle
// as the runner runs it. Whatever the fault, the step either gets the user what they asked for
// (every grant SUCCEEDED, each assignment created exactly once) or fails within its deadline; and
// a job cancelled mid-batch leaves nothing behind once its post step has run. Each cloud's half runs
// from a test file of its own (fault-matrix-aws.test.ts, fault-matrix-azure.test.ts), so that jest's
// workers run the two side by side: most of each case is waiting on the emulator's clock.
import { afterAll, describe, expect, it } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { runStep, type StepRun } from '../../harness/action-runner.js';
import type { Emulator } from '../../emulator/index.js';
import { awsInputs, azureInputs, READER, runMain, runPost, useEmulator } from './fixture.js';

export type Cloud = 'aws' | 'azure';

/** One batch on one cloud: a principal, three targets (the first assigned before the step), a role. */
interface World {
  cloud: Cloud;
  targets: string[];
  /** The step's inputs for the batch, plus `extra`. */
  inputs(extra?: Record<string, string>): Record<string, string>;
  /** Whether the emulator holds the assignment at `target` now. */
  has(target: string): boolean;
  /** Successful (2xx) create requests per target. */
  creates(): Map<string, number>;
  /** The operation name of a create in `emulator().requests`. */
  createOperation: string;
  /** Waits until every write the emulator accepted has taken effect (asynchronous creates, latency). */
  quiesce(): Promise<void>;
}

interface Result {
  target: string;
  status: string;
  changed: boolean;
  existed: boolean | null;
  failureReason: string | null;
}

interface Outcome {
  main: StepRun;
  /** The post step, for cases that run one. */
  post?: StepRun;
}

interface FaultCase {
  cloud: Cloud;
  fault: string;
  /** Turns the fault on. */
  arrange(): void;
  inputs?: Record<string, string>;
  /** Runs the steps; by default the main step once. */
  act?(world: World): Promise<Outcome>;
  /**
   * `granted`: every grant SUCCEEDED and is in place. `failed`: the step failed and created nothing.
   * `revoked`: the main step was cancelled and the post step removed all it had created.
   */
  expected: 'granted' | 'failed' | 'revoked' | 'left in place';
  /** Evidence that the fault really struck (and anything else particular to the case). */
  verify(outcome: Outcome, world: World): void;
}

/** The test file's emulator, which faultMatrix starts. */
let emulator: () => Emulator;

const ACCOUNTS = ['111111111111', '222222222222', '333333333333'];

function awsWorld(): World {
  const permissionSetArn = emulator().aws.permissionSetArn('ReadOnlyAccess');
  const principalId = emulator().aws.userId('alice');
  const assignment = (accountId: string) => ({
    accountId,
    permissionSetArn,
    principalType: 'USER' as const,
    principalId,
  });
  emulator().aws.addAssignment(assignment(ACCOUNTS[0]!));
  return {
    cloud: 'aws',
    targets: ACCOUNTS,
    inputs: (extra = {}) =>
      awsInputs({ principal: 'alice', target: ACCOUNTS.join('\n'), role: 'ReadOnlyAccess', ...extra }),
    has: (target) => emulator().aws.hasAssignment(assignment(target)),
    creates() {
      // CloudTrail has the parameters of every write; a successful one carries no errorCode.
      const counts = new Map<string, number>();
      let reliances = 0;
      for (const event of emulator().aws.cloudTrail) {
        if (event.eventName !== 'CreateAccountAssignment' || event.errorCode) continue;
        const p = event.requestParameters;
        expect([p.PermissionSetArn, p.PrincipalType, p.PrincipalId]).toEqual([
          permissionSetArn,
          'USER',
          principalId,
        ]);
        const target = String(p.TargetId);
        // A run's reliance on the grant it found in place (its `-r` sign-in): never a creation.
        if (event.sessionName?.endsWith('-r')) {
          expect(target).toBe(ACCOUNTS[0]);
          reliances++;
          continue;
        }
        counts.set(target, (counts.get(target) ?? 0) + 1);
      }
      // CloudTrail and the request log agree.
      const total = [...counts.values()].reduce((a, b) => a + b, reliances);
      expect(
        emulator().requests.filter((r) => r.operation === 'CreateAccountAssignment' && r.status === 200),
      ).toHaveLength(total);
      return counts;
    },
    createOperation: 'CreateAccountAssignment',
    async quiesce() {
      const { creations, deletions } = emulator().aws.state;
      const last = Math.max(0, ...[...creations.values(), ...deletions.values()].map((r) => r.completesAt));
      await sleep(Math.max(0, last - Date.now()) + emulator().aws.faults.latencyMs + 50);
    },
  };
}

function azureWorld(): World {
  const azure = emulator().azure!;
  const sub = `/subscriptions/${azure.subscriptionId}`;
  const targets = [sub, `${sub}/resourceGroups/rg-app`, `${sub}/resourceGroups/rg-data`];
  const principal = azure.addPrincipal({ type: 'User', createdAt: 0 });
  azure.addRoleAssignment({ scope: targets[0]!, roleDefinitionId: READER, principalId: principal });
  return {
    cloud: 'azure',
    targets,
    inputs: (extra = {}) => azureInputs({ principal, target: targets.join('\n'), role: 'Reader', ...extra }),
    has: (target) => azure.findRoleAssignment(target, principal, READER) !== undefined,
    creates() {
      // The request path is `{scope}/providers/Microsoft.Authorization/roleAssignments/{name}`.
      const counts = new Map<string, number>();
      for (const r of emulator().requests) {
        if (r.operation !== 'RoleAssignments_Create' || r.status < 200 || r.status > 299) continue;
        const scope = r.path.slice(0, r.path.toLowerCase().indexOf('/providers/microsoft.authorization/'));
        const target = targets.find((t) => t.toLowerCase() === scope.toLowerCase()) ?? scope;
        counts.set(target, (counts.get(target) ?? 0) + 1);
      }
      return counts;
    },
    createOperation: 'RoleAssignments_Create',
    // Writes take effect at once; a request still sitting in the injected latency waits that long.
    quiesce: () => sleep(azure.faults.latencyMs + 50),
  };
}

const errorsSeen = (code: string) => emulator().requests.filter((r) => r.errorCode === code).length;
/** How long ago the first request reached the emulator (its clock is this process's). */
const sinceFirstRequestMs = () => Date.now() - Math.min(...emulator().requests.map((r) => r.at));
const results = (step: StepRun | undefined) => JSON.parse(step?.outputs.results ?? '[]') as Result[];

/**
 * The runner cancelling the job: SIGINT once the first create reached the cloud, SIGTERM a moment
 * later; then the post step, with the state the main step saved.
 */
async function cancelMidBatch(world: World): Promise<Outcome> {
  const inputs = world.inputs({ 'revoke-on-exit': 'true' });
  const main = await runStep('main', {
    inputs,
    env: emulator().env,
    onSpawn: (child: ChildProcess) => {
      const watch = setInterval(() => {
        if (!emulator().requests.some((r) => r.operation === world.createOperation)) return;
        clearInterval(watch);
        child.kill('SIGINT');
        setTimeout(() => child.exitCode === null && child.kill('SIGTERM'), 100);
      }, 2);
      child.once('exit', () => clearInterval(watch));
    },
  });
  const post = await runPost(inputs, main.state);
  return { main, post };
}

/** The step died before any create's answer came back: the post step had no request ID to follow. */
function answerLost({ main }: Outcome): void {
  expect(Object.keys(main.state).length).toBeGreaterThanOrEqual(2); // the header and a grant
  expect(JSON.stringify(main.state)).not.toContain('createRequestId');
}

const CASES: FaultCase[] = [
  // 1. Throttling storm.
  {
    cloud: 'aws',
    fault: 'throttling storm (50% ThrottlingException)',
    arrange: () => (emulator().aws.faults.throttleRate = 0.5),
    expected: 'granted',
    verify: () => expect(errorsSeen('ThrottlingException')).toBeGreaterThanOrEqual(5),
  },
  {
    cloud: 'azure',
    // Each 429 carries Retry-After: 1, so 40% is a storm that costs seconds. The batch makes five
    // ARM requests when nothing fails (one list of the principal's, two PUTs, two read-backs).
    fault: 'throttling storm (40% 429 with Retry-After)',
    arrange: () => (emulator().azure!.faults.throttleRate = 0.4),
    expected: 'granted',
    verify: () =>
      expect(
        emulator().requests.filter((r) => r.service === 'arm' && r.status === 429).length,
      ).toBeGreaterThanOrEqual(2),
  },
  // 2. A burst of 5xx.
  {
    cloud: 'aws',
    fault: '5xx burst (40% InternalServerException)',
    arrange: () => (emulator().aws.faults.serverErrorRate = 0.4),
    expected: 'granted',
    verify: () => expect(errorsSeen('InternalServerException')).toBeGreaterThanOrEqual(3),
  },
  {
    cloud: 'azure',
    fault: '5xx burst (40% 500 / 503)',
    arrange: () => (emulator().azure!.faults.serverErrorRate = 0.4),
    expected: 'granted',
    verify: () =>
      expect(
        emulator().requests.filter((r) => r.service === 'arm' && r.status >= 500).length,
      ).toBeGreaterThanOrEqual(2),
  },
  // 3. Connection resets.
  {
    cloud: 'aws',
    fault: 'connection resets (30%)',
    arrange: () => (emulator().aws.faults.resetRate = 0.3),
    expected: 'granted',
    verify: () => expect(errorsSeen('ConnectionReset')).toBeGreaterThanOrEqual(2),
  },
  {
    cloud: 'azure',
    fault: 'connection resets (30%)',
    arrange: () => (emulator().azure!.faults.resetRate = 0.3),
    expected: 'granted',
    verify: () => expect(errorsSeen('ConnectionReset')).toBeGreaterThanOrEqual(2),
  },
  // 4. Hung connections: every request has a timeout, so the step ends at its deadline.
  {
    cloud: 'aws',
    fault: 'hung connections (every SSO Admin / Identity Store request), timeout-seconds 15',
    arrange: () => (emulator().aws.faults.hangRate = 1),
    // With the instance given, the hang strikes in the grants themselves, so each reports it.
    inputs: {
      'timeout-seconds': '15', // enough for a loaded machine to reach the grants
      'instance-arn': 'arn:aws:sso:::instance/ssoins-1234567890abcdef',
      'identity-store-id': 'd-1234567890',
    },
    expected: 'failed',
    verify: ({ main }) => {
      expect(errorsSeen('NoResponse')).toBeGreaterThanOrEqual(1);
      // From the step's first request to now (just after it exited), so a loaded machine's
      // start-up is not counted; the hung request itself never ends.
      expect(sinceFirstRequestMs()).toBeLessThanOrEqual(15_000 + 3_000);
      expect(main.errors.join('\n')).toMatch(/deadline|timed out/);
    },
  },
  {
    cloud: 'azure',
    fault: 'hung connections (every ARM request), timeout-seconds 15',
    arrange: () => (emulator().azure!.faults.hangRate = 1),
    inputs: { 'timeout-seconds': '15' }, // enough for a loaded machine to reach the grants
    expected: 'failed',
    verify: ({ main }) => {
      expect(errorsSeen('NoResponse')).toBeGreaterThanOrEqual(1);
      // From the step's first request to now (just after it exited), so a loaded machine's
      // start-up is not counted; the hung request itself never ends.
      expect(sinceFirstRequestMs()).toBeLessThanOrEqual(15_000 + 3_000);
      expect(main.errors.join('\n')).toMatch(/deadline|timed out/);
    },
  },
  // 5. The runner's OIDC token endpoint answers 5xx.
  ...(['aws', 'azure'] as const).map((cloud): FaultCase => ({
    cloud,
    fault: 'GitHub OIDC token endpoint 500 (3 in a row)',
    arrange: () => (emulator().github.faults.serverErrors = 3),
    expected: 'granted',
    verify: () => {
      const tokens = emulator().requests.filter((r) => r.service === 'github' && r.operation === 'token');
      expect(tokens.slice(0, 4).map((r) => r.status)).toEqual([500, 500, 500, 200]);
    },
  })),
  // 6. The token exchange itself fails transiently.
  {
    cloud: 'aws',
    fault: 'STS IDPCommunicationError (2 in a row)',
    arrange: () => (emulator().aws.faults.stsIdpCommunicationErrors = 2),
    expected: 'granted',
    verify: () => {
      const sts = emulator().requests.filter((r) => r.operation === 'AssumeRoleWithWebIdentity');
      expect(sts.slice(0, 3).map((r) => r.errorCode ?? r.status)).toEqual([
        'IDPCommunicationError',
        'IDPCommunicationError',
        200,
      ]);
    },
  },
  {
    cloud: 'azure',
    fault: 'Entra token endpoint 503 / 500 (3 in a row, one more than the Entra client retries)',
    arrange: () => (emulator().azure!.faults.entraServerErrors = 3),
    inputs: { 'timeout-seconds': '30' },
    expected: 'granted',
    verify: () => {
      // The third 5xx reaches MSAL, which would replay it from its throttling cache for 60 s, past
      // the step's 30 s: the fourth request, answered 200, reached the emulator, so it did not.
      const tokens = emulator().requests.filter((r) => r.service === 'entra' && r.operation === 'token');
      expect(tokens.slice(0, 4).map((r) => r.status)).toEqual([503, 500, 503, 200]);
    },
  },
  // 7. Credentials that expire while the step waits.
  {
    cloud: 'aws',
    fault: 'STS session (3 s) and GitHub token (3 s) expire during a 4 s wait',
    arrange: () => {
      emulator().aws.config.credentialLifetimeSeconds = 3;
      emulator().aws.config.writeDelayMs = 4_000;
      emulator().github.tokenLifetimeSeconds = 3;
    },
    expected: 'granted',
    verify: () => {
      const sts = emulator().requests.filter((r) => r.operation === 'AssumeRoleWithWebIdentity');
      expect(sts.length).toBeGreaterThanOrEqual(2);
      expect(sts.every((r) => r.status === 200)).toBe(true);
      // Each exchange used a token of its own, and no call was made with an expired session.
      expect(new Set(emulator().github.issuedTokens).size).toBeGreaterThanOrEqual(sts.length);
      expect(errorsSeen('ExpiredTokenException')).toBe(0);
    },
  },
  {
    cloud: 'azure',
    fault: 'Entra access token (3 s) expires during a 4 s read-after-write delay',
    arrange: () => {
      emulator().azure!.config.accessTokenLifetimeSeconds = 3;
      emulator().azure!.config.readAfterWriteDelayMs = 4_000;
    },
    expected: 'granted',
    verify: () => {
      const tokens = emulator().requests.filter((r) => r.service === 'entra' && r.operation === 'token');
      expect(tokens.length).toBeGreaterThanOrEqual(2);
      expect(tokens.every((r) => r.status === 200)).toBe(true);
      expect(errorsSeen('ExpiredAuthenticationToken')).toBe(0);
    },
  },
  // 8. The runner cancels the job mid-batch; the post step cleans up.
  {
    cloud: 'aws',
    fault: 'job cancelled mid-batch (SIGINT, then SIGTERM) with a create in flight',
    arrange: () => {
      // The create's answer is lost with the step, and it stays IN_PROGRESS (so unlisted) after.
      emulator().aws.faults.latencyMs = 300;
      emulator().aws.config.writeDelayMs = 1_500;
    },
    act: cancelMidBatch,
    // IAM Identity Center does not record who sent a create: one whose answer was lost cannot be
    // proven the step's, so it is left in place, and the post step's warning says how to remove it.
    expected: 'left in place',
    verify: answerLost,
  },
  {
    cloud: 'azure',
    fault: 'job cancelled mid-batch (SIGINT, then SIGTERM) with creates in flight',
    arrange: () => {
      // The creates' answers are lost with the step, and reads do not show them for 3 s after.
      emulator().azure!.faults.latencyMs = 300;
      emulator().azure!.config.readAfterWriteDelayMs = 3_000;
    },
    act: cancelMidBatch,
    expected: 'revoked',
    verify: answerLost,
  },
];

/** The matrix's cases on `cloud`, with an emulator of the test file's own. */
export function faultMatrix(cloud: Cloud): void {
  emulator = useEmulator({ awsWriteDelayMs: 200 });
  const cases = CASES.filter((c) => c.cloud === cloud);

  afterAll(() => {
    console.log(`fault matrix: ${cases.length} of its ${CASES.length} cases, on ${cloud}`);
  });

  describe(`the fault matrix on ${cloud} (${cases.length} of ${CASES.length} cases)`, () => {
    it('covers both clouds', () => {
      expect(CASES.filter((c) => c.cloud === 'aws')).toHaveLength(8);
      expect(CASES.filter((c) => c.cloud === 'azure')).toHaveLength(8);
    });

    it.each(cases.map((c) => [`${c.cloud}: ${c.fault}`, c] as const))('%s', async (_name, c) => {
      const world = c.cloud === 'aws' ? awsWorld() : azureWorld();
      const [preExisting, ...missing] = world.targets;
      c.arrange();
      const outcome = c.act ? await c.act(world) : { main: await runMain(world.inputs(c.inputs)) };
      const { main, post } = outcome;
      await world.quiesce();
      const creates = world.creates();

      // Nothing was ever created twice, and the grant that existed was never created at all (a run's
      // reliance on it, under its `-r` sign-in, is no creation).
      for (const [target, count] of creates) expect([target, count]).toEqual([target, 1]);
      expect(creates.get(preExisting!)).toBeUndefined();
      // What existed before the step is still there, whatever happened.
      expect(world.has(preExisting!)).toBe(true);

      switch (c.expected) {
        case 'granted': {
          expect(main.errors).toEqual([]);
          expect(main.exitCode).toBe(0);
          expect(main.outputs).toMatchObject({ status: 'SUCCEEDED', changed: 'true', 'failure-reason': '' });
          expect(results(main).map((r) => [r.target, r.status, r.existed, r.changed])).toEqual([
            [preExisting, 'SUCCEEDED', true, false],
            ...missing.map((t) => [t, 'SUCCEEDED', false, true]),
          ]);
          for (const target of world.targets) expect([target, world.has(target)]).toEqual([target, true]);
          for (const target of missing) expect([target, creates.get(target!)]).toEqual([target, 1]);
          break;
        }
        case 'failed': {
          expect(main.exitCode).toBe(1);
          expect(main.outputs.status).toBe('FAILED');
          expect(main.outputs.changed).toBe('false');
          expect(main.outputs['failure-reason']).not.toBe('');
          expect(results(main).map((r) => [r.target, r.status, r.changed])).toEqual(
            world.targets.map((t) => [t, 'FAILED', false]),
          );
          expect(creates.size).toBe(0);
          for (const target of missing) expect([target, world.has(target!)]).toEqual([target, false]);
          break;
        }
        case 'revoked': {
          // The main step stopped at the signal, mid-batch, and said what the post step would do.
          expect(main.exitCode).not.toBe(0);
          expect(main.outputs.results).toBeUndefined();
          expect(main.warnings.join('\n')).toMatch(
            /received SIG(INT|TERM): stopping; the post step will revoke/,
          );
          expect(creates.size).toBeGreaterThanOrEqual(1);
          // The post step removed every assignment the main step created, and only those.
          expect(post!.exitCode).toBe(0);
          for (const target of missing) expect([target, world.has(target!)]).toEqual([target, false]);
          const revoked = results(post);
          expect(revoked.every((r) => r.status === 'SUCCEEDED')).toBe(true);
          expect(revoked.map((r) => r.target)).not.toContain(preExisting);
          for (const target of creates.keys()) {
            expect(revoked.find((r) => r.target === target)).toMatchObject({
              status: 'SUCCEEDED',
              changed: true,
            });
          }
          expect(post!.outputs).toMatchObject({ status: 'SUCCEEDED', changed: 'true' });
          break;
        }
        case 'left in place': {
          expect(main.exitCode).not.toBe(0);
          expect(creates.size).toBeGreaterThanOrEqual(1);
          // Nothing the post step could not prove the step's was deleted; each is named, with its removal.
          expect(post!.exitCode).toBe(0);
          for (const target of creates.keys()) expect([target, world.has(target)]).toEqual([target, true]);
          expect(results(post).every((r) => r.status === 'SUCCEEDED' && !r.changed)).toBe(true);
          expect(post!.warnings).toEqual([
            expect.stringContaining('aws sso-admin delete-account-assignment'),
          ]);
          break;
        }
      }
      c.verify(outcome, world);
    });
  });
}
