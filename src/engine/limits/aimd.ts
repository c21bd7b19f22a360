// Additive increase, multiplicative decrease: how a client that shares a quota with others it
// cannot see (other jobs of a matrix, other workflows on one IAM Identity Center instance) finds
// its share. Each refusal cuts the limit by a factor; each limit's worth of calls answered without
// one adds to it. Clients that all do this converge on a fair split of the quota (Chiu and Jain's
// result, which TCP's congestion control rests on) instead of failing. The step grows while no
// refusal comes (1, 2, 4 … per limit's worth, as BIC's probing does), so a client left alone when
// the others finish takes the whole quota back in a few rounds rather than one slot a round.
// Pure: the caller says when each call was sent, on a clock of its choice.

export interface AimdOptions {
  /** The most the limit may be: the published quota (or the share a lone client keeps below it). */
  ceiling: number;
  /** The least it may be: a client must keep making progress, however crowded the quota. */
  floor: number;
  /** What the limit is multiplied by on a refusal. */
  decrease: number;
  /** What the limit grows by once a limit's worth of calls was answered, after a refusal. */
  increase: number;
  /** The most the step may grow to, doubling each limit's worth answered in a row (default: `increase`). */
  maxIncrease?: number;
}

export class Aimd {
  private current: number;
  /** When the last decrease happened (on the caller's clock); -Infinity before any. */
  private lastDecreaseAt = -Infinity;
  /** The increase per limit's worth of answered calls now. */
  private step: number;
  /** Calls answered in this round, and how many make it: the limit when it began. */
  private answeredInRound = 0;
  private roundSize: number;

  constructor(
    private readonly options: AimdOptions,
    /** Where it starts: the ceiling, unless a caller knows better. */
    start = options.ceiling,
  ) {
    this.current = clamp(start, options.floor, options.ceiling);
    this.step = options.increase;
    this.roundSize = this.limit;
  }

  /** The limit now, a whole number of calls (or slots). */
  get limit(): number {
    return Math.floor(this.current);
  }

  /** A call was answered: the limit grows by the step for every limit's worth of them. */
  answered(): void {
    const { ceiling, increase, maxIncrease = increase } = this.options;
    this.current = Math.min(ceiling, this.current + this.step / this.roundSize);
    if (++this.answeredInRound >= this.roundSize) this.newRound(Math.min(maxIncrease, this.step * 2));
  }

  /**
   * A call sent at `sentAt` was refused for the quota. Refusals of calls sent before the last
   * decrease took effect are of the same crowding, already answered: only the first of them cuts.
   * Returns whether the limit was cut.
   */
  refused(sentAt: number, now: number): boolean {
    if (sentAt <= this.lastDecreaseAt) return false;
    const { floor, decrease } = this.options;
    this.current = Math.max(floor, this.current * decrease);
    this.lastDecreaseAt = now;
    this.newRound(this.options.increase);
    return true;
  }

  private newRound(step: number): void {
    this.step = step;
    this.answeredInRound = 0;
    this.roundSize = Math.max(1, this.limit);
  }
}

function clamp(value: number, floor: number, ceiling: number): number {
  return Math.min(ceiling, Math.max(floor, value));
}
