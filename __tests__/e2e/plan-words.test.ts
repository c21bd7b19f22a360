// A plan looks like a plan, through the bundle as the runner runs it: a dry run of every operation
// that has one (assign, revoke, provision, reconcile, sweep) says "would create / would delete" in
// its log and its job summary, never SUCCEEDED, while its `status` output stays SUCCEEDED for the
// workflows that read it; a refused plan is FAILED in the log, the summary, `status` and the
// annotation, its rows still saying what would have been done.
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StepRun } from '../../harness/action-runner.js';
import { awsAssignment, awsInputs, runMain, useEmulator } from './fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 20, awsProvisionDelayMs: 20 });
const aws = () => emulator().aws;
const writes = () => emulator().requests.filter((r) => r.write);

/** The titles of the step's log groups (one per grant). */
const groups = (step: StepRun) =>
  step.stdout
    .split('\n')
    .filter((line) => line.startsWith('::group::'))
    .map((line) => line.slice('::group::'.length));

/**
 * What a person reads of a dry run: nothing in it claims that anything SUCCEEDED (a reconcile's
 * plan may say what its apply will wait for: "until a create has SUCCEEDED").
 */
function expectNoClaimOfSuccess(step: StepRun): void {
  const claims = (text: string) => text.replace(/wait until a create has SUCCEEDED/g, '');
  expect(claims(step.stdout)).not.toContain('SUCCEEDED');
  expect(claims(step.summary)).not.toContain('SUCCEEDED');
  expect(step.outputs.status).toBe('SUCCEEDED');
  expect(writes()).toEqual([]);
}

const grant = { principal: 'alice', target: '111111111111, 222222222222', role: 'ReadOnlyAccess' };

describe('a dry run says what it would do', () => {
  it('assign: would create, already assigned', async () => {
    aws().addAssignment(awsAssignment('111111111111'));
    const step = await runMain(awsInputs({ ...grant, 'dry-run': 'true' }));
    expect(step.exitCode).toBe(0);
    expect(groups(step).sort()).toEqual([
      expect.stringMatching(
        /^\+ assign user alice → 222222222222 \/ ReadOnlyAccess: would create \(dry run, \d+ ms\)$/,
      ),
      expect.stringMatching(
        /^= assign user alice → 111111111111 \/ ReadOnlyAccess: already assigned \(dry run/,
      ),
    ]);
    expect(step.stdout).toContain('now: absent; after a run: present (nothing was written)');
    expect(step.summary).toContain(
      '<p>Plan of 2 grants: 1 already assigned, 1 would create. Dry run: nothing was written.</p>',
    );
    expect(step.summary).toContain('<td>absent → present (would create)</td><td>planned</td>');
    expectNoClaimOfSuccess(step);
  });

  it('revoke: would delete, already absent', async () => {
    aws().addAssignment(awsAssignment('111111111111'));
    const step = await runMain(awsInputs({ ...grant, operation: 'revoke', 'dry-run': 'true' }));
    expect(step.exitCode).toBe(0);
    expect(groups(step).join('\n')).toMatch(
      /^− revoke user alice → 111111111111 .*: would delete \(dry run/m,
    );
    expect(groups(step).join('\n')).toMatch(
      /^= revoke user alice → 222222222222 .*: already absent \(dry run/m,
    );
    expect(step.summary).toContain('1 would delete, 1 already absent. Dry run: nothing was written.');
    expectNoClaimOfSuccess(step);
  });

  it('provision: would provision the outdated account', async () => {
    aws().addAssignment(awsAssignment('111111111111'));
    aws().markOutdated(aws().permissionSetArn('ReadOnlyAccess'), ['111111111111']);
    const step = await runMain(
      awsInputs({
        operation: 'provision',
        role: 'ReadOnlyAccess',
        target: 'ALL_PROVISIONED_ACCOUNTS',
        'dry-run': 'true',
      }),
    );
    expect(step.exitCode).toBe(0);
    expect(groups(step)).toEqual([expect.stringMatching(/^\+ provision .*: would provision \(dry run/)]);
    expect(step.summary).toContain(
      'Plan of 1 permission set: 1 would provision. Dry run: nothing was written.',
    );
    expectNoClaimOfSuccess(step);
  });
});

describe('a reconcile’s plan, and its refusal', () => {
  const workspace = mkdtempSync(join(tmpdir(), 'plan-words-'));
  afterAll(() => rmSync(workspace, { recursive: true, force: true }));
  const reconcile = (inputs: Record<string, string>) => {
    writeFileSync(
      join(workspace, 'access.yml'),
      `version: 1\naws:\n  manages: {permission-sets: [ReadOnlyAccess]}\n  assignments:\n    - {principal: Deployers, principal-type: GROUP, role: ReadOnlyAccess, target: '111111111111'}\n`,
    );
    return runMain(awsInputs({ operation: 'reconcile', manifest: 'access.yml', ...inputs }), {
      GITHUB_WORKSPACE: workspace,
      GITHUB_EVENT_NAME: 'push',
    });
  };
  const handMade = () =>
    aws().addAssignment({
      accountId: '111111111111',
      permissionSetArn: aws().permissionSetArn('ReadOnlyAccess'),
      principalType: 'GROUP',
      principalId: aws().groupId('Platform'),
    });

  it('a dry run: deletes first, then creates, each row would create or would delete', async () => {
    handMade();
    const step = await reconcile({ 'dry-run': 'true' });
    expect(step.exitCode).toBe(0);
    expect(groups(step).join('\n')).toMatch(/^\+ assign group Deployers .*: would create \(dry run/m);
    expect(groups(step).join('\n')).toMatch(/^− revoke .*: would delete \(dry run/m);
    expect(step.summary).toMatch(
      /<h4>Deletes \(1\)<\/h4>\n<table>.*<td>would delete<\/td>.*\n<h4>Creates \(1\)<\/h4>\n<table>.*<td>would create<\/td>/,
    );
    expectNoClaimOfSuccess(step);
  });

  it('refused by `max-deletions`: FAILED in the log, the summary, `status` and the annotation', async () => {
    handMade();
    const step = await reconcile({ 'max-deletions': '0' });
    expect(step.exitCode).not.toBe(0);
    expect(writes()).toEqual([]);
    expect(step.outputs.status).toBe('FAILED');
    expect(step.outputs['failure-reason']).toMatch(/more than `max-deletions` \(0\)/);
    expect(groups(step).join('\n')).toMatch(
      /^✗ revoke .*: FAILED \(would delete, not run: the plan was refused, \d+ ms\)$/m,
    );
    expect(step.stdout).not.toContain('SUCCEEDED');
    // One annotation, for the refusal: not one per row it held back.
    expect(step.errors).toEqual([
      expect.stringMatching(/more than `max-deletions` \(0\).*raise `max-deletions`/),
    ]);
    expect(step.summary).toMatch(/<h3>cloud-access: aws reconcile: plan refused<\/h3>/);
    expect(step.summary).toMatch(/<p>FAILED: the plan was refused: .*<code>max-deletions<\/code>/);
    expect(step.summary).toContain('<td>would delete; FAILED: not run, the plan was refused</td>');
    expect(step.summary).not.toContain('SUCCEEDED');
    const results = JSON.parse(step.outputs.results!) as { action: string; status: string }[];
    expect(results.map((r) => [r.action, r.status]).sort()).toEqual([
      ['create', 'FAILED'],
      ['delete', 'FAILED'],
    ]);
  });
});

describe('a sweep’s plan, and its refusal', () => {
  const deployed = async () => {
    const job = await runMain(
      awsInputs({
        principal: 'alice',
        target: '111111111111',
        role: 'ReadOnlyAccess',
        'revoke-on-exit': 'true',
      }),
      { GITHUB_RUN_ID: '801' },
    );
    expect(job.exitCode).toBe(0);
    emulator().github.runs.setRun({
      repository: 'octo-org/octo-repo',
      repositoryId: '123456789',
      runId: '801',
      attempt: '1',
      status: 'completed',
      conclusion: 'success',
    });
  };
  const sweep = (more: Record<string, string>) =>
    runMain(awsInputs({ operation: 'sweep', 'github-token': emulator().github.runs.jobToken, ...more }), {
      GITHUB_EVENT_NAME: 'schedule',
    });

  it('a dry run says would revoke; refused, FAILED and not run', async () => {
    await deployed();
    const before = writes().length;
    const plan = await sweep({ 'dry-run': 'true' });
    expect(plan.exitCode).toBe(0);
    expect(plan.stdout).toMatch(/^would revoke \[revoke\] user alice \(.* \/ 111111111111 /m);
    expect(plan.summary).toContain('<p>Dry run: nothing was revoked.</p>');
    expect(plan.stdout).not.toContain('SUCCEEDED');
    expect(plan.summary).not.toContain('SUCCEEDED');
    expect(plan.outputs.status).toBe('SUCCEEDED');

    const refused = await sweep({ 'max-deletions': '0' });
    expect(refused.exitCode).not.toBe(0);
    expect(refused.outputs.status).toBe('FAILED');
    expect(refused.stdout).toMatch(/^would revoke \[revoke\] .*: FAILED, not run: the plan was refused$/m);
    expect(refused.summary).toMatch(/<p>FAILED: the plan was refused: .*<code>max-deletions<\/code>/);
    expect(writes()).toHaveLength(before);
  });
});
