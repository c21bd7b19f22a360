// The reconcile workflows of examples/ (plan on pull requests, apply on push, the nightly drift
// check) with examples/access/manifest.yml, played against the emulator in every case a team
// meets: no drift, drift, a plan refused for too many deletes, a manifest with an error.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { seedExamples } from '../../emulator/examples-seed.js';
import { playExample, type ExamplePlay } from './example-player.js';

const MANIFEST = readFileSync(
  join(import.meta.dirname, '..', '..', 'examples', 'access', 'manifest.yml'),
  'utf8',
);
const TITLE = 'Access drift: the cloud differs from access/manifest.yml';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ quiet: true, awsWriteDelayMs: 50 });
});
afterAll(() => emulator.close());
beforeEach(() => {
  emulator.reset();
  seedExamples(emulator);
});

const outcomes = (play: ExamplePlay) =>
  Object.fromEntries(play.steps.filter((s) => s.stage === 'main').map((s, i) => [i, s.outcome]));
const failed = (play: ExamplePlay) =>
  play.steps.filter((s) => s.conclusion === 'failure').map((s) => `${s.name}\n${s.log}`);

/** `user` gets a permission set in `accountId` by hand: an assignment the manifest does not list. */
function byHand(user: string, accountId: string, permissionSet = 'ReadOnlyAccess') {
  emulator.aws.addAssignment({
    accountId,
    permissionSetArn: emulator.aws.permissionSetArn(permissionSet),
    principalType: 'USER',
    principalId: emulator.aws.userId(user),
  });
}

/** 18 assignments by hand in what the manifest manages: more deletes than max-deletions (10). */
function tooManyDeletes() {
  for (const user of ['alice', 'bob', 'carol'])
    for (const account of ['111111111111', '222222222222', '333333333333'])
      for (const permissionSet of ['ReadOnlyAccess', 'DeployAccess']) byHand(user, account, permissionSet);
}

async function apply(): Promise<void> {
  const play = await playExample(emulator, 'reconcile-apply.yml', { event: 'push' });
  expect(failed(play)).toEqual([]);
}

describe('reconcile-plan.yml, on a pull request', () => {
  it('plans both sections, writes nothing, and says there is drift to apply', async () => {
    const before = emulator.aws.assignments().length;
    const play = await playExample(emulator, 'reconcile-plan.yml', { event: 'pull_request' });
    expect(failed(play)).toEqual([]);
    expect(play.step('aws').outputs).toMatchObject({ drift: 'true' });
    expect(JSON.parse(play.step('aws').outputs.plan!)).toMatchObject({ create: 8, delete: 0 });
    expect(JSON.parse(play.step('azure').outputs.plan!)).toMatchObject({ create: 2, delete: 0 });
    expect(emulator.aws.assignments()).toHaveLength(before);
    expect(
      emulator
        .azure!.roleAssignments()
        .filter((a) => a.properties.roleDefinitionId.endsWith('acdd72a7-3385-48ef-bd42-f606fba81ae7')),
    ).toEqual([]);
  }, 90_000);
});

describe('reconcile-apply.yml, on a push to main', () => {
  it('applies both sections; run again, it changes nothing', async () => {
    const first = await playExample(emulator, 'reconcile-apply.yml', { event: 'push' });
    expect(failed(first)).toEqual([]);
    expect(first.step('aws').outputs).toMatchObject({ status: 'SUCCEEDED', changed: 'true' });
    expect(first.step('azure').outputs).toMatchObject({ status: 'SUCCEEDED', changed: 'true' });
    const again = await playExample(emulator, 'reconcile-apply.yml', { event: 'push' });
    expect(failed(again)).toEqual([]);
    expect(again.step('aws').outputs).toMatchObject({ changed: 'false', drift: 'false' });
    expect(again.step('azure').outputs).toMatchObject({ changed: 'false', drift: 'false' });
  }, 120_000);
});

describe('reconcile-drift.yml, nightly', () => {
  it('passes and opens no issue when the cloud matches the manifest', async () => {
    await apply();
    const play = await playExample(emulator, 'reconcile-drift.yml', { event: 'schedule' });
    expect(failed(play)).toEqual([]);
    expect(play.conclusion).toBe('success');
    expect(outcomes(play)).toEqual({ 0: 'skipped', 1: 'success', 2: 'success', 3: 'skipped' });
    expect(play.gh).toEqual([]);
  }, 120_000);

  // One apply for both: the drift check is a dry run, and the issue commands are the player's.
  it('opens an issue with the plan when someone granted access by hand, and fails the run; with that issue open, comments on it instead of opening another', async () => {
    await apply();
    byHand('carol', '111111111111');
    const play = await playExample(emulator, 'reconcile-drift.yml', { event: 'schedule' });
    expect(play.conclusion).toBe('failure');
    expect(outcomes(play)).toEqual({ 0: 'skipped', 1: 'success', 2: 'success', 3: 'failure' });
    expect(play.gh).toEqual([
      expect.stringMatching(/^issue list --repo octo-org\/octo-repo --state open/),
      expect.stringContaining(
        `issue create --repo octo-org/octo-repo --title ${TITLE} --body AWS plan: {"create":0,"delete":1,`,
      ),
    ]);

    const again = await playExample(emulator, 'reconcile-drift.yml', { event: 'schedule', openIssue: '17' });
    expect(again.gh[1]).toMatch(/^issue comment 17 --repo octo-org\/octo-repo --body AWS plan: /);
  }, 120_000);

  it('fails on the manifest’s line, opening no issue, when the manifest has an error', async () => {
    await apply();
    const broken = MANIFEST.replace(
      '  assignments:\n    - principal: [Deployers',
      '  assignments:\n    - principals: [Deployers',
    );
    expect(broken).not.toBe(MANIFEST);
    const play = await playExample(emulator, 'reconcile-drift.yml', { event: 'schedule', manifest: broken });
    expect(play.conclusion).toBe('failure');
    expect(outcomes(play)).toEqual({ 0: 'skipped', 1: 'failure', 2: 'failure', 3: 'skipped' });
    expect(play.step('aws').log).toMatch(/::error file=access\/manifest\.yml,line=8[,:].*principals/);
    expect(play.gh).toEqual([]);
  }, 120_000);
});

describe('a plan refused for too many deletes, in each workflow', () => {
  // One apply for the three: the plan and the drift check are dry runs, and the refused apply
  // writes nothing (as it asserts), so each sees the 18 assignments by hand as the others do.
  it('fails the pull request’s check and still plans the Azure section; the apply writes nothing and fails; the nightly check opens the issue, saying the plan was refused', async () => {
    await apply();
    tooManyDeletes();

    const planned = await playExample(emulator, 'reconcile-plan.yml', { event: 'pull_request' });
    expect(planned.conclusion).toBe('failure');
    expect(planned.step('aws').outcome).toBe('failure');
    expect(planned.step('aws').outputs).toMatchObject({ status: 'FAILED', drift: 'true' });
    expect(planned.step('azure').outcome).toBe('success');

    const before = emulator.aws.assignments().length;
    const applied = await playExample(emulator, 'reconcile-apply.yml', { event: 'push' });
    expect(applied.step('aws').outcome).toBe('failure');
    expect(applied.step('aws').outputs['failure-reason']).toMatch(/delete/);
    expect(emulator.aws.assignments()).toHaveLength(before);

    const drift = await playExample(emulator, 'reconcile-drift.yml', { event: 'schedule' });
    expect(drift.conclusion).toBe('failure');
    expect(outcomes(drift)).toEqual({ 0: 'skipped', 1: 'failure', 2: 'success', 3: 'failure' });
    expect(drift.gh[1]).toMatch(
      /^issue create .* --body AWS plan: \{"create":0,"delete":\d+,.*\} \(refused: .*delete/,
    );
  }, 180_000);
});
