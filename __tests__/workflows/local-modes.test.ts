// Every mode of the action runs locally in one command: `npm run local-action -- <mode>.env`
// against the emulator `npm run emulator:start` started, with the .env files it wrote, and the
// command's exit code is the action's outcome (@github/local-action's own is always 0). The modes
// that write, here, in the order a person tries them (reconcile-aws's plan counts what aws-assign
// made); the reads in local-modes-reads.test.ts; the modes with a second step (a post step, a
// staged decision, a group's membership) in local-modes-steps.test.ts.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectModeRuns, localAction, startedEmulator } from './local-modes-fixture.js';

const emulatorFolder = startedEmulator();
let dir: string;
beforeAll(() => {
  dir = emulatorFolder();
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
    // Defines its permission sets: each created before the assignments that provision it.
    [
      'reconcile-sets',
      /\+ create permission set ReadOnly[^]*\+ create permission set Deployer[^]*✓ assign group Engineers/,
    ],
    ['reconcile-azure', /plan: 2 to create, 0 to delete/],
  ])(
    '%s runs in one command, exits 0 and writes its job summary',
    (mode, expected) => expectModeRuns(dir, mode, expected),
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
});
