// Whose run a record of the audit log is, and the key it is written under. Pure.
//
//   <prefix>/<yyyy>/<mm>/<dd>/<repository id>-<run id>-<attempt>-<n>.json
//
// (the UTC date the record was written; `n` counts the run attempt's records from 1, a number
// another step of the attempt took already being skipped). The record itself: ./record.ts.
import { runUrlOf, type WorkflowContext } from '../../core/run-context.js';

/** The run a record belongs to: GitHub's values, each only when it has GitHub's shape. */
export interface AuditRun {
  repository?: string;
  repositoryId?: string;
  workflow?: string;
  runId?: string;
  runAttempt?: string;
  runUrl?: string;
  event?: string;
  actor?: string;
  commit?: string;
}

/** GitHub's event names (`push`, `workflow_dispatch`, …) and a commit SHA: anything else is left out. */
const EVENT = /^[a-z_]{1,64}$/;
const COMMIT = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/** The run of a record: the step's checked context, the event and the commit from the runner's variables. */
export function auditRunOf(context: WorkflowContext, env: NodeJS.ProcessEnv): AuditRun {
  const event = env.GITHUB_EVENT_NAME;
  const commit = env.GITHUB_SHA;
  const runUrl = runUrlOf(context);
  const run: AuditRun = {
    repository: context.repository,
    repositoryId: context.repositoryId,
    workflow: context.workflow,
    runId: context.runId,
    runAttempt: context.runAttempt,
    runUrl,
    event: event && EVENT.test(event) ? event : undefined,
    actor: context.actor,
    commit: commit && COMMIT.test(commit) ? commit : undefined,
  };
  return Object.fromEntries(Object.entries(run).filter(([, v]) => v !== undefined)) as AuditRun;
}

/**
 * The key of record `n` written at `at`: `<prefix>/<yyyy>/<mm>/<dd>/<repo id>-<run id>-<attempt>-<n>.json`,
 * `0` standing for an ID the run does not give (a local run).
 */
export function auditKey(prefix: string, at: Date, run: AuditRun, n: number): string {
  const day = at.toISOString().slice(0, 10).split('-').join('/');
  const name = `${run.repositoryId ?? '0'}-${run.runId ?? '0'}-${run.runAttempt ?? '1'}-${n}.json`;
  return [prefix, day, name].filter((part) => part !== '').join('/');
}
