// Each cloud's adapter, by what a step opens of it: one table, a row per cloud, so a step names no
// cloud. Each is reached through import(), so ncc puts its SDK in a chunk of its own and a step
// only loads the cloud it uses.
import type {
  AdapterSettings,
  AuditLogTarget,
  AwsSessionSettings,
  AzureSettings,
} from '../core/inputs/index.js';
import { AUDIT_STORES } from '../core/inputs/audit-log.js';
import type { AuditSink } from '../engine/audit/sink.js';
import type { RecordNamer } from '../engine/audit/names.js';
import type { ReconcileRequest, ReportRequest, SweepRequest } from '../core/inputs/index.js';
import type { AwsManifestSection, AzureManifestSection } from '../core/manifest/types.js';
import type { Cloud } from '../core/types.js';
import type { WorkflowContext } from '../core/run-context.js';
import type { AdapterDeps } from '../engine/calls/driver.js';
import type { AccessReader } from '../engine/run/access-reader.js';
import type { Reconciler } from '../engine/run/reconciler.js';
import type { Sweeper } from '../engine/run/sweeper.js';
import type { Session } from '../operations/step-session.js';
import { takeSdkLogSettings } from '../azure/sdk/log-settings.js';
import { loadedThenKeptSmall } from './young-generation.js';

/**
 * What a reconcile reads claims by (core/claims/): whose creates count, and how far back; and,
 * on AWS, where its snapshot is kept and the run's event, which decides whether it is written.
 */
type ReconcileClaimInputs = Pick<ReconcileRequest, 'createdBy' | 'lookbackSeconds'> &
  Partial<Pick<ReconcileRequest, 'manifest' | 'snapshot' | 'fullReadEveryMs' | 'eventHistoryRoles'>> &
  Pick<WorkflowContext, 'eventName'>;

interface Of<A, B> {
  aws: A;
  azure: B;
}

/** What a step opens of a cloud's adapter, signed in with that cloud's settings. */
interface CloudAdapter<C extends Cloud> {
  /** The grants' driver (and, on AWS, the expansion of OU and root targets). */
  driver(
    settings: Of<AwsSessionSettings, AzureSettings>[C],
    deps: AdapterDeps,
  ): Promise<Omit<Session, 'deadline' | 'activity'>>;
  sweeper(
    settings: Of<AwsSessionSettings, AzureSettings>[C],
    request: SweepRequest,
    deps: AdapterDeps,
  ): Promise<Sweeper>;
  /** `marker`: Azure's manifest marker; `claims`: whose claims leave what the plan would delete in place. */
  reconciler(
    settings: Of<AwsSessionSettings, AzureSettings>[C],
    section: Of<AwsManifestSection, AzureManifestSection>[C],
    deps: AdapterDeps,
    marker: string,
    claims: ReconcileClaimInputs,
  ): Promise<Reconciler>;
  /** `run`: its repository names Azure's manifest marker; its event, whether AWS writes a snapshot. */
  reader(
    settings: Of<AwsSessionSettings, AzureSettings>[C],
    request: ReportRequest,
    deps: AdapterDeps,
    run: Pick<WorkflowContext, 'repository' | 'eventName'>,
  ): Promise<AccessReader>;
  /** `audit-log`'s store (S3 on AWS, Blob Storage on Azure), signed in as the step. */
  auditSink(
    settings: Of<AwsSessionSettings, AzureSettings>[C],
    target: Extract<AuditLogTarget, { store: (typeof AUDIT_STORES)[C] }>,
    deps: AdapterDeps,
  ): Promise<AuditSink>;
  /** What the records call their IDs where the step's reads did not say, read as the step; `notice` says once what it could not. */
  recordNamer(
    settings: Of<AwsSessionSettings, AzureSettings>[C],
    deps: AdapterDeps,
    notice: (message: string) => void,
  ): Promise<RecordNamer>;
}

/** Any function: `never[]` parameters accept every list of them. */
type Fn = (...args: never[]) => unknown;

/**
 * A row that calls the function `name` of the module `load` imports, with the row's arguments: the
 * module is imported when the row is first called, so each cloud's chunk stays unloaded until used.
 */
function loadedOnCall<K extends string, M extends Record<K, Fn>>(load: () => Promise<M>, name: K) {
  // What the call gives, once settled: TypeScript cannot follow a generic M[K] through await.
  type Settled = Awaited<ReturnType<M[K]>>;
  return async (...args: Parameters<M[K]>): Promise<Settled> =>
    (await (await loadedThenKeptSmall(load()))[name](...args)) as Settled;
}

const ADAPTERS: { [C in Cloud]: CloudAdapter<C> } = {
  aws: {
    driver: loadedOnCall(() => import('../aws/index.js'), 'createAwsAssignments'),
    sweeper: loadedOnCall(() => import('../aws/sweep.js'), 'createAwsSweeper'),
    // AWS keeps no manifest marker: its reconciler is told whose claims count only.
    reconciler: async (settings, section, deps, _marker, claims) =>
      (await loadedThenKeptSmall(import('../aws/reconcile.js'))).createAwsReconciler(
        settings,
        section,
        deps,
        claims,
      ),
    reader: loadedOnCall(() => import('../aws/report.js'), 'createAwsAccessReader'),
    auditSink: loadedOnCall(() => import('../aws/audit-s3.js'), 'createS3AuditSink'),
    recordNamer: loadedOnCall(() => import('../aws/audit-names.js'), 'createAwsRecordNamer'),
  },
  azure: {
    driver: loadedOnCall(() => import('../azure/index.js'), 'createAzureAssignments'),
    sweeper: loadedOnCall(() => import('../azure/sweeper.js'), 'createAzureSweeper'),
    reconciler: loadedOnCall(() => import('../azure/reconcile.js'), 'createAzureReconciler'),
    // Azure's reader is told the run's repository only, which names its manifest marker.
    reader: async (settings, request, deps, run) =>
      (await loadedThenKeptSmall(import('../azure/access-reader.js'))).createAzureAccessReader(
        settings,
        request,
        deps,
        run.repository,
      ),
    auditSink: loadedOnCall(() => import('../azure/audit-blob.js'), 'createBlobAuditSink'),
    recordNamer: loadedOnCall(() => import('../azure/audit-names.js'), 'createAzureRecordNamer'),
  },
};

/**
 * The adapter of the cloud `settings` sign in to, given them: each row takes its own cloud's
 * settings, and the table is indexed by theirs.
 */
export function adapterOf(settings: AdapterSettings) {
  // Before any of Azure's chunks loads, which would read them raw (../azure/sdk/log-settings.ts).
  takeSdkLogSettings();
  const adapter = ADAPTERS[settings.cloud] as CloudAdapter<Cloud>;
  const s = settings as never;
  return {
    driver: (deps: AdapterDeps) => adapter.driver(s, deps),
    sweeper: (request: SweepRequest, deps: AdapterDeps) => adapter.sweeper(s, request, deps),
    reconciler: (
      section: AwsManifestSection | AzureManifestSection,
      deps: AdapterDeps,
      marker: string,
      claims: ReconcileClaimInputs,
    ) => {
      // The check hands over the section of the step's own cloud (operations/reconcile/reconcile-check.ts).
      if (section.cloud !== settings.cloud)
        throw new Error(`a \`${section.cloud}\` section given to a \`${settings.cloud}\` reconcile`);
      return adapter.reconciler(s, section as never, deps, marker, claims);
    },
    reader: (
      request: ReportRequest,
      deps: AdapterDeps,
      run: Pick<WorkflowContext, 'repository' | 'eventName'>,
    ) => adapter.reader(s, request, deps, run),
    auditSink: (target: AuditLogTarget, deps: AdapterDeps) => {
      if (target.store !== AUDIT_STORES[settings.cloud])
        throw new Error(`a \`${target.store}\` audit log given to a \`${settings.cloud}\` step`);
      return adapter.auditSink(s, target as never, deps);
    },
    recordNamer: (deps: AdapterDeps, notice: (message: string) => void) =>
      adapter.recordNamer(s, deps, notice),
  };
}
