import { describe, expect, it } from '@jest/globals';
import type { RowDecision } from '../../../../src/operations/review/model/decisions.js';
import {
  decisionCell,
  goneLine,
  movedLine,
  rowLine,
  tableColumns,
  tableHeader,
  TABLE_COLUMNS,
} from '../../../../src/operations/review/model/row-cells.js';
import type { RowUse } from '../../../../src/operations/review/model/rows.js';
import { render, tableCells } from './render-markdown.js';
import { awsRow } from './review-rows.js';

const cellsOf = (line: string) => tableCells(render([...tableHeader(), line].join('\n')))[0]!;

const decision = (over: Partial<RowDecision> = {}): RowDecision => ({
  rowId: 'x',
  decision: 'revoke',
  reason: 'left the team',
  login: 'alice',
  accountId: 101,
  at: '2026-07-02T09:30:00Z',
  url: 'https://github.com/o/r/issues/1#issuecomment-5',
  ...over,
});

describe("a campaign issue's row", () => {
  it('shows ID, principal, type, place, permission set, class, since, by and decision, one cell each', () => {
    const row = awsRow();
    expect(cellsOf(rowLine(row, undefined))).toEqual([
      `<code>${row.id}</code>`,
      '<code>alice@example.com</code> <code>u-1</code>',
      '<code>USER</code>',
      '<code>prod</code> <code>111111111111</code>',
      '<code>AdministratorAccess</code>',
      'foreign',
      '2026-01-02 03:04 UTC',
      '<code>arn:aws:iam::111111111111:user/admin</code>',
      'undecided',
    ]);
    expect(TABLE_COLUMNS).toHaveLength(9);
  });

  it("shows a manifest's row with its file and line, and a claim with until when and whether it is live", () => {
    expect(
      cellsOf(rowLine(awsRow({ held: 'manifest', manifest: 'access.yml', manifestLine: 7 }), undefined))[5],
    ).toBe('manifest <code>access.yml:7</code>');
    expect(
      cellsOf(
        rowLine(awsRow({ held: 'ephemeral', expiresAt: '2026-07-20T12:00:00Z', live: false }), undefined),
      )[5],
    ).toBe('claimed (ephemeral) until 2026-07-20 12:00 UTC, live: false');
    expect(cellsOf(rowLine(awsRow({ held: 'orphaned' }), undefined))[5]).toBe('orphaned');
    expect(cellsOf(rowLine(awsRow({ grantedAt: 'before 2026-04-01T00:00:00Z' }), undefined))[6]).toBe(
      'before 2026-04-01 00:00 UTC',
    );
  });

  it('shows a group with its member count and its first members', () => {
    const first = Array.from({ length: 20 }, (_, i) => ({ name: `user${i}`, id: `u-${i}` }));
    const cell = cellsOf(
      rowLine(
        awsRow({ principalKind: 'GROUP', principalName: 'admins', members: { count: 25, first } }),
        undefined,
      ),
    )[1]!;
    expect(cell).toMatch(/^<code>admins<\/code> <code>u-1<\/code><br>25 members: <code>user0<\/code>, /);
    expect(cell.match(/<code>user\d+<\/code>/g)).toHaveLength(20);
    expect(cell).toMatch(/<code>user19<\/code>, and 5 more$/);
  });

  it('shows each decision with its link, by whom, when and the reason as text', () => {
    const cell = decisionCell([
      decision({ decision: 'keep', reason: null, login: 'bob', url: 'javascript:x' }),
      decision({ reason: '<b>gone</b> @everyone' }),
    ]);
    expect(cell).toBe(
      '**keep** by `bob` 2026-07-02 09:30 UTC<br>[**revoke**](https://github.com/o/r/issues/1#issuecomment-5) by `alice` 2026-07-02 09:30 UTC: `<b>gone</b> @everyone`',
    );
  });

  it('shows a gone row by its ID, in as many cells', () => {
    expect(cellsOf(goneLine('deadbeef', [decision()]))).toHaveLength(9);
  });
});

describe('a campaign issue\'s "Last used" cell, where the review read usage', () => {
  const use = (lastUsed: string, over: Partial<RowUse> = {}): RowUse => ({
    lastUsed,
    lastUsedBy: null,
    usedBy: null,
    complete: true,
    ...over,
  });
  const usageCellsOf = (line: string) => tableCells(render([...tableHeader(true), line].join('\n')))[0]!;
  const lastUsedOf = (row: ReturnType<typeof awsRow>) => usageCellsOf(rowLine(row, undefined, true))[8];

  it('adds the column before the decision only where usage was read', () => {
    expect(tableColumns(true)).toEqual([...TABLE_COLUMNS.slice(0, 8), 'Last used', 'Decision']);
    expect(tableColumns(false)).toEqual([...TABLE_COLUMNS]);
    expect(
      usageCellsOf(rowLine(awsRow({ usage: use('2026-06-20T10:00:00Z') }), undefined, true)),
    ).toHaveLength(10);
    expect(usageCellsOf(goneLine('deadbeef', [decision()], true))).toHaveLength(10);
    expect(usageCellsOf(movedLine('deadbeef', ['bob'], true))).toHaveLength(10);
  });

  it('shows the date of the last use, `none since <date>`, `too new to tell`, and an unknown as one', () => {
    expect(lastUsedOf(awsRow({ usage: use('2026-06-20T10:00:00Z') }))).toBe('2026-06-20');
    expect(lastUsedOf(awsRow({ usage: use('none since 2026-04-01T00:00:00Z') }))).toBe(
      'none since 2026-04-01',
    );
    expect(lastUsedOf(awsRow({ usage: use('too new to tell') }))).toBe('too new to tell');
    expect(lastUsedOf(awsRow({ usage: use('unknown (Azure logs no per-grant use)') }))).toBe(
      'unknown (Azure logs no per-grant use)',
    );
    expect(lastUsedOf(awsRow())).toBe('unknown');
  });

  it('says when the evidence is incomplete, so a `none since` proves nothing', () => {
    expect(lastUsedOf(awsRow({ usage: use('none since 2026-04-01T00:00:00Z', { complete: false }) }))).toBe(
      'none since 2026-04-01 (evidence incomplete)',
    );
  });

  it('shows a group used by some of its members: who last, and how many of how many', () => {
    const group = (usage: RowUse) =>
      awsRow({
        principalKind: 'GROUP',
        principalName: 'admins',
        members: { count: 12, first: [{ name: 'bob', id: 'u-2' }] },
        usage,
      });
    expect(lastUsedOf(group(use('2026-06-20T10:00:00Z', { lastUsedBy: 'bob', usedBy: 3 })))).toBe(
      '2026-06-20 by <code>bob</code><br>used by 3 of 12 members',
    );
    expect(lastUsedOf(group(use('none since 2026-04-01T00:00:00Z', { usedBy: 0 })))).toBe(
      'none since 2026-04-01<br>used by 0 of 12 members',
    );
  });

  it('keeps server text inert: a member name is a code span, and text not of a known form is one too', () => {
    const cell = lastUsedOf(
      awsRow({
        principalKind: 'GROUP',
        members: { count: 2, first: [] },
        usage: use('2026-06-20T10:00:00Z', { lastUsedBy: '<img src=x> @team | `x`', usedBy: 1 }),
      }),
    )!;
    expect(cell).not.toMatch(/<img/);
    expect(cell).toMatch(
      /^2026-06-20 by <code>&lt;img src=x&gt; @team \| `x`<\/code><br>used by 1 of 2 members$/,
    );
    expect(lastUsedOf(awsRow({ usage: use('<b>hi</b> | there') }))).toBe(
      '<code>&lt;b&gt;hi&lt;/b&gt; | there</code>',
    );
  });
});
