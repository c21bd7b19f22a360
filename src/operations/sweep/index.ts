// `operation: sweep`, as a pipeline: check (the event: code from a pull request must not choose
// what is deleted) → read (the cloud's claims and evidence, then the state of each run they name)
// → plan (./sweep-plan.ts, pure) → apply (the revokes, within `max-deletions`, through the engine)
// → report (log, outputs, summary: ./sweep-report.ts, or where the check stopped:
// core/output/stopped.ts), said once, at the end. The runner's side effects come in as a parameter
// (`RunnerEffects`), so the step is tested without a bundle.
import type { ConfigOf } from '../../core/inputs/index.js';
import { runEventOf, refusedEvent, type RunEvent } from '../../core/check/events.js';
import { emitStepReport, headerOf, type RunnerEffects } from '../../core/output/step.js';
import { stoppedReport, type Stopped } from '../../core/output/stopped.js';
import { planSweep, sweepCounts, sweepRefusal, withRechecks } from './sweep-plan.js';
import { runsDecidingClaims } from '../../core/claims/live.js';
import { countsLine, type SweepMode } from './sweep-report.js';
import { sweepEnding } from './sweep-ending.js';
import type { ReadRuns, SweepCounts, SweepEntry } from '../../core/claims/claims.js';
import type { GrantResult } from '../../core/grant-result.js';
import type { AwsInstance } from '../../core/claims/by-hand.js';
import type { Deadline } from '../../engine/limits/deadline.js';
import { BatchProgress } from '../../engine/calls/progress.js';
import { withReadProgress, type CallActivity } from '../../engine/calls/read-progress.js';
import { revokeSwept, type Sweeper } from '../../engine/run/sweeper.js';
import type { EventRunner } from '../runner.js';
import type { AuditTrail } from '../../engine/audit/trail.js';
import type { SweepUpkeep } from '../../engine/run/sweeper.js';
import { withUpkeep } from './sweep-upkeep.js';

/** What the sweep reads through once signed in: the cloud's sweeper, and the GitHub runs API. */
export interface SweepReads {
  sweeper: Sweeper;
  deadline: Deadline;
  /** Where the step's calls stand, for the progress lines of a long read. */
  activity?: CallActivity;
  /** `audit-log`: each revoke is recorded, none sent before the step's first record is written. */
  audit?: AuditTrail;
  readRuns: ReadRuns;
}

/** Where a sweep reads from: signs in, and gives the readers. */
export interface SweepSources {
  open(): Promise<SweepReads>;
}

/** What the sweep came to: where its check stopped, or each entry and the revokes it ran. */
type Swept =
  | { stopped: Stopped }
  | {
      entries: SweepEntry[];
      revoked: Map<SweepEntry, GrantResult>;
      counts: SweepCounts;
      mode: SweepMode;
      refusal?: { reason: string; fix: string };
      /** When the sweep read (epoch ms), and the AWS instance it read. */
      at: number;
      instance?: AwsInstance | undefined;
      /** What it tidied beside the revokes (engine/run/sweeper.ts SweepUpkeep). */
      upkeep?: SweepUpkeep | undefined;
    };

export async function runSweep(
  config: ConfigOf<'sweep'>,
  runner: EventRunner,
  sources: SweepSources,
  now: () => number,
): Promise<void> {
  const { effects } = runner;
  effects.mask(config.sweep.githubToken);
  const ended = await swept(config, runEventOf(runner.env), effects, sources, now);

  // Report: what the sweep came to, or where it stopped.
  const header = headerOf(config);
  const report =
    'entries' in ended
      ? withUpkeep(
          sweepEnding(ended.entries, ended.revoked, {
            header,
            counts: ended.counts,
            mode: ended.mode,
            dryRunInput: config.dryRun,
            ...(ended.refusal ? { refusal: ended.refusal } : {}),
            stuck: { now: ended.at, failOnStuck: config.sweep.failOnStuck, instance: ended.instance },
          }),
          ended.upkeep,
        )
      : stoppedReport(ended.stopped, header);
  await emitStepReport(report, effects);
}

/** The grants left while a run relies on them, without the markers of ended runs: said in each one's reason. */
async function tidyLeft(
  entries: SweepEntry[],
  sweeper: Sweeper,
  dryRun: boolean,
  effects: RunnerEffects,
  audit: AuditTrail | undefined,
): Promise<SweepEntry[]> {
  if (!sweeper.tidy || !entries.some((e) => e.endedReliers)) return entries;
  // A rewrite is a write as a revoke is: none before the step's first record, none without it. A
  // run's grants are assignments made active, never eligibilities (aws/sweep.ts, azure/sweeper.ts).
  const due = entries.filter((e) => e.endedReliers).map((e) => e.claim.shown);
  const beforeWrite =
    audit && !dryRun
      ? () =>
          audit.beforeFirstWrite('revoke', () => due.map((shown) => ({ ...shown, kind: 'active' as const })))
      : undefined;
  const { tidied, notes } = await sweeper.tidy(entries, dryRun, beforeWrite);
  for (const note of notes) effects.info(note);
  return entries.map((e) => {
    const said = tidied.get(e.claim);
    return said ? { ...e, reason: `${e.reason}; ${said}` } : e;
  });
}

/** The claims, named, and the runs on GitHub that decide them, each read's notes said. */
async function claimsAndRuns(
  sweeper: Sweeper,
  readRuns: SweepReads['readRuns'],
  reading: <T>(what: string, work: () => Promise<T>) => Promise<T>,
  effects: RunnerEffects,
  at: number,
) {
  const read = await reading('the claims and their evidence', () => sweeper.read(at));
  for (const note of read.notes) effects.info(note);
  // The names a reviewer reads are looked up while GitHub is asked about the runs.
  const [runs, names] = await reading('the runs on GitHub, and the names', () =>
    Promise.all([
      readRuns(runsDecidingClaims(read.claims, at)),
      sweeper.nameClaims?.(read.claims).catch(() => undefined),
    ]),
  );
  for (const note of names?.notes ?? []) effects.info(note);
  const claims = read.claims.map((claim) => {
    const shown = names?.shown.get(claim);
    return shown ? { ...claim, shown } : claim;
  });
  effects.info(`GitHub: ${runs.states.size} run(s) asked about in ${runs.requests} request(s)`);
  if (runs.rateLimited) effects.warning(runs.rateLimited);
  if (runs.unreachable) effects.info(runs.unreachable);
  return { read, claims, runs };
}

/** Every stage before the report in turn: where the check stopped, or the sweep once applied. */
async function swept(
  config: ConfigOf<'sweep'>,
  run: RunEvent,
  effects: RunnerEffects,
  sources: SweepSources,
  now: () => number,
): Promise<Swept> {
  // Check: nothing here needs the cloud.
  const refused = refusedEvent(config, run);
  if (refused) return { stopped: refused };

  // Read.
  const { sweeper, deadline, readRuns, activity, audit } = await sources.open();
  const reading = <T>(what: string, work: () => Promise<T>, doing?: 'writing') =>
    withReadProgress(what, work, { say: (line) => effects.info(line), activity, doing });
  const at = now();
  const { read, claims, runs } = await claimsAndRuns(sweeper, readRuns, reading, effects, at);

  // Plan, then the evidence of what it would revoke checked again just before the revokes.
  const planned = planSweep(claims, runs.states, at);
  const candidates = planned.filter((e) => e.kind === 'revoke').map((e) => e.claim);
  const recheck =
    candidates.length > 0 && sweeper.recheck
      ? await reading('the evidence again, before the revokes', () => sweeper.recheck!(candidates, at))
      : undefined;
  for (const note of recheck?.notes ?? []) effects.info(note);
  const checked = recheck ? withRechecks(planned, recheck.dropped) : planned;
  effects.info(countsLine(sweepCounts(checked)));
  const besides = sweeper.upkeepDeletions
    ? await reading('what the sweep ends beside its revokes', () => sweeper.upkeepDeletions!(at))
    : 0;
  const refusal = sweepRefusal(checked, config.sweep.maxDeletions, besides);
  const dryRun = config.dryRun || refusal !== undefined;
  const mode = refusal ? 'refused' : config.dryRun ? 'dry-run' : 'apply';

  // Apply: each revoke checked again in its own turn, just before its delete.
  const revokes = await revokeSwept(checked, sweeper, {
    dryRun,
    maxConcurrency: config.maxConcurrency,
    deadline,
    progress: new BatchProgress((line) => effects.info(line), 'revokes'),
    ...(audit ? { audit } : {}),
  });
  // A claim left in its turn is unproven, as one the re-check dropped.
  const entries = await reading(
    'the ended runs’ markers',
    () => tidyLeft(withRechecks(checked, revokes.left), sweeper, dryRun, effects, audit),
    'writing',
  );
  // What the action wrote before and no longer needs, whether or not anything was revoked.
  const upkeep = sweeper.upkeep
    ? await reading(
        'what the action wrote before and no longer needs',
        () => sweeper.upkeep!(at, { dryRun, ...(audit ? { audit } : {}) }),
        'writing',
      )
    : undefined;
  const revoked = new Map<SweepEntry, GrantResult>(
    dryRun
      ? []
      : entries.flatMap((e) => {
          const result = e.kind === 'revoke' ? revokes.results.get(e.claim) : undefined;
          return result ? [[e, result] as const] : [];
        }),
  );
  return {
    entries,
    revoked,
    counts: sweepCounts(entries),
    mode,
    ...(refusal ? { refusal } : {}),
    at,
    instance: read.instance,
    upkeep,
  };
}
