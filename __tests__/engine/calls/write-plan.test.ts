// A write that needs another kind's write names it by address (its kind, change and key), never by
// its place in the plan: the plan that holds both finds it, and a plan that cannot is refused
// before any write.
import { describe, expect, it } from '@jest/globals';
import { addressedWrites, type PlannedWriteOf } from '../../../src/engine/calls/write-plan.js';

const setCreate = (name: string): PlannedWriteOf => ({
  kind: 'aws-permission-set',
  change: 'create',
  item: name,
  key: name,
});
const assignmentOf = (name: string, all?: number[]): PlannedWriteOf => ({
  kind: 'aws-account-assignment',
  change: 'create',
  item: `assignment of ${name}`,
  needs: { of: [{ kind: 'aws-permission-set', change: 'create', key: name }], ...(all ? { all } : {}) },
});

describe('a write needs another kind’s write by its address', () => {
  it('finds each address at its place in the plan, before the needs given by index', () => {
    const writes = [assignmentOf('Dev', [3]), setCreate('Ops'), setCreate('Dev'), assignmentOf('Ops')];
    const addressed = addressedWrites(writes);
    expect(addressed[0]!.needs?.all).toEqual([2, 3]);
    expect(addressed[3]!.needs?.all).toEqual([1]);
    expect(addressed[0]!.needs?.of).toBeUndefined();
    expect(addressed[1]).toBe(writes[1]);
  });

  it('refuses an address no write of the plan answers to, before any write', () => {
    expect(() => addressedWrites([assignmentOf('Dev')])).toThrow(
      'a write needs aws-permission-set|create|Dev, which its plan does not hold',
    );
  });

  it('refuses two writes under one address', () => {
    expect(() => addressedWrites([setCreate('Dev'), setCreate('Dev')])).toThrow(
      'two writes of the plan are aws-permission-set|create|Dev',
    );
  });
});
