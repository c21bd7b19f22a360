// The sub-actions run through the bundle as the runner runs them: each its own action.yml's entry
// (grant/action.yml's `runs.main`, a file of the bundle), with that action.yml's defaults filled
// in and only its inputs given; grant's post step revokes what it created; reconcile, sweep and
// report do what the root action does with `operation:`. On both clouds.
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from '@jest/globals';
import { runStep } from '../../harness/action-runner.js';
import {
  awsAssignment,
  awsInputs,
  azureInputs,
  newPrincipal,
  READER,
  subscription,
  useEmulator,
} from './fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 50 });
const aws = () => emulator().aws;
const workspace = mkdtempSync(join(tmpdir(), 'sub-actions-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

/** `action`'s main step (a sub-action's folder), as the runner runs it in a job of run `runId`. */
const main = (action: string, inputs: Record<string, string>, env: Record<string, string> = {}) =>
  runStep('main', {
    action,
    inputs,
    env: { ...emulator().env, GITHUB_WORKSPACE: workspace, RUNNER_TEMP: workspace, ...env },
  });
const post = (action: string, inputs: Record<string, string>, state: Record<string, string>) =>
  runStep('post', { action, inputs, env: emulator().env, state });

const GRANT = { principal: 'alice', target: '111111111111', role: 'ReadOnlyAccess' };

describe('grant', () => {
  it('assigns in its main step and its post step revokes what it created (AWS)', async () => {
    const inputs = awsInputs({ ...GRANT, 'revoke-on-exit': 'true' });
    const granted = await main('grant', inputs);
    expect(granted.exitCode).toBe(0);
    expect(granted.outputs).toMatchObject({ status: 'SUCCEEDED', changed: 'true' });
    expect(aws().hasAssignment(awsAssignment('111111111111'))).toBe(true);
    const revoked = await post('grant', inputs, granted.state);
    expect(revoked.exitCode).toBe(0);
    expect(aws().hasAssignment(awsAssignment('111111111111'))).toBe(false);
  });

  it('assigns and revokes on exit on Azure too', async () => {
    const inputs = azureInputs({
      principal: newPrincipal(),
      'principal-type': 'User',
      target: subscription(),
      role: READER,
      'revoke-on-exit': 'true',
    });
    const granted = await main('grant', inputs);
    expect(granted.exitCode).toBe(0);
    expect(granted.outputs.status).toBe('SUCCEEDED');
    const revoked = await post('grant', inputs, granted.state);
    expect(revoked.exitCode).toBe(0);
    expect(JSON.parse(revoked.outputs.results!)).toMatchObject([{ changed: true, status: 'SUCCEEDED' }]);
  });

  it('refuses an `operation` input that asks for another operation, naming the sub-action to use', async () => {
    const step = await main('grant', awsInputs({ ...GRANT, operation: 'revoke' }));
    expect(step.exitCode).not.toBe(0);
    expect(step.errors).toEqual([
      expect.stringContaining(
        'input `operation`: is not an input of the `grant` action, which runs `operation: assign` only',
      ),
      '1 invalid input; nothing was requested from the cloud',
    ]);
    expect(step.errors[0]).toContain('use `cloud-access/cloud-access/revoke` for `revoke`');
    expect(emulator().requests.filter((r) => r.write)).toEqual([]);
  });

  it('refuses every input it does not declare alike, naming the sub-action that reads it, never `operation:`', async () => {
    const step = await main(
      'grant',
      awsInputs({ ...GRANT, manifest: 'access.yml', 'max-deletions': '3', 'max-duration': '1h' }),
    );
    expect(step.exitCode).not.toBe(0);
    expect(step.errors).toEqual([
      expect.stringContaining('input `manifest`: is not an input of the `grant` action'),
      expect.stringContaining('input `max-deletions`: is not an input of the `grant` action'),
      expect.stringContaining('input `max-duration`: is not an input of the `grant` action'),
      '3 invalid inputs; nothing was requested from the cloud',
    ]);
    expect(step.errors[0]).toContain('use `cloud-access/cloud-access/reconcile`');
    expect(step.errors.join('\n')).not.toContain('operation:');
    expect(emulator().requests.filter((r) => r.write)).toEqual([]);
  });
});

describe('revoke', () => {
  it('revokes what is there', async () => {
    aws().addAssignment(awsAssignment('111111111111'));
    const step = await main('revoke', awsInputs(GRANT));
    expect(step.exitCode).toBe(0);
    expect(step.outputs).toMatchObject({ status: 'SUCCEEDED', changed: 'true' });
    expect(aws().hasAssignment(awsAssignment('111111111111'))).toBe(false);
  });
});

describe('reconcile', () => {
  it('makes the cloud match the manifest, as `operation: reconcile` does', async () => {
    writeFileSync(
      join(workspace, 'access.yml'),
      [
        'version: 1',
        'aws:',
        '  manages:',
        '    permission-sets: [ReadOnlyAccess]',
        '  assignments:',
        '    - principal: Deployers',
        '      principal-type: GROUP',
        '      role: ReadOnlyAccess',
        "      target: '111111111111'",
        '',
      ].join('\n'),
    );
    const step = await main('reconcile', awsInputs({ manifest: 'access.yml' }), {
      GITHUB_EVENT_NAME: 'push',
    });
    expect(step.exitCode).toBe(0);
    expect(JSON.parse(step.outputs.plan!)).toMatchObject({ create: 1, delete: 0 });
    expect(step.outputs.drift).toBe('true');
    expect(
      aws().hasAssignment({
        accountId: '111111111111',
        permissionSetArn: aws().permissionSetArn('ReadOnlyAccess'),
        principalType: 'GROUP',
        principalId: aws().groupId('Deployers'),
      }),
    ).toBe(true);
  });
});

describe('sweep', () => {
  it("revokes the ephemeral grant of a finished run whose post step never ran, with the sweep's defaults", async () => {
    const granted = await main('grant', awsInputs({ ...GRANT, 'revoke-on-exit': 'true' }), {
      GITHUB_RUN_ID: '7001',
    });
    expect(granted.exitCode).toBe(0);
    emulator().github.runs.setRun({
      repository: 'octo-org/octo-repo',
      repositoryId: '123456789',
      runId: '7001',
      attempt: '1',
      status: 'completed',
      conclusion: 'cancelled',
    });
    // `github-token` is the job's token (action.yml's default, `${{ github.token }}`).
    const swept = await main('sweep', awsInputs({ 'github-token': emulator().github.runs.jobToken }), {
      GITHUB_EVENT_NAME: 'schedule',
    });
    expect(swept.exitCode).toBe(0);
    expect(JSON.parse(swept.outputs.plan!)).toMatchObject({ revoke: 1 });
    expect(aws().hasAssignment(awsAssignment('111111111111'))).toBe(false);
  });
});

describe('report', () => {
  it('reads who holds what and writes its files, as `operation: report` does', async () => {
    aws().addAssignment(awsAssignment('111111111111'));
    const step = await main('report', awsInputs({ target: '111111111111' }), {
      GITHUB_EVENT_NAME: 'schedule',
    });
    expect(step.exitCode).toBe(0);
    expect(step.outputs.changed).toBe('false');
    const rows = (JSON.parse(readFileSync(step.outputs['report-json']!, 'utf8')) as { rows: unknown[] }).rows;
    expect(rows).toEqual([expect.objectContaining({ targetId: '111111111111' })]);
    expect(emulator().requests.filter((r) => r.write)).toEqual([]);
  });
});
