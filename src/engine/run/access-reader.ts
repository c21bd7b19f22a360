// What `operation: report` needs of a cloud adapter: one read of who holds what where the report
// looks, each assignment with the evidence of how it is held (core/report/access-rows.ts decides
// its class), and, with `expand-groups`, each group's users. The read tells before it starts which
// plan it takes and what it should cost; the step says while it runs how far it is
// (./read-progress.ts). Nothing here writes.
import type { GroupMember, HeldAssignment, ReportCover } from '../../core/report/access-rows.js';
import type { Cloud } from '../../core/types.js';
import type { CallStats } from '../calls/driver.js';
import type { ReadReport } from './reconciler.js';

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
}

/** What a read is given: the manifests, and where to tell its plan before its reads start. */
export interface ReadOptions<S> {
  manifests: ReportManifest<S>[];
  onPlan(estimate: ReadEstimate): void;
}

export interface AccessReader<S = unknown> {
  readonly cloud: Cloud;
  readonly stats: CallStats;
  read(options: ReadOptions<S>): Promise<AccessRead>;
}

/** Minutes `calls` take at `perSecond`, to one decimal (at least 0.1). */
export const minutesAt = (calls: number, perSecond: number): number =>
  Math.max(0.1, Math.round((calls / perSecond / 60) * 10) / 10);
