// The sessions of the operations other than the grants' (./sessions.ts): a provision's, a
// sweep's, a reconcile's and a report's, each over the ground every step opens first
// (./sign-in.ts). ./sessions.ts loads this module with import() when the step runs one of them, as
// steps/main.ts loads their pipelines: an assign, the step most jobs run, never reads it.
import type { AwsProvisioning, ExpandTargets } from '../aws/index.js';
import type { AdapterSettings, ConfigOf, AwsSessionSettings, StepConfig } from '../core/inputs/index.js';
import type { ReadRuns } from '../core/claims/claims.js';
import type { AuditTrail } from '../engine/audit/trail.js';
import type { CallActivity } from '../engine/calls/read-progress.js';
import type { AdapterDeps } from '../engine/calls/driver.js';
import { Deadline } from '../engine/limits/deadline.js';
import { info, mask } from '../github/log.js';
import { runRepositoryFor } from '../core/run-context.js';
import type { ReconcileSources } from '../operations/reconcile/index.js';
import type { ReportSources } from '../operations/report/index.js';
import type { SweepReads } from '../operations/sweep/index.js';
import type { SessionOptions, SessionPlan } from '../operations/step-session.js';
import { loadAdapterOf } from './adapter-loader.js';
import { openMainGround } from './sign-in.js';
import { loadedThenKeptSmall } from './young-generation.js';

/**
 * `operation: provision` (AWS only): the AWS adapter's provisioning of permission sets, over the
 * same kind of session, loaded with import() as every adapter is.
 */
export async function openProvisioningSession(
  plan: SessionPlan & Pick<StepConfig, 'auditLog' | 'dryRun' | 'operation' | 'run'>,
  settings: AwsSessionSettings,
): Promise<{
  deadline: Deadline;
  provisioning: AwsProvisioning;
  expandTargets: ExpandTargets;
  activity?: CallActivity;
  audit?: AuditTrail;
}> {
  const { deps, audit } = await openMainGround(plan, settings);
  const { createAwsProvisioning } = await loadedThenKeptSmall(import('../aws/index.js'));
  return {
    deadline: deps.deadline,
    activity: deps.activity,
    ...(audit ? { audit } : {}),
    ...createAwsProvisioning(settings, deps),
  };
}

/**
 * `operation: sweep`: the cloud's sweeper, signed in as every step is, and the GitHub runs
 * reader (github/runs.ts), each loaded with import() only for a sweep.
 */
export async function openSweep(plan: ConfigOf<'sweep'>, settings: AdapterSettings): Promise<SweepReads> {
  const request = plan.sweep;
  // The adapter weighs claims of its own (memberships of groups) by GitHub's word on their runs too.
  const { deps, audit } = await openMainGround(plan, settings, runsOf(request.githubToken, plan.run));
  const sweeper = await (await loadAdapterOf(settings)).sweeper(request, deps);
  const { readRunStates } = await import('../github/runs.js');
  return {
    sweeper,
    ...(audit ? { audit } : {}),
    deadline: deps.deadline,
    activity: deps.activity,
    readRuns: (runs) =>
      readRunStates(runs, {
        token: request.githubToken,
        own: { repository: plan.run.repository, repositoryId: plan.run.repositoryId },
        deadline: deps.deadline,
        activity: deps.activity,
      }),
  };
}

/**
 * GitHub's word on the runs that claim a grant (github/runs.ts, loaded with import() only when a
 * claim names a run), with `token`; none without one.
 */
function runsReaderOf(
  token: string,
  run: StepConfig['run'],
  deps: Pick<AdapterDeps, 'deadline' | 'activity'>,
): { readRuns?: ReadRuns } {
  if (!token) return {};
  mask(token);
  return {
    readRuns: async (runs, wants) =>
      (await import('../github/runs.js')).readRunStates(runs, {
        token,
        own: { repository: run.repository, repositoryId: run.repositoryId },
        deadline: deps.deadline,
        ...(deps.activity ? { activity: deps.activity } : {}),
        ...wants,
      }),
  };
}

/**
 * The runs a session's adapter may ask GitHub about (`AdapterDeps.readRuns`: the claims it weighs
 * itself, as a reconcile's and a sweep's memberships of groups), with `token`; none without one.
 */
const runsOf = (token: string | undefined, run: StepConfig['run']): Pick<SessionOptions, 'runs'> =>
  token ? { runs: { token, repository: run.repository, repositoryId: run.repositoryId } } : {};

/** The workspace's files (github/manifest-file.ts), loaded with import() by the operations that read them. */
const manifestFiles = () => import('../github/manifest-file.js');

/** A reconcile's sources: the manifest from the job's workspace, and the cloud's reconciler for it. */
export function reconcileSources(
  plan: SessionPlan & Pick<ConfigOf<'reconcile'>, 'auditLog' | 'dryRun' | 'operation' | 'run' | 'reconcile'>,
  settings: AdapterSettings,
): ReconcileSources {
  return {
    readManifest: async (path) => (await manifestFiles()).readManifestFile(path),
    readPolicyFile: async (path) => (await manifestFiles()).readPolicyFile(path),
    openReconciler: async (section, marker) => {
      const { deps, audit } = await openMainGround(
        plan,
        settings,
        runsOf(plan.reconcile.githubToken, plan.run),
      );
      const reconciler = await (
        await loadAdapterOf(settings)
      ).reconciler(section, deps, marker, {
        ...plan.reconcile,
        eventName: plan.run.eventName,
      });
      return {
        deadline: deps.deadline,
        activity: deps.activity,
        reconciler,
        ...runsReaderOf(plan.reconcile.githubToken, plan.run, deps),
        ...(audit ? { audit } : {}),
      };
    },
  };
}

/** A report's sources: the workspace's files, the cloud's reader, and RUNNER_TEMP for the report's files. */
export function reportSources(plan: ConfigOf<'report'>, settings: AdapterSettings): ReportSources {
  return {
    readManifest: async (path) => (await manifestFiles()).readManifestFile(path),
    readPrevious: async (path) => (await manifestFiles()).readPreviousReport(path),
    writeFiles: async (json, csv, csvName) =>
      (await import('../github/report-files.js')).writeReportFiles(json, csv, csvName),
    // `prune: pull-request`: the branch and pull request through the review's GitHub calls.
    openPulls: async () => {
      const token = plan.report.githubToken ?? '';
      mask(token);
      const { githubReviewApi } = await import('../github/review-api.js');
      const repository = runRepositoryFor(plan.run, 'report');
      return githubReviewApi({ token, repository, deadline: new Deadline(plan.timeoutSeconds), say: info });
    },
    openReader: async () => {
      const request = plan.report;
      // A report writes nothing: its inputs refuse `audit-log`, so no trail is opened.
      const { deps } = await openMainGround(plan, settings);
      const reader = await (await loadAdapterOf(settings)).reader(request, deps, plan.run);
      return {
        reader,
        activity: deps.activity,
        ...runsReaderOf(request.githubToken ?? '', plan.run, deps),
      };
    },
  };
}
