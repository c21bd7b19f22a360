// Runs a plan of writes of any kinds (../calls/write-plan.ts): each write starts once the writes before
// it by its kinds' declared order have ended and what it needs has SUCCEEDED, with at most
// `maxConcurrency` (the step's one `max-concurrency`) in flight across every kind's creates and
// updates, and as many again of its deletes, lowest index first among those ready. A write whose
// need failed is not sent: its plan says why, or it is held. No write starts once the deadline
// has passed. Once a write has SUCCEEDED, each effect another kind registered on writes like it
// (`effects`: the kind that owns what the effect changes) adds its writes after it, so an effect
// runs on every path that makes such a write.
// What an effect's write comes to amends the row of the write it followed (`amends`), and a
// write's writer is told of it (`settled`) only once the writes that followed it have ended. A
// gathered effect's writes wait until every write like the one they follow has ended. What each
// write waits for is kept by ./write-waits.ts.
import type { KindName } from '../../core/kinds/index.js';
import type { AuditTrail } from '../audit/trail.js';
import type { WaitBound } from '../limits/deadline.js';
import {
  addressedWrites,
  type KindWriter,
  type PlannedWriteOf,
  type WriteEffect,
  type WriteEnded,
  type WritePlan,
} from '../calls/write-plan.js';
import { ReadyWrites } from './ready-writes.js';
import { WriteWaits } from './write-waits.js';

export interface RunWritesOptions {
  maxConcurrency: number;
  bound: WaitBound;
  writerOf(kind: KindName): KindWriter;
  effects?: readonly WriteEffect[];
  /** `audit-log` (none in a dry run): the changes writes record of their own (WriteContext.recordChange). */
  audit?: AuditTrail | undefined;
}

/** Each planned write's end (undefined: held, its need failed), then each effect's writes' ends. */
export interface WritesRun {
  ends: (WriteEnded | undefined)[];
  effects: { write: PlannedWriteOf; ended: WriteEnded | undefined; after: number }[];
}

export async function runWrites(plan: WritePlan, options: RunWritesOptions): Promise<WritesRun> {
  const scheduler = new Scheduler(addressedWrites(plan.writes), options);
  await scheduler.run();
  const planned = plan.writes.length;
  return {
    ends: scheduler.ends.slice(0, planned),
    effects: scheduler.writes.slice(planned).map((write, i) => ({
      write,
      ended: scheduler.ends[planned + i],
      after: scheduler.followed.get(planned + i)!,
    })),
  };
}

/**
 * Deletes have places of their own. A create may hold its place while it waits for a quota slot
 * of its kind (IAM Identity Center's 15 outstanding creates), which a delete needs none of: in one
 * pool, the deletes of a reconcile that also creates waited behind every create (150 creates and
 * 150 deletes at 100 places took 1.29x their quota bound, 1.12x with places of their own).
 */
type Lane = 'deletes' | 'others';
const laneOf = (write: PlannedWriteOf): Lane => (write.change === 'delete' ? 'deletes' : 'others');

class Scheduler {
  readonly writes: PlannedWriteOf[];
  readonly ends: (WriteEnded | undefined)[] = [];
  /** What each write waits for, and which may be due. */
  private readonly waits: WriteWaits;
  /** Per lane: writes whose predecessors have all ended, not started yet, by index; and how many are in flight. */
  private readonly lanes: Record<Lane, { ready: ReadyWrites; inFlight: number }> = {
    others: { ready: new ReadyWrites(), inFlight: 0 },
    deletes: { ready: new ReadyWrites(), inFlight: 0 },
  };
  private advancing = false;
  /** The writer of each write an effect added, by index. */
  private readonly effectWriters = new Map<number, KindWriter>();
  /** The write each effect's write followed, by index. */
  readonly followed = new Map<number, number>();
  /** Per write, how many of the writes effects added after it have not ended. */
  private readonly following = new Map<number, number>();
  private again = false;
  private readonly running = new Set<Promise<void>>();
  private finished!: () => void;
  private failed!: (error: unknown) => void;

  constructor(
    writes: readonly PlannedWriteOf[],
    private readonly options: RunWritesOptions,
  ) {
    this.writes = [...writes];
    this.waits = new WriteWaits(writes);
  }

  run(): Promise<void> {
    const done = new Promise<void>((resolve, reject) => {
      this.finished = resolve;
      this.failed = reject;
    });
    this.writes.forEach((_, i) => this.waits.wait(i));
    this.advance();
    return done;
  }

  /** Moves every write whose turn may have come along, starts what the places allow, and ends when all have. */
  private advance(): void {
    // Called again from within (a write ended without being sent): the loop under way goes round once more.
    if (this.advancing) {
      this.again = true;
      return;
    }
    this.advancing = true;
    try {
      do {
        this.again = false;
        this.moveAlong();
      } while (this.again);
    } finally {
      this.advancing = false;
    }
    const readyLeft = this.lanes.others.ready.size + this.lanes.deletes.ready.size;
    if (this.waits.size === 0 && readyLeft === 0 && this.running.size === 0) this.finished();
  }

  /** Looks only at the writes an end may have made due, never at every waiting write again. */
  private moveAlong(): void {
    // In the order they became due (ascending, mostly): each goes in at the end of `ready`.
    for (let i = this.waits.nextDue(); i !== undefined; i = this.waits.nextDue()) {
      const unmet = this.waits.unmetNeeds(i);
      if (unmet)
        this.end(
          i,
          unmet.error ? this.writerOf(i).unsent(this.writes[i]!, { refused: unmet.error }) : undefined,
        );
      else this.lanes[laneOf(this.writes[i]!)].ready.insert(i);
    }
    for (const lane of Object.values(this.lanes))
      while (lane.inFlight < Math.max(1, this.options.maxConcurrency) && lane.ready.size > 0)
        this.start(lane.ready.shift());
  }

  private writerOf(i: number): KindWriter {
    return this.effectWriters.get(i) ?? this.options.writerOf(this.writes[i]!.kind);
  }

  private start(i: number): void {
    const write = this.writes[i]!;
    const writer = this.writerOf(i);
    const { deadline, signal } = this.options.bound;
    if (deadline.passed || signal?.aborted === true) {
      this.end(i, writer.unsent(write, { deadline }));
      return;
    }
    const lane = this.lanes[laneOf(write)];
    // While this write is in flight, the reads of the one `maxConcurrency` places later are made.
    const later = lane.ready.at(this.options.maxConcurrency - 1);
    if (later !== undefined) this.writerOf(later).readAhead?.(this.writes[later]!);
    const needs = write.needs;
    const item = needs?.bind ? needs.bind((needs.all ?? []).map((n) => this.ends[n]?.answer)) : write.item;
    lane.inFlight++;
    let placeHeld = true;
    const release = () => {
      if (!placeHeld) return;
      placeHeld = false;
      lane.inFlight--;
      this.advance();
    };
    const audit = this.options.audit;
    const context = { release, ...(audit ? { recordChange: audit.changeRecorder } : {}) };
    const running: Promise<void> = writer.write(write, item, context).then(
      (ended) => {
        release();
        this.running.delete(running);
        this.end(i, ended);
      },
      (error: unknown) => this.failed(error),
    );
    this.running.add(running);
  }

  private end(i: number, ended: WriteEnded | undefined): void {
    this.ends[i] = ended;
    this.waits.end(i, ended?.status === 'SUCCEEDED');
    const after = this.followed.get(i);
    if (after !== undefined && ended?.amends) this.amend(after, ended.amends);
    if (ended?.status === 'SUCCEEDED' || ended?.status === 'IN_PROGRESS') this.addEffects(i, ended);
    if ((this.following.get(i) ?? 0) === 0) this.settle(i);
    this.advance();
  }

  /** The first row of write `i`, with what an effect's write added to it. */
  private amend(i: number, amends: NonNullable<WriteEnded['amends']>): void {
    const ended = this.ends[i];
    const [first, ...rest] = ended?.rows ?? [];
    if (!ended || !first) return;
    // Each effect's fields keep their own place under `effects`: one effect's never replaces another's.
    const effects =
      first.effects || amends.effects ? { effects: { ...first.effects, ...amends.effects } } : {};
    this.ends[i] = { ...ended, rows: [{ ...first, ...amends, ...effects }, ...rest] };
  }

  /**
   * Write `i` and every write that followed it have ended: its writer is told, the writes after it
   * may start (an effect is part of the write it follows: a write ordered after that one waits
   * for what its effects wrote too), and then the write it followed is settled in turn.
   */
  private settle(i: number): void {
    this.writerOf(i).settled?.(this.writes[i]!, this.ends[i]);
    this.waits.settle(i);
    const after = this.followed.get(i);
    if (after === undefined) return;
    const left = this.following.get(after)! - 1;
    this.following.set(after, left);
    if (left === 0 && this.waits.hasEnded(after)) this.settle(after);
  }

  /** The effects registered on writes like this one: their writes come after it. */
  private addEffects(i: number, ended: WriteEnded): void {
    const write = this.writes[i]!;
    for (const effect of this.options.effects ?? []) {
      if (effect.on.kind !== write.kind || effect.on.change !== write.change) continue;
      if (ended.status !== 'SUCCEEDED' && !effect.followsAccepted) continue;
      for (const added of effect.after(write, ended)) {
        const index = this.writes.length;
        this.writes.push(added);
        this.effectWriters.set(index, effect.writer);
        this.followed.set(index, i);
        this.following.set(i, (this.following.get(i) ?? 0) + 1);
        this.waits.add(index, added, i, effect.gathered === true);
      }
    }
  }
}
