// `npm run emulator:start` (scripts/start-emulator.ts), the step e2e.yml starts the emulator with:
// it must return with the emulator running and its environment in GITHUB_ENV, or fail saying why.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

function startEmulator(dir: string, args: string[] = []) {
  const githubEnv = join(dir, 'github-env');
  writeFileSync(githubEnv, '');
  const run = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      join(ROOT, 'scripts', 'start-emulator.ts'),
      '--write-env',
      join(dir, 'emulator.env'),
      '--log',
      join(dir, 'emulator.log'),
      ...args,
    ],
    { cwd: ROOT, env: { PATH: process.env.PATH, GITHUB_ENV: githubEnv }, encoding: 'utf8', timeout: 90_000 },
  );
  const lines = readFileSync(githubEnv, 'utf8');
  const env = Object.fromEntries(
    lines
      .split('\n')
      .filter(Boolean)
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  return { ...run, lines, env };
}

describe('npm run emulator:start', () => {
  let dir: string;
  let pid: number | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cloud-access-start-'));
    pid = undefined;
  });
  afterEach(() => {
    if (pid) process.kill(pid, 'SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('returns with the emulator answering and its environment in GITHUB_ENV and on stdout', async () => {
    const started = startEmulator(dir, [
      '--azure-principal',
      '0b6f3c2e-8d41-4a57-9e2c-5f1a7b3d9c64:ServicePrincipal',
    ]);
    pid = Number(started.env.EMULATOR_PID);
    expect(started.status).toBe(0);
    expect(started.stdout).toBe(started.lines);
    expect(Object.keys(started.env)).toEqual(
      expect.arrayContaining([
        'ACTIONS_ID_TOKEN_REQUEST_URL',
        'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
        'AWS_ENDPOINT_URL_STS',
        'AWS_ENDPOINT_URL_SSO_ADMIN',
        'AWS_ENDPOINT_URL_IDENTITYSTORE',
        'AWS_REGION',
        'NODE_EXTRA_CA_CERTS',
        'AZURE_AUTHORITY_HOST',
        'EMULATOR_ARM_ENDPOINT',
        'EMULATOR_URL',
        'EMULATOR_PID',
      ]),
    );
    // The token endpoint is the emulator's, and the CA file is there for Node to trust Entra and ARM.
    expect(started.env.ACTIONS_ID_TOKEN_REQUEST_URL!.startsWith(`${started.env.EMULATOR_URL}/`)).toBe(true);
    expect(existsSync(started.env.NODE_EXTRA_CA_CERTS!)).toBe(true);

    // It outlived the script: its control API and its token endpoint answer.
    const state = (await (await fetch(`${started.env.EMULATOR_URL}/_emulator/state`)).json()) as {
      azure: { tenantId: string };
    };
    expect(state.azure.tenantId).toBe(started.env.AZURE_TENANT_ID);
    const token = await fetch(`${started.env.ACTIONS_ID_TOKEN_REQUEST_URL}&audience=sts.amazonaws.com`, {
      headers: { Authorization: `Bearer ${started.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}` },
    });
    expect(token.status).toBe(200);
  }, 120_000);

  it('fails with the emulator’s log when the emulator stops before it is ready', () => {
    const started = startEmulator(dir, ['--aws-write-delay-ms', 'soon']);
    expect(started.status).toBe(1);
    expect(started.lines).toBe('');
    expect(started.stderr).toContain('the emulator stopped (exit code 2) before it was ready');
    expect(started.stderr).toContain(
      '--aws-write-delay-ms must be a whole number of milliseconds, got "soon"',
    );
  }, 60_000);
});
