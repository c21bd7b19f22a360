// What `operation: reconcile` needs of a cloud adapter, and the driver its writes go through.
// Reconciling is: expand the manifest's section into concrete assignments (the one seam where
// names are resolved and targets expanded: OUs and Graph names plug in there), read what the cloud
// has, plan (core/plan/assignment-diff.ts) and, for each kind the diff does not plan, that kind's
// section of the plan beside it (SectionPlan), then write it all as the engine's one write plan
// (./run-writes.ts), in the order the kinds declare; a write that needs another kind's names it by
// kind and key (../calls/write-plan.ts WriteAddress), never by where it sits. Each write carries its kind and the driver that writes it
// (./planned-writes.ts); the reads already found every assignment, so the writes' reads are
// answered from the plan rather than read again (./planned-driver.ts).
import type { Missed } from '../../core/snapshot/merge.js';
import type { PlanChecks } from '../../core/output/plan-checks.js';
import type { ManifestProblem } from '../../core/manifest/nodes.js';
import type {
  AssignmentAt,
  CurrentAssignment,
  DesiredAssignment,
  NameOf,
  PlannedUpdate,
} from '../../core/plan/assignment-diff.js';
import type { Claim } from '../../core/claims/claims.js';
import type { ClaimVerdict } from '../../core/claims/live.js';
import type { Cloud } from '../../core/types.js';
import type { GrantResult } from '../../core/grant-result.js';
import type { CallStats } from '../calls/driver.js';
import type { PlannedWrites } from './planned-writes.js';
import type { KindWriter, PlannedWriteOf } from '../calls/write-plan.js';
import type { PlannedKindChange } from '../audit/record.js';
import type { RecordBody } from '../audit/record.js';
import type { SectionSaves } from './saved-sections.js';

/** The section expanded: what it asks for, or the problems (unknown names, with "did you mean") at their lines. */
export interface ExpandedSection<S, T> {
  desired: DesiredAssignment<S, T>[];
  problems: ManifestProblem[];
  /** Lines for the log: what names resolved to, what targets expanded to. */
  notes: string[];
  /** Worth a look, not a stop (a tag form that matched nothing), at their lines. */
  warnings?: ManifestProblem[];
  /**
   * What the section manages beyond what it names (each OU target's accounts, once; each tag
   * form's matches): the log's and the summary's.
   */
  management?: string[];
}

/** How the current state was read, for the log, the summary and the benchmarks. */
export interface ReadReport {
  /** The read plan chosen, in words. */
  strategy: string;
  /** Calls the reads made. */
  calls: number;
  /** The other plans and what they would have cost, as far as their sizes were known. */
  alternatives: { strategy: string; calls: number }[];
  /** Which read was done and why, and what became of a kept snapshot: notices, the first one also the summary's. */
  notices?: string[];
  /** What a complete read found that a kept snapshot had missed. */
  warnings?: string[];
  /** The same, as data (the `missed` output); none when no complete read ran, or no snapshot was kept. */
  missed?: Missed[];
}

/**
 * The claims the evidence shows on what a plan would delete (core/claims/), by the delete's key:
 * those a run's state decides (`claims`: AWS session names, Azure run markers), and those decided
 * already (`decided`: a PIM schedule's end). A delete with neither has no claim.
 */
export interface ClaimsOnDeletes {
  claims: Map<string, Claim>;
  decided: Map<string, ClaimVerdict>;
  /** What was read, for the log (sources, pages). */
  notes: string[];
  /**
   * By key, a delete whose grant a session shaped like the action's made (a run's session name or
   * marker) of an identity `created-by` does not name: whose it was and what to add, beside the delete.
   */
  untrusted?: Map<string, string>;
}

/** One planned change of a kind's plan as a dry run's summary shows it. */
export interface KindChangeShown {
  /** `create`, `update`, `delete` or `provision`: the summary says `would <change>`. */
  change: string;
  name: string;
  /** Whom it reaches, in words: the accounts and the principals. */
  reach: string;
  /** The change as the log shows it, line by line (a diff), before any escaping. */
  lines: string[];
}

/**
 * What the step calls a kind plan's changes, in its own words (AWS: `permission set`; Azure: `PIM
 * for groups membership`): a refusal's count of its deletes, and the summary's tables of them.
 */
export interface KindWords {
  /** What one change is of, as a count says it: `2 permission set(s)`. */
  noun: string;
  /** The summary's heading over its changes: `Permission sets (2)`. */
  heading: string;
  /**
   * The summary's table of their results: the column before `change` (what each row changes: its
   * dry-run table's first column too) and the one after it (where), with each row's text for them.
   */
  columns: readonly [string, string];
  cells(result: GrantResult): readonly [string, string];
}

/**
 * A kind's section of the plan beside the assignments: the changes of a kind the manifest's section
 * holds that the assignment diff does not plan (AWS: the permission sets it defines; Azure: its
 * memberships of PIM for groups), planned by the kind from what the read found and what the
 * assignment plan deletes and creates. A reconcile holds one per such kind, and runs each alike:
 * its lines, its deletes in `max-deletions`, its refusal, its writes in the one write plan (its
 * kind's declared order puts them among the assignments'), its results and its summary table.
 */
export interface SectionPlan {
  /**
   * The `plan` output's counts of it (`permissionSets`: create, update, delete, provision), and how
   * many of them are the action's upkeep of what it wrote before (a kind's own), not drift; none
   * when the manifest holds none of the kind, whose section then only says its checks.
   */
  counts?: { name: string; counts: Record<string, number>; upkeep?: number };
  /** The plan's lines, each change with whom it reaches. */
  lines: string[];
  /** What the step calls its changes. */
  words: KindWords;
  /** Its deletes: they count in `max-deletions`. */
  deletes: number;
  /** Why the whole plan must not be written (a delete that would leave assignments), naming them. */
  refusal?: { reason: string; fix: string };
  /** What the read contradicts in the file (a set of the name that is another's), at its lines. */
  problems: ManifestProblem[];
  /** Its changes as the step's first `audit-log` record lists them, before any write. */
  planned?: PlannedKindChange[];
  /**
   * Its changes as writes of its kind, for the reconcile's one write plan, each under its key
   * (PlannedWriteOf.key), needing what it needs by address: its kind's declared order puts them
   * around the assignment writes (a set's create before the assignment creates that need it).
   */
  writes: PlannedWriteOf[];
  /**
   * The writer of its writes: each change told to `record` for its `audit-log` record and to `say`
   * as its result; a dry run sends nothing, each write a row of what it would do.
   */
  writer(
    record: (what: string, record: RecordBody) => void,
    say: (result: GrantResult) => void,
    dryRun: boolean,
  ): KindWriter;
  /**
   * What of its creates end with the job (./saved-sections.ts): the main step saves each as it is
   * answered, and the post step revokes it. None: its creates stay, as the manifest says.
   */
  saves?: SectionSaves;
  /** What a dry run (or a refused plan) shows of its changes: a `results` row each, nothing sent. */
  preview(): GrantResult[];
  /** Each change as the summary shows it in a dry run, in the order of `preview`. */
  shown?: KindChangeShown[];
  /**
   * What the kind proved of its changes before any write (AWS permission sets: input
   * `policy-checks`): the output it sets, as JSON, and its part of the job summary; said too when
   * one of its checks is what stops the plan (`problems`).
   */
  checks?: PlanChecks;
}

/** `S`: what a create writes besides the key; `T`: the target as the writes take it (core/plan/assignment-diff.ts). */
export interface Reconciler<S = unknown, T = unknown> {
  readonly cloud: Cloud;
  readonly stats: CallStats;
  /** Signs in and discovers what the section needs; fails the step at once when it cannot. */
  prepare(): Promise<void>;
  /** The seam: every principal, role and target of the section resolved and expanded. */
  expand(): Promise<ExpandedSection<S, T>>;
  /**
   * Every assignment the section manages, and those at the desired ones' places, read completely;
   * and what the file says that the read contradicts (an exception matching no assignment), at
   * its lines: the step stops on those before any write.
   */
  readCurrent(
    desired: DesiredAssignment<S, T>[],
  ): Promise<{ current: CurrentAssignment<T>[]; read: ReadReport; problems?: ManifestProblem[] }>;
  /**
   * The claims on the assignments the plan would delete, read only for those (AWS: CloudTrail;
   * Azure: their descriptions, and the PIM schedules at their scopes), as of `now`.
   */
  readClaims?(deletes: CurrentAssignment<T>[], now: number): Promise<ClaimsOnDeletes>;
  /**
   * The sections of the kinds beside its assignments (SectionPlan), each against what the read
   * found (`current`) and what the assignment plan deletes and creates; `files`: the files the
   * manifest names for them, read from the workspace; `owner`: the value that marks what this
   * manifest made. A kind whose section holds nothing plans none, or, when it proves its changes
   * (`checks`), a section of no change that says so.
   */
  planSections?(
    current: CurrentAssignment<T>[],
    deletes: CurrentAssignment<T>[],
    creates: DesiredAssignment<unknown, T>[],
    context: { files: ReadonlyMap<string, { text: string } | { error: string }>; owner: string },
  ): Promise<SectionPlan[]>;
  /**
   * What the plan's rows are called (principals, roles, targets), from what the step read, and
   * for what it did not, in as few reads as the service allows; `notes` says once what could not
   * be named (the rows keep their IDs). `problems`: what those reads contradict in the creates'
   * entries (Azure: an object ID whose `principal-type` is not the directory's type), at their
   * lines: the step stops on those before any write.
   */
  names(
    rows: AssignmentAt<T>[],
    creates: DesiredAssignment<S, T>[],
  ): Promise<{ nameOf: NameOf; notes: string[]; problems?: ManifestProblem[] }>;
  /**
   * The plan's changes as writes, each of its kind, with the driver that writes it, to the target
   * its planned item carries. `updates`: only a kind whose assignments grant more than their key
   * (Azure's conditions) has any.
   */
  writes(
    creates: DesiredAssignment<S, T>[],
    deletes: CurrentAssignment<T>[],
    updates?: PlannedUpdate<S, T>[],
  ): PlannedWrites;
}
