// A batch that waits says where it stands: a first line 10 s in, then one every 15 s while any of
// its items is queued or in flight, with the counts and the oldest in flight's age; nothing once
// all have ended. Driven by a clock the test moves: nothing waits.
import { describe, expect, it } from '@jest/globals';
import {
  BatchProgress,
  FIRST_PROGRESS_MS,
  PROGRESS_EVERY_MS,
  progressLine,
} from '../../../src/engine/calls/progress.js';
import { fakeClock } from './fake-clock.js';

describe('the line', () => {
  it('says done / in flight / queued out of the whole, and the oldest in flight’s age', () => {
    expect(
      progressLine('grants', {
        done: 3,
        inFlight: 15,
        queued: 6,
        oldestInFlightMs: 24_400,
        elapsedMs: 25_000,
      }),
    ).toBe(
      'still working after 25 s: 3 of 24 grants done, 15 in flight, 6 queued; the oldest in flight for 24 s',
    );
    expect(
      progressLine('revokes', {
        done: 2,
        inFlight: 0,
        queued: 1,
        oldestInFlightMs: undefined,
        elapsedMs: 10_000,
      }),
    ).toBe('still working after 10 s: 2 of 3 revokes done, 0 in flight, 1 queued');
  });
});

describe('a batch that waits longer than 10 s', () => {
  it('prints a line at 10 s, then every 15 s, while anything is queued or in flight', () => {
    const { clock, advance } = fakeClock();
    const lines: string[] = [];
    const progress = new BatchProgress((line) => lines.push(line), 'grants', clock);
    const batch = progress.batch(24);
    const ends = Array.from({ length: 15 }, () => batch.begin());
    advance(FIRST_PROGRESS_MS - 1);
    expect(lines).toEqual([]);
    advance(1);
    expect(lines).toEqual([
      'still working after 10 s: 0 of 24 grants done, 15 in flight, 9 queued; the oldest in flight for 10 s',
    ]);
    // Three end, three more begin: the oldest is still one of the first.
    for (const end of ends.slice(0, 3)) end();
    batch.begin();
    batch.begin();
    batch.begin();
    advance(PROGRESS_EVERY_MS);
    expect(lines[1]).toBe(
      'still working after 25 s: 3 of 24 grants done, 15 in flight, 6 queued; the oldest in flight for 25 s',
    );
    advance(PROGRESS_EVERY_MS);
    expect(lines).toHaveLength(3);
  });

  it('says nothing for a batch that ends within 10 s, and stops once all have ended', () => {
    const { clock, advance, pending } = fakeClock();
    const lines: string[] = [];
    const progress = new BatchProgress((line) => lines.push(line), 'grants', clock);
    const batch = progress.batch(2);
    const first = batch.begin();
    const second = batch.begin();
    advance(9_000);
    first();
    second();
    batch.close();
    expect(pending()).toBe(0);
    advance(60_000);
    expect(lines).toEqual([]);
  });

  it("counts a step's batches together (a reconcile's creates and deletes), and forgets items whose turn never came", () => {
    const { clock, advance, pending } = fakeClock();
    const lines: string[] = [];
    const progress = new BatchProgress((line) => lines.push(line), 'writes', clock);
    const creates = progress.batch(2);
    const deletes = progress.batch(3);
    creates.begin();
    deletes.begin();
    advance(FIRST_PROGRESS_MS);
    expect(lines).toEqual([
      'still working after 10 s: 0 of 5 writes done, 2 in flight, 3 queued; the oldest in flight for 10 s',
    ]);
    // The deadline passed: the queued ones never begin, and the batches close.
    creates.close();
    deletes.close();
    expect(progress.counts()).toMatchObject({ inFlight: 2, queued: 0 });
    expect(pending()).toBe(1);
  });
});
