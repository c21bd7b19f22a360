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

/** Runs one API call through the shared machinery: pacing, retry with backoff, counting. */
export type CallRunner = <T>(operation: string, call: () => Promise<T>) => Promise<T>;

export function createCallRunner(options: CallRunnerOptions): CallRunner {
  const { stats, limiter } = options;
  return (operation, call) =>
    withRetry(
      operation,
      async () => {
        await limiter?.take();
        stats.calls[operation] = (stats.calls[operation] ?? 0) + 1;
        return call();
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
