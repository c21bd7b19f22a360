// `operation: reconcile`: make the cloud match the manifest, as a pipeline. Check
// (./reconcile-check.ts: the file, before any sign-in, on the run's event, which, where it may not
// write, makes the whole step a dry run: core/check/events.ts reconcileEventOf) → read (./reconcile-read.ts:
// names resolved, targets expanded, the current state read and named) → plan (the diff,
// core/plan/assignment-diff.ts, and whether it may be written) → apply (./reconcile-apply.ts, only within
// `max-deletions`: the old half of a change of role only once the new half exists) → report
// (./reconcile-ending.ts, or where a stage stopped: core/output/stopped.ts), said once, at the end.
// The runner's effects and the sources (the workspace's file, the cloud's reconciler) come in as
// parameters, so the step is tested without a bundle.
import { reconcileEventOf, runEventOf, type ReconcileEvent } from '../../core/check/events.js';
import { type ManifestText } from '../../core/check/manifest.js';
import { checkReconcile, type ManifestSection } from './reconcile-check.js';
import { reconcileEnding, shownResult, type AppliedPlan } from './reconcile-ending.js';
import { decideReconcile, type ReconcileDecision } from './reconcile-plan.js';
import { planLines, rows, unknownWarnings, type Row } from './reconcile-report.js';
import { signsInWithToken, type ConfigOf } from '../../core/inputs/index.js';
import { emitStepReport, headerOf } from '../../core/output/step.js';
import { emitGrantLog } from '../../core/output/grants-ending.js';
import { stoppedReport, type Stopped } from '../../core/output/stopped.js';
import type { Deadline } from '../../engine/limits/deadline.js';
import { BatchProgress } from '../../engine/calls/progress.js';
import { withReadProgress, type CallActivity } from '../../engine/calls/read-progress.js';
import { applyPlan, sectionsSave, type PostStepKeeping } from './reconcile-apply.js';
import { readForPlan, stoppedAtRead } from './reconcile-read.js';
import type { SectionPlan, ReadReport, Reconciler } from '../../engine/run/reconciler.js';
import type { StepRunner } from '../runner.js';
import type { AuditTrail } from '../../engine/audit/trail.js';
import type { ReadRuns } from '../../core/claims/claims.js';

/** Where a reconcile reads from: the workspace's manifest, and the cloud's reconciler for it. */
export interface ReconcileSources {
  readManifest(path: string): Promise<ManifestText>;
  /** A file the manifest names beside it (an inline policy), read as the manifest is: workspace-relative. */
  readPolicyFile?(path: string): Promise<ManifestText>;
  /** Signs in for the manifest's section of the step's cloud (`marker`: Azure's manifest marker). */
  openReconciler(
    section: ManifestSection,
    marker: string,
  ): Promise<{
    reconciler: Reconciler;
    deadline: Deadline;
    activity?: CallActivity;
    audit?: AuditTrail;
    /** GitHub's word on the runs that claim what the plan would delete; none without a token. */
    readRuns?: ReadRuns;
  }>;
}

/**
 * What the step came to: what the run's event made of it, and where a stage stopped or the plan as
 * decided and applied.
 */
type Reconciled = { event: ReconcileEvent } & (
  | { stopped: Stopped }
  | {
      decision: ReconcileDecision;
      applied: AppliedPlan;
      /** The plan's rows, as the log showed them and the summary shows them. */
      rows: readonly Row[];
      management: string[];
      /** The kinds' sections beside the assignments: their counts, their words, and their changes as a dry run's summary shows them. */
      sections: Pick<SectionPlan, 'counts' | 'words' | 'shown'>[];
      /** What a complete read found that the kept snapshot missed (the `missed` output). */
      missed?: ReadReport['missed'];
    }
);

/**
 * The runner a reconcile is given: its effects and environment, and, when it keeps one, the state
 * its post step reads with how that post step signs in (a section whose creates end with the job
 * saves them there).
 */
export type ReconcileRunner = Pick<StepRunner, 'effects' | 'env'> & { postStep?: PostStepKeeping };

// For the step that runs this pipeline, which loads it with import(): the post step's settings
// come in the pipeline's own chunk, not in a second copy of the saved settings.
export { postStepSettingsOf } from '../../core/state/saved-sections.js';

export async function runReconcile(
  config: ConfigOf<'reconcile'>,
  runner: ReconcileRunner,
  sources: ReconcileSources,
): Promise<void> {
  const ended = await reconciled(config, runner, sources);

  // Report: what the plan came to, or where the step stopped.
  const { planOnly } = ended.event;
  const planned = planOnly && 'planned' in planOnly ? planOnly.planned : undefined;
  const header = headerOf(planned ? { ...config, dryRun: true } : config);
  const report =
    'decision' in ended
      ? reconcileEnding(ended.decision, ended.applied, {
          cloud: config.cloud,
          header,
          dryRunInput: config.dryRun || planned !== undefined,
          ...(planned ? { planned } : {}),
          manifest: config.reconcile.manifest,
          rows: ended.rows,
          management: ended.management,
          sections: ended.sections,
          ...(ended.missed ? { missed: ended.missed } : {}),
        })
      : stoppedReport(ended.stopped, header);
  await emitStepReport(report, runner.effects);
}

/**
 * What the run's event makes of the step, then every stage before the report in turn: where one
 * stopped, or the plan once applied.
 */
async function reconciled(
  config: ConfigOf<'reconcile'>,
  { effects, env, postStep }: ReconcileRunner,
  sources: ReconcileSources,
): Promise<Reconciled> {
  const request = config.reconcile;
  // What the run's event makes of the step, before anything is read: on one that may not write, a dry run.
  const event = reconcileEventOf(config, runEventOf(env), signsInWithToken(config));

  // Check: nothing here needs the cloud.
  const checked = await checkReconcile(config, event, sources);
  for (const w of checked.warnings ?? [])
    effects.warning(`${request.manifest}:${w.line}: ${w.message}`, { file: request.manifest, line: w.line });
  if ('stopped' in checked) return { event, stopped: checked.stopped };
  const { section } = checked;
  const { planOnly } = event;

  // Read.
  const { reconciler, deadline, activity, audit, readRuns } = await sources.openReconciler(
    section,
    checked.marker,
  );
  const read = await withReadProgress(
    'the manifest resolved, and the cloud’s current assignments',
    () =>
      readForPlan(
        reconciler,
        { cloud: config.cloud, line: section.line },
        Date.now,
        readRuns,
        checked.definitions,
      ),
    { say: (line) => effects.info(line), activity },
  );
  for (const note of read.notes) effects.info(note);
  for (const w of read.warnings)
    effects.warning(`${request.manifest}:${w.line}: ${w.message}`, { file: request.manifest, line: w.line });
  if ('stoppedAt' in read) return { event, ...stoppedAtRead(read, request.manifest) };
  const planRows = rows(read.plan, config.run);
  for (const line of planLines(read.plan, planRows, read.read.strategy, read.read.calls, read.readMs))
    effects.info(line);
  for (const warning of unknownWarnings(read.plan, config.run)) effects.warning(warning);
  for (const line of read.sections.flatMap((s) => s.lines)) effects.info(line);
  for (const a of read.read.alternatives) effects.info(`(instead: ${a.strategy}: ${a.calls} call(s))`);
  for (const notice of read.read.notices ?? []) effects.notice(notice);
  for (const warning of read.read.warnings ?? []) effects.warning(warning);

  // Plan. On an event that may not write, a dry run whatever the input says; on one that is refused,
  // the plan is refused too, so the step fails as the event's refusal once the plan is shown.
  const decision = decideReconcile(read.plan, {
    dryRun: config.dryRun || planOnly !== undefined,
    ...(planOnly && 'refused' in planOnly ? { eventRefusal: planOnly.refused } : {}),
    maxDeletions: request.maxDeletions,
    sections: read.sections,
    allowDeleteAll: section.manages.allowDeleteAll,
    section: config.cloud,
  });
  if (decision.waiting) effects.info(decision.dryRun ? `on apply, ${decision.waiting}` : decision.waiting);

  // Apply (a refused plan is run as a dry run of the whole of it), the kinds' sections among it.
  const shown = shownResult(decision);
  const applied = await applyPlan(
    decision.plan,
    reconciler.writes(decision.plan.creates, decision.plan.deletes, decision.plan.updates),
    read.sections,
    {
      wait: true,
      maxConcurrency: config.maxConcurrency,
      deadline,
      dryRun: decision.dryRun,
      awaitCreate: decision.awaitCreate,
      onResult: (r) => emitGrantLog(shown(r), decision.dryRun, effects),
      progress: new BatchProgress((line) => effects.info(line), 'writes'),
      ...(audit ? { audit } : {}),
      save: decision.dryRun ? undefined : sectionsSave(postStep, read.sections),
    },
    (r) => emitGrantLog(r, false, effects),
  );
  effects.debug(`calls: ${JSON.stringify(reconciler.stats)}`);
  const readSaid = read.read.notices?.[0];
  return {
    event,
    decision,
    applied,
    rows: planRows,
    management: [...read.management, ...(readSaid ? [readSaid] : [])],
    sections: read.sections,
    ...(read.read.missed ? { missed: read.read.missed } : {}),
  };
}
