// An issue whose rows all moved to another reviewer set's issue (the reviewers file changed),
// against the emulated GitHub API through the review's Octokit calls: closed with a comment that
// links the new issue, and recorded before the close, the decisions carried from it named.
// (Through the bundle, with the audit record: __tests__/e2e/review-moved-rows.test.ts.)
import { describe, expect, it } from '@jest/globals';
import type { ReviewersFile } from '../../../src/operations/review/model/reviewers-file.js';
import { assignReviewers } from '../../../src/operations/review/model/rows.js';
import { readCampaign, writeIssues } from '../../../src/operations/review/campaign-github.js';
import { planCampaign } from '../../../src/operations/review/issues-plan.js';
import { closeEmptied } from '../../../src/operations/review/moved-close.js';
import { awsRow } from './model/review-rows.js';
import { emulatedGitHub } from '../../harness/emulated-github.js';
import { recordedRunner } from '../../steps/recorded-runner.js';

const github = emulatedGitHub((e) => {
  e.github.issues.setUser({ login: 'alice', id: 101, type: 'User' });
  e.github.issues.setUser({ login: 'erin', id: 105, type: 'User' });
});
const emulator = () => github.emulator();

const DAY = 86_400_000;
const fileOf = (...logins: string[]): ReviewersFile => ({
  entries: [],
  defaultReviewers: logins.map((login) => ({ login })),
  due: { iso: 'P14D', ms: 14 * DAY },
  defaultDecision: 'keep',
});
const rows = [awsRow(), awsRow({ principalId: 'u-2' })];
const at = { campaign: '2026-Q3', cloud: 'aws' as const };
const startedAt = '2026-07-01T00:00:00Z';

async function run(file: ReviewersFile, now: string) {
  emulator().github.issues.setNow(now);
  const api = await github.reviewApi();
  const assignment = assignReviewers(rows, file, { accountsUnder: () => undefined });
  const read = await readCampaign(api, at, assignment);
  const plan = planCampaign({
    ...at,
    assignment,
    file,
    ...read,
    startedAt,
    now: new Date(now),
    mayAct: true,
  });
  const written = await writeIssues(api, plan);
  return { api, plan, written };
}

describe('an issue whose rows all moved', () => {
  it('is closed with a comment linking the new issue, recorded first, its carried decisions named', async () => {
    await run(fileOf('alice'), '2026-07-01T00:00:00Z');
    const said = emulator().github.issues.comment(
      1,
      { login: 'alice', id: 101, type: 'User' },
      `/revoke ${rows[0]!.id} gone`,
    );
    const { api, plan, written } = await run(fileOf('alice', 'erin'), '2026-07-02T00:00:00Z');
    expect(written).toEqual([expect.objectContaining({ number: 2, opened: true })]);
    expect(plan.emptied).toEqual([
      expect.objectContaining({
        number: 1,
        moves: expect.arrayContaining(rows.map((r) => ({ rowId: r.id, toKey: plan.issues[0]!.group.key }))),
      }),
    ]);

    const recorded: { state: string | undefined; what: string }[] = [];
    const { effects, said: lines } = recordedRunner();
    const records = await closeEmptied(plan, new Map([[plan.issues[0]!.group.key, 2]]), {
      campaign: at.campaign,
      cloud: 'aws',
      api,
      effects,
      now: () => Date.parse('2026-07-02T00:00:00Z'),
      audit: async () =>
        ({
          recordChange: (what: string) =>
            recorded.push({ what, state: emulator().github.issues.issue(1)!.state }),
          settled: async () => undefined,
        }) as never,
    });
    // Recorded while still open, then closed.
    expect(recorded).toEqual([{ what: 'close of campaign issue #1', state: 'open' }]);
    expect(emulator().github.issues.issue(1)!.state).toBe('closed');
    const closing = emulator().github.issues.comments(1).at(-1)!.body;
    expect(closing).toContain('rows moved');
    expect(closing).toContain(`- \`${rows[0]!.id}\` → #2`);
    expect(records[0]!.movedTo).toEqual(
      expect.arrayContaining([
        {
          rowId: rows[0]!.id,
          issue: 2,
          decisions: [
            expect.objectContaining({
              login: 'alice',
              url: expect.stringContaining(`issuecomment-${said.id}`),
            }),
          ],
        },
        { rowId: rows[1]!.id, issue: 2, decisions: [] },
      ]),
    );
    expect(lines.log.join('\n')).toContain('review: closed #1: its 2 row(s) moved to #2');
  });

  it('stays open while a row’s new issue has no number yet', async () => {
    await run(fileOf('alice'), '2026-07-01T00:00:00Z');
    const { api, plan } = await run(fileOf('erin'), '2026-07-02T00:00:00Z');
    const { effects } = recordedRunner();
    const records = await closeEmptied(plan, new Map(), {
      campaign: at.campaign,
      cloud: 'aws',
      api,
      effects,
      now: Date.now,
      audit: async () => undefined,
    });
    expect(records).toEqual([]);
    expect(emulator().github.issues.issue(1)!.state).toBe('open');
  });
});
