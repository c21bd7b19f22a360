// What `operation: report` needs of a cloud adapter: one read of who holds what where the report
// looks, each assignment with the evidence of how it is held (operations/report/access-rows.ts
// decides its class), and, with `expand-groups`, each group's users. The read tells before it starts which
// plan it takes and what it should cost; the step says while it runs how far it is
// (../calls/read-progress.ts). Nothing here writes.
import type { AssignmentType, KindName } from '../../core/kinds/index.js';
import type { PrincipalKind } from '../../core/shown-names.js';
import type { AnyClaim, RunRef } from '../../core/claims/claims.js';
import type { ClaimVerdict } from '../../core/claims/live.js';
import type { UnitAccounts } from '../../core/inputs/org-targets.js';
import type { Cloud } from '../../core/types.js';
import type { CallStats } from '../calls/driver.js';
import type { UsageRequest } from '../../core/inputs/usage-inputs.js';
import type { NameSpan } from '../../core/usage/last-used.js';
import type { NotAUse, SignIn } from '../../core/usage/sign-ins.js';
import type { ReadReport } from './reconciler.js';

/** A principal, role or target: its ID, and its name where one was read. */
export interface Named {
  id: string;
  name?: string | undefined;
}

/** One assignment as an adapter read it, with the evidence of how it is held. */
export interface HeldAssignment {
  /**
   * The kind of access it is, as the cloud lists it (core/kinds/): its row says the kind's word
   * and is keyed by the kind's key.
   */
  kind: KindName;
  principal: Named & {
    kind?: PrincipalKind | undefined;
    /** The directory was asked and holds no such principal. */
    gone?: boolean;
  };
  role: Named;
  /** An account (AWS) or a scope (Azure). */
  target: Named;
  /** A manifest lists it (AWS: an entry, within what the section manages; Azure: its marker). */
  manifest?: { path: string; line?: number | undefined } | undefined;
  /** A cloud-access run made it: its session name (AWS) or marker or description (Azure). */
  mark?: { run: RunRef; ephemeral: boolean; expiresAt?: number | undefined } | undefined;
  /** PIM: the active instance's end, ISO 8601 (an eligibility's: its schedule's). */
  endsAt?: string | undefined;
  /**
   * The claim a run's session name or marker makes on it, proven or not, as the evidence read it:
   * the report weighs it once the runs it names are read (core/claims/live.ts).
   */
  runClaim?: AnyClaim | undefined;
  /**
   * The verdict on the claim on it (core/claims/live.ts): a PIM schedule's, given by the adapter;
   * a run's, once the report has read its runs.
   */
  verdict?: ClaimVerdict | undefined;
  /** Since when and by whom it is held, as far as the cloud's history says. */
  granted?: Granted | undefined;
  /** Azure: the scope above the target where it is assigned (it applies to the target by inheritance). */
  inheritedFrom?: string | undefined;
  /** What a reviewer should know of this row (a claim that does not count, a part not read). */
  warning?: string | undefined;
}

/**
 * Since when and by whom an assignment is held: AWS, the create of its current life in CloudTrail;
 * Azure, ARM's `createdOn` and `createdBy`.
 */
export interface Granted {
  /** When it was made, ISO 8601 UTC; absent when the history read does not reach back to it. */
  at?: string | undefined;
  /** Made before this time (ISO 8601 UTC): where the history read starts. */
  before?: string | undefined;
  /** Who made it: a caller's ARN, or an object ID with its name where the directory gave one. */
  by?: Named | undefined;
  /** A cloud-access run made it: the row shows the run. */
  run?: RunRef | undefined;
}

/** When one source of a read was read, ISO 8601 UTC: what a report's rows say is as of then. */
export interface ReadWindow {
  source: string;
  start: string;
  end: string;
  /** A history read: the earliest time it covers. */
  historyFrom?: string | undefined;
}

/** A member of a group, as the directory lists it (users only: a nested group's users are listed themselves). */
export interface GroupMember {
  id: string;
  name?: string | undefined;
  kind: PrincipalKind;
}

/**
 * Where a report read, as data: its JSON keeps it, so that a later report's `compare-to` compares
 * only the part both read (a grant outside the earlier one's reach is no gain).
 */
export interface ReportCover {
  /** Azure: the scopes read, each with every scope under it; AWS: the accounts read. Null: every one. */
  targets: string[] | null;
  /** Azure: the roles kept (definition GUIDs or names); AWS: the permission sets' ARNs. Null: every one. */
  roles: string[] | null;
  /** A row per user reached through a group was added (`expand-groups`). */
  expandGroups: boolean;
  /**
   * The kinds read, by their words, where a kind of the cloud could not be (Azure PIM's
   * eligibilities without a P2 licence): absent, every kind was read.
   */
  kinds?: AssignmentType[] | undefined;
}

/** The plan a read takes, before it starts: its calls, and the minutes they take at the service's pace. */
export interface ReadEstimate {
  strategy: string;
  calls: number;
  minutes: number;
}

/** A manifest as the report hands it to the adapter: its path, and its section for the cloud. */
export interface ReportManifest<S> {
  path: string;
  section: S;
}

export interface AccessRead {
  held: HeldAssignment[];
  /** With `expand-groups`: each group's users, by the group's ID (lower-cased). */
  members?: Map<string, GroupMember[]>;
  /** Lines for the log: what was read, what could not be named, what a manifest said. */
  notes: string[];
  /** Worth a look (a manifest that did not resolve): the step warns, and goes on. */
  warnings: string[];
  read: ReadReport;
  readMs: number;
  /** What was read, in words: the summary's and the JSON's. */
  scope: string;
  /** What was read, as data (the JSON's, for a later `compare-to`). */
  cover?: Omit<ReportCover, 'expandGroups'> | undefined;
  /** AWS: the IAM Identity Center instance read (its ARN), which the CSV's `covered` names. */
  instance?: string | undefined;
  /** When each source was read (a read at the quota's pace can take minutes to hours). */
  windows?: ReadWindow[] | undefined;
}

/** What a read is given: the manifests, and where to tell its plan before its reads start. */
export interface ReadOptions<S> {
  manifests: ReportManifest<S>[];
  onPlan(estimate: ReadEstimate): void;
}

/**
 * Who signed in with what (`last-used: true`): the uses read, and how far the evidence reaches —
 * since when, in which Regions, and what it did not cover (a Region or a period not read).
 */
export interface UsageRead {
  signIns: SignIn[];
  /** Records read that were no use, by why (an error, another event or instance, malformed). */
  notUses: Partial<Record<NotAUse, number>>;
  /** The earliest time the evidence covers, epoch ms. */
  since: number;
  /** The Regions read. */
  regions: string[];
  /** What the evidence does not cover, in words; empty when it covers the whole window. */
  gaps: string[];
  /**
   * Why no sign-in could be read at all (a query that failed): every row says `unknown`, never
   * `none since`.
   */
  unread?: string | undefined;
  pages: number;
  /** Each group's members, by the group's ID lower-cased (the rows' groups). */
  members: Map<string, GroupMember[]>;
  /** The sets' names over time, when kept; absent: their current names. */
  setNames?: NameSpan[] | undefined;
  /** Users' names over time, when kept: an older record, which names its user only by name, is matched through them. */
  userNames?: NameSpan[] | undefined;
  notes: string[];
  /** What the uses are, in words (the summary's); absent: CloudTrail's `GetRoleCredentials`. */
  evidence?: string | undefined;
  /**
   * Why the cloud logs no use of a row's grant (Azure: an active role assignment), when it logs
   * none: the row says `unknown (why)` whatever was read, and is never called unused.
   */
  unlogged?: ((row: UsageRow) => string | undefined) | undefined;
}

/** What `unlogged` is told of a row. */
export interface UsageRow {
  kind: KindName;
  principalKind: string;
  /** The group a user holds it through (expand-groups). */
  viaGroupId: string | null;
}

export interface AccessReader<S = unknown> {
  readonly cloud: Cloud;
  readonly stats: CallStats;
  read(options: ReadOptions<S>): Promise<AccessRead>;
  /**
   * AWS: the accounts under each OU, root or OU path as written (a reviewers file's `ou-…`, a
   * manifest's target), read as a target of it is expanded, on the read's session; a target whose
   * read failed, why (never more accounts). None on a cloud without such targets.
   */
  accountsUnder?(units: readonly string[]): Promise<Map<string, UnitAccounts>>;
  /**
   * AWS: the sign-ins to the rows' grants within the window, read after `read`; `say` tells the
   * cost before the reads start. None on a cloud that logs no per-grant use.
   */
  readUsage?(
    held: readonly HeldAssignment[],
    request: UsageRequest,
    say: (line: string) => void,
  ): Promise<UsageRead>;
  /**
   * AWS: each permission set's tags (a prune's `cloud-access:never-prune`), by ARN; a set whose
   * tags could not be read, why. None on a cloud whose roles carry no such tags.
   */
  setTags?(setIds: readonly string[]): Promise<Map<string, { key: string; value: string }[] | string>>;
}

/** Minutes `calls` take at `perSecond`, to one decimal (at least 0.1). */
export const minutesAt = (calls: number, perSecond: number): number =>
  Math.max(0.1, Math.round((calls / perSecond / 60) * 10) / 10);
