// The sweep step keeps up what an Azure kind of a fourth shape wrote (a test-only label on an Entra
// group, registered with one call beside PIM for groups: __tests__/fixtures/kinds/group-label/):
// run as the runner runs it, with the real Azure sweeper over the emulated Entra, ARM and Graph,
// it takes out the labels of a group that is gone, through the engine's writes, and a dry run only
// lists them.
import { beforeEach, describe, expect, it } from '@jest/globals';
import { runSweep } from '../../../src/operations/sweep/index.js';
import { SCOPE } from '../../harness/emulated-arm.js';
import { labelKindWorld, stepConfig, sweepSources } from '../../fixtures/kinds/group-label/steps.js';
import { onEvent, recordedRunner } from '../../steps/recorded-runner.js';

const { arm, store } = labelKindWorld();

let kept: string;
let gone: string;
beforeEach(() => {
  kept = arm.az.addGroup({ displayName: `kept-${Math.random()}` }).id;
  gone = arm.az.addGroup({ displayName: `gone-${Math.random()}` }).id;
  store.write('create', { group: kept, text: 'on-call' });
  store.write('create', { group: gone, text: 'audited' });
  store.log.length = 0;
  // The group is deleted by someone else: its label is left over.
  const groups = arm.az.state.directory.groups;
  groups.splice(
    groups.findIndex((g) => g.id === gone),
    1,
  );
});

async function sweep(dryRun: boolean) {
  const config = stepConfig(arm, 'sweep', {
    target: SCOPE,
    'dry-run': String(dryRun),
    'github-token': 'token',
  });
  const runner = recordedRunner();
  await runSweep(
    config,
    onEvent(runner.effects, { eventName: 'schedule', tokenEndpoint: 'https://token.example' }),
    sweepSources(arm, config),
    Date.now,
  );
  return {
    runner,
    plan: JSON.parse(runner.outputs.plan || '{}'),
    results: JSON.parse(runner.outputs.results || '[]'),
  };
}

describe('the sweep step and an Azure kind of a fourth shape', () => {
  it('takes out the label of a group that is gone, and leaves the label of a group still there', async () => {
    const { runner, plan, results } = await sweep(false);
    expect(runner.said.failed).toEqual([]);
    expect(plan.groupLabels).toEqual({ delete: 1 });
    expect(store.log).toEqual([`delete ${gone} audited`]);
    expect(store.labels().map((l) => l.group)).toEqual([kept]);
    expect(runner.said.log).toContain(`removed the label audited of the deleted group ${gone}`);
    expect(results).toEqual([
      expect.objectContaining({ target: gone, role: 'audited', status: 'SUCCEEDED' }),
    ]);
    expect(runner.outputs.changed).toBe('true');
  });

  it('a dry run lists it and writes nothing', async () => {
    const { runner, plan } = await sweep(true);
    expect(runner.said.failed).toEqual([]);
    expect(plan.groupLabels).toEqual({ delete: 1 });
    expect(runner.said.log).toContain(`would remove the label audited of the deleted group ${gone}`);
    expect(store.log).toEqual([]);
  });
});
