import { describe, expect, it } from '@jest/globals';
import { RETRY_SCHEDULE, retryDelayMs } from '../../../src/engine/limits/backoff.js';

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
