// The read stage of `operation: reconcile`: through the cloud's Reconciler, the section expanded
// (names resolved, targets expanded), the current state read completely, and the rows the plan
// would show named. It stops at the first stage whose problems the file must fix; nothing here
// writes. The plan itself is core/plan/assignment-diff.ts's.
import type { ManifestProblem } from '../../core/manifest/nodes.js';
import { MAX_MANIFEST_ASSIGNMENTS } from '../../core/manifest/parse.js';
import { planReconcile, shownRows, withNames, type ReconcilePlan } from '../../core/plan/assignment-diff.js';
import type { DefinitionsContext } from '../../core/manifest/definitions.js';
import type { SectionPlan, ExpandedSection, ReadReport, Reconciler } from '../../engine/run/reconciler.js';
import type { ReadRuns } from '../../core/claims/claims.js';
import { claimedPlan } from './reconcile-claims.js';
import type { Stopped } from '../../core/output/stopped.js';
import type { PlanChecks } from '../../core/output/plan-checks.js';
import { manifestStop } from '../../core/check/manifest.js';

/** What the read found, ready for the plan's decisions. */
export interface ReadForPlan {
  /** Lines for the log: what names resolved to, what targets and tags expanded to, what could not be named. */
  notes: string[];
  /** Worth a look, not a stop, at their lines. */
  warnings: ManifestProblem[];
  /** What the section manages beyond what it names (each tag form's matches). */
  management: string[];
  /** The plan as the cloud was read, every row named where a name could be read. */
  plan: ReconcilePlan;
  read: ReadReport;
  readMs: number;
  /** The sections of the kinds planned beside its assignments (AWS: its permission sets), each alike. */
  sections: SectionPlan[];
}

/** Where the read stopped, and the problems (at their lines) the file must fix. */
export interface ReadStopped {
  /** `plan`: a section of the plan (what the cloud holds of a kind, or a check of its changes). */
  stoppedAt: 'expand' | 'read' | 'plan';
  problems: ManifestProblem[];
  notes: string[];
  warnings: ManifestProblem[];
  /** What the sections proved of their changes before the stop, said all the same (the failing check with them). */
  checks?: PlanChecks[];
}

export async function readForPlan(
  reconciler: Reconciler,
  section: { cloud: string; line: number },
  now: () => number = Date.now,
  /** GitHub's word on the runs that claim what the plan would delete (./reconcile-claims.ts). */
  readRuns?: ReadRuns,
  definitionsContext?: DefinitionsContext,
): Promise<ReadForPlan | ReadStopped> {
  await reconciler.prepare();
  const expansion: ExpandedSection<unknown, unknown> = await reconciler.expand();
  const notes = [...expansion.notes, ...(expansion.management ?? [])];
  const warnings = expansion.warnings ?? [];
  const problems = [...expansion.problems];
  if (expansion.desired.length > MAX_MANIFEST_ASSIGNMENTS)
    problems.push({
      line: section.line,
      message: `\`${section.cloud}\` expands to ${expansion.desired.length} assignments (OU targets counted by their accounts); at most ${MAX_MANIFEST_ASSIGNMENTS} fit in one manifest section`,
      fix: 'split the manifest, or narrow the OU targets',
    });
  if (problems.length > 0) return { stoppedAt: 'expand', problems, notes, warnings };

  const started = now();
  const { current, read, problems: contradictions } = await reconciler.readCurrent(expansion.desired);
  const readMs = now() - started;
  if (contradictions?.length) return { stoppedAt: 'read', problems: contradictions, notes, warnings };
  const claimed = await claimedPlan(planReconcile(expansion.desired, current), reconciler, readRuns, now());
  const unnamed = claimed.plan;
  notes.push(...claimed.notes);
  // Who gains and loses what, by name: a reviewer cannot read IDs.
  const naming = await reconciler.names(shownRows(unnamed), unnamed.creates);
  if (naming.problems?.length)
    return { stoppedAt: 'read', problems: naming.problems, notes: [...notes, ...naming.notes], warnings };
  // The kinds' sections beside the assignments are planned once the assignments are: whom a change
  // reaches, and which assignments a delete would leave, are the read's. Asked of a section that
  // defines nothing too: a kind that proves its changes says that it had none to prove.
  const sections = reconciler.planSections
    ? await reconciler.planSections(
        current.map((c) => ({ ...c, names: naming.nameOf(c) })),
        unnamed.deletes,
        unnamed.creates,
        definitionsContext ?? { files: new Map(), owner: '' },
      )
    : [];
  const contradicted = sections.flatMap((s) => s.problems).sort((a, b) => a.line - b.line);
  if (contradicted.length > 0)
    return {
      stoppedAt: 'plan',
      problems: contradicted,
      notes: [...notes, ...naming.notes],
      warnings,
      checks: sections.flatMap((s) => (s.checks ? [s.checks] : [])),
    };
  return {
    sections,
    notes: [...notes, ...naming.notes],
    warnings,
    management: expansion.management ?? [],
    plan: withNames(unnamed, naming.nameOf),
    read,
    readMs,
  };
}

/** Where the read stopped, as the step reports it: the problems at their lines, nothing written. */
export function stoppedAtRead(read: ReadStopped, file: string): { stopped: Stopped } {
  return manifestStop(file, read.problems, STOPPED_AT[read.stoppedAt], read.checks);
}

const STOPPED_AT: Record<ReadStopped['stoppedAt'], string> = {
  expand:
    'the manifest does not resolve against the cloud (names, tags, or its size once OUs are expanded); nothing was written',
  read: 'the cloud contradicts the manifest; nothing was written',
  plan: 'the plan cannot be written as it is (the cloud contradicts the manifest, or a check of a change fails); nothing was written',
};
