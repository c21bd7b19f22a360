// The `missed` output of a reconcile and a report: what a complete read found that the kept
// snapshot and CloudTrail's writes since did not show, as a JSON list; `[]` when nothing was
// missed or no complete read ran, so a workflow's `fromJSON(steps.x.outputs.missed)` always reads.
import { describe, expect, it } from '@jest/globals';
import { planReconcile } from '../../../src/core/plan/assignment-diff.js';
import type { MissedAssignment } from '../../../src/core/snapshot/merge.js';
import { decideReconcile } from '../../../src/operations/reconcile/reconcile-plan.js';
import {
  reconcileEnding,
  type ReconcileContext,
} from '../../../src/operations/reconcile/reconcile-ending.js';
import { reportEnding } from '../../../src/operations/report/access-ending.js';
import type { StepReport } from '../../../src/core/output/step.js';
import { outputsAsSet } from '../../harness/step-outputs.js';
import { rows as planRows } from '../../../src/operations/reconcile/reconcile-report.js';

const MISSED: MissedAssignment = {
  kind: 'assignment',
  accountId: '111111111111',
  permissionSetArn: 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-aaaaaaaaaaaaaaaa',
  principalType: 'USER',
  principalId: '1234567890-aaaaaaaa-1111-2222-3333-444444444444',
  was: 'absent',
  change: 'added',
};
const CONTEXT: Omit<ReconcileContext, 'rows'> = {
  cloud: 'aws',
  header: { title: 'cloud-access: aws reconcile', run: {} },
  dryRunInput: true,
  manifest: 'access.yml',
  management: [],
};
const decision = decideReconcile(planReconcile([], []), {
  dryRun: true,
  maxDeletions: 10,
  allowDeleteAll: false,
  section: 'aws',
});
const applied = { results: [], deleteResults: [], held: 0, heldForNoCreate: 0 };
const output = (report: Pick<StepReport, 'outputs'>, name: string) => {
  const { text, json } = outputsAsSet(report);
  expect(json).toContain(name);
  return text[name];
};

describe('the `missed` output', () => {
  it('of a reconcile lists what the snapshot missed, as JSON', () => {
    const report = reconcileEnding(decision, applied, {
      ...CONTEXT,
      missed: [MISSED],
      rows: planRows(decision.plan),
    });
    expect(JSON.parse(output(report, 'missed')!)).toEqual([MISSED]);
  });

  it('of a reconcile is [] when nothing was missed, or no complete read of a snapshot ran', () => {
    expect(
      output(reconcileEnding(decision, applied, { ...CONTEXT, rows: planRows(decision.plan) }), 'missed'),
    ).toBe('[]');
    expect(
      output(
        reconcileEnding(decision, applied, { ...CONTEXT, missed: [], rows: planRows(decision.plan) }),
        'missed',
      ),
    ).toBe('[]');
  });

  it('of a report lists the same, and is [] without', () => {
    const options = {
      cloud: 'aws' as const,
      header: { title: 'cloud-access: aws report', run: {} },
      readLine: 'read',
      files: { json: 'r.json', csv: 'r.csv' },
    };
    expect(JSON.parse(output(reportEnding([], { ...options, missed: [MISSED] }), 'missed')!)).toEqual([
      MISSED,
    ]);
    expect(output(reportEnding([], options), 'missed')).toBe('[]');
  });
});
