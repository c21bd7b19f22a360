import { describe, expect, it } from '@jest/globals';
import type { RowDecision } from '../../../../src/operations/review/model/decisions.js';
import {
  decisionCell,
  goneLine,
  rowLine,
  tableHeader,
  TABLE_COLUMNS,
} from '../../../../src/operations/review/model/row-cells.js';
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
