// Delays for polling and retrying. Pure: the random source is a parameter so tests can pin it.

export type Random = () => number;

/**
 * Status polling: first look soon (most writes finish in a second or two), then back off with
 * jitter to a small cap, so a terminal status is noticed within about a second of it happening
 * while a long-running request costs few Describe calls.
 */
export const POLL_SCHEDULE = { firstMs: 250, factor: 1.6, capMs: 1000, jitter: 0.2 } as const;

export function pollDelayMs(attempt: number, random: Random = Math.random): number {
  const { firstMs, factor, capMs, jitter } = POLL_SCHEDULE;
  const base = Math.min(capMs, firstMs * factor ** attempt);
  // ±jitter spreads the polls of a batch so they do not arrive in lockstep.
  return Math.round(base * (1 - jitter + 2 * jitter * random()));
}

/**
 * Retries: exponential with "full jitter" (AWS Architecture Blog, "Exponential Backoff And
 * Jitter"), which spreads a throttled batch best. A server-given Retry-After wins when longer.
 */
export const RETRY_SCHEDULE = { baseMs: 200, factor: 2, capMs: 8000 } as const;

export function retryDelayMs(
  attempt: number,
  retryAfterMs: number | undefined,
  random: Random = Math.random,
): number {
  const { baseMs, factor, capMs } = RETRY_SCHEDULE;
  const ceiling = Math.min(capMs, baseMs * factor ** attempt);
  const jittered = Math.round(ceiling / 2 + (ceiling / 2) * random());
  return Math.max(jittered, retryAfterMs ?? 0);
}
