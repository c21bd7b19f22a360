import { describe, expect, it } from '@jest/globals';
import { closingComments } from '../../../../src/operations/review/model/closing.js';
import type { RowDecision } from '../../../../src/operations/review/model/decisions.js';
import { rowOutcomes } from '../../../../src/operations/review/model/outcomes.js';
import { render, tableCells } from './render-markdown.js';
import { awsRow } from './review-rows.js';

const decided = (rowId: string, decision: 'keep' | 'revoke', login = 'alice'): RowDecision => ({
  rowId,
  decision,
  reason: decision === 'revoke' ? 'unused' : null,
  login,
  accountId: 101,
  at: '2026-07-02T00:00:00Z',
  url: 'https://github.com/o/r/issues/1#issuecomment-1',
});

describe("the closing comment lists every row's outcome", () => {
  const revoked = awsRow({ principalId: 'u-revoked' });
  const failed = awsRow({ principalId: 'u-failed' });
  const manifest = awsRow({ principalId: 'u-manifest', held: 'manifest' });
  const claimed = awsRow({ principalId: 'u-claimed', held: 'requested', expiresAt: '2026-07-20T00:00:00Z' });
  const kept = awsRow({ principalId: 'u-kept' });
  const undecided = awsRow({ principalId: 'u-undecided' });
  const byRow = new Map<string, RowDecision[]>(
    [revoked, failed, manifest, claimed].map((r) => [r.id, [decided(r.id, 'revoke')]]),
  );
  byRow.set(kept.id, [decided(kept.id, 'keep', 'bob')]);
  byRow.set('deadbeef', [decided('deadbeef', 'revoke')]);
  const outcomes = rowOutcomes(
    [revoked, failed, manifest, claimed, kept, undecided],
    ['deadbeef'],
    byRow,
    'keep',
  );

  it('says kept and by whom, revoked with the result, failed apart, removed by the pull request, claimed left, kept by default, gone; not finished', () => {
    const [comment, ...more] = closingComments({
      campaign: '2026-Q3',
      outcomes,
      results: new Map([
        [revoked.id, { status: 'revoked' }],
        [failed.id, { status: 'failed', detail: 'AccessDenied | <b>x</b>' }],
      ]),
      pullRequest: { number: 12, url: 'https://github.com/o/r/pull/12' },
      dryRun: false,
    });
    expect(more).toEqual([]);
    // A revoke that failed is counted apart from the revoked, and keeps the issue open.
    expect(comment).toMatch(/^### Access review `2026-Q3`: not finished\n/);
    expect(comment).toContain(
      '7 rows: kept 1, kept by default 1, revoked 1, removed by pull request 1, left (claimed) 1, gone 1, failed 1.',
    );
    expect(comment).toContain('the next `schedule` or `workflow_dispatch` run of the review retries them');
    const html = render(comment!);
    const outcome = Object.fromEntries(tableCells(html).map((c) => [c[0], c[4]]));
    const at = (id: string) => outcome[`<code>${id}</code>`];
    expect(at(revoked.id)).toBe('revoked as <code>alice</code> decided: <strong>revoked</strong>');
    expect(at(failed.id)).toBe(
      '<strong>failed</strong> to revoke as <code>alice</code> decided: <code>AccessDenied | &lt;b&gt;x&lt;/b&gt;</code>',
    );
    expect(at(manifest.id)).toBe(
      'removed as <code>alice</code> decided by pull request <a href="https://github.com/o/r/pull/12">#12</a>',
    );
    expect(at(claimed.id)).toBe(
      'left: claimed, ends by itself at 2026-07-20 00:00 UTC (as <code>alice</code> decided to revoke)',
    );
    expect(at(kept.id)).toBe('kept, as <code>bob</code> decided');
    expect(at(undecided.id)).toBe('kept by default (undecided)');
    expect(at('deadbeef')).toBe('gone: no longer held (decided revoke)');
  });

  it('says a dry run changed nothing, and a manifest row with no pull request is left for removal by hand', () => {
    const [comment] = closingComments({ campaign: '2026-Q3', outcomes, results: new Map(), dryRun: true });
    expect(comment).toContain('not finished (dry run: nothing was changed)');
    expect(comment).toContain(
      'left for removal by hand (to remove as `alice` decided): no pull request was opened',
    );
    expect(comment).toContain('**failed** to revoke as `alice` decided: not run');
    expect(comment).toContain('failed 2, left for removal by hand 1.');
    expect(comment).not.toContain('removed by pull request');
  });

  it('says in plain words until when the sessions stay valid where no session fence ended them', () => {
    const [comment] = closingComments({
      campaign: '2026-Q3',
      outcomes: rowOutcomes([revoked], [], new Map([[revoked.id, [decided(revoked.id, 'revoke')]]]), 'keep'),
      results: new Map([
        [
          revoked.id,
          { status: 'revoked', detail: 'not opted in', sessionsLiveUntil: '2026-07-16T01:00:00Z' },
        ],
      ]),
      dryRun: false,
    });
    const html = render(comment!);
    expect(tableCells(html)[0]![4]).toBe(
      'revoked as <code>alice</code> decided: <strong>revoked</strong>: <code>not opted in</code>. Sessions signed in before the revoke stay valid until 2026-07-16 01:00 UTC: no session fence ended them',
    );
    expect(comment).toMatch(/^### Access review `2026-Q3` closed\n/);
  });

  it('closes when every row was carried out', () => {
    const done = outcomes.filter((o) => o.outcome !== 'pull-request');
    const [comment] = closingComments({
      campaign: '2026-Q3',
      outcomes: done,
      results: new Map([
        [revoked.id, { status: 'revoked' }],
        [failed.id, { status: 'skipped', detail: 'already absent' }],
      ]),
      dryRun: false,
    });
    expect(comment).toMatch(/^### Access review `2026-Q3` closed\n/);
    expect(comment).toContain('revoked 2');
  });

  it('goes on in numbered comments past what one comment holds', () => {
    const parts = closingComments({ campaign: 'c', outcomes, results: new Map(), dryRun: false }, 600);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts[1]).toMatch(/^Access review `c` not finished, continued \(part 2\)\./);
    expect(parts.flatMap((p) => tableCells(render(p))).length).toBe(outcomes.length);
  });
});

describe('the closing comment says which rule decided an undecided row under `revoke-unused`', () => {
  const use = (lastUsed: string) => ({ lastUsed, lastUsedBy: null, usedBy: null, complete: true });
  const unused = awsRow({ principalId: 'u-unused', usage: use('none since 2026-04-01T00:00:00Z') });
  const used = awsRow({ principalId: 'u-used', usage: use('2026-06-20T10:00:00Z') });
  const young = awsRow({ principalId: 'u-young', usage: use('too new to tell') });
  const outcomes = rowOutcomes([unused, used, young], [], new Map(), 'revoke-unused');
  const [comment] = closingComments({
    campaign: '2026-Q3',
    outcomes,
    results: new Map([[unused.id, { status: 'revoked' as const }]]),
    dryRun: false,
  });
  const at = (id: string) => {
    const cells = tableCells(render(comment!));
    return cells.find((c) => c[0] === `<code>${id}</code>`)![4];
  };

  it('revoked by default, with the evidence: none since the window’s start', () => {
    expect(at(unused.id)).toBe(
      'revoked by default (undecided: revoke-unused, none since 2026-04-01): <strong>revoked</strong>',
    );
  });

  it('kept by default, with why: used, or too new to tell', () => {
    expect(at(used.id)).toBe('kept by default (undecided: revoke-unused, used 2026-06-20)');
    expect(at(young.id)).toBe('kept by default (undecided: revoke-unused, too new to tell)');
  });
});
