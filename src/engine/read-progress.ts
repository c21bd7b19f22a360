// A long read says so, as a long batch of writes does (./progress.ts): once it has run
// FIRST_PROGRESS_MS, a line every PROGRESS_EVERY_MS with the calls made against the estimate
// printed before it started, so a report of a large instance is never a silent step.
import { FIRST_PROGRESS_MS, PROGRESS_EVERY_MS, SYSTEM_CLOCK, type ProgressClock } from './progress.js';

/** `still reading after 25 s: 340 of about 1,608 call(s) made`. */
export function readProgressLine(elapsedMs: number, calls: number, estimate: number): string {
  return `still reading after ${Math.round(elapsedMs / 1000)} s: ${calls} of about ${estimate} call(s) made`;
}

/** Starts the lines; returns how to stop them (at the read's end). */
export function watchRead(
  say: (line: string) => void,
  calls: () => number,
  estimate: () => number,
  clock: ProgressClock = SYSTEM_CLOCK,
): () => void {
  const started = clock.now();
  const first = calls();
  let cancel = clock.after(FIRST_PROGRESS_MS, tick);
  function tick(): void {
    say(readProgressLine(clock.now() - started, calls() - first, estimate()));
    cancel = clock.after(PROGRESS_EVERY_MS, tick);
  }
  return () => cancel();
}
