// The example workflows of examples/, which the README's examples are, played as users copy them
// against the emulator (./example-player.ts): each does what its README section says.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { stageAccessReview } from '../../emulator/control-review.js';
import { EXAMPLES, seedExamples } from '../../emulator/examples-seed.js';
import { runStep } from '../../harness/action-runner.js';
import { playExample } from './example-player.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ quiet: true, awsWriteDelayMs: 50, awsProvisionDelayMs: 50 });
});
afterAll(() => emulator.close());
beforeEach(() => {
  emulator.reset();
  seedExamples(emulator);
});

const failures = (play: Awaited<ReturnType<typeof playExample>>) =>
  play.steps.filter((s) => s.conclusion === 'failure').map((s) => `${s.name}\n${s.log}`);
const holds = (principalId: string, permissionSet: string, accountId: string) =>
  emulator.aws.hasAssignment({
    accountId,
    permissionSetArn: emulator.aws.permissionSetArn(permissionSet),
    principalType: principalId === emulator.aws.groupId('Deployers') ? 'GROUP' : 'USER',
    principalId,
  });

describe('the example workflows, played against the emulator', () => {
  it('assign.yml grants group Deployers AdministratorAccess in 111111111111', async () => {
    const play = await playExample(emulator, 'assign.yml', { event: 'workflow_dispatch' });
    expect(failures(play)).toEqual([]);
    expect(play.steps.find((s) => s.stage === 'main' && s.outputs.status)?.outputs).toMatchObject({
      status: 'SUCCEEDED',
      changed: 'true',
    });
    expect(holds(emulator.aws.groupId('Deployers'), 'AdministratorAccess', '111111111111')).toBe(true);
  }, 60_000);

  it('ephemeral.yml holds DeployAccess while deploy.sh runs and its post step revokes it', async () => {
    const play = await playExample(emulator, 'ephemeral.yml', { event: 'push' });
    expect(failures(play)).toEqual([]);
    expect(play.steps.map((s) => `${s.stage} ${s.outcome}`)).toEqual([
      'main skipped', // actions/checkout: this machine has the files
      'main success',
      'main success',
      'post success',
    ]);
    expect(play.steps[1]!.outputs).toMatchObject({ status: 'SUCCEEDED', changed: 'true' });
    expect(play.steps[2]!.log).toContain('deploying as octocat');
    expect(play.steps[3]!.log).toContain(
      'revoke-on-exit: 1 revoked, 0 already absent, 0 failed, 0 left in place',
    );
    expect(holds(emulator.aws.groupId('Deployers'), EXAMPLES.deployPermissionSet, '111111111111')).toBe(
      false,
    );
  }, 60_000);

  it('ephemeral.yml records its grant and its post step’s revoke under its role’s prefix once AUDIT_LOG_BUCKET is set', async () => {
    emulator.aws.s3.createBucket('audit');
    const play = await playExample(emulator, 'ephemeral.yml', {
      event: 'push',
      vars: { AUDIT_LOG_BUCKET: 'audit' },
    });
    expect(failures(play)).toEqual([]);
    const records = emulator.aws.s3
      .objects('audit')
      .map(([key, o]) => ({ key, record: JSON.parse(o.body) as Record<string, unknown> }));
    // The set-up lets the role write under its own name only (examples/setup/aws/).
    expect(records.map((r) => r.key.split('/')[0])).toEqual(Array(4).fill('cloud-access-ephemeral'));
    expect(records.map((r) => [r.record.step, r.record.change, r.record.status])).toEqual([
      ['main', 'plan', undefined],
      ['main', 'grant', 'SUCCEEDED'],
      ['post', 'plan', undefined],
      ['post', 'post-revoke', 'SUCCEEDED'],
    ]);
  }, 60_000);

  it('provision.yml re-provisions only the accounts where a permission set is outdated', async () => {
    const readOnly = emulator.aws.permissionSetArn('ReadOnlyAccess');
    for (const accountId of ['111111111111', '222222222222', '333333333333'])
      emulator.aws.addAssignment({
        accountId,
        permissionSetArn: readOnly,
        principalType: 'USER',
        principalId: emulator.aws.userId('alice'),
      });
    emulator.aws.markOutdated(readOnly, ['222222222222']);
    const play = await playExample(emulator, 'provision.yml', { event: 'schedule' });
    expect(failures(play)).toEqual([]);
    expect(emulator.aws.provisionedAccounts(readOnly).filter((a) => !a.current)).toEqual([]);
    const provisioned = emulator.requests.filter((r) => r.operation === 'ProvisionPermissionSet');
    expect(provisioned).toHaveLength(1);
  }, 60_000);

  it('azure-assign.yml grants the deploy identity Contributor on rg-app, and its post step revokes it', async () => {
    const play = await playExample(emulator, 'azure-assign.yml', { event: 'push' });
    expect(failures(play)).toEqual([]);
    expect(play.steps[0]!.outputs).toMatchObject({ status: 'SUCCEEDED', changed: 'true' });
    expect(play.steps[0]!.outputs['assignment-id']).toMatch(/\/resourceGroups\/rg-app\/providers\//);
    const held = emulator
      .azure!.roleAssignments()
      .filter((a) => a.properties.principalId === EXAMPLES.deployerObjectId);
    expect(held).toEqual([]);
  }, 60_000);

  it('sweep.yml revokes the grant of a run whose post step never ran', async () => {
    const lost = await runStep('main', {
      inputs: {
        cloud: 'aws',
        'role-to-assume': 'arn:aws:iam::123456789012:role/cloud-access-ephemeral', // in sweep.yml's created-by
        principal: 'bob',
        target: '333333333333',
        role: 'PowerUserAccess',
        'revoke-on-exit': 'true',
      },
      env: { ...emulator.env, GITHUB_RUN_ID: '4242' },
    });
    expect(lost.exitCode).toBe(0);
    emulator.github.runs.setRun({
      repository: 'octo-org/octo-repo',
      repositoryId: '123456789',
      runId: '4242',
      attempt: '1',
      status: 'completed',
      conclusion: 'failure',
    });
    const play = await playExample(emulator, 'sweep.yml', { event: 'schedule' });
    expect(failures(play)).toEqual([]);
    expect(holds(emulator.aws.userId('bob'), 'PowerUserAccess', '333333333333')).toBe(false);
  }, 60_000);

  it("sweep.yml's Azure job revokes the grant of a deploy job whose post step never ran", async () => {
    const azure = emulator.azure!;
    const lost = await runStep('main', {
      inputs: {
        cloud: 'azure',
        'client-id': azure.clientId, // the deploy identity: sweep.yml's created-by
        'tenant-id': azure.tenantId,
        'authority-host': azure.authorityHost,
        'resource-manager-endpoint': azure.resourceManagerEndpoint,
        principal: EXAMPLES.deployerObjectId,
        'principal-type': 'ServicePrincipal',
        target: `/subscriptions/${azure.subscriptionId}/resourceGroups/rg-app`,
        role: 'Contributor',
        'revoke-on-exit': 'true',
      },
      env: { ...emulator.env, GITHUB_RUN_ID: '4243' },
    });
    expect(lost.exitCode).toBe(0);
    const held = () =>
      azure.roleAssignments().filter((a) => a.properties.principalId === EXAMPLES.deployerObjectId);
    expect(held()).toHaveLength(1);
    emulator.github.runs.setRun({
      repository: 'octo-org/octo-repo',
      repositoryId: '123456789',
      runId: '4243',
      attempt: '1',
      status: 'completed',
      conclusion: 'cancelled',
    });
    const play = await playExample(emulator, 'sweep.yml', { event: 'schedule', job: 'sweep-azure' });
    expect(failures(play)).toEqual([]);
    expect(play.steps[0]!.outputs).toMatchObject({ plan: expect.stringContaining('"revoke":1') });
    expect(held()).toEqual([]);
  }, 60_000);

  it('access-report.yml reports both clouds read-only, and asks for the last review to compare with', async () => {
    const before = emulator.requests.filter((r) => r.write).length;
    const play = await playExample(emulator, 'access-report.yml', { event: 'schedule' });
    expect(failures(play)).toEqual([]);
    expect(play.gh.some((command) => command.startsWith('run list --workflow access-report.yml'))).toBe(true);
    for (const id of ['aws', 'azure']) {
      const { outputs } = play.step(id);
      expect(outputs['report-json']).toMatch(/access-report\.json$/);
      expect(outputs['report-csv']).toMatch(/access-report-(aws|azure)-\d{8}T\d{6}Z\.csv$/);
      expect(outputs.changes).toBeUndefined();
    }
    expect(emulator.requests.filter((r) => r.write)).toHaveLength(before);
  }, 90_000);

  it('access-review.yml opens the campaign’s issue as cloud-access-review, and writes nothing to the cloud before the due date', async () => {
    stageAccessReview({ aws: emulator.aws, github: emulator.github }, {});
    const before = emulator.requests.filter((r) => r.write && r.service !== 'github').length;
    // The run, as the Actions API lists it from its start: the campaign starts at its first run.
    const runId = emulator.github.issues.addWorkflowRun({
      workflow: 'access-review.yml',
      event: 'schedule',
      status: 'in_progress',
      conclusion: null,
    });
    const play = await playExample(emulator, 'access-review.yml', {
      event: 'schedule',
      runId: String(runId),
    });
    expect(failures(play)).toEqual([]);
    expect(play.step('review').outputs.review).toMatch(/access-review\.json$/);
    const issues = emulator.github.issues.issues().filter((i) => i.labels.includes('access-review'));
    expect(issues.map((i) => i.state)).toEqual(['open']);
    expect(emulator.requests.filter((r) => r.write && r.service !== 'github')).toHaveLength(before);
  }, 90_000);

  it('access-review.yml’s Azure job opens the Azure campaign’s issue as cloud-access-review, and writes nothing to Azure before the due date', async () => {
    stageAccessReview({ aws: emulator.aws, github: emulator.github }, {});
    const before = emulator.requests.filter((r) => r.write && r.service !== 'github').length;
    const runId = emulator.github.issues.addWorkflowRun({
      workflow: 'access-review.yml',
      event: 'schedule',
      status: 'in_progress',
      conclusion: null,
    });
    const play = await playExample(emulator, 'access-review.yml', {
      event: 'schedule',
      runId: String(runId),
      job: 'review-azure',
    });
    expect(failures(play)).toEqual([]);
    expect(play.step('review').outputs.review).toMatch(/access-review\.json$/);
    const issues = emulator.github.issues.issues().filter((i) => i.labels.includes('access-review'));
    expect(issues.map((i) => [i.state, /cloud=(\w+)/.exec(i.body ?? '')?.[1]])).toEqual([['open', 'azure']]);
    expect(emulator.requests.filter((r) => r.write && r.service !== 'github')).toHaveLength(before);
  }, 90_000);
});
