// How the rate limiter's window is shared: later calls (deletes) leave places for the creates a
// status read is expected to let go, and creates keep to their share while deletes wait.
import { describe, expect, it } from '@jest/globals';
import { firstShare, laterMayLeaveAt, type WindowPlace } from '../../../src/engine/limits/window-room.js';

const now = 10_000;
const held = (count: number, until: number, first = false): WindowPlace[] =>
  Array.from({ length: count }, () => ({ until, first }));
const window = { now, windowMs: 1_000, limit: 19 };

describe('a later call leaves places for first-priority calls expected within its window', () => {
  it('may leave when the expected calls still find places beside it', () => {
    // 15 held + this delete + 3 creates expected = 19.
    expect(laterMayLeaveAt(held(15, now + 500), [now + 100, now + 100, now + 100], window)).toBe(now);
  });

  it('waits, until the next place runs out, when it would take a place an expected call needs', () => {
    const places = [...held(15, now + 500), ...held(1, now + 300)];
    expect(laterMayLeaveAt(places, [now + 100, now + 100, now + 100], window)).toBe(now + 300);
  });

  it('counts only places still held when each expected call comes', () => {
    // 16 held, but 10 run out before the creates are expected.
    const places = [...held(10, now + 50), ...held(6, now + 900)];
    expect(laterMayLeaveAt(places, [now + 100, now + 100, now + 100], window)).toBe(now);
  });

  it('ignores calls expected after its own place runs out, and counts late ones as due now', () => {
    expect(laterMayLeaveAt(held(18, now + 500), [now + 1_500], window)).toBe(now);
    expect(laterMayLeaveAt(held(17, now + 500), [now - 200, now - 100], window)).toBe(now + 500);
  });

  it('keeps no more places for first-priority calls than their share of the window', () => {
    // 11 creates held already: more creates would not be let go while deletes wait.
    const places = [...held(firstShare(19), now + 500, true), ...held(5, now + 500)];
    expect(firstShare(19)).toBe(11);
    // Cut low by throttling: never every place while later calls wait (but the one place of 1).
    expect([1, 2, 3, 4].map(firstShare)).toEqual([1, 1, 2, 3]);
    expect(laterMayLeaveAt(places, [now + 100, now + 100], window)).toBe(now);
  });

  it('waits for an answer when every place is held by a call not yet answered', () => {
    expect(laterMayLeaveAt(held(18, Infinity), [now + 100], window)).toBe(Infinity);
  });
});
