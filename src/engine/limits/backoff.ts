// Delays for retrying (status reads are paced by engine/run/follow.ts). Pure: the random source is a parameter so tests can pin it.

export type Random = () => number;

/**
 * Retries: exponential with "full jitter" (AWS Architecture Blog, "Exponential Backoff And
 * Jitter"), which spreads a throttled batch best. A server-given Retry-After wins when longer.
 */
export const RETRY_SCHEDULE: RetrySchedule = { baseMs: 200, factor: 2, capMs: 8000 };

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
