import type { Deadline } from './deadline.js';
import type { CallStats } from './driver.js';
import type { RateLimiter } from './limits.js';
import { withRetry, type ErrorClassifier } from './retry.js';

export interface CallRunnerOptions {
  classify: ErrorClassifier;
  deadline: Deadline;
  stats: CallStats;
  /** Paces every call (IAM Identity Center's collective TPS quota). */
  limiter?: RateLimiter | undefined;
  signal?: AbortSignal | undefined;
  debug?: (message: string) => void;
}

/**
 * Runs one API call through the shared machinery: pacing, retry with backoff, counting. Each
 * attempt gets an abort signal that fires when the attempt's timeout or the step's deadline
 * passes, or the step is cancelled, so a hung connection cannot outlive the step.
 */
export type CallRunner = <T>(operation: string, call: (signal: AbortSignal) => Promise<T>) => Promise<T>;

/** The longest one attempt may take; the deadline cuts it shorter. */
export const ATTEMPT_TIMEOUT_MS = 15_000;

export function createCallRunner(options: CallRunnerOptions): CallRunner {
  const { stats, limiter } = options;
  return (operation, call) =>
    withRetry(
      operation,
      async () => {
        await limiter?.take();
        stats.calls[operation] = (stats.calls[operation] ?? 0) + 1;
        const timeout = AbortSignal.timeout(
          Math.max(1, Math.min(ATTEMPT_TIMEOUT_MS, options.deadline.remainingMs())),
        );
        return call(options.signal ? AbortSignal.any([timeout, options.signal]) : timeout);
      },
      {
        classify: options.classify,
        deadline: options.deadline,
        ...(options.signal ? { signal: options.signal } : {}),
        observer: {
          onRetry(op, kind, attempt, delayMs, error) {
            stats.retries++;
            if (kind === 'throttled') {
              stats.throttled++;
              limiter?.drain();
            }
            const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
            options.debug?.(`${op}: ${kind} (${reason}); retry ${attempt} in ${delayMs} ms`);
          },
        },
      },
    );
}
