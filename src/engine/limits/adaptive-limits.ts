// Client-side limits for a quota shared with clients this step cannot see: other jobs of a matrix,
// other workflows, people, all on one IAM Identity Center instance (20 TPS and 15 outstanding
// creates for all of them together). Each limit starts at the whole quota (less a margin) and
// adapts (./aimd.ts): a refusal cuts it, calls answered grow it back, so several jobs sharing the
// quota converge on a share each instead of failing (the rate here; the outstanding creates, a
// count the step sees its own part of, in ./adaptive-semaphore.ts). Every wait ends at the step's
// deadline, as in ./limits.ts. A service that publishes no quota to fill is paced steadily
// instead (./limits.ts RateLimiter, which says why both exist).
import { Aimd, type AimdOptions } from './aimd.js';
import type { WaitBound } from './deadline.js';
import { WaitQueue } from './limits.js';
import { firstHeldAt, firstShare, laterMayLeaveAt, type WindowPlace } from './window-room.js';

/** Halving loses half of a quota to each refusal; 0.7 gives back less and converges as surely. */
const DECREASE = 0.7;
/** Growth per round while no refusal comes: 1, 2, 4, at most 4 (a fifth of either quota). */
const MAX_INCREASE = 4;

/**
 * At most `limit` calls in any `windowMs`, first come first served within a priority (lower
 * first). A sliding window rather than a steady pace: a service that counts calls per second lets
 * a burst through when the second before was quiet, and a batch's writes come in bursts (a wave
 * of creates whose slots freed together). A call holds its place from its turn until `windowMs`
 * after its answer came back: the service counted it at some moment between the two, so however
 * the network or a busy event loop delays or bunches calls, the service never sees more than the
 * limit within its window. The limit adapts: `refused` for a call the service throttled,
 * `answered` for one it let through. Priority 0 is first; while later calls wait, the window is
 * shared with them (./window-room.ts), keeping places for the first-priority calls `expect`ed.
 */
export class AdaptiveRateLimiter {
  private readonly aimd: Aimd;
  private readonly windowMs: number;
  /** The calls holding a place: until when (Infinity while unanswered), and whether of the first priority. */
  private readonly places = new Set<WindowPlace>();
  /** Places taken for waiters let go, not yet picked up by them (in the order they were let go). */
  private readonly handedOut: WindowPlace[] = [];
  /** When the last call of a later priority was let go. */
  private laterLetGoAt = -Infinity;
  private readonly queue = new WaitQueue();
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** A serve() is set for the end of this turn of the event loop. */
  private servingThisTurn = false;
  /** When first-priority calls are expected, by who expects them. */
  private readonly expected = new Map<object, number[]>();

  constructor(
    options: { ceiling: number; windowMs: number; floor?: number },
    private readonly now: () => number = Date.now,
  ) {
    this.windowMs = options.windowMs;
    this.aimd = new Aimd(aimdOptions(options.ceiling, options.floor));
  }

  /** How many calls may leave in one window now. */
  get limit(): number {
    return this.aimd.limit;
  }

  /**
   * Waits for the call's turn; resolves with the function to call once its answer came back.
   * NotSentError for `operation` if the bound ends first.
   */
  async take(operation = 'the call', bound?: WaitBound, priority = 0): Promise<() => void> {
    const turn = this.queue.rateLimitTurn(operation, bound, priority);
    this.serveThisTurn();
    await turn;
    // serve() took a place for each waiter it let go, in turn order: take the first.
    const place = this.handedOut.shift()!;
    return () => {
      if (place.until !== Infinity) return;
      place.until = this.now() + this.windowMs;
      this.serve();
    };
  }

  /**
   * First-priority calls `source` expects at these times (this limiter's clock; none: it expects
   * no more): later calls leave places for them.
   */
  expect(source: object, at: number[]): void {
    if (at.length === 0) this.expected.delete(source);
    else this.expected.set(source, at);
    // Served at the end of this turn: a follower withdraws an ended create's expectation a few
    // steps before the create that takes its slot comes, which must find the place kept for it.
    if (this.queue.length > 0) this.serveThisTurn();
  }

  /** The service throttled a call sent at `sentAt` (this limiter's clock). */
  refused(sentAt: number): void {
    this.aimd.refused(sentAt, this.now());
  }

  answered(): void {
    this.aimd.answered();
    if (this.queue.length > 0) this.serve();
  }

  /**
   * Serves once every call that comes in this turn of the event loop is waiting: calls that come
   * together compete by priority, not by which reached the limiter first (a delete's path to it is
   * shorter than a create's, which first takes its outstanding-create slot).
   */
  private serveThisTurn(): void {
    if (this.servingThisTurn) return;
    this.servingThisTurn = true;
    setImmediate(() => {
      this.servingThisTurn = false;
      this.serve();
    });
  }

  /** Lets waiters go while the window has room, and sets a timer for when it next will. */
  private serve(): void {
    const now = this.now();
    for (const place of this.places) if (place.until <= now) this.places.delete(place);
    let spacedUntil = -Infinity;
    while (this.queue.length > 0 && this.places.size < this.aimd.limit) {
      const laterWaits = this.queue.hasLaterThan(0);
      const first =
        this.queue.nextPriority! <= 0 &&
        (!laterWaits || firstHeldAt(this.places, now) < firstShare(this.aimd.limit));
      if (!first) {
        if (!laterWaits) break;
        spacedUntil = this.laterSpacedUntil();
        if (spacedUntil <= now) spacedUntil = this.laterRoomAt(now);
        if (spacedUntil > now) break;
        this.laterLetGoAt = now;
      }
      const place = { until: Infinity, first };
      this.places.add(place);
      this.handedOut.push(place);
      this.queue.next(first ? undefined : 0);
    }
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.queue.length === 0) return;
    // Room comes when an answered call's place runs out (an unanswered one's answer calls serve()),
    // or, for a later priority, when its spacing has passed or expected calls leave it room.
    const next = Math.min(
      ...[...this.places].map((p) => p.until),
      spacedUntil > now ? spacedUntil : Infinity,
    );
    if (next !== Infinity) this.timer = setTimeout(() => this.serve(), Math.max(1, next - now));
  }

  /** When a later call may leave without taking a place an expected first-priority call needs. */
  private laterRoomAt(now: number): number {
    if (this.expected.size === 0) return now;
    return laterMayLeaveAt([...this.places], [...this.expected.values()].flat(), {
      now,
      windowMs: this.windowMs,
      limit: this.aimd.limit,
    });
  }

  /**
   * While a first-priority call (a create, or the status read that frees its slot) is in the
   * window, calls of later priorities leave evenly, one per windowMs / limit, not in bursts: a
   * burst of deletes fills the window at once and frees it at once a window later, so a create
   * slot that frees in between waits for the whole burst to run out; spaced, a place runs out
   * every windowMs / limit and the create takes the next.
   */
  private laterSpacedUntil(): number {
    if (![...this.places].some((p) => p.first)) return -Infinity;
    return this.laterLetGoAt + this.windowMs / this.aimd.limit;
  }
}

/** How the adaptive rate adapts: the cut and the growth above. */
export function aimdOptions(ceiling: number, floor = 1): AimdOptions {
  return { ceiling, floor, decrease: DECREASE, increase: 1, maxIncrease: MAX_INCREASE };
}
