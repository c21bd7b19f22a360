// The step's single deadline (`timeout-seconds`), the waits bounded by it, and what a call it
// stopped ends with: still being retried when it passed, or asked (Retry-After) to wait past it.
/**
 * node:timers/promises, loaded at the first sleep rather than as the step starts: the deadline is
 * made before the step's first request, and nothing sleeps before it.
 */
const sleepFor: typeof import('node:timers/promises').setTimeout = (...args) =>
  process.getBuiltinModule('node:timers/promises').setTimeout(...args);

/** What to change when the deadline `input` set passed: more time, or (the main step's) no waiting. */
export const deadlineAdvice = (input: string): string =>
  input === 'timeout-seconds'
    ? 'raise `timeout-seconds`, or set `wait: false` to end the step once the requests are accepted'
    : `raise \`${input}\``;

/** The step's single deadline (`timeout-seconds`): every wait, retry and poll stays inside it. */
export class Deadline {
  readonly endsAt: number;

  constructor(
    readonly seconds: number,
    private readonly now: () => number = Date.now,
    /** The input that set it, for messages: `timeout-seconds`, or the post step's `post-timeout-seconds`. */
    readonly input: string = 'timeout-seconds',
  ) {
    this.endsAt = now() + seconds * 1000;
  }

  /** What to change when this deadline passed: more time, or (the main step's) no waiting. */
  get advice(): string {
    return deadlineAdvice(this.input);
  }

  /** Set once a sleep ended at the deadline: whatever the clock reads then, it has passed. */
  private reached = false;

  remainingMs(): number {
    return this.reached ? 0 : Math.max(0, this.endsAt - this.now());
  }

  get passed(): boolean {
    return this.remainingMs() === 0;
  }

  /** Sleeps `ms`, or less when the deadline comes first; returns false when the deadline has passed. */
  async sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
    const left = this.remainingMs();
    if (Math.min(ms, left) > 0)
      await sleepFor(Math.min(ms, left), undefined, signal ? { signal } : undefined);
    // A timer may fire a millisecond before Date.now() reaches its end, so a sleep the deadline
    // cut short is over by definition rather than by reading the clock again; and over for every
    // other check too: a wait that gave up at the deadline (a request left IN_PROGRESS, its slot
    // freed) must not let the next request in line be sent in that millisecond.
    if (ms >= left) this.reached = true;
    return !this.passed;
  }

  /** A timer set for what was left fired: the deadline has passed, as after a sleep it cut short. */
  timerEnded(): void {
    this.reached = true;
  }
}

/**
 * The deadline passed (or the step was cancelled) before a request was sent: it was never sent,
 * so it changed nothing. Whatever waited for its turn (a rate limit, a quota slot, a place in the
 * queue) gives up rather than send after the deadline.
 */
export class NotSentError extends Error {
  constructor(
    readonly operation: string,
    readonly waitingFor: string,
    deadline: Deadline,
  ) {
    super(
      `${operation} was not sent: the ${deadline.seconds}s deadline (\`${deadline.input}\`) passed while it waited for ${waitingFor}; ${deadline.advice}`,
    );
    this.name = 'NotSentError';
  }
}

/** How long a wait may last: until the deadline, or until the step is cancelled. */
export interface WaitBound {
  deadline: Deadline;
  signal?: AbortSignal | undefined;
}

/**
 * Calls `onEnd` once when the deadline passes or the signal fires, unless the returned `stop` is
 * called first. Used by the queues so that a waiter leaves the queue at the deadline.
 */
export function whenBoundEnds(bound: WaitBound, onEnd: () => void): () => void {
  let done = false;
  const end = () => {
    if (done) return;
    done = true;
    stop();
    onEnd();
  };
  // Over by definition when its timer fires, as a sleep is (Deadline.sleep): a wait that ends here
  // frees its place, and the next request in line must find the deadline passed, not a millisecond left.
  const timer = setTimeout(() => {
    bound.deadline.timerEnded();
    end();
  }, bound.deadline.remainingMs());
  bound.signal?.addEventListener('abort', end, { once: true });
  const stop = () => {
    done = true;
    clearTimeout(timer);
    bound.signal?.removeEventListener('abort', end);
  };
  return stop;
}

export class DeadlineExceededError extends Error {
  constructor(
    readonly operation: string,
    readonly lastError: unknown,
  ) {
    super(
      `${operation} was still being retried when the deadline passed (last error: ${
        lastError instanceof Error ? lastError.message : String(lastError)
      })`,
    );
    this.name = 'DeadlineExceededError';
  }
}

/**
 * The service asked for a wait (Retry-After) longer than the step has left: waiting would only
 * end at the deadline with nothing more done, so the call ends at once, saying what was asked.
 */
export class RetryAfterPastDeadlineError extends DeadlineExceededError {
  constructor(
    operation: string,
    lastError: unknown,
    readonly service: string,
    readonly retryAfterMs: number,
    readonly leftMs: number,
    deadline: Deadline,
  ) {
    super(operation, lastError);
    this.name = 'RetryAfterPastDeadlineError';
    const answer = lastError instanceof Error ? lastError.message : String(lastError);
    this.message = retryAfterPastDeadline(service, operation, retryAfterMs, leftMs, deadline, answer);
  }
}

/** The words of RetryAfterPastDeadlineError, for a wait the engine did not judge itself (a `$batch` item's). */
export function retryAfterPastDeadline(
  service: string,
  operation: string,
  retryAfterMs: number,
  leftMs: number,
  deadline: Deadline,
  /** What the service answered, in short (`429 TooManyRequests: …`). */
  answer?: string,
): string {
  const wait = secondsOf(retryAfterMs);
  const answered = answer ? ` (it answered ${answer.replace(/\s+/g, ' ').slice(0, 300)})` : '';
  return `${service} asked to wait ${wait} before ${operation} is tried again (Retry-After), more than the ${secondsOf(leftMs)} left of the step's ${deadline.seconds}s deadline (\`${deadline.input}\`)${answered}: stopped at once rather than wait past it; re-run later, or raise \`${deadline.input}\` above the wait`;
}

/** A wait in whole seconds, rounded up (`120 s`), or in milliseconds under a second. */
export const secondsOf = (ms: number): string =>
  ms < 1000 ? `${Math.max(0, Math.round(ms))} ms` : `${Math.ceil(ms / 1000)} s`;
