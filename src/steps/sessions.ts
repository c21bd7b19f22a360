// What every step opens first: its deadline, and the driver of its cloud, signed in with a fresh
// GitHub OIDC token. Each cloud's adapter is reached through import(), so ncc puts its SDK in a
// chunk of its own and a step only loads the cloud it uses.
import type { ExpandTargets } from '../aws/index.js';
import {
  adapterSettingsOf,
  awsSettingsOf,
  azureOnlyOf,
  signsInWithToken,
  type AdapterSettings,
  type ConfigOf,
  type AwsSessionSettings,
  type StepConfig,
} from '../core/inputs/index.js';
import { Deadline } from '../engine/limits/deadline.js';
import type { AuditRequest } from '../engine/audit/record.js';
import type { AuditTrail } from '../engine/audit/trail.js';
import { CallActivity } from '../engine/calls/read-progress.js';
import type { AdapterDeps, TokenSource } from '../engine/calls/driver.js';
import type { ProvisionDriver } from '../engine/calls/provision-driver.js';
import { debug, info, mask } from '../github/log.js';
import { readManifestFile, readPreviousReport } from '../github/manifest-file.js';
import { writeReportFiles } from '../github/report-files.js';
import { githubOidcTokenSource } from '../github/oidc.js';
import type { OpenProvisioning } from '../operations/provision/index.js';
import type { ReconcileSources } from '../operations/reconcile/index.js';
import type { ReportSources } from '../operations/report/index.js';
import type { RequestSources } from '../operations/request/index.js';
import type { SweepReads } from '../operations/sweep/index.js';
import type { ReadRuns } from '../core/claims/claims.js';
import type { PostSessionPlan, Session, SessionOptions, SessionPlan } from '../operations/step-session.js';
import { adapterOf } from './cloud-adapters.js';
import { mainAuditOf, openAuditTrail } from './audit-trail.js';
import { requestSources } from './request-sources.js';
import { loadedThenKeptSmall } from './young-generation.js';

/**
 * The step's first OIDC token, asked for before the cloud's SDK chunk is loaded rather than by the
 * adapter once it is: evaluating the chunk takes most of the time to the first request, and the
 * token endpoint can answer meanwhile. The adapter's first request for `audience` is handed that
 * token (it is at most as old as the chunk's evaluation), every later one goes to the endpoint; a
 * failure reaches the adapter when it asks, as its own request's would.
 */
export function tokenAskedAhead(
  source: TokenSource,
  audience: string,
): { requestToken: TokenSource; first: Promise<string> } {
  const first = source(audience);
  first.catch(() => undefined);
  let handedOut = false;
  return {
    first,
    requestToken: (wanted) => {
      if (!handedOut && wanted === audience) {
        handedOut = true;
        return first;
      }
      return source(wanted);
    },
  };
}

/**
 * How long a step waits for its first token request to be on the wire before it loads the SDK:
 * evaluating the chunk holds the event loop, so a request not yet connected (DNS, TCP, TLS) would
 * wait for it. Past this, the chunk is loaded and the request goes out after it, as before.
 */
const SEND_AHEAD_MAX_MS = 200;

/**
 * The first token, asked for ahead; resolves once its request is on the wire (connected and
 * written), or failed, or SEND_AHEAD_MAX_MS passed: the endpoint answers while the chunk is evaluated.
 */
async function askFirstTokenAhead(deadline: Deadline, audience: string): Promise<TokenSource> {
  let sent: () => void = () => undefined;
  const onTheWire = new Promise<void>((resolve) => (sent = resolve));
  const ahead = tokenAskedAhead(
    githubOidcTokenSource(deadline, process.env, () => sent()),
    audience,
  );
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    onTheWire,
    ahead.first.catch(() => undefined),
    new Promise((resolve) => (timer = setTimeout(resolve, SEND_AHEAD_MAX_MS))),
  ]);
  clearTimeout(timer);
  return ahead.requestToken;
}

export async function adapterDeps(
  plan: SessionPlan | PostSessionPlan,
  settings: AdapterSettings,
  options: SessionOptions,
): Promise<AdapterDeps> {
  // Every main step's plan has both budgets; the post step's has only its own.
  const deadline =
    options.step === 'main' && 'timeoutSeconds' in plan
      ? new Deadline(plan.timeoutSeconds)
      : new Deadline(plan.postTimeoutSeconds, Date.now, 'post-timeout-seconds');
  const requestToken = signsInWithToken(settings)
    ? await askFirstTokenAhead(deadline, settings.audience)
    : githubOidcTokenSource(deadline);
  const activity = new CallActivity();
  return {
    deadline,
    requestToken,
    mask,
    debug,
    info,
    activity,
    ...(options.runs ? { readRuns: runsReader(options.runs, deadline, activity) } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.saved ? { saved: options.saved } : {}),
    ...(options.ownCreates ? { ownCreates: options.ownCreates } : {}),
  };
}

/** GitHub's word on the runs a relying step names (github/runs.ts, loaded with import() when first asked). */
function runsReader(
  runs: NonNullable<SessionOptions['runs']>,
  deadline: Deadline,
  activity: CallActivity,
): NonNullable<AdapterDeps['readRuns']> {
  mask(runs.token);
  return async (refs) => {
    const { readRunStates } = await import('../github/runs.js');
    const own = { repository: runs.repository, repositoryId: runs.repositoryId };
    return (await readRunStates(refs, { token: runs.token, own, deadline, activity })).states;
  };
}

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
  const deps = await adapterDeps(plan, settings, options);
  return {
    deadline: deps.deadline,
    activity: deps.activity,
    ...(options.audit ? { audit: await openAuditTrail(options.audit, settings, deps) } : {}),
    ...(await adapterOf(settings).driver(deps)),
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
  const deps = await adapterDeps(plan, settings, { step: 'main' });
  const { createAwsProvisioning } = await loadedThenKeptSmall(import('../aws/index.js'));
  const audit = mainAuditOf(plan);
  return {
    deadline: deps.deadline,
    activity: deps.activity,
    ...(audit ? { audit: await openAuditTrail(audit, settings, deps) } : {}),
    ...createAwsProvisioning(settings, deps),
  };
}

/**
 * `operation: sweep`: the cloud's sweeper, signed in as every step is, and the GitHub runs
 * reader (github/runs.ts), each loaded with import() only for a sweep.
 */
export async function openSweep(plan: ConfigOf<'sweep'>, settings: AdapterSettings): Promise<SweepReads> {
  const request = plan.sweep;
  const deps = await adapterDeps(plan, settings, { step: 'main' });
  const sweeper = await adapterOf(settings).sweeper(request, deps);
  const { readRunStates } = await import('../github/runs.js');
  const audit = mainAuditOf(plan);
  return {
    sweeper,
    ...(audit ? { audit: await openAuditTrail(audit, settings, deps) } : {}),
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

/** A reconcile's sources: the manifest from the job's workspace, and the cloud's reconciler for it. */
export function reconcileSources(
  plan: SessionPlan & Pick<ConfigOf<'reconcile'>, 'auditLog' | 'dryRun' | 'operation' | 'run' | 'reconcile'>,
  settings: AdapterSettings,
): ReconcileSources {
  return {
    readManifest: (path) => readManifestFile(path),
    openReconciler: async (section, marker) => {
      const deps = await adapterDeps(plan, settings, { step: 'main' });
      const reconciler = await adapterOf(settings).reconciler(section, deps, marker, plan.reconcile);
      const audit = mainAuditOf(plan);
      return {
        deadline: deps.deadline,
        activity: deps.activity,
        reconciler,
        ...runsReaderOf(plan.reconcile.githubToken, plan.run, deps),
        ...(audit ? { audit: await openAuditTrail(audit, settings, deps) } : {}),
      };
    },
  };
}

/** A report's sources: the workspace's files, the cloud's reader, and RUNNER_TEMP for the report's files. */
export function reportSources(plan: ConfigOf<'report'>, settings: AdapterSettings): ReportSources {
  return {
    readManifest: (path) => readManifestFile(path),
    readPrevious: (path) => readPreviousReport(path),
    writeFiles: (json, csv, csvName) => writeReportFiles(json, csv, csvName),
    openReader: async () => {
      const request = plan.report;
      const deps = await adapterDeps(plan, settings, { step: 'main' });
      const reader = await adapterOf(settings).reader(request, deps, plan.run.repository);
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
  grants: (config, signal, request) => {
    const audit = mainAuditOf(config, request);
    return openSession(config, adapterSettingsOf(config), {
      step: 'main',
      signal,
      ...relianceRuns(config),
      ...(audit ? { audit } : {}),
    });
  },
  provisioning: (config) => openProvisioningSession(config, awsSettingsOf(config)),
  sweep: (config) => openSweep(config, adapterSettingsOf(config)),
  reconcile: (config) => reconcileSources(config, adapterSettingsOf(config)),
  report: (config) => reportSources(config, adapterSettingsOf(config)),
  request: (config) => requestSources(config),
};
