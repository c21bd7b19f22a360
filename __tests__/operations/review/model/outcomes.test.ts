import { describe, expect, it } from '@jest/globals';
import type { RowDecision } from '../../../../src/operations/review/model/decisions.js';
import {
  campaignProblem,
  defaultCampaign,
  dueAt,
  isDue,
  rowOutcomes,
} from '../../../../src/operations/review/model/outcomes.js';
import { awsRow } from './review-rows.js';

const DAY = 86_400_000;

const decided = (rowId: string, decision: 'keep' | 'revoke'): RowDecision => ({
  rowId,
  decision,
  reason: decision === 'revoke' ? 'unused' : null,
  login: 'alice',
  accountId: 101,
  at: '2026-07-02T00:00:00Z',
  url: 'https://github.com/o/r/issues/1#issuecomment-1',
});

describe('a campaign is due once `due` has passed since its first issue was opened', () => {
  it('is due at exactly its start plus `due`, not a moment before', () => {
    const start = '2026-07-01T00:00:00Z';
    expect(isDue(start, 14 * DAY, new Date(Date.parse(start) + 14 * DAY - 1))).toBe(false);
    expect(isDue(start, 14 * DAY, new Date(Date.parse(start) + 14 * DAY))).toBe(true);
    expect(dueAt(start, 14 * DAY)).toBe('2026-07-15T00:00:00.000Z');
    expect(isDue('not a date', DAY, new Date())).toBe(false);
  });
});

describe("each row's outcome at the due date", () => {
  const foreign = awsRow({ principalId: 'u-foreign' });
  const manifest = awsRow({
    principalId: 'u-manifest',
    held: 'manifest',
    manifest: 'access.yml',
    manifestLine: 4,
  });
  const claimed = awsRow({
    principalId: 'u-claimed',
    held: 'ephemeral',
    expiresAt: '2026-07-20T00:00:00Z',
    live: true,
  });
  const kept = awsRow({ principalId: 'u-kept' });
  const undecided = awsRow({ principalId: 'u-undecided', held: 'permanent' });
  const decisions = new Map([
    [foreign.id, [decided(foreign.id, 'revoke')]],
    [manifest.id, [decided(manifest.id, 'revoke')]],
    [claimed.id, [decided(claimed.id, 'revoke')]],
    [kept.id, [decided(kept.id, 'keep')]],
  ]);
  const rows = [foreign, manifest, claimed, kept, undecided];

  it('revokes decided rows directly, removes manifest rows by pull request, never revokes a claimed row', () => {
    const outcomes = rowOutcomes(rows, [], decisions, 'keep');
    expect(outcomes.map((o) => [o.rowId, o.outcome, o.decision, o.byDefault])).toEqual([
      [foreign.id, 'revoke', 'revoke', false],
      [manifest.id, 'pull-request', 'revoke', false],
      [claimed.id, 'claimed', 'revoke', false],
      [kept.id, 'kept', 'keep', false],
      [undecided.id, 'kept-by-default', null, true],
    ]);
  });

  it('revokes undecided rows under `default-decision: revoke`', () => {
    const outcomes = rowOutcomes([undecided, claimed], [], new Map(), 'revoke');
    expect(outcomes.map((o) => [o.outcome, o.byDefault])).toEqual([
      ['revoke', true],
      ['claimed', true],
    ]);
  });

  it('lists a row the issue had and the latest read has not as gone, with its decisions', () => {
    const outcomes = rowOutcomes(
      [kept],
      [kept.id, 'deadbeef', 'deadbeef'],
      new Map([['deadbeef', [decided('deadbeef', 'revoke')]]]),
      'keep',
    );
    expect(outcomes.map((o) => [o.rowId, o.outcome, o.decision, o.row === undefined])).toEqual([
      [kept.id, 'kept-by-default', null, false],
      ['deadbeef', 'gone', 'revoke', true],
    ]);
  });
});

describe('the campaign', () => {
  it.each([
    ['2026-01-01T00:00:00Z', '2026-Q1'],
    ['2026-03-31T23:59:59Z', '2026-Q1'],
    ['2026-04-01T00:00:00Z', '2026-Q2'],
    ['2026-12-31T23:59:59Z', '2026-Q4'],
  ])('defaults to the quarter of %s in UTC: %s', (at, campaign) => {
    expect(defaultCampaign(new Date(at))).toBe(campaign);
  });

  it('takes letters, digits, dots, underscores and hyphens, and refuses what a marker or branch cannot hold', () => {
    expect(campaignProblem('2026-Q3')).toBeUndefined();
    expect(campaignProblem('prod_2026.h2')).toBeUndefined();
    for (const bad of ['', '-x', 'a b', 'x-->', 'a/b', 'x'.repeat(65)])
      expect(campaignProblem(bad)).toMatch(/is not a campaign name/);
  });
});
