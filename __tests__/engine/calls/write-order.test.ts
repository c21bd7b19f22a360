// The order between kinds' writes is what the kinds declare, read from the registry: a plan's
// maker never spells it.
import { describe, expect, it } from '@jest/globals';
import { declaredBefore, predecessorsOf } from '../../../src/engine/calls/write-order.js';

const set = (change: 'create' | 'update' | 'provision' | 'delete') => ({
  kind: 'aws-permission-set',
  change,
});
const assignment = (change: 'create' | 'delete') => ({ kind: 'aws-account-assignment', change });

describe('the order the permission-set kind declares', () => {
  it('its create before the assignments’ creates; its delete after their deletes', () => {
    expect(declaredBefore(set('create'), assignment('create'))).toBe(true);
    expect(declaredBefore(assignment('delete'), set('delete'))).toBe(true);
    expect(declaredBefore(assignment('create'), set('create'))).toBe(false);
    expect(declaredBefore(set('delete'), assignment('delete'))).toBe(false);
  });

  it('its update after its create, its provisioning after its update, both before any assignment write', () => {
    expect(declaredBefore(set('create'), set('update'))).toBe(true);
    expect(declaredBefore(set('update'), set('provision'))).toBe(true);
    for (const change of ['create', 'delete'] as const) {
      expect(declaredBefore(set('update'), assignment(change))).toBe(true);
      expect(declaredBefore(set('provision'), assignment(change))).toBe(true);
    }
  });

  it('kinds that declare nothing between them have no order', () => {
    expect(declaredBefore(assignment('create'), assignment('delete'))).toBe(false);
    expect(declaredBefore({ kind: 'azure-role-assignment', change: 'create' }, set('create'))).toBe(false);
  });
});

describe('a plan’s predecessors', () => {
  it('each write waits for the writes its kinds order before it, and for what it needs', () => {
    const writes = [
      { ...assignment('create'), item: 'alice' },
      { ...set('create'), item: 'Engineers' },
      { ...assignment('delete'), item: 'bob', needs: { all: [0] } },
      { ...set('delete'), item: 'Old' },
    ];
    expect(predecessorsOf({ writes })).toEqual([[1], [], [0], [2]]);
  });

  it('a circle is refused, naming the writes in it', () => {
    const writes = [
      { ...assignment('create'), item: 'a', needs: { all: [1] } },
      { ...set('create'), item: 'b', needs: { all: [0] } },
    ];
    expect(() => predecessorsOf({ writes })).toThrow(/circle: .*aws-account-assignment\|create/);
  });
});
