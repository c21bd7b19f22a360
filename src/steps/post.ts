// The post step (`post-if: always()`), put together: the runner of this job, the sessions that
// sign in as the main step did (./sessions.ts), and the AWS adapter's reading of the instance its
// handed-over state names (a small module of no SDK's). What it does is operations/revoke-on-exit/.
// The bundle's entry (../index.ts) loads this module with import() when the post step runs: the
// main step loads the bundle too, and never revokes on exit.
import { runRevokeOnExit, type OpenPostSession } from '../operations/revoke-on-exit/index.js';
import { thisJob, type StepRunner } from '../operations/runner.js';
import { openSession } from './sessions.js';

export async function runPostStep(
  runner: StepRunner = thisJob(),
  open: typeof openSession = openSession,
): Promise<void> {
  const { instanceHandedOver } = await import('../aws/sso/handed-over.js');
  return runRevokeOnExit(runner, { open: postSessions(runner, open), instanceOf: instanceHandedOver });
}

/**
 * The post step's sessions: where the main step recorded, its records go on as the post step's
 * own, of this run (./audit-trail.ts, where the main step's audit is made too).
 */
function postSessions(runner: StepRunner, open: typeof openSession): OpenPostSession {
  return async (plan, settings, { audit, ...options }) => {
    if (!audit) return open(plan, settings, options);
    const { postAuditOf } = await import('./audit-trail.js');
    return open(plan, settings, { ...options, audit: postAuditOf(audit, runner.run(), runner.env) });
  };
}
