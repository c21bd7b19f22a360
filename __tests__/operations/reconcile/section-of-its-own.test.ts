// A kind of a fourth shape (a test-only note on a permission set: no principal, its target a set)
// registered with one call on the list the permission sets live on, then run as the runner runs a
// reconcile: the step's entry reads a manifest file with its section (`aws.set-notes`) and plans,
// dry-runs and applies it with the real AWS reconciler over the emulated IAM Identity Center. No
// plan is built by hand and no inner stage is called: its note on a set still to be created waits
// for the set's create and takes its ARN, and its delete waits for the account assignments'.
import { describe, expect, it } from '@jest/globals';
import { registerAwsSection } from '../../../src/aws/kinds.js';
import { runReconcile } from '../../../src/operations/reconcile/index.js';
import { ACCOUNT, ALICE, READ_ONLY } from '../../harness/emulated-sso.js';
import { roomCost } from '../../fixtures/kinds/room-cost.js';
import { NOTES_KEY, SET_NOTE } from '../../fixtures/kinds/set-note/kind.js';
import { noteKindWorld, reconcileSources } from '../../fixtures/kinds/set-note/steps.js';
import { onEvent, recordedRunner } from '../../steps/recorded-runner.js';
import { config, PUSH } from './in-memory-cloud.js';

const ROOM = '__tests__/fixtures/kinds/set-note';
const { sso, store } = noteKindWorld();

const POLICY = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}]}';

const manifest = (notes: string[], assignments: string[] = []) =>
  [
    'version: 1',
    'aws:',
    '  manages: {permission-sets: [Engineers, ReadOnlyAccess]}',
    '  permission-sets:',
    '    - name: Engineers',
    '      inline-policy: policies/engineers.json',
    `  ${NOTES_KEY}:`,
    ...notes.map((n) => `    - ${n}`),
    '  assignments:',
    `    - {principal: Deployers, principal-type: GROUP, role: Engineers, target: '${ACCOUNT}'}`,
    ...assignments.map((a) => `    - ${a}`),
  ].join('\n');

/** The SSO Admin writes the emulator was sent, in order. */
const ssoWrites = () =>
  sso.emulator.requests.filter((r) => r.service === 'sso-admin' && r.write).map((r) => r.operation);

/** The step, as the runner runs it: its entry, a manifest file, and the AWS reconciler it opens. */
async function reconcile(text: string, dryRun = false) {
  const runner = recordedRunner();
  await runReconcile(config({ dryRun }), onEvent(runner.effects, PUSH), reconcileSources(sso, text, POLICY));
  const results = JSON.parse(runner.outputs.results || '[]') as {
    action: string;
    status: string;
    role: string;
    target: string;
  }[];
  return { runner, plan: JSON.parse(runner.outputs.plan || '{}'), results };
}

const NOTES = ['{set: Engineers, note: on-call}', '{set: ReadOnlyAccess, note: audited}'];

describe('a kind of a fourth shape, in a manifest’s section of its own, through the reconcile step', () => {
  it('a dry run plans its notes beside the set and the assignment, counts them in `plan`, and writes nothing', async () => {
    const { runner, plan, results } = await reconcile(manifest(NOTES), true);
    expect(runner.said.failed).toEqual([]);
    expect(plan.setNotes).toEqual({ create: 2, delete: 0 });
    expect(plan.permissionSets).toMatchObject({ create: 1 });
    expect(runner.said.log).toEqual(
      expect.arrayContaining([
        '+ note on-call on permission set Engineers',
        '+ note audited on permission set ReadOnlyAccess',
      ]),
    );
    expect(results.filter((r) => r.target === 'Engineers' && r.role === 'on-call')).toHaveLength(1);
    expect(store.log).toEqual([]);
    expect(ssoWrites()).toEqual([]);
  });

  it('applied: a note on a set still to be created is written after the set’s create, with the ARN it answered', async () => {
    const at = new Map<string, number>();
    store.onWrite = (line) => at.set(line.split(' ').slice(0, 3).join(' '), ssoWrites().length);
    const { runner, plan, results } = await reconcile(manifest(NOTES));
    expect(runner.said.failed).toEqual([]);
    expect(plan.setNotes).toEqual({ create: 2, delete: 0 });
    const [created] = sso.inputsOf('CreatePermissionSet');
    expect(created).toMatchObject({ Name: 'Engineers' });
    const engineers = store.notes().find((n) => n.set === 'Engineers');
    expect(engineers?.arn).toMatch(/^arn:aws:sso:::permissionSet\//);
    expect(engineers?.arn).not.toBe(READ_ONLY);
    // Its write came once the set's create had been sent.
    expect(at.get('create Engineers on-call')).toBeGreaterThan(ssoWrites().indexOf('CreatePermissionSet'));
    expect(store.notes().find((n) => n.set === 'ReadOnlyAccess')?.arn).toBe(READ_ONLY);
    expect(
      results.filter((r) => r.role === 'on-call' || r.role === 'audited').map((r) => [r.action, r.status]),
    ).toEqual([
      ['create', 'SUCCEEDED'],
      ['create', 'SUCCEEDED'],
    ]);
    // The summary's table of them, in its kind's words.
    expect(runner.said.summary).toMatch(/Set notes \(2\)/);
    // Run again: nothing of its kind left to do.
    const again = await reconcile(manifest(NOTES));
    expect(again.plan.setNotes).toEqual({ create: 0, delete: 0 });
    expect(store.log).toHaveLength(2);
  });

  it('a note the file no longer lists is deleted only once the account assignments the plan deletes are gone', async () => {
    const alice = `{principal: alice, principal-type: USER, role: ReadOnlyAccess, target: '${ACCOUNT}'}`;
    await reconcile(manifest(NOTES, [alice]));
    expect(sso.count('CreateAccountAssignment')).toBe(2);
    const at = new Map<string, number>();
    store.onWrite = (line) => at.set(line, ssoWrites().length);
    const { runner, plan } = await reconcile(manifest([NOTES[0]!]));
    expect(runner.said.failed).toEqual([]);
    expect(plan.setNotes).toEqual({ create: 0, delete: 1 });
    expect(plan.delete).toBe(1);
    expect(sso.inputsOf('DeleteAccountAssignment').at(-1)).toMatchObject({ PrincipalId: ALICE });
    expect(at.get('delete ReadOnlyAccess audited')).toBeGreaterThan(
      ssoWrites().lastIndexOf('DeleteAccountAssignment'),
    );
    expect(store.notes().map((n) => n.text)).toEqual(['on-call']);
  });

  it('a note on a set that neither exists nor is defined stops the plan at its line, before any write', async () => {
    const { runner } = await reconcile(manifest(['{set: Nobody, note: x}']));
    expect(runner.said.errors).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/no permission set is named Nobody/) }),
    ]);
    expect(store.log).toEqual([]);
    expect(ssoWrites()).toEqual([]);
  });
});

describe('the list the sections live on', () => {
  it('refuses a manifest key the `aws` section has, or another section took: two kinds never read one key', () => {
    const parse = () => [];
    expect(() => registerAwsSection({ manifest: { key: 'manages', parse } })).toThrow(
      /already has a key `manages`/,
    );
    expect(() => registerAwsSection({ manifest: { key: NOTES_KEY, parse } })).toThrow(
      new RegExp(`already has a key \`${NOTES_KEY}\``),
    );
  });
});

describe('what the fourth kind cost', () => {
  it('its room, and one registration on the list the real sections live on: no source file names it', () => {
    const { files, registrations, namingInSrc } = roomCost(ROOM, [SET_NOTE, NOTES_KEY, /set-?notes?/i]);
    expect(files).toEqual(['kind.ts', 'steps.ts', 'store.ts']);
    expect(registrations).toEqual([expect.stringContaining('registerAwsSection(')]);
    expect(namingInSrc).toEqual([]);
  });
});
