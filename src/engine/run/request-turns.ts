// When each request a RequestFollower (./follow.ts) follows is read: its turn, by its kind's
// LatencyEstimate until it is read and by what its reads found after, how soon before that turn
// a round may take it, and which requests a round takes, kind by kind. Kept apart from the
// follower, which sets the timer, makes the reads and judges what they found.
import type { LatencyEstimate } from '../limits/latency.js';
import type { FollowedRequest, StatusPacing, StatusSnapshot } from '../calls/status.js';

/** Reads due this soon are made in the same round (timers fire a little late or early). */
const SAME_ROUND_MS = 15;
/** Requests due within this fraction of the prediction (or one quick gap, when read before) join the round. */
const GATHER_FRACTION = 0.1;

/** One followed request and its turn. */
export class Followed {
  /** Once read: when to read it next (before, its kind's current prediction says). */
  private nextReadAt: number | undefined;
  /** Read first earlier than predicted, to find out whether writes got faster (latency.ts). */
  probe: boolean;
  /** Reads of it that found it still running. */
  runningReads = 0;
  /** A read a moment before its turn found it running: it kept its turn, and is not read early again. */
  keptTurn = false;
  /** A read of it is on its way. */
  busy = false;

  constructor(
    readonly request: FollowedRequest,
    readonly pacing: StatusPacing,
    /** Its kind's estimate (the follower's one for `pacing.key`). */
    readonly estimate: LatencyEstimate,
    readonly acceptedAt: number,
    readonly settle: (result: { snapshot: StatusSnapshot } | { error: unknown }) => void,
  ) {
    this.probe = estimate.takeProbe();
  }

  /** When to read it next: a request not read yet follows its kind's prediction as it moves. */
  dueAt(): number {
    if (this.nextReadAt !== undefined) return this.nextReadAt;
    return this.acceptedAt + (this.probe ? this.estimate.probeAt() : this.estimate.expectedMs);
  }

  /** How soon before its turn it may be read in a round: not at all once an early read found it running. */
  sameRoundMs(): number {
    return this.keptTurn ? 0 : SAME_ROUND_MS;
  }

  /** A read made `at` after its acceptance found it running: its next turn. */
  sawRunning(at: number): void {
    this.estimate.sawRunning(at);
    this.nextReadAt = this.acceptedAt + this.estimate.nextReadAt(at, this.runningReads);
    this.runningReads++;
  }

  /** How long after `now` a turn may be and the request still join a round made now (the gather window). */
  private gatherMs(): number {
    return this.runningReads > 0 ? this.estimate.quickGapMs() : this.estimate.expectedMs * GATHER_FRACTION;
  }

  /** Whether a round made at `now` reads it (`due`), may read it with others (`soon`), or neither. */
  turnAt(now: number): 'due' | 'soon' | undefined {
    const dueAt = this.dueAt();
    if (dueAt <= now + this.sameRoundMs()) return 'due';
    if (dueAt <= now + this.gatherMs()) return 'soon';
    return undefined;
  }
}

/** A round's requests of one kind: those due now, and those due within its gather window. */
export interface RoundOfKind {
  pacing: StatusPacing;
  due: Followed[];
  soon: Followed[];
}

/** What a round made at `now` takes of the requests not being read, kind by kind (in the order the kinds were first met). */
export function roundAt(followed: Iterable<Followed>, now: number): RoundOfKind[] {
  const byKey = new Map<string, RoundOfKind>();
  for (const f of followed) {
    if (f.busy) continue;
    const group = byKey.get(f.pacing.key) ?? { pacing: f.pacing, due: [], soon: [] };
    byKey.set(f.pacing.key, group);
    const turn = f.turnAt(now);
    if (turn) group[turn].push(f);
  }
  return [...byKey.values()];
}
