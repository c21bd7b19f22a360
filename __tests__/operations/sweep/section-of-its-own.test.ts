// The sweep step keeps up what a kind of a fourth shape wrote (a test-only note on a permission
// set, registered with one call beside the permission sets: __tests__/fixtures/kinds/set-note/):
// run as the runner runs it, with the real AWS sweeper over the emulated IAM Identity Center, it
// takes out the notes of a set that is gone, through the engine's writes, and a dry run only lists them.
import { beforeEach, describe, expect, it } from '@jest/globals';
import type { ConfigOf, SweepRequest } from '../../../src/core/inputs/index.js';
import { runSweep } from '../../../src/operations/sweep/index.js';
import { ADMIN, READ_ONLY } from '../../harness/emulated-sso.js';
import { noteKindWorld, sweepReads } from '../../fixtures/kinds/set-note/steps.js';
import { onEvent, recordedRunner } from '../../steps/recorded-runner.js';

const { sso, store } = noteKindWorld();
beforeEach(() => {
  store.write('create', { set: 'ReadOnlyAccess', text: 'audited', arn: READ_ONLY });
  store.write('create', { set: 'AdministratorAccess', text: 'on-call', arn: ADMIN });
  store.log.length = 0;
  // ReadOnlyAccess is deleted by someone else: its note is left over.
  sso.emulator.aws.state.permissionSets.delete(READ_ONLY);
});

const ROLE = 'arn:aws:iam::123456789012:role/cloud-access';

async function sweep(dryRun: boolean) {
  const config = {
    cloud: 'aws',
    operation: 'sweep',
    dryRun,
    maxConcurrency: 10,
    run: {},
    sweep: {
      createdBy: [ROLE],
      githubToken: 'token',
      lookbackSeconds: 86400,
      maxDeletions: 10,
      failOnStuck: false,
    },
  } as unknown as ConfigOf<'sweep'>;
  const runner = recordedRunner();
  await runSweep(
    config,
    onEvent(runner.effects, { eventName: 'schedule', tokenEndpoint: 'https://token.example' }),
    { open: sweepReads(sso, { createdBy: [ROLE], lookbackSeconds: 86400 } as unknown as SweepRequest) },
    Date.now,
  );
  return {
    runner,
    plan: JSON.parse(runner.outputs.plan || '{}'),
    results: JSON.parse(runner.outputs.results || '[]'),
  };
}

describe('the sweep step and a kind of a fourth shape', () => {
  it('takes out the note of a set that is gone, and leaves the note of a set still there', async () => {
    const { runner, plan, results } = await sweep(false);
    expect(runner.said.failed).toEqual([]);
    expect(plan.setNotes).toEqual({ delete: 1 });
    expect(store.log).toEqual(['delete ReadOnlyAccess audited']);
    expect(store.notes().map((n) => n.set)).toEqual(['AdministratorAccess']);
    expect(runner.said.log).toContain(
      'removed the note audited of the deleted permission set ReadOnlyAccess',
    );
    expect(results).toEqual([
      expect.objectContaining({ target: 'ReadOnlyAccess', role: 'audited', status: 'SUCCEEDED' }),
    ]);
    expect(runner.outputs.changed).toBe('true');
  });

  it('a dry run lists it and writes nothing', async () => {
    const { runner, plan } = await sweep(true);
    expect(plan.setNotes).toEqual({ delete: 1 });
    expect(runner.said.log).toContain(
      'would remove the note audited of the deleted permission set ReadOnlyAccess',
    );
    expect(store.log).toEqual([]);
  });
});
