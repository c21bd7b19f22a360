// The limit on IAM Identity Center's outstanding CreateAccountAssignment requests (15 for the
// instance, whoever sends them): a count of writes the service has not finished, not a rate, so a
// semaphore rather than ./adaptive-limits.ts's window. A refusal sets the step's share to the slots
// its own creates hold, and the refused create waits for one of them to end, or for a probe's turn
// when others' may have (./outstanding-share.ts says why); every wait ends at the step's bound.
import { NotSentError, type WaitBound } from './deadline.js';
import { WaitQueue } from './limits.js';
import {
  DEFAULT_HOLD_MS,
  nextHoldMs,
  probeAtOwnEnd,
  probeDelayMs,
  shareAfterProbe,
  shareAfterRefusal,
} from './outstanding-share.js';

/** One holder's place in an AdaptiveSemaphore. */
export interface AdaptiveSlot {
  /** Gives the slot up (once; later calls do nothing). */
  release(): void;
  /** The holder's write was accepted: the service holds the slot until the write ends. */
  answered(): void;
  /**
   * The holder's write was refused for too many outstanding: the share becomes what the step's
   * other holders hold, the slot is given up, and the promise resolves once the holder has one
   * again (one of the step's own ends, or a probe's turn comes), ahead of new holders
   * (NotSentError if `bound` ends first).
   */
  refused(bound?: WaitBound): Promise<void>;
}

/** The time and the timers the semaphore goes by (tests move their own). */
export interface SlotClock {
  now(): number;
  /** Calls `tick` after `ms`; the returned function cancels it. */
  after(ms: number, tick: () => void): () => void;
}

const systemClock: SlotClock = {
  now: () => Date.now(),
  after(ms, tick) {
    const timer = setTimeout(tick, ms);
    return () => clearTimeout(timer);
  },
};

/**
 * At most `limit` holders at once (IAM Identity Center's outstanding CreateAccountAssignment
 * requests), where the limit is the step's share: a refusal sets it to what the step's other
 * holders hold, and a probe (one holder beyond it, when a slot of another client's should have
 * ended) that is accepted grows it by one. A cut never takes a slot from a holder whose write was
 * accepted: new holders wait until fewer than the new limit hold one.
 */
export class AdaptiveSemaphore {
  private share: number;
  private readonly ceiling: number;
  private readonly floor: number;
  private active = 0;
  private readonly queue = new WaitQueue();
  /** A holder was let in beyond the share and has no answer yet. */
  private probing = false;
  /** Probes refused since the last accepted one (each doubles the wait for the next). */
  private refusedInARow = 0;
  /** Probes accepted since the last refusal (each doubles what the next accepted one adds). */
  private acceptedInARow = 0;
  /** When the next probe may go. */
  private probeAt = -Infinity;
  /** When the last probe went. */
  private lastProbeAt = -Infinity;
  private cancelProbe: (() => void) | undefined;
  /** The turns admit() gave and their waiters have not resumed from yet: whether each is a probe. */
  private readonly turns: boolean[] = [];
  /** How long an accepted create holds its slot (measured; DEFAULT_HOLD_MS until one ended). */
  private holdMs: number | undefined;

  constructor(
    options: { ceiling: number; floor?: number },
    /** What a waiter waits for, in words, for NotSentError. */
    private readonly describe: string,
    private readonly clock: SlotClock = systemClock,
  ) {
    this.ceiling = options.ceiling;
    this.floor = options.floor ?? 0;
    this.share = options.ceiling;
  }

  /** The step's share now: how many may hold a slot without probing. */
  get limit(): number {
    return this.share;
  }

  /** How many hold a slot now. */
  get holders(): number {
    return this.active;
  }

  /** A slot, once one is free; NotSentError for `operation` if the bound ends first. */
  async acquire(operation: string, bound?: WaitBound): Promise<AdaptiveSlot> {
    let probe = await this.enter(operation, bound, 0);
    let held = true;
    let acceptedAt: number | undefined;
    const leave = () => {
      if (!held) return;
      held = false;
      this.active--;
      if (probe) this.probing = false;
      if (acceptedAt !== undefined) this.ownEnded(acceptedAt);
      acceptedAt = undefined;
      this.admit();
    };
    return {
      release: leave,
      answered: () => {
        acceptedAt = this.clock.now();
        if (probe) this.probeAccepted();
        probe = false;
      },
      refused: async (again) => {
        this.cut(probe);
        probe = false;
        leave();
        // Ahead of holders not yet served: a refused write has waited longest.
        probe = await this.enter(operation, again, -1);
        held = true;
      },
    };
  }

  /** One of the step's own accepted creates ended: its hold is learnt, and a probe may go now. */
  private ownEnded(acceptedAt: number): void {
    const now = this.clock.now();
    this.holdMs = nextHoldMs(this.holdMs, now - acceptedAt);
    if (this.share < this.ceiling)
      this.probeAt = probeAtOwnEnd(this.probeAt, this.lastProbeAt, this.holdMs, now);
  }

  /** A probe was accepted: the instance had a slot beyond the share, so the share grows (more each time in a row). */
  private probeAccepted(): void {
    this.probing = false;
    this.share = shareAfterProbe(this.share, this.ceiling, this.acceptedInARow++);
    this.refusedInARow = 0;
    // A slot was free: another may be, so the next probe goes at once.
    this.probeAt = -Infinity;
    this.admit();
  }

  /** A holder's write was refused: the share is what the others hold; the next probe waits. */
  private cut(probe: boolean): void {
    if (probe) this.probing = false;
    this.refusedInARow = probe ? this.refusedInARow + 1 : 0;
    this.acceptedInARow = 0;
    this.share = shareAfterRefusal(this.share, this.active - 1, this.floor);
    const delay = probeDelayMs(this.holdMs ?? DEFAULT_HOLD_MS, this.share, this.ceiling, this.refusedInARow);
    this.probeAt = this.clock.now() + delay;
  }

  /** Waits for a slot; whether it was given as a probe (beyond the share). */
  private async enter(operation: string, bound: WaitBound | undefined, priority: number): Promise<boolean> {
    if (bound && (bound.deadline.passed || bound.signal?.aborted === true))
      throw new NotSentError(operation, this.describe, bound.deadline);
    // An admitted waiter is counted by admit(), before its turn comes.
    if (this.active < this.share && this.queue.length === 0) {
      this.active++;
      return false;
    }
    const turn = this.queue.wait(
      bound,
      () => new NotSentError(operation, this.describe, bound!.deadline),
      priority,
    );
    this.admit();
    await turn;
    // Turns resume in the order admit() gave them, which noted each.
    return this.turns.shift() ?? false;
  }

  /** Lets waiters in while the share has room, then one probe beyond it when its time has come. */
  private admit(): void {
    while (this.active < this.share && this.queue.length > 0) {
      this.active++;
      this.turns.push(false);
      this.queue.next();
    }
    this.cancelProbe?.();
    this.cancelProbe = undefined;
    if (this.queue.length === 0 || this.probing || this.share >= this.ceiling) return;
    const wait = this.probeAt - this.clock.now();
    if (wait > 0) {
      this.cancelProbe = this.clock.after(wait, () => {
        this.cancelProbe = undefined;
        this.admit();
      });
      return;
    }
    this.probing = true;
    this.lastProbeAt = this.clock.now();
    this.active++;
    this.turns.push(true);
    this.queue.next();
  }
}
