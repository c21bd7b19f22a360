// Whether the post step has anything to do, decided from its environment alone: it runs in every
// job that uses the action, and most have nothing to revoke, so its entry (../post.ts) asks this
// before it loads the action at all.
import { TRUE_INPUT } from '../core/patterns.js';
import { ENTRY_KEY_PREFIX } from '../github/state-keys.js';
import { getInput } from '../github/workflow-commands.js';

/**
 * Why the post step has nothing to revoke, or undefined when it may have. It can revoke only
 * what its `revoke-on-exit` input (read as the input parser reads it) allows and a saved grant
 * entry names: without both there is nothing to check, whatever else the environment holds. With
 * both, the post step itself checks each entry (github/state.ts).
 */
export function nothingToRevoke(env: NodeJS.ProcessEnv): string | undefined {
  if (!TRUE_INPUT.test(getInput('revoke-on-exit', env)))
    return 'revoke-on-exit is off for this step: the post step revokes nothing';
  const entry = `STATE_${ENTRY_KEY_PREFIX}`;
  if (!Object.entries(env).some(([name, value]) => name.startsWith(entry) && value))
    return 'revoke-on-exit: the main step saved no grants, so there is nothing to revoke';
  return undefined;
}
