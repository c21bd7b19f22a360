import { describe, expect, it } from '@jest/globals';
import { POLL_SCHEDULE, pollDelayMs, RETRY_SCHEDULE, retryDelayMs } from '../../src/engine/backoff.js';

describe('status polling looks soon, then backs off to a small cap', () => {
  it('starts at the first delay and never exceeds the cap plus jitter', () => {
    expect(pollDelayMs(0, () => 0.5)).toBe(POLL_SCHEDULE.firstMs);
    const delays = Array.from({ length: 20 }, (_, i) => pollDelayMs(i, () => 1));
    expect(Math.max(...delays)).toBeLessThanOrEqual(POLL_SCHEDULE.capMs * (1 + POLL_SCHEDULE.jitter));
    expect(delays).toEqual([...delays].sort((a, b) => a - b));
  });

  it('notices a terminal status within about a second at any point of a long wait', () => {
    for (let attempt = 0; attempt < 50; attempt++)
      expect(pollDelayMs(attempt, Math.random)).toBeLessThanOrEqual(1200);
  });

  it('spreads polls with jitter', () => {
    expect(pollDelayMs(5, () => 0)).toBeLessThan(pollDelayMs(5, () => 1));
  });
});

describe('retries back off exponentially with full jitter', () => {
  it('grows with the attempt and stays under the cap', () => {
    expect(retryDelayMs(0, undefined, () => 1)).toBe(RETRY_SCHEDULE.baseMs);
    expect(retryDelayMs(3, undefined, () => 1)).toBe(RETRY_SCHEDULE.baseMs * 8);
    expect(retryDelayMs(30, undefined, () => 1)).toBe(RETRY_SCHEDULE.capMs);
  });

  it('waits at least as long as the service asked (Retry-After)', () => {
    expect(retryDelayMs(0, 5000, () => 0)).toBe(5000);
  });
});
