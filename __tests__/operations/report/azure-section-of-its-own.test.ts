// The report step lists what an Azure kind of a fourth shape holds (a test-only label on an Entra
// group, registered with one call beside PIM for groups: __tests__/fixtures/kinds/group-label/):
// run as the runner runs it, with the real Azure reader over the emulated Entra, ARM and Graph, its
// rows come beside the role assignments', each classed by the evidence as every kind's (a
// manifest lists it, or not).
import { beforeEach, describe, expect, it } from '@jest/globals';
import { runReport } from '../../../src/operations/report/index.js';
import { PRINCIPAL, SCOPE } from '../../harness/emulated-arm.js';
import { LABELS_KEY } from '../../fixtures/kinds/group-label/kind.js';
import { labelKindWorld, openReader, stepConfig } from '../../fixtures/kinds/group-label/steps.js';
import { onEvent, recordedRunner } from '../../steps/recorded-runner.js';

const { arm, store } = labelKindWorld();

let admins: string;
let auditors: string;
beforeEach(() => {
  admins = arm.az.addGroup({ displayName: `admins-${Math.random()}` }).id;
  auditors = arm.az.addGroup({ displayName: `auditors-${Math.random()}` }).id;
  store.write('create', { group: admins, text: 'on-call' });
  store.write('create', { group: auditors, text: 'audited' });
  arm.add('11111111-1111-4111-8111-111111111111');
});

const MANIFEST = 'access/azure.yml';
const manifest = () =>
  [
    'version: 1',
    'azure:',
    `  manages: {scopes: ['${SCOPE}']}`,
    `  ${LABELS_KEY}:`,
    `    - {group: '${auditors}', label: audited}`,
    '  assignments: []',
  ].join('\n');

describe('the report step and an Azure kind of a fourth shape', () => {
  it('lists each label beside the role assignments, as a manifest’s where one lists it and foreign where none does', async () => {
    const config = stepConfig(arm, 'report', { target: SCOPE, manifest: MANIFEST });
    const runner = recordedRunner();
    const written: { json: string; csv: string }[] = [];
    await runReport(
      config,
      onEvent(runner.effects, { eventName: 'push', tokenEndpoint: 'https://token.example' }),
      {
        readManifest: async (path) => ({ path, text: manifest() }),
        readPrevious: async (path) => ({ path, text: '' }),
        openPulls: () => Promise.reject(new Error('a report without `prune` opens no pull request')),
        openReader: openReader(arm, config),
        writeFiles: async (json, csv) => {
          written.push({ json, csv });
          return { json: '/tmp/r.json', csv: '/tmp/r.csv' };
        },
      },
      Date.now,
    );
    expect(runner.said.failed).toEqual([]);
    const rows = (JSON.parse(written[0]!.json) as { rows: Record<string, unknown>[] }).rows;
    const labels = rows.filter((r) => r.principalId === '');
    expect(rows.some((r) => r.principalId === PRINCIPAL)).toBe(true);
    expect(labels.map((r) => [r.targetId ?? r.target, r.roleId ?? r.role, r.held]).sort()).toEqual(
      [
        [admins, 'on-call', 'foreign'],
        [auditors, 'audited', 'manifest'],
      ].sort(),
    );
  });
});
