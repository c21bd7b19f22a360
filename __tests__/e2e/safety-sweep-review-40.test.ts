// Review 40 (hostile review of the sweep's proof and shared grants), through the bundle against the
// emulator. Tests named "HOLE: …" fail on the code under review: each is a way to make a sweep or a
// post step delete a grant that is not (only) a finished run's own ephemeral grant, or to stop every
// sweep. The others are attacks that held.
import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  awsAssignment,
  awsInputs,
  azure,
  azureInputs,
  newPrincipal,
  READER,
  runMain,
  runPost,
  subscription,
  useEmulator,
} from './fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 100 });
const aws = () => emulator().aws;
const REPOSITORY = 'octo-org/octo-repo';
const REPOSITORY_ID = '123456789';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const ago = (ms: number) => Date.now() - ms;

const setRun = (runId: string, status: string, attempt = '1') =>
  emulator().github.runs.setRun({
    repository: REPOSITORY,
    repositoryId: REPOSITORY_ID,
    runId,
    attempt,
    status,
    ...(status === 'completed' ? { conclusion: 'success' } : {}),
  });

interface SweepResult {
  principal: string;
  target: string;
  kind: string;
  action: string;
  reason: string;
}
const resultsOf = (step: { outputs: Record<string, string> }) =>
  JSON.parse(step.outputs.results ?? '[]') as SweepResult[];

// ---------------------------------------------------------------------------------------------
// Azure
// ---------------------------------------------------------------------------------------------

const azScope = () => `${subscription()}/resourceGroups/rg-review-40`;
const marker = (run: string, attempt: string, kind: string) =>
  `[cloud-access:${REPOSITORY}:run:${run}:${attempt}:${kind}]`;
const assignmentOf = (principal: string) =>
  azure()
    .roleAssignments()
    .find((a) => a.properties.principalId === principal);
const azPuts = () => emulator().requests.filter((r) => r.operation === 'RoleAssignments_Create');
const azDeletes = () => emulator().requests.filter((r) => r.operation === 'RoleAssignments_Delete');
const azGrant = (principal: string, more: Record<string, string> = {}) =>
  azureInputs({
    principal,
    'principal-type': 'ServicePrincipal',
    target: azScope(),
    role: READER,
    'revoke-on-exit': 'true',
    ...more,
  });
const azJob = (principal: string, runId: string, more: Record<string, string> = {}) =>
  runMain(azGrant(principal, more), { GITHUB_RUN_ID: runId, GITHUB_RUN_ATTEMPT: '1' });
const azSweep = () =>
  runMain(
    azureInputs({ operation: 'sweep', target: azScope(), 'github-token': emulator().github.runs.jobToken }),
    {
      GITHUB_EVENT_NAME: 'schedule',
    },
  );
const azSweptFor = async (principal: string) => {
  const step = await azSweep();
  expect(step.exitCode).toBe(0);
  return resultsOf(step).find((r) => r.principal === principal);
};

describe('Azure: a relying step’s PUT launders a description another identity wrote', () => {
  it('HOLE: a marker edited into a permanent assignment by another identity proves nothing — until a relying job rewrites the description, making updatedBy a `created-by` identity; the sweep then revokes the permanent grant', async () => {
    // The attacker model: an identity outside `created-by` that may write descriptions (e.g.
    // roleAssignments/write under a condition, no delete). It appends a finished run's `:e` marker
    // to a permanent assignment the trusted identity made (a permanent step, or by hand).
    const deployer = newPrincipal('ServicePrincipal');
    const editor = '99999999-9999-4999-8999-999999999999';
    azure().addRoleAssignment({
      scope: azScope(),
      roleDefinitionId: READER,
      principalId: deployer,
      principalType: 'ServicePrincipal',
      description: `production reader ${marker('401', '1', 'e')}`,
      createdBy: azure().objectId,
      createdOn: new Date(ago(30 * DAY)),
      updatedBy: editor,
    });
    setRun('401', 'completed');
    // As things stand the sweep refuses it (updatedBy is not of `created-by`): the defence the
    // review-35 mend added.
    expect(await azSweptFor(deployer)).toMatchObject({ kind: 'unproven' });

    // An ordinary ephemeral job of the organisation needs the same grant: it finds it in place, sees
    // a run's `:e` marker first, and registers its reliance with a PUT under its own identity.
    const job = await azJob(deployer, '402');
    expect(job.exitCode).toBe(0);
    expect(assignmentOf(deployer)?.properties.description).toContain(marker('402', '1', 'r'));
    setRun('402', 'completed');

    const swept = await azSweptFor(deployer);
    // The permanent grant must stay: its `:e` marker was written by an identity outside `created-by`.
    expect(swept?.kind).not.toBe('revoke');
    expect(assignmentOf(deployer)).toBeDefined();
  }, 120_000);
});

describe('Azure: runs that share an `assignment-name`, with ARM’s reads lagging', () => {
  it('HOLE: an ephemeral step’s create PUT (200) overwrites a permanent assignment’s description with its `:e` marker; its post step leaves it, and the sweep revokes the permanent grant', async () => {
    const deployer = newPrincipal('ServicePrincipal');
    const name = randomUUID();
    // A permanent step (no revoke-on-exit) made it under the shared name moments ago, as the
    // trusted identity: reads do not show it yet (ARM is eventually consistent).
    const hiddenUntil = Date.now() + 8_000;
    azure().addRoleAssignment({
      scope: azScope(),
      roleDefinitionId: READER,
      principalId: deployer,
      principalType: 'ServicePrincipal',
      name,
      description: 'kept for good',
      createdBy: azure().objectId,
      hiddenForMs: 8_000,
    });
    emulator().requests.length = 0;
    const job = await azJob(deployer, '411', { 'assignment-name': name });
    expect(job.exitCode).toBe(0);
    // Precondition: the step's PUT reached the assignment that was there (200, not 201).
    expect(azPuts().map((r) => r.status)).toContain(200);
    // The step knows it did not create it ...
    expect(job.stdout).toMatch(/ARM answered 200/);
    // ... but its PUT has replaced the permanent step's description with its creation marker.
    expect(assignmentOf(deployer)?.properties.description).not.toBe('kept for good');

    const post = await runPost(azGrant(deployer, { 'assignment-name': name }), job.state);
    expect(post.exitCode).toBe(0);
    expect(assignmentOf(deployer)).toBeDefined();

    await sleep(Math.max(0, hiddenUntil - Date.now()));
    setRun('411', 'completed');
    const swept = await azSweptFor(deployer);
    expect(swept?.kind).not.toBe('revoke');
    expect(assignmentOf(deployer)).toBeDefined();
  }, 120_000);

  it('HOLE: run B’s create PUT (200) replaces run A’s `:e` marker with B’s own; once B has ended the sweep revokes the grant while A (its creator) still runs', async () => {
    const deployer = newPrincipal('ServicePrincipal');
    const name = randomUUID();
    // Run A's step made it a moment ago (marker and identity as a step writes them); B's reads
    // do not show it yet.
    const hiddenUntil = Date.now() + 8_000;
    azure().addRoleAssignment({
      scope: azScope(),
      roleDefinitionId: READER,
      principalId: deployer,
      principalType: 'ServicePrincipal',
      name,
      description: marker('421', '1', 'e'),
      createdBy: azure().objectId,
      hiddenForMs: 8_000,
    });
    emulator().requests.length = 0;
    const b = await azJob(deployer, '422', { 'assignment-name': name });
    expect(b.exitCode).toBe(0);
    expect(azPuts().map((r) => r.status)).toContain(200);

    await sleep(Math.max(0, hiddenUntil - Date.now()));
    setRun('421', 'in_progress'); // A still runs
    setRun('422', 'completed'); // B has ended
    const swept = await azSweptFor(deployer);
    expect(swept?.kind).not.toBe('revoke');
    expect(assignmentOf(deployer)).toBeDefined();
    // A's marker must still be on it, so that A's run keeps it.
    expect(assignmentOf(deployer)?.properties.description).toContain(marker('421', '1', 'e'));
  }, 120_000);
});

describe('Azure: two jobs that rely on one grant at once', () => {
  it('HOLE: two relying jobs read the description, then each PUTs it with its own marker: the later PUT drops the earlier’s reliance (no ETag, no read-back), and the sweep then ends the grant while that job runs', async () => {
    const deployer = newPrincipal('ServicePrincipal');
    const a = await azJob(deployer, '481');
    expect(a.exitCode).toBe(0);
    // ARM answering in 150 ms (a busy region) is enough for the two jobs' read-then-PUT to interleave.
    azure().faults.latencyMs = 150;
    const [b, c] = await Promise.all([azJob(deployer, '482'), azJob(deployer, '483')]);
    azure().faults.latencyMs = 0;
    for (const step of [b, c]) {
      expect(step.exitCode).toBe(0);
      // Each job was told its reliance is registered, and warns of nothing.
      expect(step.stdout).toContain('reliance registered for the sweep');
      expect(step.warnings).toEqual([]);
    }
    const description = assignmentOf(deployer)?.properties.description ?? '';
    const lost = ['482', '483'].filter((run) => !description.includes(marker(run, '1', 'r')));
    // The consequence: the job whose marker was dropped still runs, everyone else has ended.
    setRun('481', 'completed');
    for (const run of ['482', '483']) setRun(run, lost.includes(run) ? 'in_progress' : 'completed');
    const swept = await azSweptFor(deployer);
    expect({ lost, kind: swept?.kind }).toEqual({ lost: [], kind: 'running' });
    expect(assignmentOf(deployer)).toBeDefined();
  }, 120_000);
});

describe('Azure: a reliance registered while the sweep reads GitHub', () => {
  it('HOLE: the Azure sweep deletes without reading the assignment again, so a reliance written between its list and its delete is lost and the relying job loses its access', async () => {
    const deployer = newPrincipal('ServicePrincipal');
    const a = await azJob(deployer, '431');
    expect(a.exitCode).toBe(0);
    setRun('431', 'completed');
    setRun('432', 'in_progress');
    // While GitHub answers the sweep about run 431, job B of run 432 finds the grant and relies on it.
    let relied: Awaited<ReturnType<typeof azJob>> | undefined;
    emulator().github.runs.faults.beforeAnswer = async () => {
      emulator().github.runs.faults.beforeAnswer = undefined;
      relied = await azJob(deployer, '432');
    };
    const step = await azSweep();
    expect(relied?.exitCode).toBe(0);
    expect(relied?.stdout).toContain('reliance registered for the sweep');
    expect(step.exitCode).toBe(0);
    // Run 432 still runs and registered its reliance before the delete: the grant must stay.
    expect(azDeletes()).toEqual([]);
    expect(assignmentOf(deployer)).toBeDefined();
  }, 120_000);
});

// ---------------------------------------------------------------------------------------------
// AWS
// ---------------------------------------------------------------------------------------------

const awsSweep = (more: Record<string, string> = {}, env: Record<string, string> = {}) =>
  runMain(awsInputs({ operation: 'sweep', 'github-token': emulator().github.runs.jobToken, ...more }), {
    GITHUB_EVENT_NAME: 'schedule',
    ...env,
  });
const sessionOf = (name: string) => ({
  principalArn: `arn:aws:sts::123456789012:assumed-role/cloud-access/${name}`,
  sessionName: name,
});
const runSession = (runId: string, suffix = '-e', attempt = '1') =>
  sessionOf(`cloud-access-${REPOSITORY_ID}-${runId}-${attempt}${suffix}`);
const byAccount = (step: { outputs: Record<string, string> }) =>
  Object.fromEntries(resultsOf(step).map((r) => [r.target, r]));
const awsDeletes = () => emulator().requests.filter((r) => r.operation === 'DeleteAccountAssignment');
const awsGrant = (more: Record<string, string> = {}) =>
  awsInputs({ principal: 'alice', target: '111111111111', role: 'ReadOnlyAccess', ...more });

describe('AWS: a permanent step that finds an ephemeral run’s grant in place', () => {
  it('HOLE: a permanent `assign` (no revoke-on-exit) finds run A’s ephemeral grant, writes nothing, and A’s post step then revokes the grant the permanent step asked to keep', async () => {
    const ephemeral = awsGrant({ 'revoke-on-exit': 'true' });
    const aMain = await runMain(ephemeral, { GITHUB_RUN_ID: '441' });
    expect(aMain.exitCode).toBe(0);
    // A permanent step of another workflow (or a reconcile) asks for the same grant, to keep.
    const permanent = await runMain(awsGrant(), { GITHUB_RUN_ID: '442' });
    expect(permanent.exitCode).toBe(0);
    expect(permanent.outputs.status).toBe('SUCCEEDED');

    const aPost = await runPost(ephemeral, aMain.state);
    expect(aPost.exitCode).toBe(0);
    expect(aws().hasAssignment(awsAssignment('111111111111'))).toBe(true);
  }, 120_000);
});

describe('AWS: a reliance registered while the sweep reads GitHub (holds)', () => {
  it('a `-r` create sent between the evidence and the revokes is seen in the status list read again: left', async () => {
    const grant = awsAssignment('111111111111');
    aws().createAssignmentAs(grant, runSession('451'), ago(HOUR));
    setRun('451', 'completed');
    setRun('452', 'in_progress');
    emulator().github.runs.faults.beforeAnswer = () => {
      emulator().github.runs.faults.beforeAnswer = undefined;
      aws().createAssignmentAs(grant, runSession('452', '-r'));
    };
    const step = await awsSweep();
    expect(step.exitCode).toBe(0);
    expect(byAccount(step)['111111111111']?.kind).toBe('unproven');
    expect(aws().hasAssignment(grant)).toBe(true);
    expect(awsDeletes()).toEqual([]);
  }, 60_000);
});

/** A GitHub API that answers every run request with `answer`. */
async function fakeGithub(answer: () => { status: number; headers?: Record<string, string>; body: unknown }) {
  const server: Server = createServer((_req, res) => {
    const { status, headers, body } = answer();
    res.writeHead(status, { 'content-type': 'application/json', ...(headers ?? {}) });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('GitHub answers that must not stop a sweep', () => {
  it('HOLE: a rate-limit answer whose `x-ratelimit-reset` is past what a Date holds throws (RangeError) instead of naming the limit: the whole sweep fails', async () => {
    aws().createAssignmentAs(awsAssignment('111111111111'), runSession('461'), ago(30 * MINUTE));
    const github = await fakeGithub(() => ({
      status: 403,
      headers: {
        'x-ratelimit-remaining': '0',
        'x-ratelimit-limit': '1000',
        'x-ratelimit-reset': '99999999999999',
      },
      body: { message: 'API rate limit exceeded' },
    }));
    try {
      const step = await awsSweep({}, { GITHUB_API_URL: github.url });
      expect(step.stdout + step.stderr).not.toMatch(/RangeError|Invalid time value/);
      expect(step.exitCode).toBe(0);
      expect(byAccount(step)['111111111111']).toMatchObject({
        kind: 'unproven',
        reason: expect.stringMatching(/rate limit/),
      });
      expect(aws().hasAssignment(awsAssignment('111111111111'))).toBe(true);
    } finally {
      await github.close();
    }
  }, 60_000);
});

describe('AWS: cost an outsider can force', () => {
  it('HOLE (cost): refused CreateAccountAssignment calls by a caller with no SSO permission at all are paged through by every sweep (and again over 90 days before each revoke)', async () => {
    // CloudTrail records refused calls too (errorCode AccessDenied): any identity in the account
    // can add them at the API's rate, and LookupEvents cannot filter them out.
    const outsider = 'arn:aws:iam::123456789012:user/nobody';
    const grant = awsAssignment('111111111111');
    for (let i = 0; i < 1_000; i++)
      aws().addCloudTrailEvent({
        eventName: 'CreateAccountAssignment',
        principalArn: outsider,
        errorCode: 'AccessDeniedException',
        errorMessage: 'not authorized',
        requestParameters: {
          InstanceArn: aws().state.instanceArn,
          TargetId: '111111111111',
          TargetType: 'AWS_ACCOUNT',
          PermissionSetArn: grant.permissionSetArn,
          PrincipalType: 'USER',
          PrincipalId: grant.principalId,
        },
        at: ago(2 * HOUR) + i,
      });
    aws().createAssignmentAs(grant, runSession('471'), ago(HOUR));
    setRun('471', 'completed');

    const step = await awsSweep();
    expect(step.exitCode).toBe(0);
    expect(byAccount(step)['111111111111']?.kind).toBe('revoke');
    const lookups = emulator().requests.filter((r) => r.operation === 'LookupEvents').length;
    // One page of creates, one of deletes, and the older history: the refused calls should cost nothing.
    expect(lookups).toBeLessThanOrEqual(6);
  }, 120_000);
});
