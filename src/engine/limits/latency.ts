// How long the writes of one kind take to finish, learned as a batch runs, and when to read a
// request's status because of it. Pure: times are milliseconds since the request was accepted,
// and the caller owns the clock.
//
// A status read that finds the request still running is a call spent on nothing, and each one
// spends the 20 calls a second that the creates need too; a read long after the request finished
// holds its quota slot for nothing. So each request is read once at its predicted completion,
// then a few times quickly after it, then less and less often (a request that runs long costs few
// reads). The prediction comes from what the batch has seen so far:
// - a read that finds a request still running at `t` proves writes can take longer than `t`: the
//   prediction moves past `t` at once, for every request not read yet;
// - after a run of first reads that all found their request finished, one request is read
//   earlier than predicted, a probe: if it had finished, the prediction moves there, and the next
//   probe comes sooner and reaches further; if not, it cost one read, and the next probe comes
//   later and reaches less far (the request is then read when predicted, like any other).

/** The guess before anything has finished; the adapters know their service. */
export interface LatencyPrior {
  /** When a write of this kind is expected to have finished. */
  expectedMs: number;
}

/** How far past a still-running sighting the prediction moves (a fraction of it, at least the minimum). */
const PAST_SIGHTING = { fraction: 0.02, minMs: 20 } as const;
/**
 * Probes: how much earlier than predicted (a fraction of the prediction, first and at most / at
 * least), and after how many first reads in a row that found their request finished (after a
 * probe that found it finished / after one that did not).
 */
const PROBE = { reach: 0.3, maxReach: 0.5, minReach: 0.05, after: 10, afterSuccess: 3 } as const;
/** Until this many have finished, the prediction is the prior's and follow-ups are spaced for it. */
const WARM_AFTER = 3;
/** Quick reads after a read that came too early: this fraction of the prediction apart, this many. */
const QUICK = { coldFraction: 0.3, warmFraction: 0.1, minMs: 100, count: 3 } as const;
/** Then the gap grows by this factor up to the cap. */
const SLOWER = { factor: 1.5, capMs: 5_000 } as const;

export class LatencyEstimate {
  private predictedMs: number;
  private finishedCount = 0;
  private firstReadsFinishedInARow = 0;
  private probeReach: number = PROBE.reach;
  private probeAfter: number = PROBE.after;
  private probing = false;

  constructor(private readonly prior: LatencyPrior) {
    this.predictedMs = prior.expectedMs;
  }

  /** The predicted completion, ms after acceptance: when to read a request first. */
  get expectedMs(): number {
    return this.predictedMs;
  }

  /**
   * Whether the next request to be followed should be a probe (read first at `probeAt()`): only
   * one at a time, after a run of first reads that all found their request finished.
   */
  takeProbe(): boolean {
    if (this.probing || this.firstReadsFinishedInARow < this.probeAfter) return false;
    this.probing = true;
    return true;
  }

  /** When a probe is read first. */
  probeAt(): number {
    return this.predictedMs * (1 - this.probeReach);
  }

  /** What the probe's first read found. */
  probed(finished: boolean): void {
    this.probing = false;
    this.firstReadsFinishedInARow = 0;
    if (finished) {
      this.predictedMs = this.probeAt();
      this.probeReach = Math.min(PROBE.maxReach, this.probeReach * 1.5);
      this.probeAfter = PROBE.afterSuccess;
    } else {
      this.probeReach = Math.max(PROBE.minReach, this.probeReach / 2);
      this.probeAfter = PROBE.after;
    }
  }

  /** The gap between quick follow-up reads. */
  quickGapMs(): number {
    const spacing =
      this.finishedCount < WARM_AFTER
        ? this.prior.expectedMs * QUICK.coldFraction
        : this.predictedMs * QUICK.warmFraction;
    return Math.max(QUICK.minMs, spacing);
  }

  /**
   * When to read again after the `followUps`-th read (0: the first) found the request still
   * running at `runningAt`: quickly at first, then less often.
   */
  nextReadAt(runningAt: number, followUps: number): number {
    const quick = this.quickGapMs();
    const gap =
      followUps < QUICK.count
        ? quick
        : Math.min(SLOWER.capMs, quick * SLOWER.factor ** (followUps - QUICK.count + 1));
    return runningAt + gap;
  }

  /** A read found a request still running at `at`. */
  sawRunning(at: number): void {
    this.firstReadsFinishedInARow = 0;
    this.predictedMs = Math.max(
      this.predictedMs,
      at + Math.max(PAST_SIGHTING.minMs, at * PAST_SIGHTING.fraction),
    );
  }

  /** A read found a request finished (`firstRead`: its first read did). */
  sawFinished(firstRead: boolean): void {
    this.finishedCount++;
    if (firstRead) this.firstReadsFinishedInARow++;
  }
}
