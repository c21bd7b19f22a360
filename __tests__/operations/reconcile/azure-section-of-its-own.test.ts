// A kind of a fourth shape on Azure (a test-only label on an Entra group: no principal, its target
// a group) registered with one call on the list PIM for groups lives on, then run as the runner
// runs a reconcile: the step's entry reads a manifest file with its section (`azure.group-labels`)
// and plans, dry-runs and applies it with the real Azure reconciler over the emulated Entra, ARM
// and Graph. No plan is built by hand and no inner stage is called: its labels are planned beside
// the role assignments, and its delete waits for the role assignments' deletes.
import { beforeEach, describe, expect, it } from '@jest/globals';
import { registerAzureSection } from '../../../src/azure/kinds.js';
import { runReconcile } from '../../../src/operations/reconcile/index.js';
import { PRINCIPAL, READER, SCOPE } from '../../harness/emulated-arm.js';
import { roomCost } from '../../fixtures/kinds/room-cost.js';
import { GROUP_LABEL, LABELS_KEY } from '../../fixtures/kinds/group-label/kind.js';
import { labelKindWorld, reconcileSources, stepConfig } from '../../fixtures/kinds/group-label/steps.js';
import { onEvent, recordedRunner } from '../../steps/recorded-runner.js';
import { PUSH } from './in-memory-cloud.js';

const ROOM = '__tests__/fixtures/kinds/group-label';
const MANIFEST = 'access/azure.yml';
const { arm, store } = labelKindWorld();

let admins: string;
let auditors: string;
let bob: string;
beforeEach(() => {
  admins = arm.az.addGroup({ displayName: `admins-${Math.random()}` }).id;
  auditors = arm.az.addGroup({ displayName: `auditors-${Math.random()}` }).id;
  bob = arm.az.addUser({ userPrincipalName: `bob-${Math.random()}@contoso.com` }).id;
});

const manifest = (labels: string[], assignments: string[] = []) =>
  [
    'version: 1',
    'azure:',
    `  manages: {scopes: ['${SCOPE}']}`,
    `  ${LABELS_KEY}:`,
    ...labels.map((l) => `    - ${l}`),
    '  assignments:',
    ...(assignments.length > 0 ? assignments.map((a) => `    - ${a}`) : ['    []']),
  ].join('\n');

const READER_ENTRY = `{principal: '${PRINCIPAL}', role: '${READER}', target: '${SCOPE}'}`;
const labels = () => [`{group: '${admins}', label: on-call}`, `{group: '${auditors}', label: audited}`];

/** ARM's writes of role assignments, in order. */
const armWrites = () => arm.requests().filter((r) => /^(PUT|DELETE) .*roleAssignments\//.test(r));

/** The step, as the runner runs it: its entry, a manifest file, and the Azure reconciler it opens. */
async function reconcile(text: string, dryRun = false) {
  const config = stepConfig(arm, 'reconcile', {
    manifest: MANIFEST,
    'dry-run': String(dryRun),
    'max-deletions': '10',
  });
  const runner = recordedRunner();
  await runReconcile(config, onEvent(runner.effects, PUSH), reconcileSources(arm, config, text));
  const results = JSON.parse(runner.outputs.results || '[]') as {
    action: string;
    status: string;
    role: string;
    target: string;
  }[];
  return { runner, plan: JSON.parse(runner.outputs.plan || '{}'), results };
}

describe('a kind of a fourth shape, in an `azure` section of its own, through the reconcile step', () => {
  it('a dry run plans its labels beside the role assignments, counts them in `plan`, and writes nothing', async () => {
    const { runner, plan, results } = await reconcile(manifest(labels(), [READER_ENTRY]), true);
    expect(runner.said.failed).toEqual([]);
    expect(plan.groupLabels).toEqual({ create: 2, delete: 0 });
    expect(plan.create).toBe(1);
    expect(runner.said.log).toEqual(
      expect.arrayContaining([`+ label on-call on group ${admins}`, `+ label audited on group ${auditors}`]),
    );
    expect(results.filter((r) => r.target === admins && r.role === 'on-call')).toHaveLength(1);
    expect(store.log).toEqual([]);
    expect(armWrites()).toEqual([]);
  });

  it('applied: its labels are written beside the role assignment, said in its words, and a second run has nothing to do', async () => {
    const { runner, plan, results } = await reconcile(manifest(labels(), [READER_ENTRY]));
    expect(runner.said.failed).toEqual([]);
    expect(plan.groupLabels).toEqual({ create: 2, delete: 0 });
    expect(armWrites()).toEqual([expect.stringMatching(/^PUT .*roleAssignments\//)]);
    expect(store.labels().map((l) => [l.group, l.text])).toEqual([
      [admins, 'on-call'],
      [auditors, 'audited'],
    ]);
    expect(
      results.filter((r) => r.role === 'on-call' || r.role === 'audited').map((r) => [r.action, r.status]),
    ).toEqual([
      ['create', 'SUCCEEDED'],
      ['create', 'SUCCEEDED'],
    ]);
    // The summary's table of them, in its kind's words.
    expect(runner.said.summary).toMatch(/Group labels \(2\)/);
    const again = await reconcile(manifest(labels(), [READER_ENTRY]));
    expect(again.runner.said.failed).toEqual([]);
    expect(again.plan.groupLabels).toEqual({ create: 0, delete: 0 });
    expect(store.log).toHaveLength(2);
  });

  it('a label the file no longer lists is deleted only once the role assignments the plan deletes are gone', async () => {
    const bobs = `{principal: '${bob}', role: '${READER}', target: '${SCOPE}'}`;
    await reconcile(manifest(labels(), [READER_ENTRY, bobs]));
    expect(armWrites()).toHaveLength(2);
    const at = new Map<string, number>();
    store.onWrite = (line) => at.set(line, armWrites().length);
    const { runner, plan } = await reconcile(manifest([labels()[0]!], [READER_ENTRY]));
    expect(runner.said.failed).toEqual([]);
    expect(plan.groupLabels).toEqual({ create: 0, delete: 1 });
    expect(plan.delete).toBe(1);
    const deleted = armWrites().findIndex((w) => w.startsWith('DELETE '));
    expect(deleted).toBeGreaterThanOrEqual(0);
    // Its write came once ARM had answered the role assignment's delete.
    expect(at.get(`delete ${auditors} audited`)).toBeGreaterThan(deleted);
    expect(store.labels().map((l) => l.text)).toEqual(['on-call']);
  });

  it('a label on a group Graph does not hold stops the plan at its line, before any write', async () => {
    const nobody = '00000000-0000-4000-8000-000000000001';
    const { runner } = await reconcile(manifest([`{group: '${nobody}', label: x}`], [READER_ENTRY]));
    expect(runner.said.errors).toEqual([
      expect.objectContaining({
        message: expect.stringContaining(`no Entra group has the object ID ${nobody}`),
      }),
    ]);
    expect(store.log).toEqual([]);
    expect(armWrites()).toEqual([]);
  });

  it('a key of the `azure` section no kind registered is still refused, with the keys there', async () => {
    const { runner } = await reconcile(manifest(labels()).replace(`  ${LABELS_KEY}:`, '  group-label:'));
    expect(runner.said.errors).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(
          /`azure` has the unknown key `group-label`.*did you mean `group-labels`\?/s,
        ),
      }),
    ]);
    expect(store.log).toEqual([]);
  });
});

describe('the list the Azure sections live on', () => {
  it('refuses a manifest key the `azure` section has, or another section took: two kinds never read one key', () => {
    const section = { plan: async () => undefined, entryLines: async () => {}, read: async () => undefined };
    expect(() => registerAzureSection({ ...section, manifest: { key: 'groups', parse: () => [] } })).toThrow(
      /the `azure` section already has a key `groups`/,
    );
    expect(() =>
      registerAzureSection({ ...section, manifest: { key: LABELS_KEY, parse: () => [] } }),
    ).toThrow(new RegExp(`already has a key \`${LABELS_KEY}\``));
  });
});

describe('what the Azure fourth kind cost', () => {
  it('its room, and one registration on the list the real sections live on: no source file names it', () => {
    const { files, registrations, namingInSrc } = roomCost(ROOM, [
      GROUP_LABEL,
      LABELS_KEY,
      /group-?labels?/i,
    ]);
    expect(files).toEqual(['kind.ts', 'steps.ts', 'store.ts']);
    expect(registrations).toEqual([expect.stringContaining('registerAzureSection(')]);
    expect(namingInSrc).toEqual([]);
  });
});
