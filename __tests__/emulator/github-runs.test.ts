// The emulated GitHub REST API's workflow runs, through @actions/github's Octokit: run and attempt
// by repository name or numeric ID, with GitHub's answers for bad credentials, repositories a
// token cannot see, and spent rate limits.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { getOctokit } from '@actions/github';
import { startEmulator, type Emulator } from '../../emulator/index.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ quiet: true, azure: false });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

const HEADERS = { 'X-GitHub-Api-Version': '2022-11-28' };
const octokit = (token = emulator.github.runs.jobToken) =>
  getOctokit(token, { baseUrl: emulator.env.GITHUB_API_URL });
const attempt = (
  run_id: number,
  attempt_number: number,
  owner = 'octo-org',
  repo = 'octo-repo',
  token?: string,
) =>
  octokit(token).request('GET /repos/{owner}/{repo}/actions/runs/{run_id}/attempts/{attempt_number}', {
    owner,
    repo,
    run_id,
    attempt_number,
    headers: HEADERS,
  });
interface Failure {
  status: number;
  message: string;
  response: { headers: Record<string, string>; data: Record<string, unknown> };
}
const failure = async (promise: Promise<unknown>): Promise<Failure> => {
  try {
    await promise;
  } catch (error) {
    return error as Failure;
  }
  throw new Error('expected the request to fail');
};
const setRun = (runId: string, status: string, more: Record<string, string> = {}) =>
  emulator.github.runs.setRun({
    repository: 'octo-org/octo-repo',
    repositoryId: '123456789',
    runId,
    status,
    ...more,
  });

describe('a workflow run attempt', () => {
  it('answers the documented shape, with its status and conclusion, and rate-limit headers', async () => {
    setRun('701', 'in_progress');
    setRun('702', 'completed', { conclusion: 'failure' });
    const going = await attempt(701, 1);
    expect(going.status).toBe(200);
    expect(going.data).toMatchObject({
      id: 701,
      run_attempt: 1,
      status: 'in_progress',
      conclusion: null,
      event: 'push',
      head_branch: 'main',
      html_url: 'https://github.com/octo-org/octo-repo/actions/runs/701',
      repository: {
        id: 123456789,
        full_name: 'octo-org/octo-repo',
        name: 'octo-repo',
        owner: { login: 'octo-org' },
      },
    });
    expect(going.data.run_started_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(going.data.updated_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(going.headers).toMatchObject({
      'x-ratelimit-limit': '1000',
      'x-ratelimit-remaining': '999',
      'x-ratelimit-used': '1',
      'x-ratelimit-resource': 'core',
      'x-github-request-id': expect.stringMatching(/^[0-9A-F]+(:[0-9A-F]+){4}$/),
    });
    expect(Number(going.headers['x-ratelimit-reset'])).toBeGreaterThan(Date.now() / 1000);
    expect((await attempt(702, 1)).data).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(emulator.requests.map((r) => `${r.service}:${r.operation}:${r.status}`)).toEqual([
      'github:GetWorkflowRunAttempt:200',
      'github:GetWorkflowRunAttempt:200',
    ]);
  });

  it('each attempt on the attempts endpoint; the run endpoint answers the latest', async () => {
    setRun('703', 'completed', { conclusion: 'failure' });
    setRun('703', 'queued', { attempt: '2' });
    expect((await attempt(703, 1)).data).toMatchObject({ run_attempt: 1, status: 'completed' });
    expect((await attempt(703, 2)).data).toMatchObject({
      run_attempt: 2,
      status: 'queued',
      previous_attempt_url: expect.stringMatching(/\/attempts\/1$/),
    });
    const latest = await octokit().request('GET /repos/{owner}/{repo}/actions/runs/{run_id}', {
      owner: 'octo-org',
      repo: 'octo-repo',
      run_id: 703,
    });
    expect(latest.data).toMatchObject({ id: 703, run_attempt: 2, status: 'queued' });
    expect(emulator.requests.at(-1)?.operation).toBe('GetWorkflowRun');
    expect((await failure(attempt(703, 3))).status).toBe(404);
  });

  it('is there under /repositories/{repository_id}/ too', async () => {
    setRun('704', 'completed', { conclusion: 'success' });
    emulator.github.runs.setRun({
      repository: 'other-org/other-repo',
      repositoryId: '555555555',
      runId: '707',
      status: 'completed',
    });
    const byId = await octokit().request(
      'GET /repositories/{repository_id}/actions/runs/{run_id}/attempts/{attempt_number}',
      {
        repository_id: 123456789,
        run_id: 704,
        attempt_number: 1,
      },
    );
    expect(byId.data).toMatchObject({
      id: 704,
      conclusion: 'success',
      repository: { full_name: 'octo-org/octo-repo' },
    });
    // The job's token reads its own repository only.
    const other = () =>
      octokit().request('GET /repositories/{repository_id}/actions/runs/{run_id}', {
        repository_id: 555555555,
        run_id: 707,
      });
    expect((await failure(other())).status).toBe(404);
    emulator.github.runs.addToken('ghs_app', ['octo-org/octo-repo', 'other-org/other-repo']);
    const app = await getOctokit('ghs_app', { baseUrl: emulator.env.GITHUB_API_URL }).request(
      'GET /repositories/{repository_id}/actions/runs/{run_id}',
      { repository_id: 555555555, run_id: 707 },
    );
    expect(app.data).toMatchObject({
      id: 707,
      status: 'completed',
      conclusion: 'success',
      repository: { id: 555555555 },
    });
  });
});

describe("GitHub's refusals", () => {
  it('401 Bad credentials without a token, or with one GitHub does not know', async () => {
    setRun('705', 'completed');
    const unknown = await failure(attempt(705, 1, 'octo-org', 'octo-repo', 'ghs_nope'));
    expect(unknown.status).toBe(401);
    expect(unknown.response.data).toEqual({
      message: 'Bad credentials',
      documentation_url: 'https://docs.github.com/rest',
      status: '401',
    });
    const none = await fetch(`${emulator.env.GITHUB_API_URL}/repos/octo-org/octo-repo/actions/runs/705`);
    expect(none.status).toBe(401);
  });

  it('404 Not Found for a repository the token cannot see, an unknown run, another route', async () => {
    setRun('706', 'completed');
    const hidden = await failure(attempt(706, 1, 'other-org', 'other-repo'));
    expect(hidden.status).toBe(404);
    expect(hidden.response.data).toMatchObject({ message: 'Not Found', status: '404' });
    expect((await failure(attempt(999, 1))).status).toBe(404);
    const jobs = await fetch(
      `${emulator.env.GITHUB_API_URL}/repos/octo-org/octo-repo/actions/runs/706/jobs`,
      {
        headers: { authorization: `Bearer ${emulator.github.runs.jobToken}` },
      },
    );
    expect(jobs.status).toBe(404);
  });

  it('403 once the hourly limit is spent, with x-ratelimit-remaining 0 and GitHub’s message', async () => {
    setRun('708', 'in_progress');
    emulator.github.runs.rateLimit = 2;
    await attempt(708, 1);
    const second = await attempt(708, 1);
    expect(second.headers['x-ratelimit-remaining']).toBe('0');
    const spent = await failure(attempt(708, 1));
    expect(spent.status).toBe(403);
    expect(spent.response.headers).toMatchObject({
      'x-ratelimit-remaining': '0',
      'x-ratelimit-limit': '2',
      'x-ratelimit-used': '2',
    });
    expect(spent.response.data.message).toMatch(/^API rate limit exceeded for installation ID \d+\.$/);
    // Counted per token: another token still reads.
    emulator.github.runs.addToken('ghs_other', ['octo-org/octo-repo']);
    expect((await attempt(708, 1, 'octo-org', 'octo-repo', 'ghs_other')).status).toBe(200);
  });

  it('429 with retry-after for the secondary limit (faults.secondaryRateLimit), then answers again', async () => {
    setRun('709', 'completed');
    emulator.github.runs.faults.secondaryRateLimit = 1;
    const limited = await failure(attempt(709, 1));
    expect(limited.status).toBe(429);
    expect(limited.response.headers['retry-after']).toBe('60');
    expect(limited.response.data.message).toMatch(/secondary rate limit/);
    expect((await attempt(709, 1)).status).toBe(200);
  });

  it('400 for an API version GitHub does not have', async () => {
    setRun('710', 'completed');
    const res = await fetch(`${emulator.env.GITHUB_API_URL}/repos/octo-org/octo-repo/actions/runs/710`, {
      headers: {
        authorization: `token ${emulator.github.runs.jobToken}`,
        'x-github-api-version': '2019-01-01',
      },
    });
    expect(res.status).toBe(400);
  });
});

describe('the job token and the control API', () => {
  it('EMULATOR_GITHUB_TOKEN is the job token, and reset() keeps it but forgets runs and tokens', async () => {
    expect(emulator.env.EMULATOR_GITHUB_TOKEN).toBe(emulator.github.runs.jobToken);
    expect(emulator.github.runs.jobToken).toMatch(/^ghs_[A-Za-z0-9]{36}$/);
    expect(emulator.issuedSecrets()).toContain(emulator.github.runs.jobToken);
    setRun('711', 'completed');
    emulator.reset();
    expect(emulator.github.runs.runs()).toEqual([]);
    expect((await failure(attempt(711, 1))).status).toBe(404);
  });

  it('sets runs, tokens and limits over HTTP', async () => {
    const post = (path: string, body: unknown) =>
      fetch(`${emulator.endpoints.github}/_emulator/github/${path}`, {
        method: 'POST',
        body: JSON.stringify(body),
      });
    expect(
      (
        await post('runs', {
          repository: 'octo-org/octo-repo',
          runId: '712',
          status: 'completed',
          conclusion: 'cancelled',
        })
      ).status,
    ).toBe(200);
    expect(
      (await post('runs', { repository: 'octo-org/octo-repo', runId: '713', status: 'finished' })).status,
    ).toBe(400);
    const token = (await (await post('tokens', { repositories: ['octo-org/octo-repo'] })).json()) as {
      token: string;
    };
    expect((await attempt(712, 1, 'octo-org', 'octo-repo', token.token)).data).toMatchObject({
      conclusion: 'cancelled',
    });
    expect((await post('rate-limit', { secondaryRateLimit: 1 })).status).toBe(200);
    expect((await failure(attempt(712, 1))).status).toBe(429);
  });
});
