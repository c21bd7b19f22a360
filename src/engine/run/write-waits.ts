// Which writes of a running plan (./run-writes.ts) still wait, and for what: the writes before
// each by its kinds' declared order (../calls/write-plan.ts WriteOrder), its needs, and, for a
// gathered effect's write, every write like the one it follows. Kept apart from the running
// itself (the places in flight, the deadline, the effects and whose writer is told what), which
// tells it each write's end and settling and takes from it the writes whose turn may have come.
import { type PlannedWriteOf, type WriteNeeds } from '../calls/write-plan.js';
import { writeOrderOf } from '../calls/write-order.js';

export class WriteWaits {
  private readonly needs: (WriteNeeds | undefined)[];
  private readonly ended: boolean[] = [];
  private readonly succeeded: boolean[] = [];
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
  /** Writes not taken yet (to start, or to end unsent). */
  private readonly waiting = new Set<number>();
  /** Writes that may have become due since the last look, and how many of them were looked at. */
  private due: number[] = [];
  private looked = 0;

  constructor(writes: readonly PlannedWriteOf[]) {
    const order = writeOrderOf({ writes });
    this.needs = writes.map((write) => write.needs);
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

  /** How many writes are not taken yet. */
  get size(): number {
    return this.waiting.size;
  }

  /** Planned write `i` waits from now on (and is due at once if nothing is before it). */
  wait(i: number): void {
    this.waiting.add(i);
    if (this.isDue(i)) this.due.push(i);
  }

  /**
   * An effect's write (index `i`, the next) that follows write `after`: it waits for its needs not
   * ended yet, and, `gathered`, for every write of the group of the one it follows.
   */
  add(i: number, write: PlannedWriteOf, after: number, gathered: boolean): void {
    this.needs.push(write.needs);
    this.successors.push([]);
    this.watchers.push([]);
    const before = [...new Set(write.needs?.all ?? [])].filter((p) => !this.ended[p]);
    before.forEach((p) => this.successors[p]!.push(i));
    (write.needs?.any ?? []).forEach((n) => this.watchers[n]!.push(i));
    const group = this.groupOf[after];
    const gathering = gathered && group !== undefined && this.groupUnended[group]! > 0;
    if (gathering) this.gatheredBy[group]!.push(i);
    this.unended.push(before.length + (gathering ? 1 : 0));
    this.wait(i);
  }

  /** The next write that became due and still waits, taken (in the order they became due); undefined: none left. */
  nextDue(): number | undefined {
    while (this.looked < this.due.length) {
      const i = this.due[this.looked++]!;
      if (this.waiting.delete(i)) return i;
    }
    this.due = [];
    this.looked = 0;
    return undefined;
  }

  /** Its needs that did not succeed, with why as its plan says; undefined: none. */
  unmetNeeds(i: number): { error: Error | undefined } | undefined {
    const needs = this.needs[i];
    if (!needs) return undefined;
    const failed = [
      ...(needs.all ?? []).filter((n) => !this.succeeded[n]),
      ...(needs.any && needs.any.length > 0 && !needs.any.some((n) => this.succeeded[n]) ? needs.any : []),
    ];
    if (failed.length === 0) return undefined;
    return { error: needs.unmet?.(failed) };
  }

  hasEnded(i: number): boolean {
    return this.ended[i] === true;
  }

  /** Write `i` has ended (SUCCEEDED or not): the gathered effects' writes waiting for its group may be due. */
  end(i: number, succeeded: boolean): void {
    this.ended[i] = true;
    this.succeeded[i] = succeeded;
    const group = this.groupOf[i];
    if (group !== undefined && --this.groupUnended[group]! === 0)
      for (const s of this.gatheredBy[group]!) this.oneEnded(s);
  }

  /** Write `i` and what followed it have ended: the writes after it by order and by needs may be due. */
  settle(i: number): void {
    const group = this.groupOf[i];
    if (group !== undefined && --this.groupLeft[group]! === 0)
      for (const later of this.groupsAfter[group]!)
        for (const m of this.groupMembers[later]!) this.oneEnded(m);
    for (const s of this.successors[i]!) this.oneEnded(s);
    for (const s of this.watchers[i]!) if (this.waiting.has(s) && this.isDue(s)) this.due.push(s);
  }

  /** Its predecessors have ended, and, with needs of which one must succeed, one has or all have ended. */
  private isDue(i: number): boolean {
    if (this.unended[i]! > 0) return false;
    const any = this.needs[i]?.any;
    if (!any || any.length === 0) return true;
    return any.some((n) => this.succeeded[n]) || any.every((n) => this.ended[n]);
  }

  /** One of the predecessors of write `s` has ended. */
  private oneEnded(s: number): void {
    this.unended[s]!--;
    if (this.isDue(s)) this.due.push(s);
  }
}
