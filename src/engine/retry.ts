import { retryDelayMs, type Random } from './backoff.js';
import { NotSentError, type Deadline } from './deadline.js';

/**
 * How an adapter judges a failed call. `retry` covers throttling, documented-retryable conflicts,
 * 5xx and network errors; anything else is `fail` with an error that names the cause and fix.
 */
export type ErrorVerdict =
  | { action: 'retry'; kind: 'throttled' | 'conflict' | 'server' | 'network'; retryAfterMs?: number }
  | { action: 'fail'; error: Error };

export type ErrorClassifier = (error: unknown, operation: string) => ErrorVerdict;

export interface RetryObserver {
  onRetry?(operation: string, kind: string, attempt: number, delayMs: number, error: unknown): void;
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

/** An attempt aborted this close to the deadline was cut short by it (timers are not exact). */
const DEADLINE_CUT_SLACK_MS = 50;

/** Runs `call` until it succeeds, fails for good, or the deadline leaves no room for another try. */
export async function withRetry<T>(
  operation: string,
  call: () => Promise<T>,
  options: {
    classify: ErrorClassifier;
    deadline: Deadline;
    observer?: RetryObserver;
    random?: Random;
    signal?: AbortSignal;
  },
): Promise<T> {
  // The last error a call came back with: an attempt the deadline cut short (an AbortError as it
  // passes) says only that it timed out, while the one before says why it was being retried.
  let answered: unknown;
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      // Not sent at all: nothing to judge or retry, and the deadline has passed.
      if (error instanceof NotSentError) throw error;
      const cut =
        (error as { name?: unknown } | undefined)?.name === 'AbortError' &&
        options.deadline.remainingMs() <= DEADLINE_CUT_SLACK_MS;
      if (!cut) answered = error;
      const verdict = options.classify(error, operation);
      if (verdict.action === 'fail') throw verdict.error;
      const delay = retryDelayMs(attempt, verdict.retryAfterMs, options.random);
      if (delay >= options.deadline.remainingMs())
        throw new DeadlineExceededError(operation, cut && answered !== undefined ? answered : error);
      options.observer?.onRetry?.(operation, verdict.kind, attempt + 1, delay, error);
      await options.deadline.sleep(delay, options.signal);
    }
  }
}
