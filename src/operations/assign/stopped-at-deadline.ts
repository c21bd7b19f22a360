// An assign or revoke whose deadline passed before its first grant's turn (in the sign-in, the
// instance's discovery, the names' reads): no grant was started, so each is reported as one
// never started is at the deadline — IN_PROGRESS, nothing requested — and the step fails, whether
// or not it waits, since nothing it was asked for was sent. Pure.
import type { StepConfig } from '../../core/inputs/index.js';
import { headerOf, type StepReport } from '../../core/output/step.js';
import { grantsEnding } from '../../core/output/grants-ending.js';
import type { GrantResult } from '../../core/grant-result.js';
import {
  deadlineAdvice,
  NotSentError,
  DeadlineExceededError,
  RetryAfterPastDeadlineError,
} from '../../engine/limits/deadline.js';

/**
 * The step's report when `failure` is its deadline passing before the first grant: while a call
 * was retried, or before one was sent (a loaded runner reaches its next read after the deadline);
 * else undefined.
 */
export function stoppedAtDeadline(config: StepConfig, failure: unknown): StepReport | undefined {
  if (!(failure instanceof DeadlineExceededError || failure instanceof NotSentError)) return undefined;
  if (config.operation !== 'assign' && config.operation !== 'revoke') return undefined;
  const operation = config.operation;
  const why =
    failure instanceof RetryAfterPastDeadlineError
      ? `not started: ${failure.message}; nothing was requested`
      : `not started: the ${config.timeoutSeconds}s deadline (\`timeout-seconds\`) passed during ${failure.operation}, before the first grant's turn; nothing was requested; ${deadlineAdvice('timeout-seconds')}`;
  const results: GrantResult[] = config.grants.map((grant) => ({
    cloud: config.cloud,
    operation,
    ...grant.written,
    changed: false,
    before: 'unknown',
    after: 'unknown',
    change: 'none',
    status: 'IN_PROGRESS',
    failureReason: why,
    durationMs: 0,
  }));
  const ending = { ...headerOf(config), operation, dryRun: config.dryRun, wait: config.wait };
  const report = grantsEnding(results, ending);
  return {
    ...report,
    failed: report.failed ?? `${results.length} of ${results.length} grants were not started`,
  };
}
