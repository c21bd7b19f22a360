// The follower's guess of when a request of a kind ends: started from the adapter's prior, moved
// later by reads that find requests running, earlier only by probes that find them finished.
// Pure: every time here is an input the test gives the estimate; no clock is read.
import { describe, expect, it } from '@jest/globals';
import { LatencyEstimate } from '../../../src/engine/limits/latency.js';

describe('how long a kind of request takes is learned from its reads', () => {
  it('starts from the prior, and a read that found a request running moves it past that time', () => {
    const estimate = new LatencyEstimate({ expectedMs: 2_000 });
    expect(estimate.expectedMs).toBe(2_000);
    estimate.sawRunning(4_000);
    // 2% past the sighting (80 ms), never less than 20 ms past it.
    expect(estimate.expectedMs).toBe(4_080);
    estimate.sawRunning(100);
    expect(estimate.expectedMs).toBe(4_080);
  });

  it('probes earlier only after a run of first reads that all found their request finished, one probe at a time', () => {
    const estimate = new LatencyEstimate({ expectedMs: 2_000 });
    for (let i = 0; i < 9; i++) estimate.sawFinished(true);
    expect(estimate.takeProbe()).toBe(false);
    estimate.sawFinished(true);
    expect(estimate.takeProbe()).toBe(true);
    expect(estimate.takeProbe()).toBe(false);
    // The first probe reaches 30% earlier than predicted.
    expect(estimate.probeAt()).toBe(1_400);
  });

  it('a probe that found its request finished moves the prediction there; one that did not leaves it', () => {
    const estimate = new LatencyEstimate({ expectedMs: 2_000 });
    for (let i = 0; i < 10; i++) estimate.sawFinished(true);
    estimate.takeProbe();
    const probeAt = estimate.probeAt();
    estimate.probed(true);
    expect(estimate.expectedMs).toBe(probeAt);
    for (let i = 0; i < 3; i++) estimate.sawFinished(true);
    expect(estimate.takeProbe()).toBe(true);
    estimate.probed(false);
    expect(estimate.expectedMs).toBe(probeAt);
  });

  it('follow-up reads come quickly, then further apart, never more than 5 s apart', () => {
    const estimate = new LatencyEstimate({ expectedMs: 2_000 });
    const gaps: number[] = [];
    let at = estimate.expectedMs;
    for (let followUps = 0; followUps < 12; followUps++) {
      const next = estimate.nextReadAt(at, followUps);
      gaps.push(next - at);
      at = next;
    }
    expect(gaps.slice(0, 3)).toEqual([600, 600, 600]);
    expect(gaps).toEqual([...gaps].sort((a, b) => a - b));
    expect(Math.max(...gaps)).toBe(5_000);
  });
});
