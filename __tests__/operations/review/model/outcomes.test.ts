import { describe, expect, it } from '@jest/globals';
import type { RowDecision } from '../../../../src/operations/review/model/decisions.js';
import {
  campaignProblem,
  defaultCampaign,
  dueAt,
  isDue,
  rowOutcomes,
} from '../../../../src/operations/review/model/outcomes.js';
import type { RowUse } from '../../../../src/operations/review/model/rows.js';
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

describe('`default-decision: revoke-unused`: an undecided row nobody used within the window is revoked', () => {
  const use = (lastUsed: string, over: Partial<RowUse> = {}): RowUse => ({
    lastUsed,
    lastUsedBy: null,
    usedBy: null,
    complete: true,
    ...over,
  });
  const unused = awsRow({ principalId: 'u-unused', usage: use('none since 2026-04-01T00:00:00Z') });
  const used = awsRow({ principalId: 'u-used', usage: use('2026-06-20T10:00:00Z') });
  const young = awsRow({ principalId: 'u-young', usage: use('too new to tell') });
  const partial = awsRow({
    principalId: 'u-partial',
    usage: use('none since 2026-04-01T00:00:00Z', { complete: false }),
  });
  const unknown = awsRow({ principalId: 'u-unknown', usage: use('unknown (Azure logs no per-grant use)') });
  const unread = awsRow({ principalId: 'u-unread' });
  const manifestUnused = awsRow({
    principalId: 'u-manifest',
    held: 'manifest',
    manifest: 'access.yml',
    manifestLine: 3,
    usage: use('none since 2026-04-01T00:00:00Z'),
  });
  const group = awsRow({
    principalKind: 'GROUP',
    principalId: 'g-1',
    usage: use('2026-06-01T00:00:00Z', { lastUsedBy: 'bob', usedBy: 3 }),
  });
  const keptUnused = awsRow({ principalId: 'u-kept', usage: use('none since 2026-04-01T00:00:00Z') });
  const decisions = new Map([[keptUnused.id, [decided(keptUnused.id, 'keep')]]]);

  const outcomes = rowOutcomes(
    [unused, used, young, partial, unknown, unread, manifestUnused, group, keptUnused],
    [],
    decisions,
    'revoke-unused',
  );
  const of = (row: { id: string }) => outcomes.find((o) => o.rowId === row.id)!;

  it('revokes an undecided row that shows no use over a complete window, and says the rule', () => {
    expect(of(unused)).toMatchObject({ outcome: 'revoke', byDefault: true, decision: null });
    expect(of(unused).rule).toBe('revoke-unused, none since 2026-04-01');
    expect(of(manifestUnused)).toMatchObject({ outcome: 'pull-request', byDefault: true });
  });

  it('keeps an undecided row that was used, a group any member used, and says when', () => {
    expect(of(used)).toMatchObject({ outcome: 'kept-by-default', rule: 'revoke-unused, used 2026-06-20' });
    expect(of(group)).toMatchObject({ outcome: 'kept-by-default', rule: 'revoke-unused, used 2026-06-01' });
  });

  it('never revokes by default what the evidence does not prove unused: an unknown is never a delete', () => {
    expect(of(young)).toMatchObject({ outcome: 'kept-by-default', rule: 'revoke-unused, too new to tell' });
    expect(of(partial)).toMatchObject({
      outcome: 'kept-by-default',
      rule: 'revoke-unused, evidence incomplete',
    });
    expect(of(unknown)).toMatchObject({
      outcome: 'kept-by-default',
      rule: 'revoke-unused, last use unknown',
    });
    expect(of(unread)).toMatchObject({ outcome: 'kept-by-default', rule: 'revoke-unused, last use unknown' });
  });

  it("leaves a reviewer's decision as it is: a kept row stays kept however unused", () => {
    expect(of(keptUnused)).toMatchObject({ outcome: 'kept', byDefault: false });
    expect(of(keptUnused).rule).toBeUndefined();
  });

  it('says no rule under the other default decisions', () => {
    const [o] = rowOutcomes([unused], [], new Map(), 'revoke');
    expect(o).toMatchObject({ outcome: 'revoke', byDefault: true });
    expect(o!.rule).toBeUndefined();
  });
});
