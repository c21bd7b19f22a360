import { describe, expect, it } from '@jest/globals';
import {
  placeOfPrincipal,
  planCounts,
  planReconcile,
  withNames,
  type CurrentAssignment,
  type DesiredAssignment,
} from '../../../src/core/plan/assignment-diff.js';
import { assignmentKey } from '../../../src/core/kinds/index.js';
import { SET_WORDS } from '../../../src/aws/permission-sets/defined-sets.js';
import { MEMBERSHIP_WORDS } from '../../../src/azure/group/reconcile.js';
import { deletesAwaitCreate, refusalOf } from '../../../src/operations/reconcile/reconcile-plan.js';
import { hasDrift } from '../../../src/operations/reconcile/reconcile-drift.js';

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

describe('the reconcile plan is an in-place diff keyed on principal, role and target', () => {
  it('creates what is missing, deletes what is managed and unlisted, and leaves what is in both untouched', () => {
    const plan = planReconcile(
      [want('g1', 'ReadOnly'), want('g2', 'ReadOnly')],
      [have('g1', 'ReadOnly'), have('g3', 'ReadOnly'), have('g4', 'Admin', false)],
    );
    expect(plan.creates.map((c) => c.principalId)).toEqual(['g2']);
    expect(plan.unchanged.map((c) => c.principalId)).toEqual(['g1']);
    expect(plan.deletes.map((c) => c.principalId)).toEqual(['g3']);
    expect(plan.unmanaged.map((c) => c.principalId)).toEqual(['g4']);
    expect(planCounts(plan)).toEqual({
      create: 1,
      delete: 1,
      unchanged: 1,
      unmanaged: 1,
      update: 0,
      claimed: 0,
      unknown: 0,
    });
    expect(hasDrift(plan)).toBe(true);
  });

  it('a change of role is one create and one delete, never a touch of the unchanged', () => {
    const plan = planReconcile([want('g1', 'Admin')], [have('g1', 'ReadOnly')]);
    expect(plan.creates.map((c) => c.roleId)).toEqual(['Admin']);
    expect(plan.deletes.map((c) => c.roleId)).toEqual(['ReadOnly']);
  });

  it('places deletes: the old half of a change of role at its create’s place, any other at a place of its own', () => {
    const plan = planReconcile([want('g1', 'Admin')], [have('g1', 'ReadOnly'), have('g2', 'ReadOnly')]);
    const creating = plan.creates.map(placeOfPrincipal);
    expect(plan.deletes.map((d) => creating.includes(placeOfPrincipal(d)))).toEqual([true, false]);
  });

  it('collapses overlapping desired assignments (an OU expansion and an account) to one', () => {
    const plan = planReconcile([want('g1', 'ReadOnly'), want('g1', 'ReadOnly')], []);
    expect(plan.creates).toHaveLength(1);
  });

  it('unmanaged assignments are listed but are not drift', () => {
    const plan = planReconcile([want('g1', 'ReadOnly')], [have('g1', 'ReadOnly'), have('x', 'Admin', false)]);
    expect(hasDrift(plan)).toBe(false);
    expect(planCounts(plan).unmanaged).toBe(1);
  });

  it('Azure keys compare IDs ignoring case and roles by their definition GUID', () => {
    const guid = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';
    const a = assignmentKey('azure-role-assignment', {
      principalId: 'AAAA',
      principalType: 'Group',
      roleId: `/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/${guid.toUpperCase()}`,
      targetId: '/subscriptions/S/resourceGroups/RG',
    });
    const b = assignmentKey('azure-role-assignment', {
      principalId: 'aaaa',
      principalType: 'User',
      roleId: `/providers/Microsoft.Authorization/roleDefinitions/${guid}`,
      targetId: '/subscriptions/s/resourceGroups/rg',
    });
    expect(a).toBe(b);
  });
});

describe('deletes are limited before anything is written', () => {
  const limits = { maxDeletions: 2, allowDeleteAll: false, section: 'aws' };

  it('refuses more deletes than max-deletions, naming the count and the input', () => {
    const plan = planReconcile(
      [want('keep', 'R')],
      ['a', 'b', 'c'].map((p) => have(p, 'R')).concat(have('keep', 'R')),
    );
    expect(refusalOf(plan, limits)?.reason).toMatch(/deletes 3 assignments, more than `max-deletions` \(2\)/);
    expect(refusalOf(plan, { ...limits, maxDeletions: 3 })).toBeUndefined();
  });

  it('counts a kind plan’s deletes in its own words: permission sets, or PIM for groups memberships', () => {
    const plan = planReconcile([want('keep', 'R')], [have('a', 'R'), have('keep', 'R')]);
    const sets = refusalOf(plan, { ...limits, sections: [{ deletes: 2, words: SET_WORDS }] });
    expect(sets?.reason).toMatch(
      /deletes 1 assignments and 2 permission set\(s\), more than `max-deletions` \(2\)/,
    );
    const azure = { ...limits, section: 'azure' };
    const groups = refusalOf(plan, { ...azure, sections: [{ deletes: 2, words: MEMBERSHIP_WORDS }] });
    expect(groups?.reason).toMatch(
      /deletes 1 assignments and 2 PIM for groups membership\(s\), more than `max-deletions` \(2\)/,
    );
    expect(groups?.reason).not.toMatch(/permission set/);
    expect(groups?.fix).toMatch(/raise `max-deletions` to 3/);
  });

  it('refuses a plan that deletes everything the section manages unless allow-delete-all is set', () => {
    const plan = planReconcile([], [have('a', 'R'), have('b', 'R'), have('u', 'X', false)]);
    expect(refusalOf(plan, limits)?.fix).toMatch(/aws\.manages\.allow-delete-all: true/);
    expect(refusalOf(plan, { ...limits, allowDeleteAll: true })).toBeUndefined();
  });

  it('a change of every managed role is not deleting everything: the new ones remain', () => {
    const plan = planReconcile([want('a', 'New')], [have('a', 'Old')]);
    expect(refusalOf(plan, limits)).toBeUndefined();
  });

  it('a plan that deletes nothing is never refused', () => {
    expect(refusalOf(planReconcile([want('a', 'R')], []), { ...limits, maxDeletions: 0 })).toBeUndefined();
  });
});

describe('deletes that would leave the section managing nothing wait for a create', () => {
  it('a file cut to one new entry: the deletes wait, as refusalOf lets the plan through', () => {
    const plan = planReconcile([want('new', 'R')], [have('a', 'R'), have('b', 'R'), have('u', 'X', false)]);
    expect(refusalOf(plan, { maxDeletions: 5, allowDeleteAll: false, section: 'aws' })).toBeUndefined();
    expect(deletesAwaitCreate(plan, false)).toBe(true);
  });

  it('nothing waits when a managed assignment stays, when nothing is deleted, or with allow-delete-all', () => {
    expect(deletesAwaitCreate(planReconcile([want('a', 'R')], [have('a', 'R'), have('b', 'R')]), false)).toBe(
      false,
    );
    expect(deletesAwaitCreate(planReconcile([want('a', 'R')], []), false)).toBe(false);
    expect(deletesAwaitCreate(planReconcile([want('new', 'R')], [have('a', 'R')]), true)).toBe(false);
  });
});

describe('the AWS key carries the principal type', () => {
  it('one ID as a USER and as a GROUP is two assignments: a create and a delete, never one unchanged', () => {
    const asUser = { ...parts('id-1', 'R'), principalType: 'USER' };
    const desired = {
      ...want('id-1', 'R'),
      ...asUser,
      kind: 'aws-account-assignment' as const,
      key: assignmentKey('aws-account-assignment', asUser),
    };
    const plan = planReconcile([desired], [have('id-1', 'R')]);
    expect(planCounts(plan)).toMatchObject({ create: 1, delete: 1, unchanged: 0 });
    // The delete shares the create's place, so it waits for the create (and is held if it fails).
    expect(placeOfPrincipal(plan.deletes[0]!)).toBe(placeOfPrincipal(plan.creates[0]!));
  });
});

describe('the Azure key is the object ID, whatever principal type ARM reports', () => {
  // One Entra object is one principal, and ARM refuses an assignment whose principalType is not
  // the object's ("has type 'Group', which is different from specified PrincipalType 'User'"):
  // were the type in the key, a file's `principal-type` that ARM reports otherwise would plan a
  // delete and a create of the one assignment on every run.
  it('the file’s User and ARM’s Group of one object ID are one assignment, left unchanged', () => {
    const scope = '/subscriptions/00000000-0000-0000-0000-000000000001';
    const role = '/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7';
    const asUser = { ...parts('aaaa', role, scope), principalType: 'User' };
    const asGroup = { ...parts('aaaa', role, scope), principalType: 'Group' };
    const desired = {
      ...want('aaaa', role, scope),
      ...asUser,
      kind: 'azure-role-assignment' as const,
      key: assignmentKey('azure-role-assignment', asUser),
    };
    const current = {
      ...have('aaaa', role, true, scope),
      ...asGroup,
      kind: 'azure-role-assignment' as const,
      key: assignmentKey('azure-role-assignment', asGroup),
    };
    expect(planCounts(planReconcile([desired], [current]))).toMatchObject({
      create: 0,
      delete: 0,
      unchanged: 1,
    });
  });
});

describe('the plan named: every row it shows gets the names the adapter knows', () => {
  it('names the creates, deletes and unmanaged rows, and leaves the unchanged ones', () => {
    const plan = planReconcile(
      [want('g1', 'ReadOnly'), want('g2', 'ReadOnly')],
      [have('g2', 'ReadOnly'), have('g3', 'ReadOnly'), have('g4', 'Admin', false)],
    );
    const named = withNames(plan, (p) => ({ principal: `name-of-${p.principalId}`, role: `${p.roleId}!` }));
    expect(named.creates[0]!.names).toEqual({ principal: 'name-of-g1', role: 'ReadOnly!' });
    expect(named.deletes[0]!.names?.principal).toBe('name-of-g3');
    expect(named.unmanaged[0]!.names?.principal).toBe('name-of-g4');
    expect(named.unchanged[0]!.names).toBeUndefined();
    expect(planCounts(named)).toEqual(planCounts(plan));
  });
});
