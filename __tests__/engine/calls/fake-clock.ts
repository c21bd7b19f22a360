// A progress clock whose timers fire only as the test advances it: the progress tests
// (progress.test.ts, read-progress.test.ts) say where a wait stands at 10 s and 15 s without waiting.
import type { ProgressClock } from '../../../src/engine/calls/progress.js';

export function fakeClock() {
  let now = 0;
  let timers: { at: number; tick: () => void }[] = [];
  const clock: ProgressClock = {
    now: () => now,
    after(ms, tick) {
      const timer = { at: now + ms, tick };
      timers.push(timer);
      return () => {
        timers = timers.filter((t) => t !== timer);
      };
    },
  };
  const advance = (ms: number) => {
    const until = now + ms;
    for (;;) {
      const next = timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      timers = timers.filter((t) => t !== next);
      now = next.at;
      next.tick();
    }
    now = until;
  };
  return { clock, advance, pending: () => timers.length };
}
