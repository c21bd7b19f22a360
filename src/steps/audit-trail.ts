// `audit-log` put together for a step: the record of what the step is and whose run it belongs to,
// and the trail (engine/audit/trail.ts) over the cloud's store. Loaded with import() only by a step
// that records (./sign-in.ts), once its first token request is on the wire: most steps do not.
import type { AdapterSettings, AuditLogTarget, StepConfig } from '../core/inputs/index.js';
import type { AdapterDeps } from '../engine/calls/driver.js';
import { auditRunOf } from '../engine/audit/key.js';
import type { AuditRequest } from '../engine/audit/record.js';
import type { AuditTrail } from '../engine/audit/trail.js';
import type { AuditSink } from '../engine/audit/sink.js';
import type { RecordNamer } from '../engine/audit/names.js';
import { notice, warning } from '../github/log.js';
import type { AuditPlan, SavedAudit } from '../operations/step-session.js';
import type { WorkflowContext } from '../core/run-context.js';
import { loadAdapterOf } from './adapter-loader.js';

/**
 * The audit of a main step that records to `target` (its `audit-log`). `request`: an access
 * request's decision, which each of its records carries.
 */
export function mainAuditOf(
  target: AuditLogTarget,
  config: Pick<StepConfig, 'operation' | 'run'>,
  request?: AuditRequest,
): AuditPlan {
  return {
    target,
    firstNumber: 1,
    step: {
      step: 'main',
      operation: request ? 'request' : config.operation,
      run: auditRunOf(config.run, process.env),
      ...(request ? { request } : {}),
    },
  };
}

/**
 * The audit of a post step whose main step recorded (`saved`: where, and the number after its
 * records): each record names the post step and this run, as the main step's named theirs.
 */
export function postAuditOf(saved: SavedAudit, run: WorkflowContext, env: NodeJS.ProcessEnv): AuditPlan {
  return { ...saved, step: { step: 'post', operation: 'assign', run: auditRunOf(run, env) } };
}

/** The trail of `plan`, its store signed in with the step's settings once the first record is asked for. */
export async function openAuditTrail(
  plan: AuditPlan,
  settings: AdapterSettings,
  deps: AdapterDeps,
): Promise<AuditTrail> {
  let loaded: Promise<AuditSink> | undefined;
  let sink: AuditSink | undefined;
  const { target } = plan;
  const lazy: AuditSink = {
    where: `\`${target.url}\``,
    prefix: target.prefix,
    get permission() {
      return sink?.permission ?? 'write access to it';
    },
    async putOnce(key, body, signal) {
      sink ??= await (loaded ??= loadAdapterOf(settings).then((adapter) => adapter.auditSink(target, deps)));
      return sink.putOnce(key, body, signal);
    },
  };
  // The store's SDK loads while the step reads, so the first write does not wait for it; a failure
  // to load is the first record's, when it is asked for.
  loaded = loadAdapterOf(settings).then((adapter) => adapter.auditSink(target, deps));
  loaded.catch(() => undefined);
  const bound = { deadline: deps.deadline, signal: deps.signal };
  const { AuditTrail: Trail } = await import('../engine/audit/trail.js');
  const trail = new Trail(lazy, plan.step, warning, bound, plan.firstNumber);
  // Its SDK and sign-in are the grants' (shared credentials): loaded by the first record of a change.
  let namer: Promise<RecordNamer> | undefined;
  trail.nameWith({
    namesOf: async (record) =>
      (
        await (namer ??= loadAdapterOf(settings).then((adapter) => adapter.recordNamer(deps, notice)))
      ).namesOf(record),
  });
  return trail;
}
