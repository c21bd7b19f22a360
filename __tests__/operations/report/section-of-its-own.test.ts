// The report step lists what a kind of a fourth shape holds (a test-only note on a permission set,
// registered with one call beside the permission sets: __tests__/fixtures/kinds/set-note/): run as
// the runner runs it, with the real AWS reader over the emulated IAM Identity Center, its rows come
// beside the assignments', each classed by the evidence as every kind's (a manifest lists it, or not).
import { beforeEach, describe, expect, it } from '@jest/globals';
import { runReport } from '../../../src/operations/report/index.js';
import { ACCOUNT, ADMIN, ALICE, READ_ONLY } from '../../harness/emulated-sso.js';
import { NOTES_KEY } from '../../fixtures/kinds/set-note/kind.js';
import { noteKindWorld, openReader, stepConfig } from '../../fixtures/kinds/set-note/steps.js';
import { onEvent, recordedRunner } from '../../steps/recorded-runner.js';

const { sso, store } = noteKindWorld();
beforeEach(() => {
  store.write('create', { set: 'ReadOnlyAccess', text: 'audited', arn: READ_ONLY });
  store.write('create', { set: 'AdministratorAccess', text: 'on-call', arn: ADMIN });
  sso.addAssignment(ALICE, READ_ONLY, ACCOUNT);
});

const MANIFEST = 'access/manifest.yml';
const manifest = [
  'version: 1',
  'aws:',
  '  manages: {permission-sets: [ReadOnlyAccess]}',
  `  ${NOTES_KEY}:`,
  '    - {set: ReadOnlyAccess, note: audited}',
  '  assignments: []',
].join('\n');

const config = () => stepConfig('report', { manifest: MANIFEST });

describe('the report step and a kind of a fourth shape', () => {
  it('lists each note beside the assignments, as a manifest’s where one lists it and foreign where none does', async () => {
    const runner = recordedRunner();
    const written: { json: string; csv: string }[] = [];
    await runReport(
      config(),
      onEvent(runner.effects, { eventName: 'push', tokenEndpoint: 'https://token.example' }),
      {
        readManifest: async (path) => ({ path, text: manifest }),
        readPrevious: async (path) => ({ path, text: '' }),
        openPulls: () => Promise.reject(new Error('a report without `prune` opens no pull request')),
        openReader: openReader(sso, config(), 'push'),
        writeFiles: async (json, csv) => {
          written.push({ json, csv });
          return { json: '/tmp/r.json', csv: '/tmp/r.csv' };
        },
      },
      Date.now,
    );
    expect(runner.said.failed).toEqual([]);
    const rows = (JSON.parse(written[0]!.json) as { rows: Record<string, unknown>[] }).rows;
    const notes = rows.filter((r) => r.principalId === '');
    expect(rows.some((r) => r.principalId === ALICE)).toBe(true);
    expect(notes.map((r) => [r.targetId ?? r.target, r.roleId ?? r.role, r.held]).sort()).toEqual([
      ['AdministratorAccess', 'on-call', 'foreign'],
      ['ReadOnlyAccess', 'audited', 'manifest'],
    ]);
  });
});
