import { setTimeout as sleepFor } from 'node:timers/promises';

/** The step's single deadline (`timeout-seconds`): every wait, retry and poll stays inside it. */
export class Deadline {
  readonly endsAt: number;

  constructor(
    readonly seconds: number,
    private readonly now: () => number = Date.now,
  ) {
    this.endsAt = now() + seconds * 1000;
  }

  remainingMs(): number {
    return Math.max(0, this.endsAt - this.now());
  }

  get passed(): boolean {
    return this.remainingMs() === 0;
  }

  /** Sleeps `ms`, or less when the deadline comes first; returns false when the deadline has passed. */
  async sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
    const wait = Math.min(ms, this.remainingMs());
    if (wait > 0) await sleepFor(wait, undefined, signal ? { signal } : undefined);
    return !this.passed;
  }
}
