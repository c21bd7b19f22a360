// A batch that waits says so: once it has run FIRST_PROGRESS_MS, a plain log line every
// PROGRESS_EVERY_MS tells how many of its items are done, in flight and queued, and how long the
// oldest in flight has been out, so a long write (an AWS create minutes IN_PROGRESS, an ARM write
// retried until its principal replicates) is never a silent step. Both clouds' batches report
// through it (run/run-grants.ts; a provisioning's requests, aws/permission-sets/provision-run.ts);
// the clock is given, so it is tested without waiting.

/** The first line of a batch that is still busy this long after it began. */
export const FIRST_PROGRESS_MS = 10_000;
/** Then a line this often while it stays busy. */
export const PROGRESS_EVERY_MS = 15_000;

/** What the reporter reads the time from and waits with. */
export interface ProgressClock {
  now(): number;
  /** Calls `tick` once after `ms`; returns how to cancel it. */
  after(ms: number, tick: () => void): () => void;
}

/** The runner's clock: a timer that never keeps the process alive on its own. */
export const SYSTEM_CLOCK: ProgressClock = {
  now: () => Date.now(),
  after(ms, tick) {
    const timer = setTimeout(tick, ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
};

/** Where the items of a batch (or the calls of a step) stand, in flight and queued. */
export interface InFlightCounts {
  inFlight: number;
  /** Waiting for their turn: a free slot, or a quota's pace. */
  queued: number;
  /** How long the oldest item in flight has been out; undefined when none is. */
  oldestInFlightMs: number | undefined;
}

/** `inFlight` (each since when it went out) and `queued`, as counts at `now`. */
export function inFlightCounts(
  inFlight: ReadonlySet<{ since: number }>,
  queued: number,
  now: number,
): InFlightCounts {
  const oldest = Math.min(...[...inFlight].map((i) => i.since));
  return { inFlight: inFlight.size, queued, oldestInFlightMs: inFlight.size > 0 ? now - oldest : undefined };
}

export interface ProgressCounts extends InFlightCounts {
  done: number;
  /** Since the batch became busy. */
  elapsedMs: number;
}

/** `still working after 25 s: 3 of 24 grants done, 15 in flight, 6 queued; the oldest in flight for 24 s`. */
export function progressLine(what: string, counts: ProgressCounts): string {
  const s = (ms: number) => `${Math.round(ms / 1000)} s`;
  const total = counts.done + counts.inFlight + counts.queued;
  const oldest =
    counts.oldestInFlightMs === undefined ? '' : `; the oldest in flight for ${s(counts.oldestInFlightMs)}`;
  return `still working after ${s(counts.elapsedMs)}: ${counts.done} of ${total} ${what} done, ${counts.inFlight} in flight, ${counts.queued} queued${oldest}`;
}

/** Items of one batch handed to the reporter: each begins (returning its end), and the batch closes. */
export interface ProgressBatch {
  /** One item starts; call what it returns when it has ended. */
  begin(): () => void;
  /** The batch is over: items it never began (their turn did not come) are no longer queued. */
  close(): void;
}

/**
 * Counts the items of every batch given to it (a reconcile's creates and deletes together) and says
 * where they stand while any is queued or in flight. Lines go to `say` (the step's info log).
 */
export class BatchProgress {
  private done = 0;
  private queued = 0;
  /** When each item in flight began. */
  private readonly inFlight = new Set<{ since: number }>();
  private busySince: number | undefined;
  private cancel: (() => void) | undefined;

  constructor(
    private readonly say: (line: string) => void,
    /** What the items are, plural: `grants`, `writes`, `revokes`, `provisioning requests`. */
    private readonly what: string = 'grants',
    private readonly clock: ProgressClock = SYSTEM_CLOCK,
  ) {}

  /** `count` more items, queued until each begins. */
  batch(count: number): ProgressBatch {
    let notBegun = count;
    this.queued += count;
    this.update();
    return {
      begin: () => {
        if (notBegun > 0) {
          notBegun--;
          this.queued--;
        }
        const item = { since: this.clock.now() };
        this.inFlight.add(item);
        this.update();
        let ended = false;
        return () => {
          if (ended) return;
          ended = true;
          this.inFlight.delete(item);
          this.done++;
          this.update();
        };
      },
      close: () => {
        this.queued -= notBegun;
        notBegun = 0;
        this.update();
      },
    };
  }

  /** Where the items stand now. */
  counts(): ProgressCounts {
    const now = this.clock.now();
    return {
      done: this.done,
      ...inFlightCounts(this.inFlight, this.queued, now),
      elapsedMs: this.busySince === undefined ? 0 : now - this.busySince,
    };
  }

  /** Starts the lines when work appears, and stops them when none is left. */
  private update(): void {
    const busy = this.queued > 0 || this.inFlight.size > 0;
    if (busy && this.busySince === undefined) {
      this.busySince = this.clock.now();
      this.cancel = this.clock.after(FIRST_PROGRESS_MS, () => this.tick());
    } else if (!busy && this.busySince !== undefined) {
      this.cancel?.();
      this.cancel = undefined;
      this.busySince = undefined;
    }
  }

  private tick(): void {
    this.say(progressLine(this.what, this.counts()));
    this.cancel = this.clock.after(PROGRESS_EVERY_MS, () => this.tick());
  }
}
