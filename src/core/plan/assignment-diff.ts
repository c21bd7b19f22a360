// The diff `operation: reconcile` plans from, which the adapters' reads and the sweep's share: an in-place diff keyed on (principal, role, target), after
// names are resolved and targets expanded. What the file lists and the cloud lacks is created;
// what the cloud has, the section manages and the file no longer lists is deleted; an assignment
// in both is never deleted and created again: it is left as it is, or, when what it grants beyond
// its key differs from the file's (Azure's ABAC condition), updated in place; one neither listed
// nor managed is reported and left alone. Whether it may be written is the operation's
// (operations/reconcile/reconcile-plan.ts). Pure.
import {
  type AssignmentKeyParts,
  type AssignmentShape,
  type KeyedAs,
  type KindShape,
} from '../kinds/index.js';
import { sameCondition, type AbacCondition, type ConditionChange } from './conditions.js';
import type { AssignmentNames } from '../shown-names.js';
import type { LiveClaim } from '../claims/live.js';

export { keyedAs, keyedBy, type AssignmentKeyParts } from '../kinds/index.js';

/**
 * One assignment with its target as the cloud's writes take it (`T`: AWS the account ID, Azure
 * the scope as parsed): the plan carries it to the write, never parsed or looked up again. Its
 * parts are its kind's (`P`: an assignment's principal, role and target, unless the kind's shape
 * says otherwise).
 */
export type AssignmentAt<T = unknown, P extends object = AssignmentKeyParts> = P & { target: T };

/** An assignment of a kind of shape `K`: its parts, its target, and its kind's name and key (keyedAs, keyedBy). */
type OfKind<T, K extends KindShape> = AssignmentAt<T, K['parts']> & KeyedAs<K['name']>;

/** What the manifest says of an assignment it asks for. */
interface Desired<S> {
  /** As the manifest wrote it: what the log, summary and outputs show. */
  written: { principal: string; role: string; target: string };
  /** The manifest line it came from (the first, when several entries describe it). */
  line: number;
  /** Whether the section manages it (a managed one is deleted once the file drops it). */
  managed: boolean;
  /** What the create writes besides the key (Azure: description, condition). */
  settings: S;
  /** Azure: the condition the entry writes, part of what it grants (none when absent). */
  condition?: AbacCondition;
  /** What the cloud calls its principal, role and target, once named (withNames). */
  names?: AssignmentNames;
}

/** An assignment the manifest asks for, of a kind of shape `K` (an assignment's by default). */
export type DesiredAssignment<S = unknown, T = unknown, K extends KindShape = AssignmentShape> = OfKind<
  T,
  K
> &
  Desired<S>;

/** What the reads found of an assignment. */
interface Current {
  /** Whether the section may delete it: a managed permission set in a managed account, or an owned Azure assignment. */
  managed: boolean;
  /** Azure: the role assignment ID and name (GUID) a delete uses. */
  assignmentId?: string;
  name?: string;
  /** How the log shows it, when the file does not (a principal ID, a permission set name…). */
  shown: { principal: string; role: string; target: string };
  /** Azure: the condition ARM stores on it (none when absent). */
  condition?: AbacCondition;
  /** What the cloud calls its principal, role and target, once named (withNames). */
  names?: AssignmentNames;
  /**
   * A delete's: whose claim is on it and why it does not keep it (ended, not proven, made by a
   * session of a role `created-by` does not trust), said beside the delete.
   */
  claimNote?: string;
}

/** An assignment the reads found, of a kind of shape `K` (an assignment's by default). */
export type CurrentAssignment<T = unknown, K extends KindShape = AssignmentShape> = OfKind<T, K> & Current;

/**
 * An assignment in both whose condition is not the file's: the cloud grants more (no condition,
 * or another) or less (one the file does not write) than the file says. The update rewrites it in
 * place, to the file's, and nothing else of it.
 */
export type PlannedUpdate<
  S = unknown,
  T = unknown,
  K extends KindShape = AssignmentShape,
> = DesiredAssignment<S, T, K> & {
  /** The assignment as read: the update goes to its name. */
  current: CurrentAssignment<T, K>;
  change: ConditionChange;
};

/**
 * An assignment the section manages and the file does not list, which a live, proven claim holds
 * (a running job's ephemeral grant, an approved request's, a PIM schedule's): left in place, with
 * its claim, until the claim ends (core/claims/live.ts).
 */
export type ClaimedAssignment<T = unknown, K extends KindShape = AssignmentShape> = CurrentAssignment<
  T,
  K
> & {
  claim: LiveClaim;
};

/**
 * An assignment the section manages and the file does not list, which a proven claim holds whose
 * liveness could not be read now (GitHub's rate limit, GitHub unreachable, no token, the deadline):
 * an unknown is never a delete, so it is left in place and listed with why.
 */
export type UnknownAssignment<T = unknown, K extends KindShape = AssignmentShape> = CurrentAssignment<
  T,
  K
> & {
  unknown: { reason: string; made: LiveClaim };
};

export interface ReconcilePlan<S = unknown, T = unknown, K extends KindShape = AssignmentShape> {
  creates: DesiredAssignment<S, T, K>[];
  deletes: CurrentAssignment<T, K>[];
  /** Managed, not in the file, and held by a live claim: left in place, not drift. */
  claimed: ClaimedAssignment<T, K>[];
  /** Managed, not in the file, and held by a proven claim whose liveness is unknown now: left in place. */
  unknown: UnknownAssignment<T, K>[];
  updates: PlannedUpdate<S, T, K>[];
  unchanged: DesiredAssignment<S, T, K>[];
  /** In the cloud, not in the file, and not the section's to delete: listed, never deleted. */
  unmanaged: CurrentAssignment<T, K>[];
  /** How many assignments the section manages now (the reads' managed ones). */
  managedNow: number;
}

/** A plan of any kind's shape: what the decisions on a whole plan (its counts, its limits) read. */
export type AnyPlan = ReconcilePlan<unknown, unknown, KindShape>;

/** The `plan` output. */
export interface PlanCounts {
  create: number;
  delete: number;
  unchanged: number;
  unmanaged: number;
  /** Last, after the four it joined: output text that starts as it did still does. */
  update: number;
  /** After `update`, for the same reason. */
  claimed: number;
  /** After `claimed`, for the same reason. */
  unknown: number;
}

/**
 * Desired assignments that share a key are one (an OU's expansion overlapping an account, a name
 * and the ID it resolves to); the first keeps its line. Current ones that share a key likewise.
 */
export function planReconcile<S, T, K extends KindShape = AssignmentShape>(
  desired: DesiredAssignment<S, T, K>[],
  current: CurrentAssignment<T, K>[],
): ReconcilePlan<S, T, K> {
  const wanted = new Map<string, DesiredAssignment<S, T, K>>();
  for (const d of desired) if (!wanted.has(d.key)) wanted.set(d.key, d);
  const present = new Map<string, CurrentAssignment<T, K>>();
  for (const c of current) if (!present.has(c.key)) present.set(c.key, c);
  const plan: ReconcilePlan<S, T, K> = {
    creates: [],
    deletes: [],
    claimed: [],
    unknown: [],
    updates: [],
    unchanged: [],
    unmanaged: [],
    managedNow: 0,
  };
  for (const d of wanted.values()) {
    const c = present.get(d.key);
    if (!c) plan.creates.push(d);
    else if (sameCondition(d.condition, c.condition)) plan.unchanged.push(d);
    else plan.updates.push({ ...d, current: c, change: { from: c.condition, to: d.condition } });
  }
  for (const c of present.values()) {
    if (c.managed) plan.managedNow++;
    if (wanted.has(c.key)) continue;
    (c.managed ? plan.deletes : plan.unmanaged).push(c);
  }
  return plan;
}

/** How an adapter names an assignment's parts, once it has read what the plan shows. */
export type NameOf = (parts: AssignmentKeyParts) => AssignmentNames;

/** The plan with every row it shows (creates, deletes, updates, unmanaged) named; unchanged ones are not shown. */
export function withNames<S, T>(plan: ReconcilePlan<S, T>, nameOf: NameOf): ReconcilePlan<S, T> {
  const name = <A extends AssignmentAt<T>>(a: A): A => ({ ...a, names: nameOf(a) });
  return {
    ...plan,
    creates: plan.creates.map(name),
    deletes: plan.deletes.map(name),
    claimed: plan.claimed.map(name),
    unknown: plan.unknown.map(name),
    updates: plan.updates.map(name),
    unmanaged: plan.unmanaged.map(name),
  };
}

/** Every row the plan shows (creates, deletes, claimed, updates, unmanaged), for an adapter to name them at once. */
export const shownRows = <S, T>(plan: ReconcilePlan<S, T>): AssignmentAt<T>[] => [
  ...plan.creates,
  ...plan.deletes,
  ...plan.claimed,
  ...plan.unknown,
  ...plan.updates,
  ...plan.unmanaged,
];

export function planCounts(plan: AnyPlan): PlanCounts {
  return {
    create: plan.creates.length,
    delete: plan.deletes.length,
    unchanged: plan.unchanged.length,
    unmanaged: plan.unmanaged.length,
    update: plan.updates.length,
    claimed: plan.claimed.length,
    unknown: plan.unknown.length,
  };
}

/**
 * A principal at a target (account or scope), ignoring case: where a change of role happens. The
 * principal type is left out (an AWS USER and GROUP of one ID share a place): a delete then waits
 * for a create it need not wait for, which holds back a delete and never lets one through.
 */
export const placeOfPrincipal = (a: AssignmentKeyParts): string =>
  `${a.principalId}|${a.targetId}`.toLowerCase();
