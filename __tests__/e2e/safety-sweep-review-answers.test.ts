// `operation: sweep` under a hostile review (the rest of safety-sweep-review.test.ts, in a file of its
// own so that jest runs the two at once): GitHub answers for another run or attempt, server text
// with workflow commands, CloudTrail paging it must not trust, and Azure markers it must not act on.
import { describe, expect, it } from '@jest/globals';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  awsAssignment,
  azure,
  azureInputs,
  forgedCommands,
  newPrincipal,
  READER,
  runMain,
  subscription,
  useEmulator,
} from './fixture.js';
import { MINUTE, REPOSITORY_ID, sweepReview, type SweepResult } from './sweep-review-fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 100 });
const { aws, sweep, setRun, sessionOf, runSession, byAccount, deletes } = sweepReview(emulator);

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
