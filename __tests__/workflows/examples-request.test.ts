// examples/workflows/request-access.yml played as users copy it against the emulator
// (./example-player.ts), each job on its own, with the example policy (examples/access/
// access-policy.yml) committed on the default branch of the emulated repository: the request is
// staged through the emulator's GitHub state (emulator/control-request.ts: the protected
// environment, the run, the OIDC token of alice's workflow_dispatch and carol's approval). Only
// the people's cloud IDs and the Azure subscription are the emulator's.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { stageAccessRequest } from '../../emulator/control-request.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { seedExamples } from '../../emulator/examples-seed.js';
import { playExample } from './example-player.js';

const ROOT = join(import.meta.dirname, '..', '..');
const RUN_ID = '5550001';
const ALICE_OBJECT_ID = '0a11ce00-0000-4000-8000-000000000001';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ quiet: true, awsWriteDelayMs: 50 });
});
afterAll(() => emulator.close());
beforeEach(() => {
  emulator.reset();
  seedExamples(emulator);
});

/** Stages alice's request (approved by carol unless `approved` is false) under the example policy. */
function stage(approved: boolean): void {
  stageAccessRequest({ aws: emulator.aws, github: emulator.github }, { runId: RUN_ID, approved });
  const policy = readFileSync(join(ROOT, 'examples', 'access', 'access-policy.yml'), 'utf8')
    .replace('906702c6-e051-70c4-3c8e-7f41b5e7a4d2', emulator.aws.userId('alice'))
    .replace('00000000-0000-0000-0000-000000000000', emulator.azure!.subscriptionId);
  emulator.github.repository.setFile('main', '.github/access-policy.yml', policy);
  emulator.azure!.addPrincipal({ type: 'User', id: ALICE_OBJECT_ID, createdAt: 0 });
}

const play = (job: 'request-aws' | 'request-azure', inputs: Record<string, string>) =>
  playExample(emulator, 'request-access.yml', {
    event: 'workflow_dispatch',
    actor: 'alice',
    runId: RUN_ID,
    job,
    inputs: { duration: '1h', justification: 'INC-7: the dashboards are down', ...inputs },
  });
const failures = (played: Awaited<ReturnType<typeof play>>) =>
  played.steps.filter((s) => s.conclusion === 'failure').map((s) => `${s.name}\n${s.log}`);
const cloudRequests = () => emulator.requests.filter((r) => r.service !== 'github');

describe('request-access.yml, played against the emulator', () => {
  it('request-aws grants alice AdministratorAccess in 111111111111 until the expiry, once carol approved', async () => {
    stage(true);
    const played = await play('request-aws', { cloud: 'aws', rule: 'prod-admin' });
    expect(failures(played)).toEqual([]);
    expect(played.steps[0]!.outputs).toMatchObject({ status: 'SUCCEEDED', changed: 'true' });
    expect(played.steps[0]!.summary).toContain('carol');
    expect(
      emulator.aws.hasAssignment({
        accountId: '111111111111',
        permissionSetArn: emulator.aws.permissionSetArn('AdministratorAccess'),
        principalType: 'USER',
        principalId: emulator.aws.userId('alice'),
      }),
    ).toBe(true);
    // The grant outlives the job: the sweep ends it at its expiry, not the post step.
    expect(emulator.requests.filter((r) => r.operation === 'DeleteAccountAssignment')).toEqual([]);
  }, 60_000);

  it('request-azure makes alice Reader on rg-app through PIM for the duration asked, once carol approved', async () => {
    stage(true);
    const played = await play('request-azure', { cloud: 'azure', rule: 'prod-reader' });
    expect(failures(played)).toEqual([]);
    expect(played.steps[0]!.outputs).toMatchObject({ status: 'SUCCEEDED', changed: 'true' });
    const [pim] = emulator.azure!.pim().requests;
    expect(pim!.properties).toMatchObject({
      requestType: 'AdminAssign',
      principalId: ALICE_OBJECT_ID,
      scheduleInfo: { expiration: { type: 'AfterDuration', duration: 'PT1H' } },
    });
    expect(String(pim!.properties.scope)).toMatch(/\/resourceGroups\/rg-app$/);
  }, 60_000);

  it('refuses a request nobody approved, before any cloud request', async () => {
    stage(false);
    const played = await play('request-aws', { cloud: 'aws', rule: 'prod-admin' });
    expect(played.steps[0]!.conclusion).toBe('failure');
    expect(played.steps[0]!.outputs.status).toBe('FAILED');
    expect(played.steps[0]!.log).toMatch(/no approval for environment `production-access`/);
    expect(cloudRequests()).toEqual([]);
  }, 60_000);
});
