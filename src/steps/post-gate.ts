// Whether the post step has anything to do, decided from its environment alone: it runs in every
// job that uses the action, and most have nothing to revoke, so its entry (../post.ts) asks this
// before it loads the action at all.
import { ENTRY_KEY_PREFIX, HEADER_KEY } from '../core/state/state-keys.js';

/**
 * Why the post step has nothing to revoke, or undefined when it may have. Only the main step's own
 * header (saved before anything else, so never one planted earlier in the job) can say that its
 * grants end with the job (`revoke-on-exit: true`, or an AWS `duration`: its header says
 * `revokeOnExit` for both) and that it saved grants; without that and a saved entry there is
 * nothing to check. The post step's own `revoke-on-exit` input is not asked here: the runner
 * evaluates it again, and a main step's grants left behind because it now says `false` must fail
 * the step (operations/revoke-on-exit/), not pass in silence.
 */
export function whyNothingToRevoke(env: NodeJS.ProcessEnv): string | undefined {
  const entry = `STATE_${ENTRY_KEY_PREFIX}`;
  if (!Object.entries(env).some(([name, value]) => name.startsWith(entry) && value))
    return 'revoke-on-exit: the main step saved no grants, so there is nothing to revoke';
  let header: unknown;
  try {
    header = JSON.parse(env[`STATE_${HEADER_KEY}`] ?? '');
  } catch {
    header = undefined;
  }
  if (
    typeof header !== 'object' ||
    header === null ||
    (header as { revokeOnExit?: unknown }).revokeOnExit !== true
  )
    return 'revoke-on-exit was off for the main step (or it failed before its first request): the post step revokes nothing';
  return undefined;
}
