// GitHub's rate limits as a review's calls meet them: the secondary rate limit (403 or 429 with
// its text or `retry-after`) and the primary one spent (403 with `x-ratelimit-remaining: 0`) are
// throttling, never a missing permission. What a throttle is, is GitHub's; how it is waited (within
// the step's deadline, a wait past it ending the call at once naming the service, the call, the wait
// and `timeout-seconds`) is the engine's one rule for every service.
import { CloudAccessError } from '../core/errors.js';
import { waitNotice } from '../engine/calls/call-notices.js';
import { type ErrorClassifier, type RetryObserver } from '../engine/limits/retry.js';
import { DeadlineExceededError } from '../engine/limits/deadline.js';

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

/**
 * A call whose rate-limit wait was past the step's deadline ends with the engine's words for any
 * service's Retry-After past it (engine/limits/retry.ts), and GitHub's fix; returns when the call
 * failed for another reason.
 */
export function throwIfThrottled(failure: unknown, deadline: { input: string }): void {
  if (!(failure instanceof DeadlineExceededError) || !githubThrottleOf(failure.lastError)) return;
  throw new CloudAccessError(failure.message, {
    fix: `run the review again later, or raise \`${deadline.input}\`: GitHub's rate limits are per token, shared with every workflow that uses it`,
  });
}

/**
 * A GitHub call's retries: a rate limit is throttling, waited as GitHub asks by the engine's one
 * rule for every service (each wait of a second or more said in one line, a wait past the deadline
 * ending the call at once); any other failure as `otherwise` judges it.
 */
export function throttleRetries(
  otherwise: ErrorClassifier,
  say: (line: string) => void = () => {},
): { classify: ErrorClassifier; observer: RetryObserver } {
  return {
    classify: (error, operation) => {
      const throttle = githubThrottleOf(error);
      if (throttle)
        return {
          action: 'retry',
          kind: 'throttled',
          retryAfterMs: throttle.waitMs,
          service: limitWords(throttle),
        };
      return otherwise(error, operation);
    },
    observer: {
      onRetry: (what, _kind, _attempt, delayMs, _error, verdict) => {
        const said = waitNotice(what, verdict, delayMs);
        if (said) say(said);
      },
    },
  };
}
