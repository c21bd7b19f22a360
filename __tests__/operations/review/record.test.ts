import { describe, expect, it } from '@jest/globals';
import type { ReviewersFile } from '../../../src/operations/review/model/reviewers-file.js';
import { assignReviewers } from '../../../src/operations/review/model/rows.js';
import { rowOutcomes } from '../../../src/operations/review/model/outcomes.js';
import { planCampaign } from '../../../src/operations/review/issues-plan.js';
import { issueRecord, reviewCounts } from '../../../src/operations/review/record.js';
import { awsRow } from './model/review-rows.js';

const file: ReviewersFile = {
  entries: [],
  defaultReviewers: [{ login: 'alice' }, { org: 'acme', team: 'sec' }],
  due: { iso: 'P14D', ms: 14 * 86_400_000 },
  defaultDecision: 'revoke',
};
const rows = [
  awsRow(),
  awsRow({ principalId: 'u-manifest', held: 'manifest' }),
  awsRow({ principalId: 'u-claimed', held: 'ephemeral' }),
  awsRow({ principalId: 'u-kept' }),
];
const kept = rows[3]!;

function planWithDecisions() {
  const base = planCampaign({
    campaign: '2026-Q3',
    cloud: 'aws',
    assignment: assignReviewers(rows, file, { accountsUnder: () => undefined }),
    file,
    issues: [],
    resolved: new Map([['alice', 101]]),
    startedAt: '2026-07-01T00:00:00Z',
    teams: new Map(),
    now: new Date('2026-07-01T00:00:00Z'),
    mayAct: true,
  }).issues[0]!;
  const decision = {
    rowId: kept.id,
    decision: 'keep' as const,
    reason: null,
    login: 'alice',
    accountId: 101,
    at: '2026-07-02T00:00:00Z',
    url: 'https://github.com/octo-org/octo-repo/issues/1#issuecomment-9',
  };
  const ignored = [
    {
      url: 'u',
      login: 'mallory',
      accountId: 104,
      at: 't',
      command: '/keep all',
      why: 'its author is not a reviewer of these rows',
    },
  ];
  return { ...base, decisions: { byRow: new Map([[kept.id, [decision]]]), ignored } };
}

describe("a campaign issue's record", () => {
  it('holds the rows with their decisions (login, account ID, comment, time) and the commands not taken', () => {
    const record = issueRecord(planWithDecisions(), 1);
    expect(record).toEqual(
      expect.objectContaining({
        campaign: '2026-Q3',
        cloud: 'aws',
        issue: 1,
        reviewers: ['alice (101)', 'acme/sec'],
        outcomes: null,
      }),
    );
    expect(record.rows.find((r) => r.id === kept.id)!.decisions).toEqual([
      expect.objectContaining({
        login: 'alice',
        accountId: 101,
        url: expect.stringContaining('#issuecomment-9'),
      }),
    ]);
    expect(record.ignored.map((i) => i.login)).toEqual(['mallory']);
  });

  it('holds each outcome at the close, and the summary counts them', () => {
    const plan = planWithDecisions();
    const outcomes = rowOutcomes(plan.group.rows, [], plan.decisions.byRow, 'revoke');
    const record = issueRecord(plan, 1, {
      outcomes,
      results: new Map([[rows[0]!.id, { status: 'revoked' as const }]]),
      pullRequest: 'https://github.com/octo-org/octo-repo/pull/2',
      at: '2026-07-15T00:00:00Z',
    });
    expect(record.outcomes!.find((o) => o.rowId === rows[0]!.id)).toEqual({
      rowId: rows[0]!.id,
      outcome: 'revoke',
      byDefault: true,
      result: { status: 'revoked' },
    });
    expect(reviewCounts([record])).toEqual({
      issues: 1,
      rows: 4,
      decided: 1,
      kept: 1,
      revoked: 1,
      removedByPullRequest: 1,
      leftClaimed: 1,
      failed: 0,
      leftByHand: 0,
    });
    // Without the pull request the manifest's row is left for removal by hand, not removed.
    expect(reviewCounts([{ ...record, pullRequest: null }])).toEqual(
      expect.objectContaining({ removedByPullRequest: 0, leftByHand: 1 }),
    );
  });

  it("holds the rule that decided an undecided row under `revoke-unused`, and the row's last use", () => {
    const plan = planWithDecisions();
    const usage = {
      lastUsed: 'none since 2026-04-01T00:00:00Z',
      lastUsedBy: null,
      usedBy: null,
      complete: true,
    };
    const used = plan.group.rows.map((r) => ({ ...r, usage }));
    const outcomes = rowOutcomes(used, [], plan.decisions.byRow, 'revoke-unused');
    const record = issueRecord(plan, 1, { outcomes, results: new Map(), at: '2026-07-15T00:00:00Z' });
    expect(record.outcomes!.find((o) => o.rowId === rows[0]!.id)).toEqual({
      rowId: rows[0]!.id,
      outcome: 'revoke',
      byDefault: true,
      rule: 'revoke-unused, none since 2026-04-01',
      result: null,
    });
    expect(record.outcomes!.find((o) => o.rowId === kept.id)).not.toHaveProperty('rule');
  });
});
