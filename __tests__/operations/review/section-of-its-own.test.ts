// A review's rows hold what a kind of a fourth shape holds (a test-only note on a permission set,
// registered with one call beside the permission sets: __tests__/fixtures/kinds/set-note/): run as
// the runner runs it, with the real AWS reader over the emulated IAM Identity Center and the
// emulated GitHub API, the campaign's record lists each note as a row its reviewers decide on.
import { beforeEach, describe, expect, it } from '@jest/globals';
import { runReview } from '../../../src/operations/review/index.js';
import { ADMIN } from '../../harness/emulated-sso.js';
import { emulatedGitHub } from '../../harness/emulated-github.js';
import { SET_NOTE } from '../../fixtures/kinds/set-note/kind.js';
import { noteKindWorld, openReader, stepConfig } from '../../fixtures/kinds/set-note/steps.js';
import { onEvent, recordedRunner } from '../../steps/recorded-runner.js';

const { sso, store } = noteKindWorld();
const github = emulatedGitHub();
const alice = { login: 'alice', id: 101, type: 'User' as const };
beforeEach(() => {
  store.write('create', { set: 'AdministratorAccess', text: 'on-call', arn: ADMIN });
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
  stepConfig('review', {
    'github-token': github.emulator().github.runs.jobToken,
    campaign: 'drill',
    'campaign-start': '2026-11-01',
  });

describe('the review step and a kind of a fourth shape', () => {
  it('lists each note among the campaign’s rows', async () => {
    const runner = recordedRunner();
    const records: string[] = [];
    await runReview(
      config(),
      onEvent(runner.effects, { eventName: 'schedule', tokenEndpoint: 'https://token.example' }),
      {
        github: () => github.reviewApi(),
        readManifest: async (path) => ({ path, text: '' }),
        readPrevious: async (path) => ({ path, text: '' }),
        openReader: openReader(sso, config(), 'schedule'),
        writeRecord: async (json) => (records.push(json), '/tmp/review.json'),
        openGrants: () => Promise.reject(new Error('nothing is revoked in this test')),
      },
      Date.now,
    );
    expect(runner.said.failed).toEqual([]);
    const rows = (JSON.parse(records[0]!) as { rows: Record<string, unknown>[] }[]).flatMap((r) => r.rows);
    expect(rows).toEqual([
      expect.objectContaining({
        kind: SET_NOTE,
        targetId: 'AdministratorAccess',
        roleId: 'on-call',
        held: 'foreign',
      }),
    ]);
  });
});
