// The post step (`post-if: always()`), put together: the runner of this job, the sessions that
// sign in as the main step did (./sessions.ts), and the AWS adapter's reading of the instance its
// handed-over state names (a small module of no SDK's). What it does is operations/revoke-on-exit/,
// loaded with import(): the main step loads this bundle too, and never revokes on exit.
import type { OpenPostSession } from '../operations/revoke-on-exit/index.js';
import { thisJob, type StepRunner } from '../operations/runner.js';
import { openSession } from './sessions.js';

export async function runPostStep(
  runner: StepRunner = thisJob(),
  open: OpenPostSession = openSession,
): Promise<void> {
  const { runRevokeOnExit } = await import('../operations/revoke-on-exit/index.js');
  const { instanceHandedOver } = await import('../aws/sso/handed-over.js');
  return runRevokeOnExit(runner, { open, instanceOf: instanceHandedOver });
}
