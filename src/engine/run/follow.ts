// Follows accepted requests to a terminal status, spending as few status reads as it can: each
// request is read near the completion its kind's LatencyEstimate predicts, and when several are
// due within a moment of each other, one call that reads many (AWS's
// ListAccountAssignmentCreationStatus) replaces a read each, as long as it keeps showing the
// requests it is asked about; such reads wait a moment for requests due just after (../calls/planned-reads.ts).
// Every request of a step goes through one follower, so what one completion teaches serves the next.
// When each request is read, and which a round takes, is ./request-turns.ts's.
import { CloudAccessError } from '../../core/errors.js';
import { whenBoundEnds, type WaitBound } from '../limits/deadline.js';
import { LatencyEstimate } from '../limits/latency.js';
import { nextRoundAt, plannedReads, type Due } from '../calls/planned-reads.js';
import {
  DEFAULT_PACING,
  type FollowedRequest,
  type StatusPacing,
  type StatusSnapshot,
} from '../calls/status.js';
import { Followed, roundAt } from './request-turns.js';

/**
 * A many-at-once read is made when it is expected to show at least this many requests due now or
 * within the gather window: it spares a read for each but one.
 */
const SHOWN_FOR_MANY_AT_ONCE = 2;

export class RequestFollower {
  private readonly estimates = new Map<string, LatencyEstimate>();
  /** Per key: how many requests many-at-once reads were asked about, and showed. */
  private readonly manyAtOnce = new Map<string, { asked: number; shown: number }>();
  private readonly waiting = new Set<Followed>();
  /** Pacings told of this follower's reads, each with the object it is told under (expectReads' source). */
  private readonly announced = new Map<StatusPacing, object>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopWatchingBound: (() => void) | undefined;

  constructor(
    private readonly bound: WaitBound,
    private readonly now: () => number = Date.now,
  ) {}

  /** The estimate for `pacing`'s key (for tests and logs). */
  estimateFor(pacing: StatusPacing): LatencyEstimate {
    let estimate = this.estimates.get(pacing.key);
    if (!estimate) {
      estimate = new LatencyEstimate(pacing);
      this.estimates.set(pacing.key, estimate);
    }
    return estimate;
  }

  /**
   * The request's terminal snapshot, or IN_PROGRESS when the deadline passes first. A failed
   * read rejects (the caller reports it); so does cancellation.
   */
  follow(request: FollowedRequest): Promise<StatusSnapshot> {
    if (this.bound.signal?.aborted) return Promise.reject(this.cancelled(request));
    if (this.bound.deadline.passed) return Promise.resolve({ status: 'IN_PROGRESS' });
    return new Promise((resolve, reject) => {
      const pacing = request.pacing ?? DEFAULT_PACING;
      const estimate = this.estimateFor(pacing);
      const followed = new Followed(request, pacing, estimate, this.now(), (result) => {
        if (!this.waiting.delete(followed)) return;
        // A probe that ends unread (the deadline, an error) leaves room for the next one.
        if (followed.probe) estimate.probed(false);
        if ('snapshot' in result) resolve(result.snapshot);
        else reject(result.error);
        this.schedule();
      });
      this.waiting.add(followed);
      this.schedule();
    });
  }

  /** Sets the timer for the next due read, and ends every wait at the deadline or on cancellation. */
  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.announce();
    if (this.waiting.size === 0) {
      this.stopWatchingBound?.();
      this.stopWatchingBound = undefined;
      return;
    }
    this.stopWatchingBound ??= whenBoundEnds(this.bound, () => {
      this.stopWatchingBound = undefined;
      for (const f of [...this.waiting]) {
        f.settle(
          this.bound.signal?.aborted
            ? { error: this.cancelled(f.request) }
            : { snapshot: { status: 'IN_PROGRESS' } },
        );
      }
    });
    const next = nextRoundAt(
      [...this.waiting]
        .filter((f) => !f.busy)
        .map((f) => ({ at: f.dueAt(), key: f.pacing.key, together: f.pacing.readMany !== undefined })),
    );
    if (next === undefined) return;
    this.timer = setTimeout(() => this.round(), Math.max(0, next - this.now()));
  }

  /** Tells each pacing that asks which reads of its requests are ahead (../calls/planned-reads.ts). */
  private announce(): void {
    const dues = new Map<StatusPacing, Due[]>([...this.announced.keys()].map((p) => [p, []]));
    for (const f of this.waiting) {
      if (!f.pacing.expectReads) continue;
      if (!dues.has(f.pacing)) dues.set(f.pacing, []);
      dues.get(f.pacing)!.push({ at: f.dueAt(), underway: f.busy });
    }
    for (const [pacing, due] of dues) {
      const source = this.announced.get(pacing) ?? {};
      pacing.expectReads!(source, plannedReads(due, this.now(), pacing.readMany !== undefined));
      if (due.length === 0) this.announced.delete(pacing);
      else this.announced.set(pacing, source);
    }
  }

  /**
   * Reads what is due. Where a kind can be read many at once, the requests due within a moment
   * (the gather window) are read with one call when it is likely to show at least two of them.
   */
  private round(): void {
    this.timer = undefined;
    for (const { pacing, due, soon } of roundAt(this.waiting, this.now())) {
      if (due.length === 0) continue;
      const candidates = [...due, ...soon];
      if (pacing.readMany && candidates.length * this.showOdds(pacing) >= SHOWN_FOR_MANY_AT_ONCE)
        void this.readMany(pacing, candidates);
      else for (const f of due) void this.readOne(f);
    }
    this.schedule();
  }

  /**
   * How likely a many-at-once read of this kind shows a request it is asked about: taken to be
   * likely until tried, then as counted (a service whose pages do not show the requests asked
   * about soon stops being asked).
   */
  private showOdds(pacing: StatusPacing): number {
    const { asked, shown } = this.manyAtOnce.get(pacing.key) ?? { asked: 0, shown: 0 };
    return (shown + 2) / (asked + 2);
  }

  /** One status read of one request. */
  private async readOne(f: Followed): Promise<void> {
    f.busy = true;
    const sentAt = this.now() - f.acceptedAt;
    let snapshot: StatusSnapshot;
    try {
      snapshot = await f.request.poll();
    } catch (error) {
      f.busy = false;
      f.settle({ error: this.bound.signal?.aborted ? this.cancelled(f.request) : error });
      return;
    }
    f.busy = false;
    this.judge(f, snapshot, sentAt);
  }

  /** What one read of `f` (made `sentAt` after its acceptance) found. */
  private judge(f: Followed, snapshot: StatusSnapshot, sentAt: number): void {
    if (f.probe) {
      // A probe that found it running is read again when predicted, like any other request.
      f.probe = false;
      f.estimate.probed(snapshot.status !== 'IN_PROGRESS');
      if (snapshot.status === 'IN_PROGRESS' && snapshot.awaiting === undefined) {
        this.schedule();
        return;
      }
    }
    if (snapshot.status === 'IN_PROGRESS' && snapshot.awaiting === undefined) {
      // Read a moment before its turn (a round takes in the reads due within SAME_ROUND_MS,
      // ./request-turns.ts), it may end in that moment: it is read again at its turn, not a
      // follow-up gap later (a wait that holds its create slot, and delays every create after it
      // in the slot).
      if (f.acceptedAt + sentAt < f.dueAt()) {
        f.keptTurn = true;
        this.schedule();
        return;
      }
      f.sawRunning(sentAt);
      this.schedule();
      return;
    }
    // A request that stopped to await an approval says nothing of how long writes take.
    if (snapshot.awaiting === undefined) f.estimate.sawFinished(f.runningReads === 0);
    f.settle({ snapshot });
  }

  /**
   * One call for every request of this kind accepted before it, due or not: a request it shows
   * finished ends there; one it shows running is read again later if this was its turn, and keeps
   * its turn if not; one it does not show is read on its own when due. `read` are the requests it
   * was made for, which count towards how often such reads show what they are asked about.
   */
  private async readMany(pacing: StatusPacing, read: Followed[]): Promise<void> {
    const sentAtClock = this.now();
    const members = [...this.waiting].filter(
      (f) => f.pacing.key === pacing.key && !f.busy && f.acceptedAt < sentAtClock,
    );
    for (const f of members) f.busy = true;
    let shown: Map<string, StatusSnapshot>;
    try {
      shown = await pacing.readMany!(members.map((f) => f.request.requestId));
    } catch {
      // The call failed: each request due is read on its own instead; the others keep their turn.
      shown = new Map();
    }
    const counts = this.manyAtOnce.get(pacing.key) ?? { asked: 0, shown: 0 };
    this.manyAtOnce.set(pacing.key, counts);
    for (const f of members) {
      f.busy = false;
      if (!this.waiting.has(f)) continue;
      const snapshot = shown.get(f.request.requestId);
      if (read.includes(f)) {
        counts.asked++;
        if (snapshot) counts.shown++;
      }
      // Seen running before its turn: it keeps its turn (the read told nothing new).
      const due = f.dueAt() <= sentAtClock + f.sameRoundMs();
      if (snapshot && (due || snapshot.status !== 'IN_PROGRESS'))
        this.judge(f, snapshot, sentAtClock - f.acceptedAt);
      else if (!snapshot && due) void this.readOne(f);
    }
    this.schedule();
  }

  private cancelled(request: FollowedRequest): CloudAccessError {
    return new CloudAccessError(
      `the step was cancelled while request ${request.requestId} was running; it may still finish`,
    );
  }
}
