// Reconcile's report stage (operations/reconcile/reconcile-ending.ts): from the plan's decisions and
// what the apply came to, what the step says at its end. What users rely on: the outcome line says
// whether anything was written and why not; `plan`, `drift` and `drift-remaining` say what is left;
// a refused plan fails once, with its reason and fix, and every row shows FAILED rather than a
// write that never ran; deletes held back fail the step, saying why a principal keeps its access.
import { fenceFields } from '../../../src/core/permission-sets/session-fence-results.js';
import { describe, expect, it } from '@jest/globals';
import { assignmentKey } from '../../../src/core/kinds/index.js';
import { planReconcile } from '../../../src/core/plan/assignment-diff.js';
import type { GrantResult } from '../../../src/core/grant-result.js';
import { decideReconcile } from '../../../src/operations/reconcile/reconcile-plan.js';
import {
  reconcileEnding,
  shownResult,
  type AppliedPlan,
  type ReconcileContext,
} from '../../../src/operations/reconcile/reconcile-ending.js';
import { rows as planRows } from '../../../src/operations/reconcile/reconcile-report.js';
import { outputsAsSet } from '../../harness/step-outputs.js';

const parts = (principalId: string) => ({
  principalId,
  principalType: 'USER',
  roleId: 'PS',
  targetId: '111111111111',
  target: '111111111111',
});
/** alice wanted, bob held: one create, one delete, and the section manages bob alone now. */
const PLAN = planReconcile(
  [
    {
      ...parts('u-alice'),
      kind: 'aws-account-assignment' as const,
      key: assignmentKey('aws-account-assignment', parts('u-alice')),
      written: { principal: 'alice', role: 'ReadOnly', target: '111111111111' },
      line: 6,
      managed: true,
      settings: undefined,
    },
  ],
  [
    {
      ...parts('u-bob'),
      kind: 'aws-account-assignment' as const,
      key: assignmentKey('aws-account-assignment', parts('u-bob')),
      managed: true,
      shown: { principal: 'bob', role: 'ReadOnly', target: '111111111111' },
    },
  ],
);
const LIMITS = { maxDeletions: 10, allowDeleteAll: false, section: 'aws' };
const CONTEXT: Omit<ReconcileContext, 'rows'> = {
  cloud: 'aws',
  header: { title: 'cloud-access: aws reconcile', run: {} },
  dryRunInput: false,
  manifest: 'access/manifest.yml',
  management: [],
};

const result = (change: 'create' | 'delete', over: Partial<GrantResult> = {}): GrantResult => ({
  cloud: 'aws',
  operation: change === 'create' ? 'assign' : 'revoke',
  principal: change === 'create' ? 'alice' : 'bob',
  target: '111111111111',
  role: 'ReadOnly',
  status: 'SUCCEEDED',
  changed: true,
  before: change === 'create' ? 'absent' : 'present',
  after: change === 'create' ? 'present' : 'absent',
  change,
  durationMs: 1,
  ...over,
});
const applied = (results: GrantResult[], more: Partial<AppliedPlan> = {}): AppliedPlan => ({
  results,
  deleteResults: results.filter((r) => r.change === 'delete'),
  held: 0,
  heldForNoCreate: 0,
  ...more,
});
/** As the summary shows text: its code spans in `<code>`. */
const html = (text: string) => text.replace(/`([^`]*)`/g, '<code>$1</code>');
const outputs = (report: ReturnType<typeof reconcileEnding>) => outputsAsSet(report).text;

describe("reconcile's ending", () => {
  it('an apply whose writes all SUCCEEDED says so, and no drift remains', () => {
    const decision = decideReconcile(PLAN, { ...LIMITS, dryRun: false });
    const report = reconcileEnding(decision, applied([result('create'), result('delete')]), {
      ...CONTEXT,
      rows: planRows(decision.plan),
    });
    expect(outputs(report)).toMatchObject({
      status: 'SUCCEEDED',
      plan: '{"create":1,"delete":1,"unchanged":0,"unmanaged":0,"update":0,"claimed":0,"unknown":0}',
      drift: 'true',
      'drift-remaining': 'false',
    });
    expect(outputsAsSet(report).json).toContain('plan');
    expect(report.summaryHtml).toContain('Applied, status SUCCEEDED.');
    expect(report.failed).toBeUndefined();
  });

  it('lists after the plan the sessions each delete’s session fence ended, or until when they stay live', () => {
    const decision = decideReconcile(PLAN, { ...LIMITS, dryRun: false });
    const fenced = result(
      'delete',
      fenceFields({
        sessionsEnded: {
          account: '111111111111',
          before: '2026-11-27T14:05:02Z',
          until: '2026-11-27T15:21:00Z',
        },
      }),
    );
    const report = reconcileEnding(decision, applied([result('create'), fenced]), {
      ...CONTEXT,
      rows: planRows(decision.plan),
    });
    expect(report.summaryHtml).toMatch(
      /<h3>Sessions ended<\/h3>\n<table>[^]*<td>bob<\/td><td>issued before 2026-11-27T14:05:02Z<\/td>/,
    );
    const without = reconcileEnding(decision, applied([result('create'), result('delete')]), {
      ...CONTEXT,
      rows: planRows(decision.plan),
    });
    expect(without.summaryHtml).not.toContain('Sessions ended');
  });

  it('sets no assignment-id or expires-at: a plan of many writes has no first grant to stand for it', () => {
    const decision = decideReconcile(PLAN, { ...LIMITS, dryRun: false });
    const written = [
      result('create', {
        assignmentId: '/subscriptions/s/providers/x/roleAssignments/a',
        expiresAt: '2026-01-01T00:00:00Z',
      }),
      result('delete'),
    ];
    expect(
      outputs(reconcileEnding(decision, applied(written), { ...CONTEXT, rows: planRows(decision.plan) })),
    ).toMatchObject({
      'assignment-id': '',
      'expires-at': '',
    });
  });

  it('keeps status, failure-reason, request-id and changed of its writes while it empties assignment-id and expires-at', () => {
    const decision = decideReconcile(PLAN, { ...LIMITS, dryRun: false });
    const written = [
      result('create', { assignmentId: 'a-1', expiresAt: '2026-01-01T00:00:00Z', requestId: 'req-1' }),
      result('delete', { status: 'FAILED', changed: false, failureReason: 'denied' }),
    ];
    expect(
      outputs(reconcileEnding(decision, applied(written), { ...CONTEXT, rows: planRows(decision.plan) })),
    ).toMatchObject({
      status: 'FAILED',
      'failure-reason': 'denied',
      'request-id': 'req-1',
      changed: 'true',
      'assignment-id': '',
      'expires-at': '',
    });
  });

  it('a dry run on an event that only plans says why nothing was written, at notice level, and drift remains', () => {
    const planned = 'nothing was written: on `pull_request` events a reconcile plans only';
    const decision = decideReconcile(PLAN, { ...LIMITS, dryRun: true });
    const report = reconcileEnding(decision, applied([]), {
      ...CONTEXT,
      dryRunInput: true,
      planned,
      rows: planRows(decision.plan),
    });
    expect(report.summaryHtml).toContain(html(`Dry run: ${planned}.`));
    expect(report.annotations).toEqual([{ level: 'notice', message: planned }]);
    expect(outputs(report)).toMatchObject({ drift: 'true', 'drift-remaining': 'true' });
    expect(report.failed).toBeUndefined();
  });

  it('a dry run whose deletes would empty the section says, on apply, they wait for a create', () => {
    const decision = decideReconcile(PLAN, { ...LIMITS, dryRun: true });
    expect(decision.awaitCreate).toBe(true);
    const note = decision.waiting;
    expect(note).toBe(
      'the 1 delete(s) wait until a create has SUCCEEDED: without one, they would leave the `aws` section managing nothing',
    );
    const report = reconcileEnding(decision, applied([]), {
      ...CONTEXT,
      dryRunInput: true,
      rows: planRows(decision.plan),
    });
    expect(report.summaryHtml).toContain(html(`Dry run: nothing was written. On apply, ${note}.`));
    expect(decideReconcile(PLAN, { ...LIMITS, allowDeleteAll: true, dryRun: true }).waiting).toBe(undefined);
  });

  it('a refused plan fails once with its reason and fix, and shows every row FAILED, not run', () => {
    const decision = decideReconcile(PLAN, { ...LIMITS, maxDeletions: 0, dryRun: false });
    const planned = [result('create', { status: 'SUCCEEDED' }), result('delete')];
    expect(planned.map(shownResult(decision)).map((r) => r.status)).toEqual(['FAILED', 'FAILED']);
    const report = reconcileEnding(decision, applied(planned), { ...CONTEXT, rows: planRows(decision.plan) });
    expect(outputs(report)).toMatchObject({ status: 'FAILED', 'drift-remaining': 'true' });
    expect(outputs(report)['failure-reason']).toMatch(/more than `max-deletions` \(0\)/);
    expect(report.failed).toMatch(
      /more than `max-deletions` \(0\).*: review the plan above; .*raise `max-deletions` to 1/,
    );
    // One failure, not one error for each row it held back.
    expect(report.annotations).toEqual([]);
    expect(report.summaryHtml).toContain('cloud-access: aws reconcile: plan refused');
    expect(report.summaryHtml).toContain('FAILED: the plan was refused');
  });

  it('deletes held back because no create SUCCEEDED fail the step, saying the section would manage nothing', () => {
    const decision = decideReconcile(PLAN, { ...LIMITS, dryRun: false });
    const failedCreate = result('create', {
      status: 'FAILED',
      failureReason: 'ConflictException',
      changed: false,
    });
    const report = reconcileEnding(
      decision,
      applied([failedCreate], { deleteResults: [undefined], heldForNoCreate: 1 }),
      { ...CONTEXT, rows: planRows(decision.plan) },
    );
    const noCreate =
      '1 delete(s) did not run: no create succeeded, and they would leave the `aws` section managing nothing';
    expect(report.summaryHtml).toContain(html(`FAILED: ${noCreate}.`));
    expect(report.annotations).toContainEqual({ level: 'error', message: noCreate });
    expect(report.failed).toMatch(/1 of 1 grant did not succeed/);
    expect(outputs(report)).toMatchObject({ status: 'FAILED', 'drift-remaining': 'true' });
  });

  it('a delete held back because the create that replaces it failed says a principal is never left with neither', () => {
    const decision = decideReconcile(PLAN, { ...LIMITS, allowDeleteAll: true, dryRun: false });
    const failedCreate = result('create', {
      status: 'FAILED',
      failureReason: 'ConflictException',
      changed: false,
    });
    const report = reconcileEnding(
      decision,
      applied([failedCreate], { deleteResults: [undefined], held: 1 }),
      { ...CONTEXT, rows: planRows(decision.plan) },
    );
    expect(report.summaryHtml).toContain(
      'FAILED: 1 delete(s) did not run: the create that replaces each did not succeed.',
    );
    expect(report.annotations).toContainEqual({
      level: 'error',
      message:
        '1 delete(s) did not run: the create that replaces each (a change of role) did not succeed, and a principal is never left with neither',
    });
  });
});
