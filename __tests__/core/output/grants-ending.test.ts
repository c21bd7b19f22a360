// What a step says of a plan (core/output/grants-ending.ts): what a dry run and a refused plan say, row by
// row, in the log and the job summary of every operation (assign, revoke, provision, reconcile; the sweep's in
// __tests__/operations/sweep/sweep-report.test.ts). Pure.
import { describe, expect, it } from '@jest/globals';
import { escapeHtmlWithCode } from '../../../src/core/inert.js';
import { planReconcile } from '../../../src/core/plan/assignment-diff.js';
import { assignmentKey } from '../../../src/core/kinds/index.js';
import { planSummaryHtml } from '../../../src/operations/reconcile/reconcile-summary.js';
import { refusedResult } from '../../../src/operations/reconcile/reconcile-ending.js';
import { describeOutcome, grantLogTitle, grantStatesLine } from '../../../src/core/output/results.js';
import { grantsSummaryHtml } from '../../../src/core/output/grants-ending.js';
import { summaryHeadline, summaryTable } from '../../../src/core/output/summary-table.js';
import type { GrantResult } from '../../../src/core/grant-result.js';
import { rows as planRows } from '../../../src/operations/reconcile/reconcile-report.js';

const result = (o: Partial<GrantResult> = {}): GrantResult => ({
  cloud: 'aws',
  operation: 'assign',
  principal: 'alice',
  target: '111111111111',
  role: 'ReadOnlyAccess',
  status: 'SUCCEEDED',
  changed: false,
  before: 'absent',
  after: 'absent',
  change: 'create',
  durationMs: 80,
  ...o,
});
const wouldCreate = result();
const wouldDelete = result({ operation: 'revoke', before: 'present', after: 'present', change: 'delete' });
const unchanged = result({ before: 'present', after: 'present', change: 'none' });
const ending = { title: 't', operation: 'revoke', dryRun: true } as const;
const REASON = 'the plan deletes 3 assignments, more than `max-deletions` (2); nothing was written';

describe('a dry run’s log says what would be done, never SUCCEEDED', () => {
  it('titles each grant with what it would do', () => {
    expect(grantLogTitle(wouldCreate, true)).toBe(
      '+ assign alice → 111111111111 / ReadOnlyAccess: would create (dry run, 80 ms)',
    );
    expect(grantLogTitle(wouldDelete, true)).toBe(
      '− revoke alice → 111111111111 / ReadOnlyAccess: would delete (dry run, 80 ms)',
    );
    expect(grantLogTitle(unchanged, true)).toBe(
      '= assign alice → 111111111111 / ReadOnlyAccess: already assigned (dry run, 80 ms)',
    );
    const absent = result({ operation: 'revoke', change: 'none' });
    expect(grantLogTitle(absent, true)).toMatch(/: already absent \(dry run, 80 ms\)$/);
  });

  it('gives the state now and after a run, not a before and after that did not happen', () => {
    expect(grantStatesLine(wouldCreate, true)).toBe(
      'now: absent; after a run: present (nothing was written)',
    );
    expect(grantStatesLine(wouldDelete, true)).toBe(
      'now: present; after a run: absent (nothing was written)',
    );
    expect(grantStatesLine(result({ changed: true, after: 'present' }), false)).toBe(
      'before: absent; after: present',
    );
  });

  it('a grant that could not be planned is FAILED, dry run or not', () => {
    const failed = result({ status: 'FAILED', failureReason: 'no such user', change: 'none' });
    expect(grantLogTitle(failed, true)).toBe(
      '✗ assign alice → 111111111111 / ReadOnlyAccess: FAILED (failed, 80 ms)',
    );
  });

  it('a run’s log is as before: its status and what it did', () => {
    expect(grantLogTitle(result({ changed: true, after: 'present', durationMs: 1500 }), false)).toBe(
      '✓ assign alice → 111111111111 / ReadOnlyAccess: SUCCEEDED (created, 1.5 s)',
    );
  });
});

describe('a dry run’s summary is the plan', () => {
  it('counts the plan by what each row would do, and says nothing was written', () => {
    expect(summaryHeadline('assign', [wouldCreate, unchanged], true)).toBe(
      'Plan of 2 grants: 1 would create, 1 already assigned. Dry run: nothing was written.',
    );
    expect(summaryHeadline('assign', [wouldCreate, result({ status: 'FAILED' })], true)).toBe(
      'Plan of 2 grants, status FAILED: 1 would create, 1 failed. Dry run: nothing was written.',
    );
    expect(summaryHeadline('assign', [result({ changed: true })], false)).toBe('1 grant, status SUCCEEDED');
  });

  it('each row: the state now and after a run, `planned`, and no request ID column', () => {
    const { rows } = summaryTable('revoke', [wouldDelete], true);
    const headers = (results: GrantResult[]) =>
      [...grantsSummaryHtml(results, ending).matchAll(/<th>(.*?)<\/th>/g)].map((m) => m[1]);
    // No row has a request ID, an expiry or a note: no such column (a column every row leaves empty says nothing).
    expect(headers([wouldDelete])).toEqual([
      'Principal',
      'Target',
      'Role',
      'Now → after a run',
      'Status',
      'Time',
    ]);
    expect(headers([wouldDelete, { ...wouldDelete, note: 'why' }]).at(-1)).toBe('Note');
    expect(rows[0]!.slice(4, 6)).toEqual(['present → absent (would delete)', 'planned']);
    expect(rows.flat().join(' ')).not.toContain('SUCCEEDED');
  });

  it('a provision plan says which accounts would be re-provisioned, `planned`', () => {
    const plan = result({
      operation: 'provision',
      principal: '',
      change: 'provision',
      detail: { requestPlan: 'per-account', outdated: ['2'], alreadyCurrent: [], wouldProvision: ['2'] },
    });
    expect(describeOutcome(plan, true)).toBe('would provision');
    expect(summaryTable('provision', [plan], true).rows[0]![4]).toBe('planned');
    expect(summaryHeadline('provision', [plan], true)).toBe(
      'Plan of 1 permission set: 1 would provision. Dry run: nothing was written.',
    );
  });
});

describe('a refused plan is FAILED everywhere, its rows saying what they would have done', () => {
  const refused = refusedResult(wouldDelete, REASON);

  it('each row FAILED, with why, and still its change', () => {
    expect(refused).toMatchObject({
      status: 'FAILED',
      failureReason: `the plan was refused: ${REASON}`,
      change: 'delete',
      refused: true,
    });
    expect(describeOutcome(refused, true)).toBe('would delete');
    expect(grantLogTitle(refused, true)).toBe(
      '✗ revoke alice → 111111111111 / ReadOnlyAccess: FAILED (would delete, not run: the plan was refused, 80 ms)',
    );
    // A row that could not be planned keeps its own failure.
    const failed = result({ status: 'FAILED', failureReason: 'no such user' });
    expect(refusedResult(failed, REASON)).toBe(failed);
  });
});

describe('a reconcile’s summary: deletes first, each row with what became of it', () => {
  const parts = (principalId: string) => ({
    principalId,
    principalType: 'GROUP',
    roleId: 'R',
    targetId: '111111111111',
    target: '111111111111',
  });
  const plan = planReconcile(
    [
      {
        ...parts('new'),
        kind: 'aws-account-assignment' as const,
        key: assignmentKey('aws-account-assignment', parts('new')),
        written: { principal: 'Deployers', role: 'R', target: '111111111111' },
        line: 7,
        managed: true,
        settings: undefined,
      },
    ],
    [
      {
        ...parts('old'),
        kind: 'aws-account-assignment' as const,
        key: assignmentKey('aws-account-assignment', parts('old')),
        managed: true,
        shown: { principal: 'old', role: 'R', target: '111111111111' },
      },
    ],
  );
  const context = { header: { title: 't' }, manifest: 'access.yml' };
  /** Each row's last cell, its result, in the summary's order: deletes first. */
  const resultCells = (html: string) =>
    [...html.matchAll(/<td>((?:(?!<td>).)*?)<\/td><\/tr>/g)].map((m) => m[1]);

  it('a dry run: `would create`, `would delete`', () => {
    const html = planSummaryHtml(plan, {
      rows: planRows(plan),
      ...context,
      outcome: 'Dry run: nothing was written.',
      results: { mode: 'dry-run', creates: [wouldCreate], deletes: [wouldDelete] },
    });
    expect(html.match(/<h4>/g)).toEqual(['<h4>', '<h4>']);
    expect(html.indexOf('<h4>Deletes (1)</h4>')).toBeLessThan(html.indexOf('<h4>Creates (1)</h4>'));
    expect(resultCells(html)).toEqual(['would delete', 'would create']);
    expect(html).not.toContain('SUCCEEDED');
  });

  it('refused: the outcome first says FAILED, with the input as code; each row what it would have done', () => {
    const html = planSummaryHtml(plan, {
      rows: planRows(plan),
      ...context,
      outcome: `FAILED: the plan was refused: ${REASON}.`,
      results: {
        mode: 'refused',
        creates: [refusedResult(wouldCreate, REASON)],
        deletes: [refusedResult(wouldDelete, REASON)],
      },
    });
    expect(html).toMatch(/^<h3>t<\/h3>\n<p>FAILED: the plan was refused: .*<code>max-deletions<\/code>/);
    expect(resultCells(html)).toEqual([
      'would delete; FAILED: not run, the plan was refused',
      'would create; FAILED: not run, the plan was refused',
    ]);
  });

  it('applied: each write’s result, and a delete held back says it did not run', () => {
    const html = planSummaryHtml(plan, {
      rows: planRows(plan),
      ...context,
      outcome: 'FAILED: 1 delete(s) did not run.',
      results: {
        mode: 'apply',
        creates: [result({ status: 'FAILED', failureReason: 'quota <b>', change: 'create' })],
        deletes: [undefined],
      },
    });
    expect(resultCells(html)).toEqual([
      'not run: held back (see the step’s errors)',
      'FAILED: quota &lt;b&gt;',
    ]);
  });
});

describe('code in the summary is <code>', () => {
  it('marks each code span, after escaping, so server text inside stays text', () => {
    expect(escapeHtmlWithCode('raise `max-deletions` to 3')).toBe('raise <code>max-deletions</code> to 3');
    expect(escapeHtmlWithCode('`<img src=x>` & `a`')).toBe(
      '<code>&lt;img src=x&gt;</code> &amp; <code>a</code>',
    );
    // A lone backtick is left as it is.
    expect(escapeHtmlWithCode('it`s')).toBe('it`s');
  });
});
