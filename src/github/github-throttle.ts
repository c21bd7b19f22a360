// GitHub's rate limits as a review's calls meet them: the secondary rate limit (403 or 429 with
// its text or `retry-after`) and the primary one spent (403 with `x-ratelimit-remaining: 0`) are
// throttling, never a missing permission. The call waits what GitHub asks, within the step's
// deadline; a wait past it ends the call at once with an error naming GitHub, the call, the wait
// and `timeout-seconds`.
import { CloudAccessError } from '../core/errors.js';
import { DeadlineExceededError, type ErrorClassifier, type RetryObserver } from '../engine/limits/retry.js';

/** GitHub's own advice when a secondary limit names no `retry-after`: wait at least a minute. */
const SECONDARY_DEFAULT_WAIT_MS = 60_000;

export interface GithubThrottle {
  limit: 'secondary' | 'primary';
  /** The wait GitHub asked for (`retry-after`, or until `x-ratelimit-reset`). */
  waitMs: number;
}

type Failure = {
  status?: unknown;
  message?: unknown;
  response?: { headers?: Record<string, unknown>; data?: unknown };
};

/** The rate limit a failed call met, or undefined for any other failure. */
export function githubThrottleOf(failure: unknown, now: number = Date.now()): GithubThrottle | undefined {
  const f = (failure ?? {}) as Failure;
  if (f.status !== 403 && f.status !== 429) return undefined;
  const headers = f.response?.headers ?? {};
  const data = f.response?.data as { message?: unknown } | undefined;
  const text = `${typeof data?.message === 'string' ? data.message : ''} ${typeof f.message === 'string' ? f.message : ''}`;
  const retryAfter = Number(headers['retry-after']);
  const asked = Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter * 1000 : undefined;
  if (f.status === 429 || asked !== undefined || /secondary rate limit/i.test(text))
    return { limit: 'secondary', waitMs: asked ?? SECONDARY_DEFAULT_WAIT_MS };
  if (String(headers['x-ratelimit-remaining']) === '0') {
    const reset = Number(headers['x-ratelimit-reset']) * 1000;
    return { limit: 'primary', waitMs: Number.isFinite(reset) ? Math.max(0, reset - now) : 3_600_000 };
  }
  return undefined;
}

const limitWords = (t: GithubThrottle): string =>
  t.limit === 'secondary' ? 'GitHub’s secondary rate limit' : 'GitHub’s API rate limit (its hourly requests)';

/** The one log line a wait of a second or more is: GitHub, the call, how long. */
export const throttleWaitLine = (what: string, t: GithubThrottle, delayMs: number): string =>
  `GitHub: ${limitWords(t)} held the call to ${what}: waiting ${Math.ceil(delayMs / 1000)} s`;

/**
 * Throws the error a call ends with when its retries ran out at the deadline while GitHub
 * throttled it; returns when the call failed for another reason.
 */
export function throwIfThrottled(
  failure: unknown,
  what: string,
  deadline: { seconds: number; input: string },
): void {
  if (!(failure instanceof DeadlineExceededError)) return;
  const t = githubThrottleOf(failure.lastError);
  if (!t) return;
  throw new CloudAccessError(
    `${limitWords(t)} held the call to ${what} and asked to wait ${Math.ceil(t.waitMs / 1000)} s, past the step's deadline (\`${deadline.input}\`: ${deadline.seconds} s)`,
    {
      fix: `run the review again later, or raise \`${deadline.input}\`: GitHub's rate limits are per token, shared with every workflow that uses it`,
    },
  );
}

/**
 * A GitHub call's retries: a rate limit waited as GitHub asks (each wait of a second or more said
 * in one line), any other failure as `otherwise` judges it.
 */
export function throttleRetries(
  otherwise: ErrorClassifier,
  say: (line: string) => void = () => {},
): { classify: ErrorClassifier; observer: RetryObserver } {
  return {
    classify: (error, operation) => {
      const throttle = githubThrottleOf(error);
      if (throttle) return { action: 'retry', kind: 'throttled', retryAfterMs: throttle.waitMs };
      return otherwise(error, operation);
    },
    observer: {
      onRetry: (what, _kind, _attempt, delayMs, error) => {
        const throttle = githubThrottleOf(error);
        if (throttle && delayMs >= 1000) say(throttleWaitLine(what, throttle, delayMs));
      },
    },
  };
}
