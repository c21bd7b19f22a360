// Each operation's session: its driver, sweeper, reconciler or reader over the ground every step
// opens first (./sign-in.ts: its deadline, a fresh GitHub OIDC token, `audit-log`'s trail). Each
// cloud's adapter is reached through import(), so ncc puts its SDK in a chunk of its own and a step
// only loads the cloud it uses. This module holds the grants' session (an assign's, the step most
// jobs run, a revoke's and the post step's); every other operation's (./operation-sessions.ts,
// ./request-sources.ts) is loaded with import() along with its pipeline, so the bundle's main
// chunk, which every step reads before its first request, holds none of them.
import type { AdapterSettings, ConfigOf, StepConfig } from '../core/inputs/index.js';
import { adapterSettingsOf, awsSettingsOf, azureOnlyOf } from '../core/inputs/settings.js';
import type { AuditRequest } from '../engine/audit/record.js';
import type { AuditTrail } from '../engine/audit/trail.js';
import type { AdapterDeps } from '../engine/calls/driver.js';
import type { OpenProvisioning } from '../operations/provision/index.js';
import type { ReconcileSources } from '../operations/reconcile/index.js';
import type { ReportSources } from '../operations/report/index.js';
import type { ReviewSources } from '../operations/review/index.js';
import type { RequestSources } from '../operations/request/index.js';
import type { SweepReads } from '../operations/sweep/index.js';
import type { PostSessionPlan, Session, SessionOptions, SessionPlan } from '../operations/step-session.js';
import { loadAdapterOf } from './adapter-loader.js';
import { openGround, openMainGround } from './sign-in.js';

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

/** How each operation of the main step signs in and reads: the clouds' (below), or a test's in-memory ones. */
export interface StepSessions {
  /** `request`: an access request's decision, which its grant's audit records carry. */
  grants(config: StepConfig, signal: AbortSignal, request?: AuditRequest): Promise<Session>;
  provisioning(config: ConfigOf<'provision'>): ReturnType<OpenProvisioning>;
  sweep(config: ConfigOf<'sweep'>): Promise<SweepReads>;
  reconcile(config: ConfigOf<'reconcile'>): Promise<ReconcileSources>;
  report(config: ConfigOf<'report'>): Promise<ReportSources>;
  request(config: ConfigOf<'request'>): Promise<RequestSources>;
  review(config: ConfigOf<'review'>): Promise<ReviewSources>;
}

/** The sessions of provision, sweep, reconcile and report, loaded with the operation that opens one. */
const operationSessions = () => import('./operation-sessions.js');

/** The clouds, through their SDKs, with the step's settings. */
export const cloudSessions: StepSessions = {
  grants: async (config, signal, request) => {
    const settings = adapterSettingsOf(config);
    return sessionOver(
      await openMainGround(config, settings, { signal, ...relianceRuns(config) }, request),
      settings,
    );
  },
  provisioning: async (config) =>
    (await operationSessions()).openProvisioningSession(config, awsSettingsOf(config)),
  sweep: async (config) => (await operationSessions()).openSweep(config, adapterSettingsOf(config)),
  reconcile: async (config) =>
    (await operationSessions()).reconcileSources(config, adapterSettingsOf(config)),
  report: async (config) => (await operationSessions()).reportSources(config, adapterSettingsOf(config)),
  request: async (config) => (await import('./request-sources.js')).requestSources(config),
  review: async (config) =>
    (await import('./review-sources.js')).reviewSources(config, adapterSettingsOf(config)),
};
