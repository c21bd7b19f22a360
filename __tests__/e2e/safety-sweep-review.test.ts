// `operation: sweep` under a hostile review (docs/sweep.md), through the bundle against the
// emulator: evidence planted, crafted or late, answers for another run or attempt, server text with
// workflow commands, inputs that would mark a permanent grant. Each test is a defence that holds;
// seven of them failed before the review's mends (SECURITY.md, "The sweep").
import { describe, expect, it } from '@jest/globals';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  awsAssignment,
  awsInputs,
  azure,
  azureInputs,
  forgedCommands,
  newPrincipal,
  READER,
  runMain,
  subscription,
  useEmulator,
} from './fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 100 });
const aws = () => emulator().aws;
const REPOSITORY_ID = '123456789';
const MINUTE = 60_000;

interface SweepResult {
  principal: string;
  target: string;
  kind: string;
  action: string;
  reason: string;
  evidence: string;
  status?: string;
  run: { runId: string; attempt: string } | null;
}

const sweep = (more: Record<string, string> = {}, env: Record<string, string> = {}) =>
  runMain(awsInputs({ operation: 'sweep', 'github-token': emulator().github.runs.jobToken, ...more }), {
    GITHUB_EVENT_NAME: 'schedule',
    ...env,
  });

const setRun = (runId: string, status: string, conclusion?: string, attempt = '1') =>
  emulator().github.runs.setRun({
    repository: 'octo-org/octo-repo',
    repositoryId: REPOSITORY_ID,
    runId,
    attempt,
    status,
    ...(conclusion ? { conclusion } : {}),
  });

const sessionOf = (name: string) => ({
  principalArn: `arn:aws:sts::123456789012:assumed-role/cloud-access/${name}`,
  sessionName: name,
});
const runSession = (runId: string, suffix = '-e') =>
  sessionOf(`cloud-access-${REPOSITORY_ID}-${runId}-1${suffix}`);
const person = { principalArn: 'arn:aws:iam::123456789012:user/admin' };
const results = (step: { outputs: Record<string, string> }) =>
  JSON.parse(step.outputs.results ?? '[]') as SweepResult[];
const byAccount = (step: { outputs: Record<string, string> }) =>
  Object.fromEntries(results(step).map((r) => [r.target, r]));
const deletes = () => emulator().requests.filter((r) => r.operation === 'DeleteAccountAssignment');

/** Drops CloudTrail's record of a call, as if it had not been delivered yet. */
const undeliver = (requestId: string) => {
  const trail = aws().cloudTrail as unknown as { requestId: string }[];
  const i = trail.findIndex((e) => e.requestId === requestId);
  expect(i).toBeGreaterThanOrEqual(0);
  trail.splice(i, 1);
};

describe('AWS: someone else’s create the sweep must see', () => {
  it('a create by another caller shortly BEFORE the run’s, not yet delivered by CloudTrail, makes the claim unproven', async () => {
    // A person creates the assignment; a minute later the run's session creates it again (a
    // duplicate create ends SUCCEEDED). CloudTrail delivers the run's event first (delivery is not
    // ordered); the person's is only in the creation-status list, which has no delay.
    const grant = awsAssignment('111111111111');
    const rival = aws().createAssignmentAs(grant, person, Date.now() - 6 * MINUTE);
    aws().createAssignmentAs(grant, runSession('901'), Date.now() - 5 * MINUTE);
    undeliver(rival.requestId);
    setRun('901', 'completed', 'success');

    const step = await sweep();
    expect(step.exitCode).toBe(0);
    expect(byAccount(step)['111111111111']).toMatchObject({ kind: 'unproven' });
    expect(aws().hasAssignment(grant)).toBe(true);
    expect(deletes()).toEqual([]);
  }, 60_000);

  it('a create after the run’s by a caller CloudTrail names without an ARN (userIdentity type Unknown) is a rival, not ignored', async () => {
    const grant = awsAssignment('111111111111');
    aws().createAssignmentAs(grant, runSession('902'), Date.now() - 60 * MINUTE);
    aws().createAssignmentAs(grant, person, Date.now() - 30 * MINUTE);
    // CloudTrail's record of that second create names no ARN (e.g. `Unknown`, `IdentityCenterUser`).
    const event = (aws().cloudTrail as unknown as Record<string, unknown>[]).at(-1)!;
    event.userIdentity = {
      type: 'Unknown',
      principalId: 'AIDAEXAMPLE',
      accountId: '123456789012',
      userName: 'someone@example.com',
    };
    setRun('902', 'completed', 'success');

    const step = await sweep();
    expect(step.exitCode).toBe(0);
    expect(byAccount(step)['111111111111']?.kind).not.toBe('revoke');
    expect(aws().hasAssignment(grant)).toBe(true);
    expect(deletes()).toEqual([]);
  }, 60_000);

  it('a delete and re-create after the run’s, both by a caller without an ARN, means it is not the run’s grant', async () => {
    const grant = awsAssignment('111111111111');
    aws().createAssignmentAs(grant, runSession('903'), Date.now() - 60 * MINUTE);
    aws().deleteAssignmentAs(grant, person, Date.now() - 50 * MINUTE);
    aws().createAssignmentAs(grant, person, Date.now() - 40 * MINUTE);
    const trail = aws().cloudTrail as unknown as Record<string, unknown>[];
    for (const event of trail.slice(-2)) event.userIdentity = { type: 'Unknown', accountId: '123456789012' };
    setRun('903', 'completed', 'success');

    const step = await sweep();
    expect(byAccount(step)['111111111111']?.kind).not.toBe('revoke');
    expect(aws().hasAssignment(grant)).toBe(true);
  }, 60_000);

  it('another caller’s create after the run’s, which CloudTrail delivers late (25 min) and the 15-minute status window has passed, is still seen', async () => {
    const grant = awsAssignment('111111111111');
    aws().createAssignmentAs(grant, runSession('904'), Date.now() - 60 * MINUTE);
    aws().config.cloudTrailDelayMs = 25 * MINUTE;
    aws().createAssignmentAs(grant, person, Date.now() - 20 * MINUTE);
    setRun('904', 'completed', 'success');

    const step = await sweep();
    expect(byAccount(step)['111111111111']?.kind).not.toBe('revoke');
    expect(aws().hasAssignment(grant)).toBe(true);
  }, 60_000);
});

describe('AWS: crafted session names', () => {
  it('a user-set `role-session-name` of the default’s form is refused before any request: no grant a sweep would take for a run’s', async () => {
    const job = await runMain(
      awsInputs({
        principal: 'alice',
        target: '111111111111',
        role: 'ReadOnlyAccess',
        'role-session-name': `cloud-access-${REPOSITORY_ID}-905-1-e`,
      }),
      { GITHUB_RUN_ID: '906' },
    );
    expect(job.exitCode).not.toBe(0);
    expect(job.errors.join('\n')).toMatch(/role-session-name.*form of the default session name/s);
    expect(emulator().requests.filter((r) => r.service !== 'github')).toEqual([]);
    expect(aws().hasAssignment(awsAssignment('111111111111'))).toBe(false);
  }, 60_000);

  it('an expiry in the session name of 1 (1970) on a run still going: only with proof (defence: none; documents)', async () => {
    // Anyone who may assume a `created-by` role may name a session; this documents that the sweep
    // then trusts the expiry. Not an escalation (that caller may delete the grant itself).
    aws().createAssignmentAs(
      awsAssignment('111111111111'),
      runSession('907', '-e1'),
      Date.now() - 30 * MINUTE,
    );
    setRun('907', 'in_progress');
    const step = await sweep({ 'dry-run': 'true' });
    expect(byAccount(step)['111111111111']).toMatchObject({ kind: 'revoke' });
    expect(deletes()).toEqual([]);
  }, 60_000);

  it('a session of another role with a cloud-access name is never considered; a session of a role of the same name in another account neither', async () => {
    aws().createAssignmentAs(
      awsAssignment('111111111111'),
      {
        principalArn: `arn:aws:sts::123456789012:assumed-role/other-role/cloud-access-${REPOSITORY_ID}-908-1-e`,
        sessionName: `cloud-access-${REPOSITORY_ID}-908-1-e`,
      },
      Date.now() - 30 * MINUTE,
    );
    aws().createAssignmentAs(
      awsAssignment('222222222222'),
      {
        principalArn: `arn:aws:sts::999999999999:assumed-role/cloud-access/cloud-access-${REPOSITORY_ID}-908-1-e`,
        sessionName: `cloud-access-${REPOSITORY_ID}-908-1-e`,
      },
      Date.now() - 30 * MINUTE,
    );
    setRun('908', 'completed', 'success');
    const step = await sweep();
    expect(results(step)).toEqual([]);
    expect(deletes()).toEqual([]);
  }, 60_000);
});

describe('AWS: planted and foreign events', () => {
  it('a create recorded for another Identity Center instance is no evidence', async () => {
    const grant = awsAssignment('111111111111');
    aws().createAssignmentAs(grant, runSession('909'), Date.now() - 30 * MINUTE);
    const event = (aws().cloudTrail as unknown as { requestParameters: Record<string, unknown> }[]).at(-1)!;
    event.requestParameters = {
      ...event.requestParameters,
      InstanceArn: 'arn:aws:sso:::instance/ssoins-ffffffffffffffff',
    };
    setRun('909', 'completed', 'success');
    const step = await sweep();
    expect(step.exitCode).toBe(0);
    expect(results(step)).toEqual([]);
    expect(step.stdout).toMatch(/1 not of this instance or not well formed/);
    expect(aws().hasAssignment(grant)).toBe(true);
  }, 60_000);

  it('an event ID carrying workflow commands reaches neither the log nor the outputs as a command', async () => {
    const grant = awsAssignment('111111111111');
    aws().createAssignmentAs(grant, runSession('910'), Date.now() - 30 * MINUTE);
    const event = (aws().cloudTrail as unknown as { eventId: string }[]).at(-1)!;
    event.eventId = 'x\n::warning::pwned\r::add-mask::secret ##[error]pwned ##[stop-commands]x';
    setRun('910', 'in_progress');
    const step = await sweep();
    expect(step.exitCode).toBe(0);
    expect(forgedCommands(step)).toEqual([]);
    expect(step.outputs.results ?? '').not.toMatch(/##\[|\n::/);
    expect(step.summary).not.toMatch(/##\[error\]/);
  }, 60_000);

  it('the github-token is never shown, even when GitHub refuses it', async () => {
    const token = 'ghs_NotARealTokenButSecret0123456789abcd';
    aws().createAssignmentAs(awsAssignment('111111111111'), runSession('911'), Date.now() - 30 * MINUTE);
    setRun('911', 'completed', 'success');
    const step = await sweep({ 'github-token': token });
    expect(byAccount(step)['111111111111']).toMatchObject({ kind: 'unproven' });
    const shown = [step.stdout, step.stderr]
      .join('\n')
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n');
    expect(shown + JSON.stringify(step.outputs) + step.summary).not.toContain(token);
    expect(step.stdout).toContain(`::add-mask::${token}`);
  }, 60_000);
});

describe('AWS: duplicate creates and attempts', () => {
  it('two runs’ sessions create one assignment 20 minutes apart: one grant both rely on, left while either run goes', async () => {
    const grant = awsAssignment('111111111111');
    aws().createAssignmentAs(grant, runSession('912'), Date.now() - 60 * MINUTE);
    aws().createAssignmentAs(grant, runSession('913'), Date.now() - 40 * MINUTE);
    setRun('912', 'completed', 'success');
    setRun('913', 'in_progress');
    const step = await sweep();
    const kinds = results(step).map((r) => [r.run?.runId, r.kind]);
    expect(kinds).toEqual([['912', 'running']]);
    expect(deletes()).toEqual([]);
  }, 60_000);

  it('the same session creates twice around a person’s create: unproven', async () => {
    const grant = awsAssignment('111111111111');
    aws().createAssignmentAs(grant, runSession('914'), Date.now() - 80 * MINUTE);
    aws().createAssignmentAs(grant, person, Date.now() - 60 * MINUTE);
    aws().createAssignmentAs(grant, runSession('914'), Date.now() - 30 * MINUTE);
    setRun('914', 'completed', 'success');
    const step = await sweep();
    expect(byAccount(step)['111111111111']).toMatchObject({ kind: 'unproven' });
    expect(deletes()).toEqual([]);
  }, 60_000);

  it('a grant of attempt 1 whose run’s latest attempt (2) has completed is revoked: the run has finished', async () => {
    const grant = awsAssignment('111111111111');
    aws().createAssignmentAs(grant, runSession('915'), Date.now() - 30 * MINUTE);
    setRun('915', 'completed', 'success', '2');
    const step = await sweep();
    expect(byAccount(step)['111111111111']).toMatchObject({ kind: 'revoke', action: 'revoked' });
  }, 60_000);

  it('a grant of an attempt later than the run’s latest (GitHub knows attempt 1 only) is not revoked', async () => {
    const grant = awsAssignment('111111111111');
    aws().createAssignmentAs(
      grant,
      sessionOf(`cloud-access-${REPOSITORY_ID}-922-2-e`),
      Date.now() - 30 * MINUTE,
    );
    setRun('922', 'completed', 'success', '1');
    const step = await sweep();
    expect(byAccount(step)['111111111111']).toMatchObject({ kind: 'unproven' });
    expect(deletes()).toEqual([]);
  }, 60_000);
});

describe('AWS: max-deletions edges and dry-run purity', () => {
  it('max-deletions 0 with one revoke refuses and writes nothing; with none it succeeds', async () => {
    aws().createAssignmentAs(awsAssignment('111111111111'), runSession('916'), Date.now() - 30 * MINUTE);
    setRun('916', 'completed', 'success');
    const refused = await sweep({ 'max-deletions': '0' });
    expect(refused.exitCode).not.toBe(0);
    expect(refused.outputs.status).toBe('FAILED');
    expect(deletes()).toEqual([]);
    setRun('916', 'in_progress');
    const none = await sweep({ 'max-deletions': '0' });
    expect(none.exitCode).toBe(0);
  }, 60_000);

  it.each(['-1', '1.5', ' ', 'ten', '1e3', '99999999999999999999'])(
    'max-deletions %p is refused before any request',
    async (value) => {
      const step = await sweep({ 'max-deletions': value });
      if (value.trim() === '') return; // the default applies
      expect(step.exitCode).not.toBe(0);
      expect(emulator().requests.filter((r) => r.operation === 'LookupEvents')).toEqual([]);
    },
    60_000,
  );

  it('a dry run sends no write, whatever the event; an unknown event refuses writes', async () => {
    aws().createAssignmentAs(awsAssignment('111111111111'), runSession('917'), Date.now() - 30 * MINUTE);
    setRun('917', 'completed', 'success');
    for (const event of ['pull_request_target', 'schedule', 'workflow_run']) {
      const step = await sweep({ 'dry-run': 'true' }, { GITHUB_EVENT_NAME: event });
      expect(step.exitCode).toBe(0);
      expect(step.outputs.status).not.toBe('FAILED');
    }
    expect(deletes()).toEqual([]);
    for (const event of ['pull_request_target', 'workflow_run', 'issue_comment', '']) {
      const step = await sweep({}, { GITHUB_EVENT_NAME: event });
      expect(step.exitCode).not.toBe(0);
    }
    expect(deletes()).toEqual([]);
    expect(aws().hasAssignment(awsAssignment('111111111111'))).toBe(true);
  }, 120_000);
});

/** A GitHub API of our own, answering every run request with `answer(path)`. */
async function fakeGithub(
  answer: (path: string) => { status: number; body: unknown; headers?: Record<string, string> },
) {
  const paths: string[] = [];
  const server: Server = createServer((req, res) => {
    paths.push(req.url ?? '');
    const { status, body, headers = {} } = answer(req.url ?? '');
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, paths, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('GitHub answers the sweep must not take at their word', () => {
  it('an answer about another run is not that run’s state', async () => {
    aws().createAssignmentAs(awsAssignment('111111111111'), runSession('918'), Date.now() - 30 * MINUTE);
    const github = await fakeGithub(() => ({
      status: 200,
      body: { id: 1918, run_attempt: 1, status: 'completed', conclusion: 'success' },
    }));
    try {
      const step = await sweep({}, { GITHUB_API_URL: github.url });
      expect(byAccount(step)['111111111111']).toMatchObject({ kind: 'unproven' });
      expect(deletes()).toEqual([]);
    } finally {
      await github.close();
    }
  }, 60_000);

  it('an answer whose latest attempt is before the claim’s (claim of attempt 3, latest 2) is not that attempt’s state', async () => {
    aws().createAssignmentAs(
      awsAssignment('222222222222'),
      sessionOf(`cloud-access-${REPOSITORY_ID}-919-3-e`),
      Date.now() - 30 * MINUTE,
    );
    const github = await fakeGithub(() => ({
      status: 200,
      body: { id: 919, run_attempt: 2, status: 'completed', conclusion: 'success' },
    }));
    try {
      const step = await sweep({}, { GITHUB_API_URL: github.url });
      expect(byAccount(step)['222222222222']).toMatchObject({ kind: 'unproven' });
      expect(deletes()).toEqual([]);
    } finally {
      await github.close();
    }
  }, 60_000);

  it('server text in GitHub’s error and conclusion reaches the log as no command', async () => {
    aws().createAssignmentAs(awsAssignment('111111111111'), runSession('920'), Date.now() - 30 * MINUTE);
    aws().createAssignmentAs(awsAssignment('222222222222'), runSession('921'), Date.now() - 30 * MINUTE);
    const github = await fakeGithub((path) =>
      /\/runs\/920$/.test(path)
        ? {
            status: 200,
            body: {
              id: 920,
              run_attempt: 1,
              status: 'completed',
              conclusion: 'x\n::warning::pwned ##[error]pwned',
            },
          }
        : {
            status: 500,
            body: { message: '\n::warning::pwned\n##[stop-commands]x' },
            headers: { 'x-github-request-id': '::warning::pwned' },
          },
    );
    try {
      const step = await sweep({ 'dry-run': 'true' }, { GITHUB_API_URL: github.url });
      expect(forgedCommands(step)).toEqual([]);
      expect(JSON.stringify(step.outputs)).not.toMatch(/##\[|\\n::/);
    } finally {
      await github.close();
    }
  }, 60_000);
});

/** A CloudTrail in front of the emulator's, whose paging `page` may rewrite. */
async function cloudTrailProxy(
  page: (target: string, request: Record<string, unknown>) => unknown | undefined,
) {
  const upstream = new URL(emulator().env.AWS_ENDPOINT_URL_CLOUDTRAIL!);
  let lookups = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      lookups++;
      const body = Buffer.concat(chunks);
      let parsed: Record<string, unknown> = {};
      try {
        parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      } catch {
        // not JSON
      }
      const own = page(String(req.headers['x-amz-target'] ?? ''), parsed);
      if (own !== undefined) {
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(own));
        return;
      }
      const forward = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          path: req.url,
          method: req.method,
          headers: req.headers,
        },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (c: Buffer) => parts.push(c));
          answer.on('end', () => {
            let text = Buffer.concat(parts).toString('utf8');
            if (answer.statusCode === 200 && parsed.NextToken === undefined && parsed.LookupAttributes) {
              const attribute = (parsed.LookupAttributes as { AttributeValue: string }[])[0]!.AttributeValue;
              if (attribute === 'CreateAccountAssignment')
                text = JSON.stringify({ ...(JSON.parse(text) as object), NextToken: 'LOOP' });
            }
            const headers = { ...answer.headers };
            delete headers['content-length'];
            res.writeHead(answer.statusCode ?? 500, headers);
            res.end(text);
          });
        },
      );
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    lookups: () => lookups,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('CloudTrail paging the sweep must not trust', () => {
  it('a server that hands back the same NextToken: the read is not complete, so nothing is revoked', async () => {
    aws().createAssignmentAs(awsAssignment('111111111111'), runSession('940'), Date.now() - 30 * MINUTE);
    setRun('940', 'completed', 'success');
    // Page 1 of the creates ends with NextToken LOOP; LOOP answers no events and LOOP again.
    const proxy = await cloudTrailProxy((_target, request) =>
      request.NextToken === 'LOOP' ? { Events: [], NextToken: 'LOOP' } : undefined,
    );
    try {
      const step = await sweep({}, { AWS_ENDPOINT_URL_CLOUDTRAIL: proxy.url });
      expect(byAccount(step)['111111111111']?.kind).not.toBe('revoke');
      expect(aws().hasAssignment(awsAssignment('111111111111'))).toBe(true);
    } finally {
      await proxy.close();
    }
  }, 60_000);

  it('a server that hands back a new NextToken forever: the step ends by its deadline, fails, and revokes nothing', async () => {
    aws().createAssignmentAs(awsAssignment('111111111111'), runSession('941'), Date.now() - 30 * MINUTE);
    setRun('941', 'completed', 'success');
    let n = 0;
    const proxy = await cloudTrailProxy((_target, request) =>
      request.NextToken !== undefined ? { Events: [], NextToken: `T${++n}` } : undefined,
    );
    try {
      const started = Date.now();
      const step = await sweep({ 'timeout-seconds': '15' }, { AWS_ENDPOINT_URL_CLOUDTRAIL: proxy.url });
      expect(Date.now() - started).toBeLessThan(40_000);
      expect(step.exitCode).not.toBe(0);
      expect(proxy.lookups()).toBeLessThan(100);
      expect(aws().hasAssignment(awsAssignment('111111111111'))).toBe(true);
    } finally {
      await proxy.close();
    }
  }, 90_000);
});

describe('Azure: markers the sweep must not act on', () => {
  const scope = () => `${subscription()}/resourceGroups/rg-review`;
  const azureSweep = (more: Record<string, string> = {}) =>
    runMain(
      azureInputs({
        operation: 'sweep',
        target: scope(),
        'github-token': emulator().github.runs.jobToken,
        ...more,
      }),
      { GITHUB_EVENT_NAME: 'schedule' },
    );
  const has = (principal: string) =>
    azure()
      .roleAssignments()
      .some((a) => a.properties.principalId === principal);

  it('a `description` input that ends with a run marker is refused before any request: no permanent grant carries one', async () => {
    // E.g. `description: Access for ${{ inputs.reason }}` on a permanent grant.
    const deployer = newPrincipal('ServicePrincipal');
    const job = await runMain(
      azureInputs({
        principal: deployer,
        'principal-type': 'ServicePrincipal',
        target: scope(),
        role: READER,
        description: 'Access for on-call [cloud-access:octo-org/octo-repo:run:930:1:e]',
      }),
      { GITHUB_RUN_ID: '931' },
    );
    expect(job.exitCode).not.toBe(0);
    expect(job.errors.join('\n')).toMatch(/description.*run marker/s);
    expect(has(deployer)).toBe(false);
  }, 60_000);

  it('createdBy in upper case from ARM, a marker in upper case hex: still one of `created-by`, and a description with two markers uses the last', async () => {
    const a = newPrincipal('User');
    const b = newPrincipal('User');
    const creator = '11111111-1111-4111-8111-111111111111';
    azure().addRoleAssignment({
      scope: scope(),
      roleDefinitionId: READER,
      principalId: a,
      description: 'x [cloud-access:octo-org/octo-repo:run:932:1:e]',
      createdBy: creator.toUpperCase(),
    });
    azure().addRoleAssignment({
      scope: scope(),
      roleDefinitionId: READER,
      principalId: b,
      description:
        '[cloud-access:octo-org/octo-repo:run:932:1:e] [cloud-access:octo-org/octo-repo:run:933:1:e]',
      createdBy: creator,
    });
    setRunAzure('932', 'completed', 'success');
    setRunAzure('933', 'in_progress');
    const step = await azureSweep({ 'created-by': creator, 'dry-run': 'true' });
    expect(step.exitCode).toBe(0);
    const found = Object.fromEntries(
      (JSON.parse(step.outputs.results ?? '[]') as SweepResult[]).map((r) => [r.principal, r]),
    );
    expect(found[a]).toMatchObject({ kind: 'revoke', action: 'would revoke' });
    expect(found[b]).toMatchObject({ kind: 'running' });
    expect(has(a)).toBe(true);
  }, 60_000);

  it('a dry run deletes nothing', async () => {
    const creator = '11111111-1111-4111-8111-111111111111';
    const p = newPrincipal('User');
    azure().addRoleAssignment({
      scope: scope(),
      roleDefinitionId: READER,
      principalId: p,
      description: '[cloud-access:octo-org/octo-repo:run:935:1:e]',
      createdBy: creator,
    });
    setRunAzure('935', 'completed', 'success');
    const step = await azureSweep({ 'created-by': creator, 'dry-run': 'true' });
    expect(step.exitCode).toBe(0);
    expect(JSON.parse(step.outputs.plan!)).toMatchObject({ revoke: 1 });
    expect(emulator().requests.filter((r) => String((r as { method?: string }).method) === 'DELETE')).toEqual(
      [],
    );
    expect(has(p)).toBe(true);
  }, 60_000);

  it('overlapping scopes list one assignment once; an assignment above the swept scope is not swept', async () => {
    const creator = '11111111-1111-4111-8111-111111111111';
    const under = newPrincipal('User');
    const above = newPrincipal('User');
    azure().addRoleAssignment({
      scope: scope(),
      roleDefinitionId: READER,
      principalId: under,
      description: '[cloud-access:octo-org/octo-repo:run:934:1:e]',
      createdBy: creator,
    });
    azure().addRoleAssignment({
      scope: subscription(),
      roleDefinitionId: READER,
      principalId: above,
      description: '[cloud-access:octo-org/octo-repo:run:934:1:e]',
      createdBy: creator,
    });
    setRunAzure('934', 'completed', 'success');
    const step = await azureSweep({
      'created-by': creator,
      target: `${scope()}, ${scope()}/providers/Microsoft.Storage/storageAccounts/x, ${scope().toUpperCase()}`,
    });
    if (step.exitCode !== 0) {
      // Refused at input: fine, nothing was deleted.
      expect(has(under)).toBe(true);
      return;
    }
    const found = JSON.parse(step.outputs.results ?? '[]') as SweepResult[];
    expect(found.filter((r) => r.principal === under)).toHaveLength(1);
    expect(found.filter((r) => r.principal === above)).toHaveLength(0);
    expect(has(above)).toBe(true);
    expect(has(under)).toBe(false);
  }, 60_000);
});

function setRunAzure(runId: string, status: string, conclusion?: string) {
  setRun(runId, status, conclusion);
}
