// How the rate limiter's window is shared: later calls (deletes) leave places for the creates a
// status read is expected to let go, and creates keep to their share while deletes wait; and how
// the follower plans its reads of many requests at once in groups.
import { describe, expect, it } from '@jest/globals';
import { JOIN_MS, nextRoundAt, plannedReads } from '../../../src/engine/calls/planned-reads.js';
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

describe('reads of many requests at once are planned in groups', () => {
  it('a group is the requests due within JOIN_MS of its first, read at the last of them', () => {
    const dues = [0, 20, JOIN_MS, JOIN_MS + 1, 500].map((d) => ({ at: now + d, underway: false }));
    expect(plannedReads(dues, now, true)).toEqual([
      { at: now + JOIN_MS, requests: 3, sent: false },
      { at: now + JOIN_MS + 1, requests: 1, sent: false },
      { at: now + 500, requests: 1, sent: false },
    ]);
    const pending = (at: number, key = 'aws:create') => ({ at: now + at, key, together: true });
    expect(nextRoundAt([0, 20, JOIN_MS, JOIN_MS + 1, 500].map((d) => pending(d)))).toBe(now + JOIN_MS);
  });

  it('the next round waits for company of its own kind only: not past a request of another kind due meanwhile', () => {
    const pending = [
      { at: now, key: 'aws:create', together: true },
      { at: now + JOIN_MS, key: 'aws:create', together: true },
      { at: now + 30, key: 'azure:write', together: false },
    ];
    expect(nextRoundAt(pending)).toBe(now + 30);
    expect(nextRoundAt([{ at: now + 5, key: 'azure:write', together: false }, ...pending.slice(1)])).toBe(
      now + 5,
    );
    expect(nextRoundAt([])).toBeUndefined();
  });

  it('reads under way come first, as now; a kind read one at a time has a read per request', () => {
    const dues = [
      { at: now + 300, underway: false },
      { at: now - 5, underway: true },
      { at: now + 310, underway: false },
    ];
    expect(plannedReads(dues, now, false)).toEqual([
      { at: now, requests: 1, sent: true },
      { at: now + 300, requests: 1, sent: false },
      { at: now + 310, requests: 1, sent: false },
    ]);
  });
});
