// `operation: assign` and `revoke`: open (a signed-in session, passed in) → expand OU targets →
// run every grant through the engine (engine/run/run-grants.ts) → report
// (core/output/grants-ending.ts). A step whose grants end with the job saves what it creates as it
// goes (./created-grants.ts), for its post step. The runner (../runner.ts) comes in as a parameter, so the step is tested without a bundle.
import { awsOnlyOf, type StepConfig } from '../../core/inputs/index.js';
import {
  foundInPlaceNote,
  remadeRelianceWarning,
  sharedGrantsNotice,
  timeBoundFoundNote,
} from './assign-report.js';
import { emitStepReport, headerOf, type RunHeader } from '../../core/output/step.js';
import { emitGrantLog, grantsEnding } from '../../core/output/grants-ending.js';
import { stoppedBeforeReading } from '../../core/output/stopped.js';
import type { GrantRequest } from '../../core/access-request.js';
import type { Grant } from '../../core/types.js';
import type { GrantResult } from '../../core/grant-result.js';
import { BatchProgress } from '../../engine/calls/progress.js';
import { withReadProgress, type CallActivity } from '../../engine/calls/read-progress.js';
import { runGrants } from '../../engine/run/run-grants.js';
import { CreatedGrantsRecord } from './created-grants.js';
import { withExpandedTargets } from '../expand-targets.js';
import type { StepRunner } from '../runner.js';
import type { GrantAdmission, Session } from '../step-session.js';

/** A signed-in session for the step (steps/sessions.ts openSession); `signal` aborts its requests. */
export type OpenGrantSession = (signal: AbortSignal) => Promise<Session>;

/** Where an assign or a revoke works: its signed-in session. */
export interface GrantSources {
  open: OpenGrantSession;
  /** `operation: request`: the decision each result carries. */
  request?: GrantRequest;
  /** `operation: request`: what its rule allows, decided on the resolved grants before any write. */
  admit?: GrantAdmission;
  /** `operation: request`: the header its refusal stands under (the request's, not the assign's it runs as). */
  header?: RunHeader;
}

/** `asWritten`: the step's config with its targets as the inputs wrote them (OUs and roots not yet accounts). */
/**
 * The driver prepared for the grants: the sign-in's first calls (the token, the role), the instance
 * and the names the grants use, bounded by the deadline alone, so a slow one says where it stands.
 */
function prepared(
  driver: Session['driver'],
  options: Parameters<Session['driver']['prepare']>[0],
  say: (line: string) => void,
  activity: CallActivity | undefined,
): Promise<void> {
  return withReadProgress(
    'the sign-in, and the instance and names the grants use',
    () => driver.prepare(options),
    {
      say,
      activity,
    },
  );
}

export async function runAssignments(
  asWritten: StepConfig,
  runner: Pick<StepRunner, 'effects' | 'state' | 'onCancel'>,
  sources: GrantSources,
): Promise<void> {
  const { effects } = runner;
  const cancel = new AbortController();
  const { deadline, driver, expandTargets, activity, audit } = await sources.open(cancel.signal);
  // OU and root targets become accounts first (reads only): what is saved is per account.
  // (Azure has none, and its session no expansion.)
  const { config, expansion } = await withReadProgress(
    'the OU and root targets’ accounts',
    () => withExpandedTargets(asWritten, expandTargets, effects),
    { say: (line) => effects.info(line), activity },
  );
  // Only a step that revokes on exit (`revoke-on-exit`, or an AWS `duration`) saves what it creates
  // (and proves that it created it).
  const record = config.revokeOnExit ? new CreatedGrantsRecord(config, runner.state) : undefined;
  const operation = config.operation === 'revoke' ? 'revoke' : 'assign';
  const expiresAt = awsExpiry(config);
  // An access request's AWS grant (`-t<expiry>`): ended by a sweep after its expiry, not by the post step.
  const timeBound = awsOnlyOf(config).relianceSessionName !== undefined && !record;
  effects.info(
    `${config.dryRun ? 'Dry run: planning' : 'Running'} ${config.grants.length} ${operation} grant${config.grants.length === 1 ? '' : 's'} on ${config.cloud}`,
  );
  await prepared(
    driver,
    { operation, grants: config.grants, proveOwnership: config.revokeOnExit && !config.dryRun },
    (line) => effects.info(line),
    activity,
  );
  if (!(await admitted(config, sources, { driver, expandTargets }, effects))) return;
  record?.signedIn(driver.postState?.());
  const stopListening = runner.onCancel((signal) => {
    // The job is cancelled: the state saved so far lets the post step revoke what this step created.
    effects.warning(
      `received ${signal}: stopping; ${record ? `the post step will revoke what this step created (${record.ownedCount} grant(s) created or in flight)` : 'grants already made stay in place'}`,
    );
    cancel.abort();
  });

  let results: GrantResult[];
  try {
    results = await runGrants<Grant>(config.grants, driver, {
      operation,
      dryRun: config.dryRun,
      wait: config.wait,
      maxConcurrency: config.maxConcurrency,
      deadline,
      signal: cancel.signal,
      progress: new BatchProgress((line) => effects.info(line), 'grants'),
      ...(audit ? { audit } : {}),
      ...(record ? { onOwnership: record.saveOwnership } : {}),
      // An access request's AWS grant saves nothing for the post step, yet relies on one in place
      // until its expiry (`-tr`), so that a sweep does not end another run's grant under it.
      ...(record || timeBound ? { relyOnExisting: true } : {}),
      onResult: (result) => {
        // AWS: the request ends when its time-bound claim says (`-t<expiry>`), to the second.
        if (sources.request)
          result.request = { ...sources.request, expiresAt: expiresAt ?? sources.request.expiresAt };
        // Said where the grant is logged, and kept in the summary: the state keeps only what to revoke.
        if (record && result.operation === 'assign' && result.before === 'present') {
          const leftAlone = foundInPlaceNote(result.reliance);
          result.note = result.note ? `${result.note}; ${leftAlone}` : leftAlone;
        }
        if (timeBound && result.before === 'present') {
          const leftAlone = timeBoundFoundNote(result.reliance, expiresAt!);
          result.note = result.note ? `${result.note}; ${leftAlone}` : leftAlone;
        }
        // AWS `duration`: what this step creates (or would) ends then; one found in place stays.
        // A reliance that made it again is ended by the post step alone: a sweep never takes a
        // reliance for a creation, so no `expires-at` is promised for it.
        if (expiresAt && result.change === 'create' && result.status !== 'FAILED' && !result.reliance?.remade)
          result.expiresAt = expiresAt;
        emitGrantLog(result, config.dryRun, effects);
      },
    });
  } finally {
    stopListening();
  }

  sayWhatIsLeft(results, config, record, effects);
  await emitStepReport(
    grantsEnding(results, {
      ...headerOf(config),
      operation,
      dryRun: config.dryRun,
      wait: config.wait,
      ...(expansion ? { expansion } : {}),
    }),
    effects,
  );
  effects.debug(`calls: ${JSON.stringify(driver.stats)}`);
}

/** Whether the step may make its grants (`admit`); if not, it ends saying why, with nothing written. */
async function admitted(
  config: StepConfig,
  sources: GrantSources,
  session: Pick<Session, 'driver' | 'expandTargets'>,
  effects: StepRunner['effects'],
): Promise<boolean> {
  const refused = sources.admit ? await sources.admit(config.grants, session) : [];
  if (refused.length === 0) return true;
  const header = sources.header ?? headerOf(config);
  await emitStepReport(stoppedBeforeReading(refused, header, 'nothing was granted'), effects);
  return false;
}

/**
 * The grants' own warnings, once each; and for a step whose grants end with the job, what it saved
 * for its post step and what it leaves: grants it relies on, relied on without registering, or may
 * have made again by relying on them.
 */
function sayWhatIsLeft(
  results: GrantResult[],
  config: StepConfig,
  record: CreatedGrantsRecord | undefined,
  effects: StepRunner['effects'],
): void {
  for (const warning of new Set(results.flatMap((r) => (r.warning ? [r.warning] : []))))
    effects.warning(warning);
  if (!record) return;
  effects.info(record.close(results));
  const shared = sharedGrantsNotice(config.dryRun ? [] : record.notMadeHere(config.grants, results));
  if (shared) effects.notice(shared);
  const remade = remadeRelianceWarning(results);
  if (remade) effects.warning(remade);
}

/** AWS `duration`: when the step's grants end, ISO 8601 UTC (the `expires-at` output, as on Azure). */
export function awsExpiry(config: StepConfig): string | undefined {
  const { timeBound } = awsOnlyOf(config);
  return timeBound ? new Date(timeBound.expiresAt * 1000).toISOString() : undefined;
}
