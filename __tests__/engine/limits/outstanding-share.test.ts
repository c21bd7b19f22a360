// The pure decisions behind a step's share of IAM Identity Center's 15 outstanding creates: what a
// refusal says the share is, what an accepted probe adds, and when the next probe goes.
import { describe, expect, it } from '@jest/globals';
import {
  MIN_PROBE_MS,
  nextHoldMs,
  probeAtOwnEnd,
  probeDelayMs,
  shareAfterProbe,
  shareAfterRefusal,
} from '../../../src/engine/limits/outstanding-share.js';

describe('a refusal for too many outstanding creates says what the step’s share is', () => {
  it('is the slots the step’s other creates hold: the instance is full with them in it', () => {
    expect(shareAfterRefusal(15, 7, 0)).toBe(7);
    expect(shareAfterRefusal(15, 0, 0)).toBe(0);
  });

  it('never grows the share, and keeps a floor when one is given', () => {
    expect(shareAfterRefusal(6, 7, 0)).toBe(6);
    expect(shareAfterRefusal(15, 0, 1)).toBe(1);
  });

  it('keeps what the step holds however much of the instance that is: the slots it gives up would stand idle until another job’s probe', () => {
    expect(shareAfterRefusal(15, 12, 0)).toBe(12);
    expect(shareAfterRefusal(15, 14, 0)).toBe(14);
  });

  it('an accepted probe adds one slot, up to the ceiling', () => {
    expect(shareAfterProbe(9, 15)).toBe(10);
    expect(shareAfterProbe(15, 15)).toBe(15);
  });

  it('probes accepted in a row add one slot, then two, then four: a share a refusal cut too far fills the instance again in a few round trips', () => {
    expect(shareAfterProbe(8, 15, 0)).toBe(9);
    expect(shareAfterProbe(9, 15, 1)).toBe(11);
    expect(shareAfterProbe(11, 15, 2)).toBe(15);
    expect(shareAfterProbe(2, 15, 9)).toBe(15);
  });
});

describe('the next probe goes when one of the others’ creates should have ended', () => {
  it('is a create’s hold divided among the slots the others hold', () => {
    expect(probeDelayMs(2_000, 5, 15, 0)).toBe(200);
    expect(probeDelayMs(2_000, 10, 15, 0)).toBe(400);
  });

  it('doubles with each probe refused in a row, up to half a create’s hold: a job that ended is found within half a hold', () => {
    expect(probeDelayMs(2_000, 5, 15, 1)).toBe(400);
    expect(probeDelayMs(2_000, 5, 15, 2)).toBe(800);
    expect(probeDelayMs(2_000, 5, 15, 3)).toBe(1_000);
    expect(probeDelayMs(2_000, 5, 15, 1_000)).toBe(1_000);
    expect(probeDelayMs(2_000, 14, 15, 0)).toBe(1_000);
  });

  it('goes at once when one of the step’s own creates ends (the others’ wave ends with it), at most once a quarter hold', () => {
    // No probe for a while: the next goes now rather than at its time.
    expect(probeAtOwnEnd(5_000, 0, 2_000, 3_000)).toBe(3_000);
    // One went 100 ms ago: the next goes a quarter hold after it.
    expect(probeAtOwnEnd(5_000, 2_900, 2_000, 3_000)).toBe(3_400);
    // Never later than it was due anyway.
    expect(probeAtOwnEnd(3_100, 2_900, 2_000, 3_000)).toBe(3_100);
  });

  it('is never shorter than MIN_PROBE_MS: a refused probe costs one of the instance’s 20 calls a second', () => {
    expect(probeDelayMs(300, 0, 15, 0)).toBe(MIN_PROBE_MS);
  });

  it('learns a create’s hold from the ones that ended, the newest weighing most', () => {
    expect(nextHoldMs(undefined, 2_000)).toBe(2_000);
    expect(nextHoldMs(2_000, 1_000)).toBe(1_700);
  });
});
