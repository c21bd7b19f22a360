// Each operation's session: its driver, sweeper, reconciler or reader over the ground every step
// opens first (./sign-in.ts: its deadline, a fresh GitHub OIDC token, `audit-log`'s trail). Each cloud's adapter is reached through import(), so ncc puts its SDK in a
// chunk of its own and a step only loads the cloud it uses.
import type { ExpandTargets } from '../aws/index.js';
import type { AdapterSettings, ConfigOf, AwsSessionSettings, StepConfig } from '../core/inputs/index.js';
import { adapterSettingsOf, awsSettingsOf, azureOnlyOf } from '../core/inputs/settings.js';
import type { Deadline } from '../engine/limits/deadline.js';
import type { AuditRequest } from '../engine/audit/record.js';
import type { AuditTrail } from '../engine/audit/trail.js';
import type { CallActivity } from '../engine/calls/read-progress.js';
import type { AdapterDeps } from '../engine/calls/driver.js';
import type { ProvisionDriver } from '../engine/calls/provision-driver.js';
import { mask } from '../github/log.js';
import type { OpenProvisioning } from '../operations/provision/index.js';
import type { ReconcileSources } from '../operations/reconcile/index.js';
import type { ReportSources } from '../operations/report/index.js';
import type { RequestSources } from '../operations/request/index.js';
import type { SweepReads } from '../operations/sweep/index.js';
import type { ReadRuns } from '../core/claims/claims.js';
import type { PostSessionPlan, Session, SessionOptions, SessionPlan } from '../operations/step-session.js';
import { loadAdapterOf } from './adapter-loader.js';
import { requestSources } from './request-sources.js';
import { openGround, openMainGround } from './sign-in.js';
import { loadedThenKeptSmall } from './young-generation.js';

/** A relying Azure step's GitHub token and repository, for the room it makes (core/state/azure-reliance.ts). */
function relianceRuns(config: StepConfig): Pick<SessionOptions, 'runs'> {
  const { relianceMark, relianceRunsToken } = azureOnlyOf(config);
  if (!relianceMark || !relianceRunsToken) return {};
  const { repository, repositoryId } = config.run;
  if (!repository) return {};
  return { runs: { token: relianceRunsToken, repository, repositoryId } };
}

/** The step's driver, signed in with `settings`, on the plan's budget; the plan's grants stay with the step. */
export async function openSession(
  plan: SessionPlan | PostSessionPlan,
  settings: AdapterSettings,
  options: SessionOptions,
): Promise<Session> {
  return sessionOver(await openGround(plan, settings, options), settings);
}

/** The grants' driver over `ground`: what an assign, a revoke and the post step are given. */
async function sessionOver(
  { deps, audit }: { deps: AdapterDeps; audit?: AuditTrail },
  settings: AdapterSettings,
): Promise<Session> {
  return {
    deadline: deps.deadline,
    activity: deps.activity,
    ...(audit ? { audit } : {}),
    ...(await (await loadAdapterOf(settings)).driver(deps)),
  };
}

/** `operation: provision` (AWS only): the provisioning driver, over the same kind of session. */
export async function openProvisioningSession(
  plan: SessionPlan & Pick<StepConfig, 'auditLog' | 'dryRun' | 'operation' | 'run'>,
  settings: AwsSessionSettings,
): Promise<{
  deadline: Deadline;
  driver: ProvisionDriver;
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
  const { deps, audit } = await openMainGround(plan, settings);
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
    readRuns: async (runs) =>
      (await import('../github/runs.js')).readRunStates(runs, {
        token,
        own: { repository: run.repository, repositoryId: run.repositoryId },
        deadline: deps.deadline,
        ...(deps.activity ? { activity: deps.activity } : {}),
      }),
  };
}

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
      const { deps, audit } = await openMainGround(plan, settings);
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

/** How each operation of the main step signs in and reads: the clouds' (below), or a test's in-memory ones. */
export interface StepSessions {
  /** `request`: an access request's decision, which its grant's audit records carry. */
  grants(config: StepConfig, signal: AbortSignal, request?: AuditRequest): Promise<Session>;
  provisioning(config: ConfigOf<'provision'>): ReturnType<OpenProvisioning>;
  sweep(config: ConfigOf<'sweep'>): Promise<SweepReads>;
  reconcile(config: ConfigOf<'reconcile'>): ReconcileSources;
  report(config: ConfigOf<'report'>): ReportSources;
  request(config: ConfigOf<'request'>): RequestSources;
}

/** The clouds, through their SDKs, with the step's settings. */
export const cloudSessions: StepSessions = {
  grants: async (config, signal, request) => {
    const settings = adapterSettingsOf(config);
    return sessionOver(
      await openMainGround(config, settings, { signal, ...relianceRuns(config) }, request),
      settings,
    );
  },
  provisioning: (config) => openProvisioningSession(config, awsSettingsOf(config)),
  sweep: (config) => openSweep(config, adapterSettingsOf(config)),
  reconcile: (config) => reconcileSources(config, adapterSettingsOf(config)),
  report: (config) => reportSources(config, adapterSettingsOf(config)),
  request: (config) => requestSources(config),
};
