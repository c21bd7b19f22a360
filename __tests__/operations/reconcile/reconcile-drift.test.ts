// The reconcile's drift outputs: drift found when the cloud differed from the file, remaining until
// every planned change ran and SUCCEEDED; over a kind's section too (a set's content edited by hand),
// where the action's upkeep of what it wrote is no drift.
import { describe, expect, it } from '@jest/globals';
import type { GrantResult } from '../../../src/core/grant-result.js';
import {
  planReconcile,
  type CurrentAssignment,
  type DesiredAssignment,
} from '../../../src/core/plan/assignment-diff.js';
import { assignmentKey } from '../../../src/core/kinds/index.js';
import { driftRemaining, sectionDrift } from '../../../src/operations/reconcile/reconcile-drift.js';

const parts = (principalId: string, roleId: string, targetId = '111111111111') => ({
  principalId,
  principalType: 'GROUP',
  roleId,
  targetId,
  target: targetId,
});
const want = (principalId: string, roleId: string, targetId?: string): DesiredAssignment => {
  const p = parts(principalId, roleId, targetId);
  return {
    ...p,
    kind: 'aws-account-assignment' as const,
    key: assignmentKey('aws-account-assignment', p),
    written: { principal: principalId, role: roleId, target: p.targetId },
    line: 1,
    managed: true,
    settings: undefined,
  };
};
const have = (principalId: string, roleId: string, managed = true, targetId?: string): CurrentAssignment => {
  const p = parts(principalId, roleId, targetId);
  return {
    ...p,
    kind: 'aws-account-assignment' as const,
    key: assignmentKey('aws-account-assignment', p),
    managed,
    shown: { principal: principalId, role: roleId, target: p.targetId },
  };
};

describe('drift-remaining: whether the cloud still differs from the file once the step is done', () => {
  const drifted = planReconcile([want('g1', 'ReadOnly')], [have('g2', 'ReadOnly')]);
  const done = (status: GrantResult['status']) => ({ status }) as GrantResult;

  it('no drift found, none remaining; found, it remains unless every planned change ran and SUCCEEDED', () => {
    expect(
      driftRemaining(planReconcile([want('g1', 'R')], [have('g1', 'R')]), { wrote: false, results: [] }),
    ).toBe(false);
    expect(driftRemaining(drifted, { wrote: true, results: [done('SUCCEEDED'), done('SUCCEEDED')] })).toBe(
      false,
    );
    // A dry run or a refused plan wrote nothing.
    expect(driftRemaining(drifted, { wrote: false, results: [done('SUCCEEDED'), done('SUCCEEDED')] })).toBe(
      true,
    );
    expect(driftRemaining(drifted, { wrote: true, results: [done('SUCCEEDED'), done('FAILED')] })).toBe(true);
    expect(driftRemaining(drifted, { wrote: true, results: [done('SUCCEEDED'), done('IN_PROGRESS')] })).toBe(
      true,
    );
    // A delete held back (its create failed) has no result.
    expect(driftRemaining(drifted, { wrote: true, results: [done('SUCCEEDED')] })).toBe(true);
  });
});

describe('drift over the permission sets a manifest defines: content edited by hand is drift too', () => {
  const setResult = (change: GrantResult['change'], status: GrantResult['status']) =>
    ({ change, status }) as GrantResult;
  const counts = { create: 0, update: 1, delete: 0, provision: 1 };

  it('no set change planned is no drift, whatever the assignments did', () => {
    expect(
      sectionDrift(
        { create: 0, update: 0, delete: 0, provision: 0 },
        { wrote: true, refused: false, results: [] },
      ),
    ).toEqual({ drift: false, remaining: false });
    expect(sectionDrift(undefined, { wrote: false, refused: false, results: [] })).toEqual({
      drift: false,
      remaining: false,
    });
  });

  it('a planned update or provisioning is drift; it remains after a dry run, a refused plan, a failure or a change that never ran', () => {
    const both = [setResult('permission-set-update', 'SUCCEEDED'), setResult('provision', 'SUCCEEDED')];
    expect(sectionDrift(counts, { wrote: true, refused: false, results: both })).toEqual({
      drift: true,
      remaining: false,
    });
    expect(sectionDrift(counts, { wrote: false, refused: false, results: [] }).remaining).toBe(true);
    expect(sectionDrift(counts, { wrote: true, refused: true, results: both }).remaining).toBe(true);
    expect(
      sectionDrift(counts, {
        wrote: true,
        refused: false,
        results: [both[0]!, setResult('provision', 'FAILED')],
      }).remaining,
    ).toBe(true);
    // The provisioning after a failed update does not run: one result of two.
    expect(
      sectionDrift(counts, {
        wrote: true,
        refused: false,
        results: [setResult('permission-set-update', 'FAILED')],
      }).remaining,
    ).toBe(true);
    // A planned change with no row (it never ran) leaves drift.
    expect(
      sectionDrift(counts, {
        wrote: true,
        refused: false,
        results: [setResult('permission-set-update', 'SUCCEEDED')],
      }).remaining,
    ).toBe(true);
  });

  it('an expired session fence taken out (and provisioned) is the action’s upkeep, not drift', () => {
    const both = [setResult('permission-set-update', 'SUCCEEDED'), setResult('provision', 'SUCCEEDED')];
    expect(sectionDrift(counts, { wrote: true, refused: false, results: both }, 2)).toEqual({
      drift: false,
      remaining: false,
    });
    // Upkeep beside drift: the drift is still drift.
    const more = { ...counts, provision: 2 };
    expect(sectionDrift(more, { wrote: false, refused: false, results: [] }, 2)).toEqual({
      drift: true,
      remaining: true,
    });
  });
});
