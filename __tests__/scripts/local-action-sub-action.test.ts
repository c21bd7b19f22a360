// `npm run local-action -- grant <mode>.env` runs a sub-action as `uses:
// cloud-access/cloud-access/grant@v1` runs it: from its own action.yml (the inputs it declares and
// their defaults, its main step with the operation fixed, grant's post step after the main one),
// against the emulator `npm run emulator:start` started, from the source.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  actionNamed,
  localArguments,
  localTarget,
  tokenDefaults,
  undeclaredInputs,
} from '../../scripts/emulator/local-action-target.js';

const ROOT = join(import.meta.dirname, '..', '..');
let dir: string;

const tsx = (script: string, args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'emulator', script), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    // As the local-mode tests allow (__tests__/workflows/local-modes-fixture.ts): one run took 48 s
    // beside the other suites on a busy 2-core machine.
    timeout: 120_000,
    // NODE_COMPILE_CACHE: Node's cache of compiled code the tests keep (jest.config.js), nothing more.
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...(process.env.NODE_COMPILE_CACHE ? { NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE } : {}),
    },
  });

describe('npm run local-action -- ACTION ENV_FILE: which action, from its action.yml', () => {
  it('names a sub-action as a uses: line or its folder does, and the root action as . or none', () => {
    for (const arg of ['grant', './grant', 'grant/', 'cloud-access/cloud-access/grant@v1'])
      expect(actionNamed(arg)).toBe('grant');
    for (const arg of ['.', './', 'cloud-access/cloud-access@v1']) expect(actionNamed(arg)).toBe('');
    for (const arg of ['.env', '.emulator/aws-assign.env', 'grants', 'other/repo/grant@v1'])
      expect(actionNamed(arg)).toBeUndefined();
  });

  it('keeps a lone .env file the root action’s, as before, and takes an action before the file', () => {
    const run = { noPost: false };
    expect(localArguments([])).toEqual({ action: '', envFile: '.env', ...run });
    expect(localArguments(['.emulator/sweep.env'])).toEqual({
      action: '',
      envFile: '.emulator/sweep.env',
      ...run,
    });
    expect(localArguments(['report'])).toEqual({ action: 'report', envFile: '.env', ...run });
    expect(localArguments(['grant', 'x.env'])).toEqual({ action: 'grant', envFile: 'x.env', ...run });
    expect(() => localArguments(['grnat', 'x.env'])).toThrow(/`grnat` names no action of this repository/);
  });

  it('takes `--no-post` before or after the others, and refuses any other option, naming it', () => {
    expect(localArguments(['--no-post', 'grant', 'x.env'])).toEqual({
      action: 'grant',
      envFile: 'x.env',
      noPost: true,
    });
    expect(localArguments(['x.env', '--no-post'])).toEqual({ action: '', envFile: 'x.env', noPost: true });
    expect(() => localArguments(['--nopost', 'x.env'])).toThrow(/`--nopost` is no option of this command/);
  });

  it("reads the sub-action's inputs and steps: grant has a post step, report none, neither reads operation", () => {
    const grant = localTarget(ROOT, 'grant');
    expect(grant).toMatchObject({ dir: 'grant', subAction: 'grant', post: true });
    expect(grant.inputs).toContain('revoke-on-exit');
    expect(grant.inputs).not.toContain('operation');
    expect(localTarget(ROOT, 'report')).toMatchObject({ dir: 'report', post: false });
    expect(localTarget(ROOT, '')).toMatchObject({ dir: '.', main: 'src/index.ts', post: true });
    const env = { INPUT_OPERATION: 'provision', INPUT_CLOUD: 'aws', 'INPUT_GITHUB-TOKEN': 't' };
    // As the runner warns: github-token too, which provision does not declare.
    expect(undeclaredInputs(env, localTarget(ROOT, 'provision'))).toEqual(['operation', 'github-token']);
    expect(undeclaredInputs(env, localTarget(ROOT, ''))).toEqual([]);
  });

  it('gives an input left to its `${{ github.token }}` default a token, as the runner does: the file’s GITHUB_TOKEN, else the emulator’s job token', () => {
    const sweep = localTarget(ROOT, 'sweep');
    expect(sweep.tokenInputs).toEqual(['github-token']);
    expect(localTarget(ROOT, 'provision').tokenInputs).toEqual([]);
    expect(tokenDefaults({ EMULATOR_GITHUB_TOKEN: 'ghs_job' }, sweep)).toEqual({
      'INPUT_GITHUB-TOKEN': 'ghs_job',
    });
    expect(tokenDefaults({ GITHUB_TOKEN: 'ghp_own', EMULATOR_GITHUB_TOKEN: 'ghs_job' }, sweep)).toEqual({
      'INPUT_GITHUB-TOKEN': 'ghp_own',
    });
    // The file's own value wins; with no token at all, nothing is given.
    expect(tokenDefaults({ 'INPUT_GITHUB-TOKEN': 'mine', EMULATOR_GITHUB_TOKEN: 'ghs_job' }, sweep)).toEqual(
      {},
    );
    expect(tokenDefaults({}, sweep)).toEqual({});
  });
});

describe('npm run local-action -- SUB-ACTION <mode>.env, against the emulator', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cloud-access-sub-'));
    const started = tsx('start.ts', [
      '--write-env',
      join(dir, 'emulator.env'),
      '--log',
      join(dir, 'emulator.log'),
    ]);
    expect(started.status).toBe(0);
  }, 120_000);
  afterAll(() => {
    tsx('stop.ts', ['--write-env', join(dir, 'emulator.env')]);
    rmSync(dir, { recursive: true, force: true });
  });

  it("grant with revoke-on-exit grants, then runs grant's post step, which revokes what it created", () => {
    const run = tsx('local-action.ts', ['grant', join(dir, 'aws-ephemeral.env')]);
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    expect(run.stdout).toContain(join(ROOT, 'grant'));
    expect(run.stdout).toMatch(
      /✓ assign group Deployers → 222222222222 \/ DeployAccess: SUCCEEDED \(created/,
    );
    expect(run.stdout).toContain('revoke-on-exit: 1 revoked, 0 already absent, 0 failed, 0 left in place');
    expect(run.stdout).toContain('local-action: the main step succeeded, and the post step');
  }, 120_000);

  it('report runs its fixed operation without an operation input, which the root action would run as assign', () => {
    const own = join(dir, 'report-no-operation.env');
    writeFileSync(
      own,
      readFileSync(join(dir, 'report-aws.env'), 'utf8').replace(/^INPUT_OPERATION=.*\n/m, ''),
    );
    const run = tsx('local-action.ts', ['cloud-access/cloud-access/report@v1', own]);
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    expect(run.stdout).toMatch(/report: \d+ row\(s\)/);
    // report/action.yml has no post step: nothing after the main one.
    expect(run.stdout).toContain('local-action: the main step succeeded\n');
    expect(run.stdout).not.toContain('Running Post Step');
  }, 120_000);
});
