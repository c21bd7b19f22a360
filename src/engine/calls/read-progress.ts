// A read that takes long says so, as a batch of writes does (./progress.ts): a reconcile's complete
// read of an instance, the sweep's CloudTrail history (2 calls a second) and its GitHub runs can
// each take minutes, made of calls rather than of grants. Every call runner (./call-runner.ts)
// tells the step's CallActivity when a call waits for its turn, is sent and is answered; while a
// read stage runs, a line 10 s in and then every 15 s says where its calls stand.
import {
  FIRST_PROGRESS_MS,
  inFlightCounts,
  PROGRESS_EVERY_MS,
  SYSTEM_CLOCK,
  type InFlightCounts,
  type ProgressClock,
} from './progress.js';

/** Where a step's calls stand. */
export interface CallCounts extends InFlightCounts {
  answered: number;
}

/** The calls of one step, as its call runners report them (one per step, shared by its sessions). */
export class CallActivity {
  private answered = 0;
  private queued = 0;
  private readonly inFlight = new Set<{ since: number }>();

  constructor(private readonly clock: Pick<ProgressClock, 'now'> = SYSTEM_CLOCK) {}

  /** A call waits for its turn; call what it returns once its turn came (or it gave up). */
  waiting(): () => void {
    this.queued++;
    return once(() => this.queued--);
  }

  /** An attempt is sent; call what it returns once it has its answer (or failed). */
  sent(): () => void {
    const call = { since: this.clock.now() };
    this.inFlight.add(call);
    return once(() => {
      this.inFlight.delete(call);
      this.answered++;
    });
  }

  counts(): CallCounts {
    return { answered: this.answered, ...inFlightCounts(this.inFlight, this.queued, this.clock.now()) };
  }
}

/**
 * `still reading after 25 s (CloudTrail's history): 48 calls answered, 1 in flight, 2 queued; the
 * oldest in flight for 1 s`, or `… 340 of about 1,608 calls answered …` when the read estimated
 * its calls before it began.
 */
export function readProgressLine(
  what: string,
  elapsedMs: number,
  counts: CallCounts | undefined,
  estimate?: number,
  doing: 'reading' | 'writing' = 'reading',
): string {
  const s = (ms: number) => `${Math.round(ms / 1000)} s`;
  const head = `still ${doing} after ${s(elapsedMs)} (${what})`;
  if (!counts) return head;
  const oldest =
    counts.oldestInFlightMs === undefined ? '' : `; the oldest in flight for ${s(counts.oldestInFlightMs)}`;
  const of = estimate === undefined ? '' : ` of about ${estimate.toLocaleString('en-US')}`;
  return `${head}: ${counts.answered}${of} calls answered, ${counts.inFlight} in flight, ${counts.queued} queued${oldest}`;
}

/** How a read says where it stands. */
export interface ReadProgressOptions {
  say: (line: string) => void;
  activity?: CallActivity | undefined;
  /** The calls the read expects to make in all, once it knows (a report prints it before it reads). */
  estimate?: () => number | undefined;
  clock?: ProgressClock;
  /** What the line says the step is doing: `reading` unless said (a sweep's tidying writes). */
  doing?: 'reading' | 'writing';
}

/**
 * Runs `read` (`what`: what is being read, for the line), saying where its calls stand through
 * `say` once it has run FIRST_PROGRESS_MS and every PROGRESS_EVERY_MS after, until it settles.
 * The counts are of the calls made since the read began (a read stage's calls are the only ones
 * out while it runs).
 */
export async function withReadProgress<T>(
  what: string,
  read: () => Promise<T>,
  options: ReadProgressOptions,
): Promise<T> {
  const clock = options.clock ?? SYSTEM_CLOCK;
  const started = clock.now();
  const before = options.activity?.counts().answered ?? 0;
  const tick = () => {
    const counts = options.activity?.counts();
    options.say(
      readProgressLine(
        what,
        clock.now() - started,
        counts && { ...counts, answered: counts.answered - before },
        options.estimate?.(),
        options.doing,
      ),
    );
    cancel = clock.after(PROGRESS_EVERY_MS, tick);
  };
  let cancel = clock.after(FIRST_PROGRESS_MS, tick);
  try {
    return await read();
  } finally {
    cancel();
  }
}

function once(f: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    f();
  };
}
