// No secret in any log: representative AWS and Azure flows, successes and failures, main and post
// steps, run with step debug logging on (ACTIONS_STEP_DEBUG=true, RUNNER_DEBUG=1), and every byte
// they wrote to stdout, stderr, GITHUB_OUTPUT, GITHUB_STATE and GITHUB_STEP_SUMMARY scanned for
// the OIDC JWTs, STS credentials and Entra access tokens the emulator issued.
import { describe, expect, it } from '@jest/globals';
import type { StepRun } from '../../harness/action-runner.js';
import { describeLeaks, findSecretLeaks } from '../harness/secret-scan.js';
import { expectNoSecretLeaks } from './secret-leaks.js';
import {
  awsInputs,
  azureInputs,
  newPrincipal,
  runMain,
  runPost,
  subscription,
  useEmulator,
} from './fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 100, awsProvisionDelayMs: 100 });

const awsGrant = (inputs: Record<string, string>) =>
  awsInputs({ principal: 'alice', target: '111111111111', role: 'ReadOnlyAccess', ...inputs });
const azureGrant = (inputs: Record<string, string>) =>
  azureInputs({
    principal: newPrincipal(),
    target: `${subscription()}/resourceGroups/rg-app`,
    role: 'Reader',
    ...inputs,
  });

/** What this test made the emulator issue, by kind (reset() at the start of each test clears them). */
function issued() {
  return {
    githubTokens: emulator().github.issuedTokens.length,
    awsSessions: emulator().aws.sessions.length,
    entraTokens: emulator().azure!.issuedAccessTokens.length,
  };
}

/** Scans the steps here too (watchForLeaks does it again after the test), and shows the check ran. */
function expectClean(...steps: StepRun[]): void {
  const secrets = emulator().issuedSecrets();
  for (const step of steps) {
    // Debug logging was on, and the step registered masks: the scan looked at a real debug log.
    expect(step.log.some((l) => l.startsWith('::debug::'))).toBe(true);
    expect(step.log.some((l) => l.startsWith('::add-mask::'))).toBe(true);
    const leaks = findSecretLeaks(step, secrets);
    expect(describeLeaks(leaks, secrets)).toBe('');
  }
}

describe('AWS, with step debug logging on', () => {
  it('assign with role-to-assume', async () => {
    const step = await runMain(awsGrant({}));
    expect(step.exitCode).toBe(0);
    expect(step.log).toContainEqual(expect.stringMatching(/^::debug::GitHub OIDC token claims: sub=/));
    expect(issued()).toMatchObject({ githubTokens: 1, awsSessions: 1 });
    expectClean(step);
  });

  it('revoke-on-exit: main and post, each with its own token and session', async () => {
    const inputs = awsGrant({ 'revoke-on-exit': 'true', target: '111111111111, 222222222222' });
    const granted = await runMain(inputs);
    expect(granted.exitCode).toBe(0);
    const revoked = await runPost(inputs, granted.state);
    expect(revoked.exitCode).toBe(0);
    expect(revoked.outputs.changed).toBe('true');
    expect(issued()).toMatchObject({ githubTokens: 2, awsSessions: 2 });
    expectClean(granted, revoked);
  });

  it('a grant that fails with AccessDenied', async () => {
    emulator().aws.faults.accessDenied = ['CreateAccountAssignment'];
    const step = await runMain(awsGrant({ target: '999999999999' }));
    expect(step.exitCode).toBe(1);
    expect(step.errors.join()).toContain('`sso:CreateAccountAssignment`');
    expect(issued().awsSessions).toBe(1);
    expectClean(step);
  });

  it.each([
    [
      'the wrong audience (InvalidIdentityToken)',
      { audience: 'https://github.com/octo-org' },
      (): void => {},
    ],
    [
      'an untrusted subject (AccessDenied)',
      {},
      (): void => void (emulator().github.claims.sub = 'repo:someone-else/fork:pull_request'),
    ],
  ])(
    'the trust policy rejecting the token for %s prints its claims, not the token',
    async (_what, extra, setUp) => {
      setUp();
      const step = await runMain(awsGrant(extra));
      expect(step.exitCode).toBe(1);
      expect(step.errors.join()).toMatch(/could not assume role .*the token has sub=/);
      expect(issued()).toMatchObject({ awsSessions: 0 });
      expect(issued().githubTokens).toBeGreaterThanOrEqual(1);
      expectClean(step);
    },
  );

  it('provision', async () => {
    const arn = emulator().aws.permissionSetArn('ReadOnlyAccess');
    for (const accountId of ['200000000001', '200000000002'])
      emulator().aws.addAssignment({
        accountId,
        permissionSetArn: arn,
        principalType: 'USER',
        principalId: emulator().aws.userId('alice'),
      });
    emulator().aws.markOutdated(arn, ['200000000002']);
    const { principal: _principal, ...inputs } = awsGrant({
      operation: 'provision',
      target: 'ALL_PROVISIONED_ACCOUNTS',
    });
    const step = await runMain(inputs);
    expect(step.exitCode).toBe(0);
    expect(step.outputs.changed).toBe('true');
    expect(issued().awsSessions).toBe(1);
    expectClean(step);
  });

  it('the ambient key pair (no role-to-assume) is not printed either', async () => {
    const { accessKeyId, secretAccessKey } = emulator().aws.staticCredentials;
    const { 'role-to-assume': _role, ...inputs } = awsGrant({});
    const step = await runMain(inputs, {
      AWS_ACCESS_KEY_ID: accessKeyId,
      AWS_SECRET_ACCESS_KEY: secretAccessKey,
    });
    expect(step.exitCode).toBe(0);
    expect(findSecretLeaks(step, [secretAccessKey])).toEqual([]);
  });
});

describe('Azure, with step debug logging on', () => {
  it('assign', async () => {
    const step = await runMain(azureGrant({}));
    expect(step.exitCode).toBe(0);
    // MSAL asks for a client assertion more than once per token: each GitHub token is masked too.
    expect(issued().githubTokens).toBeGreaterThanOrEqual(1);
    expect(issued().entraTokens).toBe(1);
    expectClean(step);
  });

  it('revoke-on-exit: main and post', async () => {
    const inputs = azureGrant({ 'revoke-on-exit': 'true' });
    const granted = await runMain(inputs);
    expect(granted.exitCode).toBe(0);
    const revoked = await runPost(inputs, granted.state);
    expect(revoked.exitCode).toBe(0);
    expect(issued().githubTokens).toBeGreaterThanOrEqual(2);
    expect(issued().entraTokens).toBe(2);
    expectClean(granted, revoked);
  });

  it('AADSTS700213: no federated credential for the subject', async () => {
    emulator().github.claims.sub = 'repo:octo-org/octo-repo:pull_request';
    const step = await runMain(azureGrant({}));
    expect(step.exitCode).toBe(1);
    expect(step.errors.join()).toContain('AADSTS700213');
    expect(issued()).toMatchObject({ entraTokens: 0 });
    expect(issued().githubTokens).toBeGreaterThanOrEqual(1);
    expectClean(step);
  });
});

describe('the scan is not vacuous', () => {
  it('fails a real step once a token is planted in its log or a credential in its state', async () => {
    const step = await runMain(awsGrant({}));
    expect(step.exitCode).toBe(0);
    const token = emulator().github.issuedTokens[0]!;
    const { secretAccessKey } = emulator().aws.sessions[0]!;
    const check = (run: StepRun) => () =>
      expectNoSecretLeaks([{ run, step: 'main', options: { inputs: awsGrant({}), env: {} } }], [emulator()]);
    expect(check(step)).not.toThrow();
    // Before the step's own add-mask: the runner would have shown it.
    const logged = check({ ...step, log: [`::debug::token ${token}`, ...step.log] });
    expect(logged).toThrow(
      /main step \(cloud=aws .*\):\nlog:1: secret \d+ \(\d+ chars\) as value: ::debug::token <secret \d+>/,
    );
    // After it, still a leak if only the signature shows.
    const signature = { ...step, log: [...step.log, `signed ${token.split('.')[2]!}`] };
    expect(check(signature)).toThrow(/as JWT signature/);
    const stored = { ...step, files: { ...step.files, GITHUB_STATE: `credentials=${secretAccessKey}\n` } };
    expect(check(stored)).toThrow(/GITHUB_STATE:1: secret \d+ \(40 chars\) as value/);
    let message = '';
    try {
      check({ ...step, log: [token] })();
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).not.toBe('');
    expect(message).not.toContain(token.split('.')[2]!);
  });

  it('covered JWTs, STS credentials and Entra access tokens issued over the whole file', () => {
    const secrets = emulator().issuedSecrets();
    const issuer = (jwt: string) =>
      (JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as { iss?: string }).iss ??
      '';
    const jwts = secrets.filter((s) => /^eyJ[\w-]*\.[\w-]+\.[\w-]+$/.test(s));
    expect(
      jwts.filter((t) => issuer(t) === 'https://token.actions.githubusercontent.com').length,
    ).toBeGreaterThanOrEqual(10);
    expect(
      jwts.filter((t) => issuer(t).startsWith('https://sts.windows.net/')).length,
    ).toBeGreaterThanOrEqual(3);
    expect(secrets.filter((s) => /^ASIA[0-9A-Z]{16}$/.test(s)).length).toBeGreaterThanOrEqual(5);
    expect(secrets.filter((s) => s.startsWith('IQoJb3JpZ2luX2VjE')).length).toBeGreaterThanOrEqual(5);
    // Each session's secret access key, and the static one.
    expect(secrets.filter((s) => /^[A-Za-z0-9+/]{40}$/.test(s)).length).toBeGreaterThanOrEqual(6);
    expect(secrets).toContain(emulator().github.requestToken);
  });
});
