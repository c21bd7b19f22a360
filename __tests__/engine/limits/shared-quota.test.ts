// Steps sharing an IAM Identity Center instance's 20 calls a second as well as its 15 outstanding
// creates (scripts/bench/shared-quota-simulation.ts), on a fake clock: the action's own rate limiter
// and create slots, against an instance that throttles and refuses as the emulator does. What the
// outstanding creates alone (./shared-slots.test.ts) cannot show: the reads two jobs make before
// their first creates share the first wave's second with them.
import { describe, expect, it } from '@jest/globals';
import { simulateSharedQuota } from '../../../scripts/bench/shared-quota-simulation.js';

const twoReconciles = (readRounds: number[]) =>
  simulateSharedQuota({
    creates: [45, 45],
    startsMs: [0, 0],
    readRounds,
    writeMs: 2_000,
    roundTripMs: 10,
    gatherMs: 20,
  });

describe('two reconciles that start together share the first second with each other’s reads', () => {
  it('with two SSO Admin reads each, the first wave’s 15 creates all go at once, and the 90 end within 1.04 × the 12 s of six waves', async () => {
    const run = await twoReconciles([1, 1]);
    const firstWave = run.accepted.slice(0, 15).map((a) => a.at);
    expect(Math.max(...firstWave) - Math.min(...firstWave)).toBeLessThan(100);
    expect(run.makespanMs / 12_000).toBeLessThanOrEqual(1.04);
  });

  it('with three each, 6 reads and the 15 creates exceed the 20 calls of the second: one create waits a second for the rate, and its slot’s chain of six ends that second late', async () => {
    const run = await twoReconciles([1, 2]);
    const firstWave = run.accepted.slice(0, 15).map((a) => a.at);
    expect(firstWave.filter((at) => at < 100)).toHaveLength(14);
    expect(Math.max(...firstWave)).toBeGreaterThanOrEqual(1_000);
    // 90 creates are exactly six waves of 15: no other slot can take the late chain's sixth.
    expect(run.makespanMs).toBeGreaterThanOrEqual(Math.max(...firstWave) + 6 * 2_000);
  });

  it('one reconcile of 90 with its three reads is never throttled nor refused, and ends within 1.03 × its six waves', async () => {
    const run = await simulateSharedQuota({
      creates: [90],
      readRounds: [1, 2],
      writeMs: 2_000,
      roundTripMs: 10,
      gatherMs: 20,
    });
    expect(run.throttled).toBe(0);
    expect(run.refused).toBe(0);
    expect(run.makespanMs / 12_000).toBeLessThanOrEqual(1.03);
  });
});
