// The plan's diff keeps each kind of access apart: an assignment's key is its kind's, so two kinds
// of one principal, role and target are two entries, neither unchanged for the other.
import { describe, expect, it } from '@jest/globals';
import { keyedAs, planReconcile } from '../../../src/core/plan/assignment-diff.js';

const SCOPE = '/subscriptions/00000000-0000-0000-0000-000000000001';
const parts = {
  principalId: '11111111-1111-1111-1111-111111111111',
  principalType: 'User',
  roleId: `${SCOPE}/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7`,
  targetId: SCOPE,
  target: SCOPE,
};
const shown = { principal: 'alice', role: 'Reader', target: SCOPE };

describe('a plan keeps each kind of access apart', () => {
  it('builds an entry’s key from its kind, so the kind and the key never disagree', () => {
    const active = keyedAs('azure-role-assignment', parts);
    const timeBound = keyedAs('azure-pim-active', parts);
    expect(active.kind).toBe('azure-role-assignment');
    expect(active.key).not.toBe(timeBound.key);
  });

  it('asks to create one kind where the cloud holds another of the same principal, role and scope', () => {
    const desired = {
      ...keyedAs('azure-role-assignment', parts),
      written: shown,
      line: 3,
      managed: true,
      settings: undefined,
    };
    const current = { ...keyedAs('azure-pim-active', parts), managed: true, shown };
    const plan = planReconcile([desired], [current]);
    expect(plan.creates.map((c) => c.kind)).toEqual(['azure-role-assignment']);
    expect(plan.deletes.map((d) => d.kind)).toEqual(['azure-pim-active']);
    expect(plan.unchanged).toEqual([]);
  });
});
