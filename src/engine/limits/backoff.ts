// Delays for retrying (status reads are paced by engine/run/follow.ts). Pure: the random source is a parameter so tests can pin it.

export type Random = () => number;

/**
 * Retries: exponential with "full jitter" (AWS Architecture Blog, "Exponential Backoff And
 * Jitter"), which spreads a throttled batch best. A server-given Retry-After wins when longer.
 */
export const RETRY_SCHEDULE: RetrySchedule = { baseMs: 200, factor: 2, capMs: 8000 };

/**
 * A throttled call that the scarce slots wait on (a status read that frees IAM Identity Center's
 * outstanding creates) retries sooner: the quota is a window of a second whose calls leave it one
 * by one, a throttled call is not counted in it, and until the read is answered the slots it would
 * free stand idle. Two reconciles of 45 creates at 30 ms round trips waited 200–300 ms on each such
 * backoff: 1.16x their bound, 1.11x with this schedule (`npm run bench:batches -- --latency=30`).
 */
export const FIRST_PRIORITY_THROTTLE_SCHEDULE: RetrySchedule = { baseMs: 60, factor: 2, capMs: 8000 };

export interface RetrySchedule {
  baseMs: number;
  factor: number;
  capMs: number;
}

export function retryDelayMs(
  attempt: number,
  retryAfterMs: number | undefined,
  random: Random = Math.random,
  schedule: RetrySchedule = RETRY_SCHEDULE,
): number {
  const { baseMs, factor, capMs } = schedule;
  const ceiling = Math.min(capMs, baseMs * factor ** attempt);
  const jittered = Math.round(ceiling / 2 + (ceiling / 2) * random());
  return Math.max(jittered, retryAfterMs ?? 0);
}
