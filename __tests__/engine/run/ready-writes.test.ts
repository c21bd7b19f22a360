// The queue the engine's scheduler takes ready writes from (src/engine/run/ready-writes.ts): lowest
// index first, whatever order they became ready in, and the write `k` places from the first.
import { describe, expect, it } from '@jest/globals';
import { ReadyWrites } from '../../../src/engine/run/ready-writes.js';

const drain = (ready: ReadyWrites): number[] => {
  const taken: number[] = [];
  while (ready.size > 0) taken.push(ready.shift());
  return taken;
};

describe('the ready writes are taken lowest index first', () => {
  it('takes writes that became ready out of order in the order of their index', () => {
    const ready = new ReadyWrites();
    [5, 1, 9, 3, 7, 0].forEach((i) => ready.insert(i));
    expect(ready.size).toBe(6);
    expect(drain(ready)).toEqual([0, 1, 3, 5, 7, 9]);
  });

  it('puts a write that becomes ready after some were taken among those left, by its index', () => {
    const ready = new ReadyWrites();
    [2, 4, 6].forEach((i) => ready.insert(i));
    expect(ready.shift()).toBe(2);
    ready.insert(5);
    ready.insert(3);
    expect(drain(ready)).toEqual([3, 4, 5, 6]);
  });

  it('names the write k places from the first, and none past the last', () => {
    const ready = new ReadyWrites();
    [10, 20, 30].forEach((i) => ready.insert(i));
    ready.shift();
    expect([ready.at(0), ready.at(1), ready.at(2)]).toEqual([20, 30, undefined]);
  });

  it('keeps its order across many writes taken (its storage compacted along the way)', () => {
    const ready = new ReadyWrites();
    for (let i = 0; i < 5000; i++) ready.insert(2 * i);
    const taken: number[] = [];
    for (let i = 0; i < 3000; i++) taken.push(ready.shift());
    ready.insert(6001);
    expect([ready.at(0), ready.at(1), ready.at(2)]).toEqual([6000, 6001, 6002]);
    taken.push(...drain(ready));
    expect(taken).toHaveLength(5001);
    expect(taken).toEqual([...taken].sort((a, b) => a - b));
  });
});
