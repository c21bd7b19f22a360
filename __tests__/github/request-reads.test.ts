// What a request reads of GitHub, sent to a local server that answers as GitHub never should: a
// 429 whose Retry-After is past the step's deadline, an HTML page with 200, a 500, no answer at
// all. Each ends the read with a refusal, at once or at the deadline; none is a guess that lets a
// request through (github/request-reads.ts, github/request-answers.ts).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudAccessError } from '../../src/core/errors.js';
import { Deadline } from '../../src/engine/limits/deadline.js';
import { githubRequestReads } from '../../src/github/request-reads.js';

type Answer = { status: number; type?: string; body?: string; headers?: Record<string, string> } | 'hang';
let answers: Record<string, Answer> = {};
let asked: string[] = [];
let server: Server;
const hanging: ServerResponse[] = [];
const saved = process.env.GITHUB_API_URL;

const json = (body: unknown, status = 200): Answer => ({
  status,
  type: 'application/json; charset=utf-8',
  body: JSON.stringify(body),
});
const html: Answer = {
  status: 200,
  type: 'text/html; charset=utf-8',
  body: '<!DOCTYPE html><html>Sign in</html>',
};

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const key = `${req.method} ${new URL(req.url!, 'http://x').pathname}`;
    asked.push(key);
    const answer = answers[key] ?? json({ message: 'Not Found' }, 404);
    if (answer === 'hang') return void hanging.push(res);
    res.writeHead(answer.status, { 'content-type': answer.type ?? 'text/plain', ...answer.headers });
    res.end(answer.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.env.GITHUB_API_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  if (saved === undefined) delete process.env.GITHUB_API_URL;
  else process.env.GITHUB_API_URL = saved;
  for (const res of hanging) res.destroy();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  answers = {};
  asked = [];
});

const reads = (seconds = 30) =>
  githubRequestReads({ token: 't', repository: 'octo-org/octo-repo', deadline: new Deadline(seconds) });

const RUN = '9876543210';
const ENV_PATH = 'GET /repos/octo-org/octo-repo/environments/production-access';
const APPROVALS = `GET /repos/octo-org/octo-repo/actions/runs/${RUN}/approvals`;
const RUN_PATH = `GET /repos/octo-org/octo-repo/actions/runs/${RUN}`;
const environment = json({
  name: 'production-access',
  can_admins_bypass: false,
  protection_rules: [
    { type: 'required_reviewers', prevent_self_review: true, reviewers: [{ type: 'User' }] },
  ],
  deployment_branch_policy: null,
});

describe("a request's reads of GitHub, answered as GitHub never should", () => {
  it('refuses at once a 429 whose Retry-After is an hour away, past the deadline: no wait, no guess', async () => {
    answers['POST /graphql'] = {
      status: 429,
      type: 'application/json',
      body: JSON.stringify({ message: 'API rate limit exceeded' }),
      headers: { 'retry-after': '3600', 'x-ratelimit-remaining': '0' },
    };
    const github = await reads(20);
    const started = Date.now();
    const failure = await github.policyAtHead('.github/access-policy.yml').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(CloudAccessError);
    expect((failure as Error).message).toContain('GitHub refused to read the policy');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(github.requests()).toBe(1);
  });

  it('refuses an HTML page answered 200 for the policy query: no default branch, no policy', async () => {
    answers['POST /graphql'] = html;
    const github = await reads();
    await expect(github.policyAtHead('.github/access-policy.yml')).rejects.toThrow(
      "GitHub's answer for the default branch is not in the shape GitHub documents",
    );
  });

  it('refuses GraphQL errors beside partial data (a field the token may not read)', async () => {
    answers['POST /graphql'] = json({
      data: {
        repository: { defaultBranchRef: { name: 'main', target: { oid: 'b'.repeat(40), file: null } } },
      },
      errors: [{ type: 'FORBIDDEN', message: 'Resource not accessible by integration' }],
    });
    const github = await reads();
    await expect(github.policyAtHead('.github/access-policy.yml')).rejects.toThrow(
      /GitHub refused to read the policy .*FORBIDDEN: Resource not accessible by integration/,
    );
  });

  it("refuses the run's evidence when its approvals come back as an HTML page", async () => {
    answers[ENV_PATH] = environment;
    answers[APPROVALS] = html;
    answers[RUN_PATH] = json({ id: Number(RUN), created_at: new Date().toISOString() });
    const github = await reads();
    await expect(github.evidence('production-access', RUN, 'main')).rejects.toThrow(
      "GitHub's answer for the run's approvals is not in the shape GitHub documents",
    );
  });

  it('refuses, naming the read, a 500 or a 429 on the approvals: never an empty list', async () => {
    answers[ENV_PATH] = environment;
    answers[RUN_PATH] = json({ id: Number(RUN), created_at: new Date().toISOString() });
    for (const status of [500, 429]) {
      answers[APPROVALS] = json({ message: 'boom' }, status);
      const github = await reads();
      await expect(github.evidence('production-access', RUN, 'main')).rejects.toThrow(
        `GitHub refused to read the run's approvals (HTTP ${status})`,
      );
    }
  });

  it('ends at the deadline when GitHub never answers, with a failure rather than a grant', async () => {
    answers['POST /graphql'] = 'hang';
    const github = await reads(2);
    const started = Date.now();
    await expect(github.policyAtHead('.github/access-policy.yml')).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(8_000);
  }, 15_000);
});
