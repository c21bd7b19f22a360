// A plan of writes of any kinds of access, with the order between them as data. Each write says
// its kind, its change and what its kind's writer takes (`item`). The order between kinds' writes
// is what the kinds declare (core/kinds/, `order`: a permission set's create before any account
// assignment's create, its delete after their deletes), so it holds in every plan that holds
// both, whichever operation made it. A write may also need others to have SUCCEEDED (`needs`):
// an assignment of a set still to be created needs that create, and takes the ARN it answered;
// the old half of a change of role needs the create at its place. runWrites
// runs a plan (../run/run-writes.ts); each kind's writes go through its writer (KindWriter).
import { kindNamed, type KindName, type WriteChange, type WriteRef } from '../../core/kinds/index.js';
import type { GrantResult, GrantStatus } from '../../core/types.js';
import type { Deadline } from '../limits/deadline.js';

export type { WriteChange, WriteRef } from '../../core/kinds/index.js';

/** One write of a plan. */
export interface PlannedWriteOf<I = unknown> {
  kind: KindName;
  change: WriteChange;
  /** What the kind's writer takes: a grant, a permission set's planned change… */
  item: I;
  needs?: WriteNeeds<I>;
}

/** What a write needs of other writes of its plan (by index) before it is sent. */
export interface WriteNeeds<I = unknown> {
  /** Each must end SUCCEEDED. */
  all?: readonly number[];
  /** One must end SUCCEEDED: the write starts at the first that does, and is not sent when none does. */
  any?: readonly number[];
  /** The item as sent, from what the writes of `all` answered (a set's create: its ARN), in their order. */
  bind?: (answers: readonly (string | undefined)[]) => I;
  /**
   * Why it was not sent when a need failed, as its result says (`failed`: the writes that did not
   * succeed); undefined: it is held, and its operation counts it.
   */
  unmet?: (failed: readonly number[]) => Error | undefined;
}

/** Writes of any kinds, in the order their results are given. */
export interface WritePlan<I = unknown> {
  writes: readonly PlannedWriteOf<I>[];
}

/** How one write ended: its rows of `results` (a provisioning has one per account), and what it answered. */
export interface WriteEnded {
  status: GrantStatus;
  rows: GrantResult[];
  /** What the writes that need it take (a created set's ARN). */
  answer?: string;
  /**
   * An effect's write: what it adds to the first row of the write it followed (a revoke's: the
   * sessions its fence ended), which the results then carry as that write's own.
   */
  amends?: Partial<GrantResult>;
}

/** What a write is given as it is sent. */
export interface WriteContext {
  /** Gives its place to the next write: only reads are left of it (a request to follow). */
  release(): void;
  /**
   * `audit-log`, when the step keeps one: records a change the write made, as its kind builds
   * the record (engine/audit/trail.ts AuditTrail.recordChange: `build(step, n, at)`).
   */
  recordChange?(what: string, build: (step: never, n: number, at: Date) => unknown): void;
}

/** Why a write was not sent. */
export type Unsent = { deadline: Deadline } | { refused: Error };

/** What writes one kind's writes (the adapter's, over its session); any other kind's are not its. */
export interface KindWriter<I = unknown> {
  /** Sends the write (`item`, as its needs' answers made it) and follows it to its end; never rejects. */
  write(write: PlannedWriteOf<I>, item: I, context: WriteContext): Promise<WriteEnded>;
  /** Its end when it was not sent, and why. */
  unsent(write: PlannedWriteOf<I>, why: Unsent): WriteEnded;
  /** Starts its reads ahead of its turn, while the writes before it are in flight. */
  readAhead?(write: PlannedWriteOf<I>): void;
  /**
   * Told once the write and every write effects added after it have ended, with its rows as those
   * amended them (or undefined: held): what is said of the write waits for what followed it.
   */
  settled?(write: PlannedWriteOf<I>, ended: WriteEnded | undefined): void;
}

/** A kind's effect on another kind's writes: the writes it adds after one that SUCCEEDED. */
export interface WriteEffect {
  on: WriteRef;
  /** The writer of the writes it adds (its own kind's). */
  writer: KindWriter;
  /** The writes to make after `write`, which ended as `ended`; none when it changes nothing. */
  after(write: PlannedWriteOf, ended: WriteEnded): PlannedWriteOf[];
}

const refOf = (write: PlannedWriteOf<unknown>): WriteRef => ({ kind: write.kind, change: write.change });
const sameRef = (a: WriteRef, b: WriteRef) => a.kind === b.kind && a.change === b.change;
const keyOf = (ref: WriteRef) => `${ref.kind}|${ref.change}`;

/** Whether the kinds declare that the writes `a` end before the writes `b` start. */
export function declaredBefore(a: WriteRef, b: WriteRef): boolean {
  if (sameRef(a, b)) return false;
  const ofA = kindNamed(a.kind).order ?? [];
  const ofB = kindNamed(b.kind).order ?? [];
  return (
    ofA.some((o) => o.change === a.change && o.before !== undefined && sameRef(o.before, b)) ||
    ofB.some((o) => o.change === b.change && o.after !== undefined && sameRef(o.after, a))
  );
}

/**
 * Each write's predecessors: the writes that end before it starts, by its kinds' declared order
 * and its own needs. A plan whose order goes round in a circle is a bug in a kind's declaration
 * or the plan's maker, refused before any write.
 */
export function predecessorsOf(plan: WritePlan): number[][] {
  const groups = new Map<string, { ref: WriteRef; members: number[] }>();
  plan.writes.forEach((write, i) => {
    const key = keyOf(refOf(write));
    const group = groups.get(key) ?? { ref: refOf(write), members: [] };
    group.members.push(i);
    groups.set(key, group);
  });
  const byOrder = new Map<string, number[]>();
  for (const a of groups.values())
    for (const [keyB, b] of groups)
      if (declaredBefore(a.ref, b.ref)) byOrder.set(keyB, [...(byOrder.get(keyB) ?? []), ...a.members]);
  const predecessors = plan.writes.map((write) => [
    ...new Set([...(byOrder.get(keyOf(refOf(write))) ?? []), ...(write.needs?.all ?? [])]),
  ]);
  refuseCircles(plan, predecessors);
  return predecessors;
}

function refuseCircles(plan: WritePlan, predecessors: readonly number[][]): void {
  const edges = predecessors.map((before, i) => [...before, ...(plan.writes[i]!.needs?.any ?? [])]);
  const state = new Array<'open' | 'done' | undefined>(edges.length);
  const visit = (i: number, path: number[]): void => {
    if (state[i] === 'done') return;
    if (state[i] === 'open') {
      const circle = [...path.slice(path.indexOf(i)), i].map((n) => keyOf(refOf(plan.writes[n]!)));
      throw new Error(`the writes' order goes round in a circle: ${circle.join(' → ')}`);
    }
    state[i] = 'open';
    for (const before of edges[i]!) visit(before, [...path, i]);
    state[i] = 'done';
  };
  edges.forEach((_, i) => visit(i, []));
}
