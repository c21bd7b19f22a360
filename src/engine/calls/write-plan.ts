// A plan of writes of any kinds of access, with the order between them as data. Each write says
// its kind, its change and what its kind's writer takes (`item`). The order between kinds' writes
// is what the kinds declare (core/kinds/, `order`: a permission set's create before any account
// assignment's create, its delete after their deletes), so it holds in every plan that holds
// both, whichever operation made it. A write may also need others to have SUCCEEDED (`needs`):
// an assignment of a set still to be created needs that create, and takes the ARN it answered;
// the old half of a change of role needs the create at its place (./write-order.ts). runWrites
// runs a plan (../run/run-writes.ts); each kind's writes go through its writer (KindWriter).
import type { KindName, WriteChange, WriteRef } from '../../core/kinds/index.js';
import type { GrantStatus } from '../../core/types.js';
import type { GrantResult } from '../../core/grant-result.js';
import type { Deadline } from '../limits/deadline.js';

export type { WriteChange, WriteRef } from '../../core/kinds/index.js';

/** One write of a plan. */
export interface PlannedWriteOf<I = unknown> {
  kind: KindName;
  change: WriteChange;
  /** What the kind's writer takes: a grant, a permission set's planned change… */
  item: I;
  /**
   * What it changes, as another kind's write names it (WriteAddress): a set's name for its create,
   * its ARN for its other changes. One write of a plan per kind, change and key.
   */
  key?: string;
  needs?: WriteNeeds<I>;
}

/**
 * A write named by what it is, not by where it sits in a plan: a kind's change of the thing `key`
 * names. A kind that needs another kind's write (an assignment of a set still to be created needs
 * the set's create) names it so, and the plan that holds both finds it (addressedWrites).
 */
export interface WriteAddress {
  kind: KindName;
  change: WriteChange;
  key: string;
}

/** What a write needs of other writes of its plan before it is sent. */
export interface WriteNeeds<I = unknown> {
  /**
   * The writes of other kinds it is made from, by address: each must end SUCCEEDED, and `bind`
   * takes their answers first, in this order.
   */
  of?: readonly WriteAddress[];
  /** Each must end SUCCEEDED (by index in the plan). */
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
   * An effect's write: what it adds to the first row of the write it followed (what the effect
   * did because of that write), which the results then carry as that write's own.
   */
  amends?: Partial<GrantResult>;
}

/** What a write is given as it is sent. */
export interface WriteContext {
  /** Gives its place to the next write: only reads are left of it (a request to follow). */
  release(): void;
  /**
   * `audit-log`, when the step keeps one: records a change the write made, as its kind builds
   * the record (engine/audit/trail.ts AuditTrail.recordChange: a RecordBody).
   */
  recordChange?(what: string, record: object): void;
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
  /**
   * Its writes start only once every write of the plan of the kind and change it follows has
   * ended, so that its writer holds them all when it starts the first (one write of a thing they
   * share for all of them, instead of one each that undoes what the one before finished).
   */
  gathered?: boolean;
  /**
   * Its `after` is also told of a write the service accepted but the step did not follow to its
   * end (IN_PROGRESS: `wait: false`, or the deadline), to say what that leaves undone.
   */
  followsAccepted?: boolean;
}

const addressOf = ({ kind, change, key }: WriteAddress) => `${kind}|${change}|${key}`;

/**
 * The writes with what they need by address (`of`) found at their places in the plan, before
 * their needs by index (`all`). An address no write of the plan answers to, or two writes under
 * one address, is a bug of the plan's maker, refused before any write.
 */
export function addressedWrites<I>(writes: readonly PlannedWriteOf<I>[]): PlannedWriteOf<I>[] {
  const at = new Map<string, number>();
  writes.forEach((write, i) => {
    if (write.key === undefined) return;
    const address = addressOf({ kind: write.kind, change: write.change, key: write.key });
    if (at.has(address)) throw new Error(`two writes of the plan are ${address}`);
    at.set(address, i);
  });
  return writes.map((write) => {
    if (!write.needs?.of) return write;
    const { of, all, ...needs } = write.needs;
    const found = of.map((address) => {
      const i = at.get(addressOf(address));
      if (i === undefined)
        throw new Error(`a write needs ${addressOf(address)}, which its plan does not hold`);
      return i;
    });
    return { ...write, needs: { ...needs, all: [...found, ...(all ?? [])] } };
  });
}
