// How the follower plans its status reads of many requests at once: in groups of those due within
// JOIN_MS of each other, each read with one call at the last due time of its group.
import { describe, expect, it } from '@jest/globals';
import { JOIN_MS, nextRoundAt, plannedReads } from '../../../src/engine/calls/planned-reads.js';

const now = 10_000;

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
