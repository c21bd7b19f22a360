// A long read is never silent: after 10 s, a line every 15 s with the calls made against the
// estimate said before it started; none once it has ended.
import { describe, expect, it } from '@jest/globals';
import type { ProgressClock } from '../../src/engine/progress.js';
import { watchRead } from '../../src/engine/read-progress.js';

function fakeClock(): ProgressClock & { advance(ms: number): void } {
  let now = 0;
  let timers: { at: number; tick: () => void }[] = [];
  return {
    now: () => now,
    after(ms, tick) {
      const timer = { at: now + ms, tick };
      timers.push(timer);
      return () => void (timers = timers.filter((t) => t !== timer));
    },
    advance(ms) {
      const until = now + ms;
      for (let next = timers.find((t) => t.at <= until); next; next = timers.find((t) => t.at <= until)) {
        timers = timers.filter((t) => t !== next);
        now = next.at;
        next.tick();
      }
      now = until;
    },
  };
}

describe('a read that takes long', () => {
  it('says the calls made against the estimate after 10 s and every 15 s, and stops when it ends', () => {
    const clock = fakeClock();
    const lines: string[] = [];
    let calls = 5;
    const stop = watchRead(
      (l) => lines.push(l),
      () => calls,
      () => 100,
      clock,
    );
    clock.advance(9_000);
    expect(lines).toEqual([]);
    calls = 45;
    clock.advance(1_000);
    expect(lines).toEqual(['still reading after 10 s: 40 of about 100 call(s) made']);
    calls = 85;
    clock.advance(15_000);
    expect(lines.at(-1)).toBe('still reading after 25 s: 80 of about 100 call(s) made');
    stop();
    clock.advance(60_000);
    expect(lines).toHaveLength(2);
  });
});
