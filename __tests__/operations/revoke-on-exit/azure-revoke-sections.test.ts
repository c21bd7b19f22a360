// The post step revokes what its main step made of an Azure kind of a fourth shape (a test-only
// label on an Entra group, registered with one call on the list PIM for groups lives on:
// __tests__/fixtures/kinds/group-label/), whose section says its labels end with the job. Run as
// the runner runs them: the main step is a reconcile from a manifest file with the kind's section,
// through the step's entry, which saves each label it wrote as its create is answered; the post
// step, through its entry (steps/post.ts) over the state that step saved, signs in with the saved
// settings, reads each entry with the kind's own parser, takes the store's and Microsoft Graph's
// word that the label is still the one the step wrote, and only then takes it out.
import { beforeEach, describe, expect, it } from '@jest/globals';
import { runMainStep } from '../../../src/steps/main.js';
import { runPostStep } from '../../../src/steps/post.js';
import type { StepSessions } from '../../../src/steps/sessions.js';
import type { openSession } from '../../../src/steps/sessions.js';
import { LABELS_KEY } from '../../fixtures/kinds/group-label/kind.js';
import {
  labelKindWorld,
  postSessionOpener,
  reconcileSources,
  RUN,
  stepConfig,
} from '../../fixtures/kinds/group-label/steps.js';
import { SCOPE } from '../../harness/emulated-arm.js';
import { editOnlyEntry } from '../../fixtures/kinds/saved-entry.js';
import { recordedRunner } from '../../steps/recorded-runner.js';
import { PUSH } from '../reconcile/in-memory-cloud.js';

const { arm, store } = labelKindWorld();

let admins: string;
beforeEach(() => {
  admins = arm.az.addGroup({ displayName: `admins-${Math.random()}` }).id;
});

const MANIFEST_PATH = 'access/azure.yml';
const manifest = () =>
  [
    'version: 1',
    'azure:',
    `  manages: {scopes: ['${SCOPE}']}`,
    `  ${LABELS_KEY}:`,
    `    - {group: '${admins}', label: on-call}`,
    '  assignments: []',
  ].join('\n');

/** The step's inputs as the runner gives them: an Azure reconcile of the manifest file. */
const inputsOf = (dryRun: boolean): Record<string, string> => {
  const all: Record<string, string> = {
    cloud: 'azure',
    ...arm.az.actionInputs,
    operation: 'reconcile',
    manifest: MANIFEST_PATH,
  };
  if (dryRun) all['dry-run'] = 'true';
  return all;
};

/**
 * The main step, as the runner runs it: its entry, with a reconcile's inputs, over the manifest
 * file and the emulator; the state it saved (the post step's settings are the entry's to give).
 */
async function mainStep(dryRun = false): Promise<Map<string, string>> {
  const saved = new Map<string, string>();
  const runner = recordedRunner({
    saved,
    run: RUN,
    inputs: inputsOf(dryRun),
    env: { GITHUB_EVENT_NAME: PUSH.eventName, ACTIONS_ID_TOKEN_REQUEST_URL: PUSH.tokenEndpoint },
  });
  const config = stepConfig(arm, 'reconcile', { manifest: MANIFEST_PATH });
  const sessions = { reconcile: async () => reconcileSources(arm, config, manifest()) };
  await runMainStep(runner.runner, sessions as unknown as StepSessions);
  expect(runner.said.failed).toEqual([]);
  return saved;
}

/** The post step, through its entry, over what the main step saved. */
async function postStep(saved: Map<string, string>) {
  const runner = recordedRunner({ saved, run: RUN, inputs: inputsOf(false) });
  await runPostStep(runner.runner, postSessionOpener(arm) as unknown as typeof openSession);
  const results = JSON.parse(runner.outputs.results || '[]') as Record<string, unknown>[];
  return { runner, results };
}

/** The post step over what the main step saved, its one entry changed by `edit` first: it writes nothing, and the label stays. */
async function postStepLeavingTheLabel(
  saved: Map<string, string>,
  edit: (saved: { entry: Record<string, unknown> }) => void,
) {
  editOnlyEntry(saved, edit);
  const writes = store.log.length;
  const post = await postStep(saved);
  expect(store.log).toHaveLength(writes);
  expect(store.labels().map((l) => l.text)).toEqual(['on-call']);
  return post;
}

describe('the post step and an Azure kind of a fourth shape', () => {
  it('takes out the label its main step wrote, once the store and Graph show it is still that label', async () => {
    const saved = await mainStep();
    expect(store.labels().map((l) => l.text)).toEqual(['on-call']);
    const header = JSON.parse(saved.get('cloud-access')!) as { settings: { cloud: string } };
    expect(header.settings.cloud).toBe('azure');
    const { runner, results } = await postStep(saved);
    expect(runner.said.failed).toEqual([]);
    expect(store.labels()).toEqual([]);
    expect(store.log.at(-1)).toBe(`delete ${admins} on-call`);
    expect(runner.said.notices).toContain(
      'revoke-on-exit: 1 revoked, 0 already absent, 0 failed, 0 left in place',
    );
    expect(results).toEqual([
      expect.objectContaining({ target: admins, role: 'on-call', action: 'delete', status: 'SUCCEEDED' }),
    ]);
  });

  it('a dry run writes no label and saves nothing for the post step', async () => {
    const saved = await mainStep(true);
    expect(store.log).toEqual([]);
    expect([...saved.keys()].filter((key) => key !== 'cloud-access')).toEqual([]);
  });

  it('refuses a saved entry the kind’s parser does not read, before any call: the label stays, and the step says why', async () => {
    const { runner } = await postStepLeavingTheLabel(await mainStep(), (saved) => {
      saved.entry.text = 'on-call; ::error::planted';
    });
    expect(runner.said.warnings).toContainEqual({
      message: expect.stringMatching(/ignored saved state: entry 0: its label has no valid text/),
    });
  });

  it('leaves a label someone else wrote again after the main step, and says how to remove it by hand', async () => {
    const saved = await mainStep();
    store.write('create', { group: admins, text: 'on-call' });
    const { runner, results } = await postStepLeavingTheLabel(saved, () => {});
    expect(runner.said.notices).toContain(
      'revoke-on-exit: 0 revoked, 0 already absent, 0 failed, 1 left in place (1 not shown to be its own)',
    );
    expect(runner.said.warnings).toContainEqual({
      message: expect.stringContaining(`remove the label on-call from the group ${admins}`),
    });
    expect(results).toEqual([
      expect.objectContaining({ target: admins, role: 'on-call', action: 'none', changed: false }),
    ]);
    expect(runner.said.summary).toMatch(
      /left in place: the label was written again since this step wrote it/,
    );
  });

  it('leaves a label whose create was sent but never answered, and says how to remove it by hand', async () => {
    // As the main step saved it before the create was sent: killed before the answer.
    const { runner } = await postStepLeavingTheLabel(await mainStep(), (saved) => {
      delete saved.entry.stamp;
    });
    expect(runner.said.summary).toMatch(/its create was sent, but no answer was saved/);
  });
});
