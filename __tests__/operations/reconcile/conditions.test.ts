// An Azure entry's ABAC condition is part of what it grants: the reconcile diff compares it with
// the one ARM stores, exactly, and a difference is an update, drift until it is written.
import { describe, expect, it } from '@jest/globals';
import {
  conditionChangeText,
  conditionOf,
  sameCondition,
  type AbacCondition,
} from '../../../src/core/plan/conditions.js';
import {
  planCounts,
  planReconcile,
  shownRows,
  withNames,
  type CurrentAssignment,
  type DesiredAssignment,
} from '../../../src/core/plan/assignment-diff.js';
import { assignmentKey } from '../../../src/core/kinds/index.js';
import { driftRemaining, hasDrift } from '../../../src/operations/reconcile/reconcile-drift.js';
import type { GrantResult } from '../../../src/core/grant-result.js';

const SCOPE = '/subscriptions/3f2a9c71-5d4e-4b8a-a6c2-91e07d5b8f14/resourceGroups/rg-app';
const READER = '/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7';
const A = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs-a'";
const B = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs-b'";
const v2 = (text: string): AbacCondition => ({ text, version: '2.0' });

const parts = (principalId: string) => ({
  principalId,
  principalType: 'Group',
  roleId: READER,
  targetId: SCOPE,
  target: SCOPE,
});
const want = (principalId: string, condition?: AbacCondition): DesiredAssignment => ({
  ...parts(principalId),
  kind: 'azure-role-assignment' as const,
  key: assignmentKey('azure-role-assignment', parts(principalId)),
  written: { principal: principalId, role: 'Reader', target: SCOPE },
  line: 7,
  managed: true,
  settings: undefined,
  ...(condition ? { condition } : {}),
});
const have = (principalId: string, condition?: AbacCondition, managed = true): CurrentAssignment => ({
  ...parts(principalId),
  kind: 'azure-role-assignment' as const,
  key: assignmentKey('azure-role-assignment', parts(principalId)),
  managed,
  name: '8d89df3a-d94e-4e0d-a3da-5a0ad1fb6103',
  assignmentId: `${SCOPE}/providers/Microsoft.Authorization/roleAssignments/8d89df3a-d94e-4e0d-a3da-5a0ad1fb6103`,
  shown: { principal: principalId, role: 'Reader', target: SCOPE },
  ...(condition ? { condition } : {}),
});

describe('a condition the cloud lacks, or another one, is drift: an update of the assignment in place', () => {
  it('no condition in the cloud, one in the file: an update, never a create or a delete', () => {
    const plan = planReconcile([want('g1', v2(A))], [have('g1')]);
    expect(plan.updates.map((u) => [u.principalId, u.change])).toEqual([
      ['g1', { from: undefined, to: v2(A) }],
    ]);
    expect(plan.updates[0]!.current.name).toBe('8d89df3a-d94e-4e0d-a3da-5a0ad1fb6103');
    expect([plan.creates, plan.deletes, plan.unchanged]).toEqual([[], [], []]);
    expect(hasDrift(plan)).toBe(true);
    expect(planCounts(plan)).toEqual({
      create: 0,
      delete: 0,
      unchanged: 0,
      unmanaged: 0,
      update: 1,
      claimed: 0,
      unknown: 0,
    });
  });

  it('another container’s condition: an update from it to the file’s', () => {
    const plan = planReconcile([want('g1', v2(A))], [have('g1', v2(B))]);
    expect(plan.updates.map((u) => u.change)).toEqual([{ from: v2(B), to: v2(A) }]);
    expect(hasDrift(plan)).toBe(true);
  });

  it('a condition the file does not write (the cloud grants less): an update that removes it, since the file is the truth', () => {
    const plan = planReconcile([want('g1')], [have('g1', v2(B))]);
    expect(plan.updates.map((u) => u.change)).toEqual([{ from: v2(B), to: undefined }]);
    expect(hasDrift(plan)).toBe(true);
  });

  it('an assignment the section does not own is updated too: the file lists it, as it would create it', () => {
    const plan = planReconcile([want('g1', v2(A))], [have('g1', undefined, false)]);
    expect(plan.updates).toHaveLength(1);
    expect(plan.unmanaged).toEqual([]);
  });

  it('the same condition and version: unchanged, no drift', () => {
    const plan = planReconcile([want('g1', v2(A)), want('g2')], [have('g1', v2(A)), have('g2')]);
    expect(plan.unchanged).toHaveLength(2);
    expect(plan.updates).toEqual([]);
    expect(hasDrift(plan)).toBe(false);
  });

  it('AWS rows, which carry no condition, are never updates', () => {
    const plan = planReconcile([want('g1')], [have('g1')]);
    expect(planCounts(plan)).toMatchObject({ unchanged: 1, update: 0 });
  });
});

describe('conditions are compared exactly as ARM stores them', () => {
  it('white space is part of a condition: inside a quoted value it changes what it allows', () => {
    expect(sameCondition(v2(A), v2(A.replace("'logs-a'", "'logs-a '")))).toBe(false);
    expect(sameCondition(v2(A), v2(`${A} `))).toBe(false);
    expect(sameCondition(v2(A), v2(A.replace(' StringEquals ', '  StringEquals ')))).toBe(false);
    expect(sameCondition(v2(A), v2(A.replace('StringEquals', 'stringequals')))).toBe(false);
    expect(sameCondition(v2(A), v2(A))).toBe(true);
  });

  it('the version is part of it: 1.0 and 2.0 differ, and a version ARM does not give differs from any', () => {
    expect(sameCondition(v2(A), { text: A, version: '1.0' })).toBe(false);
    expect(sameCondition(v2(A), conditionOf(A, null))).toBe(false);
    const plan = planReconcile([want('g1', v2(A))], [have('g1', { text: A, version: '1.0' })]);
    expect(plan.updates).toHaveLength(1);
  });

  it('ARM’s empty or null condition is none (its way of removing one), whatever version it shows', () => {
    expect(conditionOf('', '')).toBeUndefined();
    expect(conditionOf(null, '2.0')).toBeUndefined();
    expect(conditionOf(undefined, undefined)).toBeUndefined();
    expect(sameCondition(undefined, conditionOf('', null))).toBe(true);
    expect(sameCondition(undefined, v2(A))).toBe(false);
  });
});

describe('what an update changes, in words', () => {
  it('says none → the condition, the condition → none, and one → another', () => {
    expect(conditionChangeText({ from: undefined, to: v2(A) })).toBe(`condition: none → \`${A}\``);
    expect(conditionChangeText({ from: v2(B), to: undefined })).toBe(`condition: \`${B}\` → none`);
    expect(conditionChangeText({ from: v2(B), to: v2(A) })).toBe(`condition: \`${B}\` → \`${A}\``);
  });

  it('names a version other than 2.0, and a change of version alone', () => {
    expect(conditionChangeText({ from: { text: A, version: '1.0' }, to: v2(A) })).toBe(
      'condition version: 1.0 → 2.0',
    );
    expect(conditionChangeText({ from: { text: B, version: '' }, to: v2(A) })).toBe(
      `condition: \`${B}\` (version none) → \`${A}\``,
    );
  });
});

describe('drift-remaining counts the updates', () => {
  const plan = planReconcile([want('g1', v2(A))], [have('g1')]);
  const result = (status: GrantResult['status']): GrantResult => ({
    cloud: 'azure',
    operation: 'assign',
    principal: 'g1',
    target: SCOPE,
    role: 'Reader',
    status,
    changed: status === 'SUCCEEDED',
    before: 'present',
    after: 'present',
    change: 'update',
    durationMs: 1,
  });

  it('remains after a dry run or a failed update; not after one that SUCCEEDED', () => {
    expect(driftRemaining(plan, { wrote: false, results: [] })).toBe(true);
    expect(driftRemaining(plan, { wrote: true, results: [result('FAILED')] })).toBe(true);
    expect(driftRemaining(plan, { wrote: true, results: [] })).toBe(true);
    expect(driftRemaining(plan, { wrote: true, results: [result('SUCCEEDED')] })).toBe(false);
  });
});

describe('an update is a row the plan shows, named', () => {
  it('is among the rows named, with the names the adapter knows', () => {
    const plan = planReconcile([want('g1', v2(A))], [have('g1')]);
    expect(shownRows(plan).map((r) => r.principalId)).toEqual(['g1']);
    const named = withNames(plan, () => ({ principal: 'app-readers', principalKind: 'group' }));
    expect(named.updates[0]!.names).toEqual({ principal: 'app-readers', principalKind: 'group' });
  });
});
