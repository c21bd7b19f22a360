// `npm run emulator:start` (scripts/emulator/start.ts), the step e2e.yml starts the emulator with:
// it must return with the emulator running and its environment in GITHUB_ENV, or fail saying why.
// Each emulator gets a temporary folder of the test's own (TMPDIR) for its CA certificate and
// server key: one the test kills with SIGKILL cannot remove them itself, and the test removes the
// folder whatever happened.
import { afterAll, beforeAll } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
/** A path as the script lists it: relative to the repository when under it (the tests' scratch folder is). */
const listed = (file: string) => (file.startsWith(ROOT + sep) ? relative(ROOT, file) : file);

/** The emulators' temporary folder (their TLS files) inside the test's own `dir`. */
const tmpOf = (dir: string) => join(dir, 'tmp');

/**
 * SIGTERM, then wait until the emulator has exited: as it stops it removes its TLS folder from
 * tmpOf(dir), and removing `dir` meanwhile would race it (a recursive rm that meets a file gone
 * under it stops, with `force`, silently). SIGKILL after 10 s.
 */
async function stopEmulator(pid: number | undefined): Promise<void> {
  if (!pid) return;
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!alive()) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 10_000;
  while (alive() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  if (alive()) process.kill(pid, 'SIGKILL');
}

/** Removes the test's folder, the emulators' TLS files with it, and checks nothing is left. */
function removeFolder(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  expect(existsSync(dir)).toBe(false);
}

function startEmulator(dir: string, args: string[] = []) {
  const githubEnv = join(dir, 'github-env');
  writeFileSync(githubEnv, '');
  mkdirSync(tmpOf(dir), { recursive: true });
  const run = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      join(ROOT, 'scripts', 'emulator', 'start.ts'),
      '--write-env',
      join(dir, 'emulator.env'),
      '--log',
      join(dir, 'emulator.log'),
      ...args,
    ],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH, GITHUB_ENV: githubEnv, TMPDIR: tmpOf(dir) },
      encoding: 'utf8',
      timeout: 90_000,
    },
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
  afterEach(async () => {
    await stopEmulator(pid);
    removeFolder(dir);
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
    expect(started.env.NODE_EXTRA_CA_CERTS!.startsWith(tmpOf(dir) + sep)).toBe(true);

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

describe('npm run emulator:start, run again while its emulator runs', () => {
  let dir: string;
  let pid: number | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cloud-access-start-again-'));
  });
  afterAll(async () => {
    await stopEmulator(pid);
    removeFolder(dir);
  });

  it('writes a .env file per mode and the pid file, and lists the one-line command of each', () => {
    const started = startEmulator(dir);
    pid = Number(started.env.EMULATOR_PID);
    expect(started.status).toBe(0);
    expect(readFileSync(join(dir, 'emulator.pid'), 'utf8').trim()).toBe(String(pid));
    for (const mode of [
      'aws-assign',
      'aws-ephemeral',
      'aws-provision',
      'azure-assign',
      'reconcile-aws',
      'reconcile-azure',
      'sweep',
    ]) {
      expect(started.stderr).toContain(`npm run local-action -- ${listed(join(dir, `${mode}.env`))}`);
      const file = readFileSync(join(dir, `${mode}.env`), 'utf8');
      expect(file).toContain(`EMULATOR_URL=${started.env.EMULATOR_URL}\n`);
      expect(file).toContain(`GITHUB_STEP_SUMMARY=${join(dir, 'out', `${mode}.summary.md`)}\n`);
      expect(file).toMatch(/^INPUT_CLOUD=(aws|azure)$/m);
    }
    // What the Azure modes need, which used to take a restart, an export and a look in a log.
    const azure = readFileSync(join(dir, 'reconcile-azure.env'), 'utf8');
    expect(azure).toContain(`NODE_EXTRA_CA_CERTS=${started.env.NODE_EXTRA_CA_CERTS}\n`);
    expect(azure).toContain(`INPUT_GRAPH-ENDPOINT=${started.env.EMULATOR_GRAPH_ENDPOINT}\n`);
    expect(azure).toContain(`GITHUB_WORKSPACE=${join(ROOT, 'examples')}\n`);
    expect(azure).not.toMatch(/^INPUT_ROLE-TO-ASSUME=/m);
  }, 120_000);

  it('refuses a second start, naming the running emulator and how to stop or reuse it', () => {
    const again = startEmulator(dir);
    expect(again.status).toBe(1);
    expect(again.lines).toBe('');
    expect(again.stderr).toContain(`an emulator started here is already running (pid ${pid}`);
    expect(again.stderr).toContain(
      `Stop it with npm run emulator:stop (or kill ${pid}), or use it: npm run emulator:start -- --reuse`,
    );
  }, 60_000);

  it('with --reuse, hands out the running emulator’s environment', () => {
    const reused = startEmulator(dir, ['--reuse']);
    expect(reused.status).toBe(0);
    expect(reused.env.EMULATOR_PID).toBe(String(pid));
    expect(reused.stderr).toContain('is already running: reused');
  }, 60_000);

  it('starts anew after npm run emulator:stop, which waits until the emulator has exited', () => {
    const stop = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join(ROOT, 'scripts', 'emulator', 'stop.ts'),
        '--write-env',
        join(dir, 'emulator.env'),
      ],
      { cwd: ROOT, encoding: 'utf8', timeout: 30_000 },
    );
    expect(stop.stdout).toContain(`emulator:stop: emulator ${pid} stopped`);
    expect(() => process.kill(pid!, 0)).toThrow();
    expect(existsSync(join(dir, 'emulator.pid'))).toBe(false);
    const again = startEmulator(dir);
    expect(again.status).toBe(0);
    expect(again.env.EMULATOR_PID).not.toBe(String(pid));
    pid = Number(again.env.EMULATOR_PID);
  }, 120_000);

  it('starts anew over a pid file whose process is gone', () => {
    const killedCa = readFileSync(join(dir, 'emulator.env'), 'utf8').match(
      /^NODE_EXTRA_CA_CERTS=(.*)$/m,
    )?.[1];
    process.kill(pid!, 'SIGKILL');
    // Its CA certificate and server key stay behind, in the folder afterAll removes.
    expect(killedCa && existsSync(killedCa) && killedCa.startsWith(tmpOf(dir) + sep)).toBe(true);
    const again = startEmulator(dir);
    expect(again.status).toBe(0);
    pid = Number(again.env.EMULATOR_PID);
  }, 120_000);
});
