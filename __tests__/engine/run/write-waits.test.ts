// What each write of a running plan waits for (src/engine/run/write-waits.ts): the writes before it
// by its kinds' declared order, its needs, and a gathered effect's wait for the writes like the one
// it follows. The scheduler that runs them is tested in run-writes.test.ts.
import { describe, expect, it } from '@jest/globals';
import type { PlannedWriteOf } from '../../../src/engine/calls/write-plan.js';
import { WriteWaits } from '../../../src/engine/run/write-waits.js';

const SET = 'aws-permission-set';
const ASSIGNMENT = 'aws-account-assignment';

const write = (kind: string, change: PlannedWriteOf['change'], needs?: PlannedWriteOf['needs']) =>
  ({ kind, change, item: undefined, ...(needs ? { needs } : {}) }) as PlannedWriteOf;

/** Every write that became due since the last look, taken. */
const takeDue = (waits: WriteWaits): number[] => {
  const taken: number[] = [];
  for (let i = waits.nextDue(); i !== undefined; i = waits.nextDue()) taken.push(i);
  return taken;
};

function waitingFor(writes: PlannedWriteOf[]): WriteWaits {
  const waits = new WriteWaits(writes);
  writes.forEach((_, i) => waits.wait(i));
  return waits;
}

describe('a write waits for the writes its kinds declare before it', () => {
  it('makes an assignment create due only once every set create before it has settled', () => {
    const waits = waitingFor([write(ASSIGNMENT, 'create'), write(SET, 'create'), write(SET, 'create')]);
    expect(takeDue(waits)).toEqual([1, 2]);
    waits.end(1, true);
    waits.settle(1);
    expect(takeDue(waits)).toEqual([]);
    waits.end(2, true);
    expect(takeDue(waits)).toEqual([]);
    waits.settle(2);
    expect(takeDue(waits)).toEqual([0]);
    expect(waits.size).toBe(0);
  });
});

describe('a write waits for what it needs', () => {
  it('is due once its need settled, and names the need that did not succeed with its plan’s reason', () => {
    const unmet = (failed: readonly number[]) => new Error(`needs ${failed.join(', ')} failed`);
    const waits = waitingFor([write(SET, 'update'), write(SET, 'update', { all: [0], unmet })]);
    expect(takeDue(waits)).toEqual([0]);
    waits.end(0, false);
    expect(waits.hasEnded(0)).toBe(true);
    waits.settle(0);
    expect(takeDue(waits)).toEqual([1]);
    expect(waits.unmetNeeds(1)?.error?.message).toBe('needs 0 failed');
  });

  it('with needs of which one must succeed, is due at the first that did, and unmet only when none did', () => {
    const waits = waitingFor([
      write(SET, 'update'),
      write(SET, 'update'),
      write(SET, 'update', { any: [0, 1] }),
      write(SET, 'update', { any: [0, 1] }),
    ]);
    expect(takeDue(waits)).toEqual([0, 1]);
    waits.end(1, true);
    waits.settle(1);
    expect(takeDue(waits)).toEqual([2, 3]);
    expect(waits.unmetNeeds(2)).toBeUndefined();

    const failing = waitingFor([write(SET, 'update'), write(SET, 'update', { any: [0] })]);
    takeDue(failing);
    failing.end(0, false);
    failing.settle(0);
    expect(takeDue(failing)).toEqual([1]);
    expect(failing.unmetNeeds(1)).toEqual({ error: undefined });
  });
});

describe('an effect’s write added after a write', () => {
  it('when gathered, waits until every write like the one it follows has ended', () => {
    const waits = waitingFor([write(ASSIGNMENT, 'delete'), write(ASSIGNMENT, 'delete')]);
    expect(takeDue(waits)).toEqual([0, 1]);
    waits.end(0, true);
    waits.add(2, write(SET, 'update'), 0, true);
    expect(takeDue(waits)).toEqual([]);
    waits.end(1, true);
    expect(takeDue(waits)).toEqual([2]);
  });

  it('when not gathered, is due at once', () => {
    const waits = waitingFor([write(ASSIGNMENT, 'delete'), write(ASSIGNMENT, 'delete')]);
    takeDue(waits);
    waits.end(0, true);
    waits.add(2, write(SET, 'update'), 0, false);
    expect(takeDue(waits)).toEqual([2]);
  });
});
