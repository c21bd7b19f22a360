// What a person tries after the modes against the emulator `npm run emulator:start` started:
// access requests staged by the command their file names, a sub-action, a mode's main step alone
// (`--no-post`), and, last, a mode file run after its emulator has stopped (local-modes-tries.test.ts
// has a mode file of their own and the audit log).
import { beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnvLines } from '../../scripts/emulator/running.js';
import { localAction, ROOT, shell, startedEmulator, stopEmulator } from './local-modes-fixture.js';

const emulatorFolder = startedEmulator();
let dir: string;
beforeAll(() => {
  dir = emulatorFolder();
});

describe('npm run local-action -- an access request, staged by the command its file names', () => {
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

// `npm run local-action -- grant <mode>.env` runs a sub-action as `uses:
// cloud-access/cloud-access/grant@v1` runs it, from its own action.yml (which action, and what of
// its action.yml: __tests__/scripts/local-action-sub-action.test.ts).
describe('npm run local-action -- SUB-ACTION <mode>.env, against the emulator', () => {
  it("grant with revoke-on-exit grants, then runs grant's post step, which revokes what it created", () => {
    const run = localAction('grant', join(dir, 'aws-ephemeral.env'));
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
    const run = localAction('cloud-access/cloud-access/report@v1', own);
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    expect(run.stdout).toMatch(/report: \d+ row\(s\)/);
    // report/action.yml has no post step: nothing after the main one.
    expect(run.stdout).toContain('local-action: the main step succeeded\n');
    expect(run.stdout).not.toContain('Running Post Step');
  }, 120_000);
});

// `npm run local-action -- --no-post <mode>.env`: the main step alone, as in a job still running.
// What users rely on: the ephemeral grant stays (no post step revokes it), and a reconcile run next
// sees it, claimed by the mode's run while GitHub says that run is in progress. Against the same
// emulator: nothing before it holds Deployers' DeployAccess in 222222222222 (the grant sub-action's
// post step revoked it), and the run it marks in progress is read by nothing after it.
describe('npm run local-action -- --no-post', () => {
  it("keeps a job's grant live, no post step, so a reconcile run next leaves it claimed", () => {
    const run = localAction('--no-post', join(dir, 'aws-ephemeral.env'));
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('The post step (revoke-on-exit) is left out (--no-post)');
    expect(run.stdout).not.toContain('as the runner runs it at the end of the job');
    expect(run.stdout).not.toMatch(/✓ revoke /);

    const url = parseEnvLines(readFileSync(join(dir, 'emulator.env'), 'utf8')).EMULATOR_URL!;
    shell(
      `curl -sf -XPOST ${url}/_emulator/github/runs -d '{"repository":"octo-org/octo-repo","repositoryId":"123456789","runId":"1234567890","attempt":"1","status":"in_progress"}'`,
    );
    const plan = join(dir, 'reconcile-plan.env');
    writeFileSync(
      plan,
      readFileSync(join(dir, 'reconcile-aws.env'), 'utf8').replace(
        /^INPUT_DRY-RUN=false$/m,
        'INPUT_DRY-RUN=true',
      ),
    );
    const reconcile = localAction(plan);
    expect(reconcile.status).toBe(0);
    expect(reconcile.stdout).toMatch(
      /claimed \(left in place\): group Deployers \/ DeployAccess \/ account-222222222222 \(222222222222\): ephemeral, [^\n]*runs\/1234567890/,
    );
  }, 240_000);
});

// A mode's .env outlives its emulator: after `npm run emulator:stop`, `npm run local-action --
// .emulator/<mode>.env` says the emulator is not running and how to start it, before it runs the
// action (which would otherwise fail on an endpoint nothing answers, saying nothing of the
// emulator). Last in this file: it stops the emulator the tests above ran against.
describe('npm run local-action with the .env of an emulator that has stopped', () => {
  it.each(['aws-assign', 'azure-assign'])(
    '%s: exits 1 at once, saying the emulator is not running and how to start it',
    (mode) => {
      expect(stopEmulator().status).toBe(0);
      const run = localAction(join(dir, `${mode}.env`));
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/^local-action: the emulator is not running: `npm run emulator:start` \(/m);
      // The action never ran: no step output, no endpoint error.
      expect(run.stdout).not.toMatch(/::error::/);
    },
    60_000,
  );
});
