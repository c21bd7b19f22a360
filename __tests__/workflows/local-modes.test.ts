// Every mode of the action runs locally in one command: `npm run local-action -- <mode>.env`
// against the emulator `npm run emulator:start` started, with the .env files it wrote, and the
// command's exit code is the action's outcome (@github/local-action's own is always 0).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SAMPLE_DIRECTORY } from '../../emulator/azure/sample-directory.js';

const ROOT = join(import.meta.dirname, '..', '..');
let dir: string;

const tsx = (script: string, args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'emulator', script), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
  });
const localAction = (file: string) => tsx('local-action.ts', [file]);
/**
 * A command as a mode's file writes it (a control call with curl), run as a person pastes it. Not
 * fetch: spawnSync above holds this process's event loop, so a pooled connection the emulator has
 * since closed would be reused.
 */
const shell = (command: string) => {
  const run = spawnSync('bash', ['-c', command], { encoding: 'utf8', timeout: 30_000 });
  expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
  return run.stdout;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cloud-access-modes-'));
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

describe('npm run local-action -- .emulator/<mode>.env', () => {
  it.each([
    ['aws-assign', /✓ assign group Deployers → 111111111111 \/ AdministratorAccess: SUCCEEDED/],
    ['aws-provision', /ReadOnlyAccess/],
    [
      'azure-assign',
      // An object ID is not looked up: its `principal-type` is no kind the row could vouch for.
      /✓ assign 6d0a2f5e-3b8c-4e71-9a4d-c2e5f8b1a7d3 → .*rg-app \/ Contributor: SUCCEEDED/,
    ],
    ['reconcile-aws', /plan: 8 to create, 0 to delete/],
    ['reconcile-azure', /plan: 2 to create, 0 to delete/],
    ['sweep', /sweep/i],
    ['report-aws', /report: \d+ row\(s\)/],
    ['report-azure', /report: \d+ row\(s\)/],
  ])(
    '%s runs in one command, exits 0 and writes its job summary',
    (mode, expected) => {
      const run = localAction(join(dir, `${mode}.env`));
      expect({
        status: run.status,
        stderr: run.stderr.split('\n').filter((l) => l.startsWith('local-action:')),
      }).toEqual({
        status: 0,
        stderr: [],
      });
      expect(run.stdout).toMatch(expected);
      const summary = join(dir, 'out', `${mode}.summary.md`);
      expect(run.stdout).toContain(
        `local-action: job summary in ${summary}; outputs in the Action Outputs table above`,
      );
      expect(readFileSync(summary, 'utf8')).toContain('<h3>cloud-access');
    },
    120_000,
  );

  it('aws-ephemeral grants, then runs the post step, which revokes what it created', () => {
    const run = localAction(join(dir, 'aws-ephemeral.env'));
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(
      'The post step (revoke-on-exit), as the runner runs it at the end of the job:',
    );
    expect(run.stdout).toContain('revoke-on-exit: 1 revoked, 0 already absent, 0 failed, 0 left in place');
    expect(run.stdout).toContain('local-action: the main step succeeded, and the post step');
    expect(run.stdout).toMatch(/✓ revoke .* → 222222222222 \/ DeployAccess: SUCCEEDED \(deleted/);
  }, 120_000);

  it.each(['report-aws', 'report-azure', 'sweep-plan', 'reconcile-azure'])(
    'with inputs of your own, from examples/local/%s.env and the running emulator’s files, exits 0',
    (mode) => {
      // As the example's first lines say, its summary and files sent to this test's folder.
      const example = readFileSync(join(ROOT, 'examples', 'local', `${mode}.env`), 'utf8').replaceAll(
        '.emulator/out',
        join(dir, 'own-out'),
      );
      const appended = ['emulator.env', ...(mode.includes('azure') ? ['azure-inputs.env'] : [])].map((f) =>
        readFileSync(join(dir, f), 'utf8'),
      );
      const own = join(dir, `own-${mode}.env`);
      writeFileSync(own, [example, ...appended].join('\n'));
      const run = localAction(own);
      expect({
        status: run.status,
        errors: run.stdout.split('\n').filter((l) => l.startsWith('::error')),
      }).toEqual({
        status: 0,
        errors: [],
      });
      expect(readFileSync(join(dir, 'own-out', `${mode}.summary.md`), 'utf8')).toContain('<h3>cloud-access');
    },
    120_000,
  );

  it("exits 1 when the action fails, and ends with the action's errors, not local-action's stack trace", () => {
    const bad = join(dir, 'bad.env');
    writeFileSync(
      bad,
      readFileSync(join(dir, 'aws-assign.env'), 'utf8').replace(/^INPUT_ROLE=.*$/m, 'INPUT_ROLE=NoSuchSet'),
    );
    const run = localAction(bad);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('::error::assign Deployers → 111111111111 / NoSuchSet FAILED');
    for (const output of [run.stdout, run.stderr]) {
      expect(output).not.toContain('Error: Command failed');
      expect(output).not.toMatch(/^\s+at /m);
    }
    expect(run.stderr.trimEnd().split('\n').slice(-3)).toEqual([
      'local-action: the main step failed; the action said:',
      expect.stringMatching(
        /^local-action: error: assign Deployers → 111111111111 \/ NoSuchSet FAILED: permission set `NoSuchSet` was not found/,
      ),
      'local-action: error: 1 of 1 grant did not succeed',
    ]);
  }, 120_000);

  it('exits 1 when the .env file does not exist, saying how to make one', () => {
    const run = localAction(join(dir, 'nope.env'));
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('npm run emulator:start writes one per mode (.emulator/<mode>.env)');
  });

  it('emulator.env is a shell file: `source` sets EMULATOR_URL for the control API’s curl commands, and says nothing', () => {
    const sourced = spawnSync(
      'bash',
      ['-c', `source '${join(dir, 'emulator.env')}' && echo "$EMULATOR_URL"`],
      {
        encoding: 'utf8',
      },
    );
    expect({ status: sourced.status, stderr: sourced.stderr }).toEqual({ status: 0, stderr: '' });
    expect(sourced.stdout.trim()).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('an edited mode file runs: an input left to its `${{ github.token }}` default gets the emulator’s job token', () => {
    // revoke-on-exit on Azure reads github-token (a shared assignment's reliers); its default's text is no token.
    const edited = join(dir, 'azure-assign-edited.env');
    writeFileSync(
      edited,
      // Another principal than the mode's (which an earlier test granted), so the post step has something to revoke.
      readFileSync(join(dir, 'azure-assign.env'), 'utf8').replace(
        /^INPUT_PRINCIPAL=.*$/m,
        `INPUT_PRINCIPAL=${SAMPLE_DIRECTORY.application.servicePrincipalId}\nINPUT_REVOKE-ON-EXIT=true`,
      ),
    );
    const run = localAction(edited);
    expect({
      status: run.status,
      errors: run.stdout.split('\n').filter((l) => l.startsWith('::error')),
    }).toEqual({
      status: 0,
      errors: [],
    });
    expect(run.stdout).toContain('local-action: the main step succeeded, and the post step');
  }, 120_000);

  it('aws-audit-log writes the records of its main and post steps to the emulator’s S3, read back as its file says', () => {
    const file = readFileSync(join(dir, 'aws-audit-log.env'), 'utf8');
    const read = /^# Then read what it wrote: (curl .*)$/m.exec(file)![1]!;
    const run = localAction(join(dir, 'aws-audit-log.env'));
    expect(run.status).toBe(0);
    const [bucket] = JSON.parse(shell(`${read} --silent --show-error`)) as {
      exists: boolean;
      objects: { key: string; body: { step: string; change: string } }[];
    }[];
    expect(bucket!.exists).toBe(true);
    const changes = bucket!.objects.map((o) => `${o.body.step} ${o.body.change}`);
    expect(changes).toEqual(expect.arrayContaining(['main plan', 'post post-revoke']));
    for (const { key } of bucket!.objects)
      expect(key).toMatch(/^cloud-access\/\d{4}\/\d{2}\/\d{2}\/123456789-1234567890-1-\d+\.json$/);
  }, 120_000);

  it('aws-request and azure-request, run before their staging, say to stage it first, with the command', () => {
    for (const mode of ['aws-request', 'azure-request']) {
      const file = join(dir, `${mode}.env`);
      const unstaged = localAction(file);
      const first = /^# First: curl -XPOST (\S+) -d '\{\}'$/m.exec(readFileSync(file, 'utf8'))!;
      expect(unstaged.status).toBe(1);
      expect(unstaged.stderr).toContain('no access request is staged in the emulator: stage it first');
      expect(unstaged.stderr).toContain(`curl -XPOST ${first[1]} -d '{}'`);
      expect(unstaged.stdout).not.toContain('event_name');
    }
  }, 60_000);

  it.each([
    ['aws-request', /✓ assign user alice .*→ 111111111111 \/ ReadOnlyAccess: SUCCEEDED/],
    ['azure-request', /✓ assign 0a11ce00-1b2c-4d3e-8f40-5a6b7c8d9e01 → .*rg-app \/ Reader: SUCCEEDED/],
  ])(
    '%s grants once staged by the command its file names',
    (mode, granted) => {
      const file = join(dir, `${mode}.env`);
      const first = /^# First: (curl .*)$/m.exec(readFileSync(file, 'utf8'))![1]!;
      expect(JSON.parse(shell(`${first} --silent --show-error --fail`))).toMatchObject({
        requester: 'alice',
      });
      const run = localAction(file);
      expect({
        status: run.status,
        errors: run.stdout.split('\n').filter((l) => l.startsWith('::error')),
      }).toEqual({
        status: 0,
        errors: [],
      });
      expect(run.stdout).toMatch(granted);
    },
    120_000,
  );
});
