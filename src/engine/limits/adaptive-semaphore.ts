// The limit on IAM Identity Center's outstanding CreateAccountAssignment requests (15 for the
// instance, whoever sends them): a count of writes the service has not finished, not a rate, so a
// semaphore rather than ./adaptive-limits.ts's window; it adapts to refusals as that limiter does
// (its aimdOptions), and every wait ends at the step's bound.
import { Aimd } from './aimd.js';
import { aimdOptions } from './adaptive-limits.js';
import { NotSentError, type WaitBound } from './deadline.js';
import { WaitQueue } from './limits.js';

/** One holder's place in an AdaptiveSemaphore. */
export interface AdaptiveSlot {
  /** Gives the slot up (once; later calls do nothing). */
  release(): void;
  /**
   * The holder's write sent at `sentAt` was refused for too many outstanding: the limit is cut,
   * the slot given up, and the promise resolves once the holder has one again, ahead of new
   * holders (NotSentError if `bound` ends first).
   */
  refused(sentAt: number, bound?: WaitBound): Promise<void>;
}

/**
 * At most `limit` holders at once (IAM Identity Center's outstanding CreateAccountAssignment
 * requests), where the limit adapts: a holder's refused write cuts it, an accepted one (`answered`)
 * grows it. A cut never takes a slot from a holder whose write was accepted: new holders wait
 * until fewer than the new limit hold one, so the step's own writes ending make room for its next.
 */
export class AdaptiveSemaphore {
  private readonly aimd: Aimd;
  private active = 0;
  private readonly queue = new WaitQueue();

  constructor(
    options: { ceiling: number; floor?: number },
    /** What a waiter waits for, in words, for NotSentError. */
    private readonly describe: string,
    private readonly now: () => number = Date.now,
  ) {
    this.aimd = new Aimd(aimdOptions(options.ceiling, options.floor));
  }

  get limit(): number {
    return this.aimd.limit;
  }

  /** How many hold a slot now. */
  get holders(): number {
    return this.active;
  }

  /** A slot, once one is free; NotSentError for `operation` if the bound ends first. */
  async acquire(operation: string, bound?: WaitBound): Promise<AdaptiveSlot> {
    await this.enter(operation, bound, 0);
    let held = true;
    const leave = () => {
      if (!held) return;
      held = false;
      this.active--;
      this.admit();
    };
    return {
      release: leave,
      refused: async (sentAt, again) => {
        this.aimd.refused(sentAt, this.now());
        leave();
        // Ahead of holders not yet served: a refused write has waited longest.
        await this.enter(operation, again, -1);
        held = true;
      },
    };
  }

  /** A holder's write was accepted: the limit may grow, and let a waiter in. */
  answered(): void {
    this.aimd.answered();
    this.admit();
  }

  private async enter(operation: string, bound: WaitBound | undefined, priority: number): Promise<void> {
    if (bound && (bound.deadline.passed || bound.signal?.aborted === true))
      throw new NotSentError(operation, this.describe, bound.deadline);
    // An admitted waiter is counted by admit(), before its turn comes.
    if (this.active < this.aimd.limit && this.queue.length === 0) this.active++;
    else
      await this.queue.wait(
        bound,
        () => new NotSentError(operation, this.describe, bound!.deadline),
        priority,
      );
  }

  private admit(): void {
    while (this.active < this.aimd.limit && this.queue.length > 0) {
      this.active++;
      this.queue.next();
    }
  }
}
