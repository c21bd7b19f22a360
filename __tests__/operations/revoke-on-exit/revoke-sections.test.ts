// The post step revokes what its main step made of a kind of a fourth shape (a test-only note on a
// permission set, registered with one call beside the permission sets:
// __tests__/fixtures/kinds/set-note/), whose section says its notes end with the job. Run as the
// runner runs them: the main step is a reconcile from a manifest file with the kind's section,
// which saves each note it wrote as its create is answered; the post step, over the state that
// step saved, reads each entry with the kind's own parser, takes the store's word that the note is
// still the one the step wrote, and only then takes it out, through the engine's writes.
import { describe, expect, it } from '@jest/globals';
import { runMainStep } from '../../../src/steps/main.js';
import type { StepSessions } from '../../../src/steps/sessions.js';
import { runAssignments } from '../../../src/operations/assign/index.js';
import { runRevokeOnExit } from '../../../src/operations/revoke-on-exit/index.js';
import { ACCOUNT, BOB } from '../../harness/emulated-sso.js';
import { NOTES_KEY } from '../../fixtures/kinds/set-note/kind.js';
import {
  noteKindWorld,
  postSources,
  reconcileSources,
  RUN,
  stepConfig,
  stepInputs,
} from '../../fixtures/kinds/set-note/steps.js';
import { editOnlyEntry, onlyEntryOf } from '../../fixtures/kinds/saved-entry.js';
import { recordedRunner } from '../../steps/recorded-runner.js';
import { PUSH } from '../reconcile/in-memory-cloud.js';

const { sso, store } = noteKindWorld();

/** bob's assignments in the emulated IAM Identity Center, as its requests have settled. */
const bobsAssignments = () => sso.emulator.aws.assignments().filter((a) => a.principalId === BOB).length;

const MANIFEST_PATH = 'access/manifest.yml';
const MANIFEST = [
  'version: 1',
  'aws:',
  '  manages: {permission-sets: [ReadOnlyAccess]}',
  `  ${NOTES_KEY}:`,
  '    - {set: ReadOnlyAccess, note: on-call}',
  '  assignments:',
  `    - {principal: Deployers, principal-type: GROUP, role: ReadOnlyAccess, target: '${ACCOUNT}'}`,
].join('\n');
const INPUTS = { manifest: MANIFEST_PATH };

/**
 * The main step, as the runner runs it: its entry, with a reconcile's inputs, over the manifest
 * file and the emulator; the state it saved (the post step's settings are the entry's to give).
 */
async function mainStep(dryRun = false): Promise<Map<string, string>> {
  const saved = new Map<string, string>();
  const runner = recordedRunner({
    saved,
    run: RUN,
    inputs: stepInputs('reconcile', { ...INPUTS, ...(dryRun ? { 'dry-run': 'true' } : {}) }),
    env: { GITHUB_EVENT_NAME: PUSH.eventName, ACTIONS_ID_TOKEN_REQUEST_URL: PUSH.tokenEndpoint },
  });
  const sessions = { reconcile: async () => reconcileSources(sso, MANIFEST, '{}') };
  await runMainStep(runner.runner, sessions as unknown as StepSessions);
  expect(runner.said.failed).toEqual([]);
  return saved;
}

/** The post step over what the main step saved, its inputs (`inputs`) evaluated again as the runner does. */
async function postStep(saved: Map<string, string>, inputs = stepInputs('reconcile', INPUTS)) {
  const runner = recordedRunner({ saved, run: RUN, inputs });
  await runRevokeOnExit(runner.runner, postSources(sso));
  const results = JSON.parse(runner.outputs.results || '[]') as Record<string, unknown>[];
  return { runner, results };
}

/**
 * An assign main step with `revoke-on-exit` over the emulator, as the runner runs it (bob given
 * ReadOnlyAccess in the account): the state it saved.
 */
async function assignStep(): Promise<Map<string, string>> {
  const saved = new Map<string, string>();
  const runner = recordedRunner({ saved, run: RUN });
  runner.state.claim();
  const post = postSources(sso);
  const config = stepConfig('assign', {
    principal: 'bob',
    'principal-type': 'USER',
    role: 'ReadOnlyAccess',
    target: ACCOUNT,
    'revoke-on-exit': 'true',
  });
  await runAssignments(config, runner.runner, {
    open: () => post.open({ postTimeoutSeconds: 30 }, config as never, { step: 'main' }),
  });
  expect(runner.said.failed).toEqual([]);
  return saved;
}

/**
 * The post step over what the main step saved, its one entry changed by `edit` first: it writes
 * nothing, and the note stays.
 */
async function postStepLeavingTheNote(
  saved: Map<string, string>,
  edit: (saved: { entry: Record<string, unknown> }) => void,
) {
  editOnlyEntry(saved, edit);
  const writes = store.log.length;
  const post = await postStep(saved);
  expect(store.log).toHaveLength(writes);
  expect(store.notes().map((n) => n.text)).toEqual(['on-call']);
  return post;
}

describe('the post step and a kind of a fourth shape', () => {
  it('takes out the note its main step wrote, once the store shows it is still that note', async () => {
    const saved = await mainStep();
    expect(store.notes().map((n) => n.text)).toEqual(['on-call']);
    const { runner, results } = await postStep(saved);
    expect(runner.said.failed).toEqual([]);
    expect(store.notes()).toEqual([]);
    expect(store.log.at(-1)).toBe('delete ReadOnlyAccess on-call');
    expect(runner.said.notices).toContain(
      'revoke-on-exit: 1 revoked, 0 already absent, 0 failed, 0 left in place',
    );
    expect(results).toEqual([
      expect.objectContaining({
        target: 'ReadOnlyAccess',
        role: 'on-call',
        action: 'delete',
        status: 'SUCCEEDED',
      }),
    ]);
  });

  it('a dry run writes no note and saves nothing for the post step', async () => {
    const saved = await mainStep(true);
    expect(store.log).toEqual([]);
    expect([...saved.keys()].filter((key) => key !== 'cloud-access')).toEqual([]);
  });

  it('refuses a saved entry the kind’s parser does not read, before any call: the note stays, and the step says why', async () => {
    const { runner } = await postStepLeavingTheNote(await mainStep(), (saved) => {
      saved.entry.text = 'on-call; ::error::planted';
    });
    expect(runner.said.warnings).toContainEqual({
      message: expect.stringMatching(/ignored saved state: entry 0: its note has no valid text/),
    });
  });

  it('refuses an entry saved under another nonce: it was not this step’s', async () => {
    const saved = await mainStep();
    const [key, value] = onlyEntryOf(saved);
    saved.set(key, JSON.stringify({ ...JSON.parse(value), nonce: 'f'.repeat(32) }));
    const { runner } = await postStep(saved);
    expect(store.notes().map((n) => n.text)).toEqual(['on-call']);
    expect(runner.said.warnings).toContainEqual({
      message: expect.stringMatching(/entry 0: not written by this step/),
    });
  });

  it('leaves a note someone else wrote again after the main step, and says how to remove it by hand', async () => {
    const saved = await mainStep();
    const mine = store.notes()[0]!;
    store.write('create', { set: mine.set, text: mine.text, arn: mine.arn });
    const writes = store.log.length;
    const { runner, results } = await postStep(saved);
    expect(store.log).toHaveLength(writes);
    expect(store.notes().map((n) => n.text)).toEqual(['on-call']);
    expect(runner.said.notices).toContain(
      'revoke-on-exit: 0 revoked, 0 already absent, 0 failed, 1 left in place (1 not shown to be its own)',
    );
    expect(runner.said.warnings).toContainEqual({
      message: expect.stringContaining('remove the note on-call from ReadOnlyAccess'),
    });
    expect(results).toEqual([
      expect.objectContaining({ target: 'ReadOnlyAccess', role: 'on-call', action: 'none', changed: false }),
    ]);
    expect(runner.said.summary).toMatch(/left in place: the note was written again since this step wrote it/);
  });

  it('two jobs that write the same note in the same second: each post step takes out only what its own main step wrote', async () => {
    // Both plan before either writes (neither finds the note: each create is held until the other
    // job's is ready too), so both create it: the store keeps the later one's, under its stamp.
    let ready = 0;
    let release = () => {};
    const both = new Promise<void>((resolve) => (release = resolve));
    store.beforeWrite = () => (++ready === 2 ? (release(), both) : both);
    const [first, second] = await Promise.all([mainStep(), mainStep()]);
    delete store.beforeWrite;
    expect(store.log.filter((line) => line.startsWith('create '))).toHaveLength(2);
    const stampOf = (saved: Map<string, string>) =>
      (JSON.parse(onlyEntryOf(saved)[1]) as { entry: { stamp?: string } }).entry.stamp;
    const kept = store.notes()[0]!.stamp;
    const [overwritten, last] = stampOf(first) === kept ? [second, first] : [first, second];
    expect([stampOf(overwritten), stampOf(last)]).toEqual([expect.not.stringMatching(kept!), kept]);

    const writes = store.log.length;
    const loser = await postStep(overwritten);
    expect(store.log).toHaveLength(writes);
    expect(store.notes().map((n) => n.stamp)).toEqual([kept]);
    expect(loser.runner.said.notices).toContain(
      'revoke-on-exit: 0 revoked, 0 already absent, 0 failed, 1 left in place (1 not shown to be its own)',
    );

    const winner = await postStep(last);
    expect(winner.runner.said.failed).toEqual([]);
    expect(store.notes()).toEqual([]);
    expect(store.log.slice(writes)).toEqual(['delete ReadOnlyAccess on-call']);
  });

  it('revokes the grants and the notes in one plan: a note only once the account assignments’ deletes have ended, as its kind declares', async () => {
    // A main step that saved both (none of the action's does yet: a reconcile saves only its
    // sections'): bob's grant from an assign, and the note of a reconcile under its header.
    const notes = await mainStep();
    const saved = await assignStep();
    const header = JSON.parse(saved.get('cloud-access')!) as { nonce: string; count: number };
    const [, note] = onlyEntryOf(notes);
    saved.set(
      `cloud-access-grant-${header.count}`,
      JSON.stringify({ ...JSON.parse(note), nonce: header.nonce }),
    );
    saved.set('cloud-access', JSON.stringify({ ...header, count: header.count + 1 }));
    // Each delete takes its time: a note's delete that did not wait would come first.
    sso.emulator.aws.config.writeDelayMs = 400;
    const assignmentsAtNoteDelete: number[] = [];
    store.onWrite = (line) => {
      if (line.startsWith('delete')) assignmentsAtNoteDelete.push(bobsAssignments());
    };
    expect(bobsAssignments()).toBe(1);
    const { runner, results } = await postStep(saved, stepInputs('assign', { 'revoke-on-exit': 'true' }));
    expect(runner.said.failed).toEqual([]);
    expect(assignmentsAtNoteDelete).toEqual([0]);
    expect(store.notes()).toEqual([]);
    expect(runner.said.notices).toContain(
      'revoke-on-exit: 2 revoked, 0 already absent, 0 failed, 0 left in place',
    );
    expect(results.map((r) => [r.role, r.action])).toEqual([
      ['ReadOnlyAccess', 'delete'],
      ['on-call', 'delete'],
    ]);
  });

  it('leaves a note whose create was sent but never answered, and says how to remove it by hand', async () => {
    // As the main step saved it before the create was sent: killed before the answer.
    const { runner } = await postStepLeavingTheNote(await mainStep(), (saved) => {
      delete saved.entry.stamp;
    });
    expect(runner.said.warnings).toContainEqual({
      message: expect.stringContaining('remove the note on-call from ReadOnlyAccess'),
    });
    expect(runner.said.summary).toMatch(/its create was sent, but no answer was saved/);
  });
});
