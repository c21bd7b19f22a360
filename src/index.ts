// The action: both steps, in the one bundle that the main and post entries (main.ts, post.ts)
// load, so that they share its code and its chunks (each cloud's SDK, loaded with import()).
import { runMainStep, runSubActionStep, type SubAction } from './steps/main.js';
import { runToTheEnd } from './github/step-end.js';

export { runMainStep, runSubActionStep };
/** The main step as `npm run local-action` (`local-action . src/index.ts .env`) runs it: the module's `run`. */
export { runMainStep as run } from './steps/main.js';

/**
 * The post step (./steps/post.ts), loaded with import() when it runs: the main step loads this
 * module too, and reads nothing of the post step's before its first request.
 */
export const runPostStep = async (): Promise<void> => (await import('./steps/post.js')).runPostStep();

// The steps as the entries run them: to their end, which is the process's once the log has
// reached the runner, with no error escaping as a crash (./github/step-end.ts).
export const mainStepToTheEnd = (): Promise<never> => runToTheEnd(runMainStep, { outputs: true });
export const postStepToTheEnd = (): Promise<never> => runToTheEnd(runPostStep, { outputs: false });
export const subActionStepToTheEnd = (name: SubAction): Promise<never> =>
  runToTheEnd(() => runSubActionStep(name), { outputs: true });
