// A sub-action's main step (<name>/action.yml `runs.main`, e.g. grant/action.yml's, a file of the
// root action's dist/): scripts/release/package.ts writes one small entry per sub-action, each of
// which calls this with its name, since a JavaScript action's action.yml can give its step no
// argument or environment of its own. Like ./main.ts, it loads the action (./index.ts) and runs
// the main step, its operation fixed; a grant's post step is ./post.ts, as the root action's.
import type { SubAction } from './steps/main.js';

export async function runSubAction(name: SubAction): Promise<void> {
  // As in ./main.ts: the process ends once the log has reached the runner, and no error escapes.
  const { subActionStepToTheEnd } = await import('./index.js');
  await subActionStepToTheEnd(name);
}
