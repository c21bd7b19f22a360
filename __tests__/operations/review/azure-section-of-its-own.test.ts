// A review's rows hold what an Azure kind of a fourth shape holds (a test-only label on an Entra
// group, registered with one call beside PIM for groups: __tests__/fixtures/kinds/group-label/):
// run as the runner runs it, with the real Azure reader over the emulated Entra, ARM and Graph and
// the emulated GitHub API, the campaign's record lists each label as a row its reviewers decide on.
import { beforeEach, describe, expect, it } from '@jest/globals';
import { runReview } from '../../../src/operations/review/index.js';
import { SCOPE } from '../../harness/emulated-arm.js';
import { emulatedGitHub } from '../../harness/emulated-github.js';
import { GROUP_LABEL } from '../../fixtures/kinds/group-label/kind.js';
import { labelKindWorld, openReader, stepConfig } from '../../fixtures/kinds/group-label/steps.js';
import { onEvent, recordedRunner } from '../../steps/recorded-runner.js';

const { arm, store } = labelKindWorld();
const github = emulatedGitHub();
const alice = { login: 'alice', id: 101, type: 'User' as const };
let admins: string;
beforeEach(() => {
  admins = arm.az.addGroup({ displayName: `admins-${Math.random()}` }).id;
  store.write('create', { group: admins, text: 'on-call' });
  github
    .emulator()
    .github.repository.setFile(
      'main',
      '.github/access-reviewers.yml',
      'version: 1\ndefault-reviewers: alice\n',
    );
  github.emulator().github.issues.setUser(alice);
});

const config = () =>
  stepConfig(arm, 'review', {
    target: SCOPE,
    'github-token': github.emulator().github.runs.jobToken,
    campaign: 'drill',
    'campaign-start': '2026-11-01',
  });

describe('the review step and an Azure kind of a fourth shape', () => {
  it('lists each label among the campaign’s rows', async () => {
    const runner = recordedRunner();
    const records: string[] = [];
    await runReview(
      config(),
      onEvent(runner.effects, { eventName: 'schedule', tokenEndpoint: 'https://token.example' }),
      {
        github: () => github.reviewApi(),
        readManifest: async (path) => ({ path, text: '' }),
        readPrevious: async (path) => ({ path, text: '' }),
        openReader: openReader(arm, config()),
        writeRecord: async (json) => (records.push(json), '/tmp/review.json'),
        openGrants: () => Promise.reject(new Error('nothing is revoked in this test')),
      },
      Date.now,
    );
    expect(runner.said.failed).toEqual([]);
    const rows = (JSON.parse(records[0]!) as { rows: Record<string, unknown>[] }[]).flatMap((r) => r.rows);
    // Beside the role assignments the seeded world holds at the scope (the step's own among them).
    expect(rows.some((r) => r.kind === 'azure-role-assignment')).toBe(true);
    expect(rows.filter((r) => r.kind === GROUP_LABEL)).toEqual([
      expect.objectContaining({ targetId: admins, roleId: 'on-call', held: 'foreign' }),
    ]);
  });
});
