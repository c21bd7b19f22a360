// A sweep whose runner cannot reach GitHub's API: each run is asked at most three times, then
// every run is left unreadable (so nothing is revoked on a guess), and one line names the API,
// what failed, GITHUB_API_URL and the fix.
import { describe, expect, it } from '@jest/globals';
import { createServer, type AddressInfo } from 'node:net';
import { azure, azureInputs, newPrincipal, READER, runMain, subscription, useEmulator } from './fixture.js';

// A GitHub API that does not answer, as a fresh process meets it (no connection kept from a step before).
const emulator = useEmulator({ steps: 'processes' });
const scope = () => `${subscription()}/resourceGroups/rg-sweep`;

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('a sweep that cannot reach GitHub', () => {
  it('revokes nothing, gives up on the API after three tries rather than at its deadline, and says once which API could not be reached and how to fix it', async () => {
    const deployer = newPrincipal('ServicePrincipal');
    const job = await runMain(
      azureInputs({
        principal: deployer,
        'principal-type': 'ServicePrincipal',
        target: scope(),
        role: READER,
        'revoke-on-exit': 'true',
      }),
      { GITHUB_RUN_ID: '811' },
    );
    expect(job.exitCode).toBe(0);
    emulator().github.runs.setRun({
      repository: 'octo-org/octo-repo',
      repositoryId: '123456789',
      runId: '811',
      attempt: '1',
      status: 'completed',
      conclusion: 'success',
    });
    const api = `http://127.0.0.1:${await closedPort()}`;
    const step = await runMain(
      azureInputs({
        operation: 'sweep',
        target: scope(),
        'github-token': emulator().github.runs.jobToken,
        'timeout-seconds': '300',
      }),
      { GITHUB_EVENT_NAME: 'schedule', GITHUB_API_URL: api },
    );
    expect(step.exitCode).toBe(0);
    // Three tries (the first and two retries) for the one run, none for any other, and not the
    // 300 s deadline: counted, not timed, so a busy machine passes as a quiet one does.
    expect(step.stdout).toContain('GitHub: 1 run(s) asked about in 3 request(s)');
    expect(step.stdout).not.toContain('deadline (`timeout-seconds`) passed');
    const said = step.stdout.split('\n').filter((l) => l.includes('the runs were not read'));
    expect(said).toHaveLength(1);
    expect(said[0]).toContain(
      `GitHub's API at ${api} (GITHUB_API_URL) could not be reached (connect ECONNREFUSED`,
    );
    expect(said[0]).toContain(': the runs were not read; check that the runner reaches');
    expect(JSON.parse(step.outputs.plan!)).toMatchObject({ revoke: 0 });
    expect(step.stdout).toContain(
      `run 811 attempt 1 could not be read: GitHub's API at ${api} (GITHUB_API_URL) could not be reached (connect ECONNREFUSED`,
    );
    expect(
      azure()
        .roleAssignments()
        .some((a) => a.properties.principalId === deployer),
    ).toBe(true);
  }, 60_000);
});
