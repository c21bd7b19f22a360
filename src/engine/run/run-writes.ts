// Runs a plan of writes of any kinds (../calls/write-plan.ts): each write starts once the writes before
// it by its kinds' declared order have ended and what it needs has SUCCEEDED, with at most
// `maxConcurrency` in flight across every kind (the step's one `max-concurrency`), lowest index
// first among those ready. A write whose need failed is not sent: its plan says why, or it is
// held. No write starts once the deadline has passed. Once a write has SUCCEEDED, each effect
// another kind registered on writes like it (`effects`: the kind that owns what the effect
// changes) adds its writes after it, so an effect runs on every path that makes such a write.
// What an effect's write comes to amends the row of the write it followed (`amends`), and a
// write's writer is told of it (`settled`) only once the writes that followed it have ended. A
// gathered effect's writes wait until every write like the one they follow has ended.
import type { KindName } from '../../core/kinds/index.js';
import type { AuditTrail } from '../audit/trail.js';
import type { WaitBound } from '../limits/deadline.js';
import {
  writeOrderOf,
  type KindWriter,
  type PlannedWriteOf,
  type WriteEffect,
  type WriteEnded,
  type WritePlan,
} from '../calls/write-plan.js';
import { ReadyWrites } from './ready-writes.js';

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
  const scheduler = new Scheduler(plan.writes, options);
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

class Scheduler {
  readonly writes: PlannedWriteOf[];
  readonly ends: (WriteEnded | undefined)[] = [];
  private readonly ended: boolean[] = [];
  /** Each write's predecessors not ended yet (groups and needs): it is due at none (and, with `any` needs, once one can tell). */
  private readonly unended: number[];
  /** Each planned write's group (its kind and change; ../calls/write-plan.ts WriteOrder); an effect's has none. */
  private readonly groupOf: readonly number[];
  private readonly groupMembers: readonly (readonly number[])[];
  /** Each group's writes not settled yet, and the groups that wait for it. */
  private readonly groupLeft: number[];
  /** Each group's writes not ended yet, and the gathered effects' writes that wait for them (WriteEffect.gathered). */
  private readonly groupUnended: number[];
  private readonly gatheredBy: number[][];
  private readonly groupsAfter: number[][];
  /** The writes whose `all` needs name each write, and those whose `any` needs do. */
  private readonly successors: number[][];
  private readonly watchers: number[][];
  /** Writes that may have become due since the last look, not yet looked at. */
  private due: number[] = [];
  /** Writes whose predecessors have all ended, not started yet, by index. */
  private readonly ready = new ReadyWrites();
  private readonly waiting = new Set<number>();
  private inFlight = 0;
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
    const order = writeOrderOf({ writes });
    this.groupOf = order.groupOf;
    this.groupMembers = order.groups.map((g) => g.members);
    this.groupLeft = order.groups.map((g) => g.members.length);
    this.groupUnended = [...this.groupLeft];
    this.gatheredBy = order.groups.map(() => []);
    this.groupsAfter = order.groups.map(() => []);
    order.groups.forEach((g, later) => g.after.forEach((h) => this.groupsAfter[h]!.push(later)));
    this.successors = writes.map(() => []);
    this.watchers = writes.map(() => []);
    this.unended = writes.map((write, i) => {
      const needs = [...new Set(write.needs?.all ?? [])];
      needs.forEach((p) => this.successors[p]!.push(i));
      (write.needs?.any ?? []).forEach((n) => this.watchers[n]!.push(i));
      return order.groups[order.groupOf[i]!]!.after.length + needs.length;
    });
  }

  run(): Promise<void> {
    const done = new Promise<void>((resolve, reject) => {
      this.finished = resolve;
      this.failed = reject;
    });
    this.writes.forEach((_, i) => {
      this.waiting.add(i);
      if (this.isDue(i)) this.due.push(i);
    });
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
    if (this.waiting.size === 0 && this.ready.size === 0 && this.running.size === 0) this.finished();
  }

  /** Looks only at the writes an end may have made due (`due`), never at every waiting write again. */
  private moveAlong(): void {
    // In the order they became due (ascending, mostly): each goes in at the end of `ready`.
    for (let next = 0; next < this.due.length; next++) {
      const i = this.due[next]!;
      if (!this.waiting.has(i)) continue;
      this.waiting.delete(i);
      const unmet = this.unmetNeeds(i);
      if (unmet)
        this.end(
          i,
          unmet.error ? this.writerOf(i).unsent(this.writes[i]!, { refused: unmet.error }) : undefined,
        );
      else this.ready.insert(i);
    }
    this.due = [];
    while (this.inFlight < Math.max(1, this.options.maxConcurrency) && this.ready.size > 0)
      this.start(this.ready.shift());
  }

  /** Its predecessors have ended, and, with needs of which one must succeed, one has or all have ended. */
  private isDue(i: number): boolean {
    if (this.unended[i]! > 0) return false;
    const any = this.writes[i]!.needs?.any;
    if (!any || any.length === 0) return true;
    return any.some((n) => this.succeeded(n)) || any.every((n) => this.ended[n]);
  }

  private unmetNeeds(i: number): { error: Error | undefined } | undefined {
    const needs = this.writes[i]!.needs;
    if (!needs) return undefined;
    const failed = [
      ...(needs.all ?? []).filter((n) => !this.succeeded(n)),
      ...(needs.any && needs.any.length > 0 && !needs.any.some((n) => this.succeeded(n)) ? needs.any : []),
    ];
    if (failed.length === 0) return undefined;
    return { error: needs.unmet?.(failed) };
  }

  private succeeded(i: number): boolean {
    return this.ended[i] === true && this.ends[i]?.status === 'SUCCEEDED';
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
    // While this write is in flight, the reads of the one `maxConcurrency` places later are made.
    const later = this.ready.at(this.options.maxConcurrency - 1);
    if (later !== undefined) this.writerOf(later).readAhead?.(this.writes[later]!);
    const needs = write.needs;
    const item = needs?.bind ? needs.bind((needs.all ?? []).map((n) => this.ends[n]?.answer)) : write.item;
    this.inFlight++;
    let placeHeld = true;
    const release = () => {
      if (!placeHeld) return;
      placeHeld = false;
      this.inFlight--;
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
    this.ended[i] = true;
    const after = this.followed.get(i);
    if (after !== undefined && ended?.amends) this.amend(after, ended.amends);
    const group = this.groupOf[i];
    if (group !== undefined && --this.groupUnended[group]! === 0)
      for (const s of this.gatheredBy[group]!) this.oneEnded(s);
    if (ended?.status === 'SUCCEEDED') this.addEffects(i, ended);
    if ((this.following.get(i) ?? 0) === 0) this.settle(i);
    this.advance();
  }

  /** The first row of write `i`, with what an effect's write added to it. */
  private amend(i: number, amends: NonNullable<WriteEnded['amends']>): void {
    const ended = this.ends[i];
    const [first, ...rest] = ended?.rows ?? [];
    if (!ended || !first) return;
    this.ends[i] = { ...ended, rows: [{ ...first, ...amends }, ...rest] };
  }

  /**
   * Write `i` and every write that followed it have ended: its writer is told, the writes after it
   * may start (an effect is part of the write it follows: a write ordered after that one waits
   * for what its effects wrote too), and then the write it followed is settled in turn.
   */
  private settle(i: number): void {
    this.writerOf(i).settled?.(this.writes[i]!, this.ends[i]);
    const group = this.groupOf[i];
    if (group !== undefined && --this.groupLeft[group]! === 0)
      for (const later of this.groupsAfter[group]!)
        for (const m of this.groupMembers[later]!) this.oneEnded(m);
    for (const s of this.successors[i]!) this.oneEnded(s);
    for (const s of this.watchers[i]!) if (this.waiting.has(s) && this.isDue(s)) this.due.push(s);
    const after = this.followed.get(i);
    if (after === undefined) return;
    const left = this.following.get(after)! - 1;
    this.following.set(after, left);
    if (left === 0 && this.ended[after]) this.settle(after);
  }

  /** One of the predecessors of write `s` has ended. */
  private oneEnded(s: number): void {
    this.unended[s]!--;
    if (this.isDue(s)) this.due.push(s);
  }

  /** The effects registered on writes like this one: their writes come after it. */
  private addEffects(i: number, ended: WriteEnded): void {
    const write = this.writes[i]!;
    for (const effect of this.options.effects ?? []) {
      if (effect.on.kind !== write.kind || effect.on.change !== write.change) continue;
      for (const added of effect.after(write, ended)) {
        const index = this.writes.length;
        this.writes.push(added);
        this.effectWriters.set(index, effect.writer);
        this.followed.set(index, i);
        this.following.set(i, (this.following.get(i) ?? 0) + 1);
        this.successors.push([]);
        this.watchers.push([]);
        const before = [...new Set(added.needs?.all ?? [])].filter((p) => !this.ended[p]);
        before.forEach((p) => this.successors[p]!.push(index));
        (added.needs?.any ?? []).forEach((n) => this.watchers[n]!.push(index));
        const group = this.groupOf[i];
        const gathering = effect.gathered === true && group !== undefined && this.groupUnended[group]! > 0;
        if (gathering) this.gatheredBy[group]!.push(index);
        this.unended.push(before.length + (gathering ? 1 : 0));
        this.waiting.add(index);
        if (this.isDue(index)) this.due.push(index);
      }
    }
  }
}
