// A pull request's plan is reviewed in its job summary. The summary holds a bounded number of rows;
// a manifest change that adds many harmless grants must not push the plan's deletes out of it.
import { describe, expect, it } from '@jest/globals';
import { planReconcile } from '../../../src/core/plan/assignment-diff.js';
import { assignmentKey } from '../../../src/core/kinds/index.js';
import { planSummaryHtml, SUMMARY_ROWS } from '../../../src/operations/reconcile/reconcile-summary.js';
import { rows as planRows } from '../../../src/operations/reconcile/reconcile-report.js';

const parts = (principalId: string) => ({
  principalId,
  principalType: 'USER',
  roleId: 'ReadOnlyAccess',
  targetId: '111111111111',
  target: '111111111111',
});
const desired = (principalId: string, line: number) => ({
  ...parts(principalId),
  kind: 'aws-account-assignment' as const,
  key: assignmentKey('aws-account-assignment', parts(principalId)),
  written: { principal: principalId, role: 'ReadOnlyAccess', target: '111111111111' },
  line,
  managed: true,
  settings: undefined,
});
const current = (principalId: string) => ({
  ...parts(principalId),
  kind: 'aws-account-assignment' as const,
  key: assignmentKey('aws-account-assignment', parts(principalId)),
  managed: true,
  shown: { principal: principalId, role: 'ReadOnlyAccess', target: '111111111111' },
});

describe('the summary of a plan with more rows than it shows', () => {
  it(`shows the plan's delete beside ${SUMMARY_ROWS} creates, and says how many rows only the log has`, () => {
    const creates = Array.from({ length: SUMMARY_ROWS + 5 }, (_, i) => desired(`new-${i}`, i + 3));
    const plan = planReconcile(creates, [current('security-auditor')]);
    const html = planSummaryHtml(plan, {
      rows: planRows(plan),
      header: { title: 't' },
      manifest: 'access/manifest.yml',
      outcome: 'Dry run: nothing was written.',
    });
    expect(html).toContain('<h4>Deletes (1)</h4>\n<table><tr><th>principal</th>');
    expect(html).toContain('<td>user security-auditor</td>');
    expect(html).toContain(`<h4>Creates (${SUMMARY_ROWS + 5})</h4>`);
    expect(html).toContain('<p>5 more are in the log.</p>');
  });
});
