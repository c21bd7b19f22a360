// `npm run local-action -- --no-post <mode>.env`: the main step alone, as in a job still running.
// What users rely on: the ephemeral grant stays (no post step revokes it), and a reconcile run next
// sees it, claimed by the mode's run while GitHub says that run is in progress.
import { describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnvLines } from '../../scripts/emulator/running.js';
import { localAction, shell, startedEmulator } from './local-modes-fixture.js';

const emulatorFolder = startedEmulator();

describe('npm run local-action -- --no-post', () => {
  it("keeps a job's grant live, no post step, so a reconcile run next leaves it claimed", () => {
    const dir = emulatorFolder();
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
