// The action: both steps, in the one bundle that the main and post entries (main.ts, post.ts)
// load, so that they share its code and its chunks (each cloud's SDK, loaded with import()).
export { runMainStep } from './steps/main.js';
/** The main step as `npm run local-action` (`local-action . src/index.ts .env`) runs it: the module's `run`. */
export { runMainStep as run } from './steps/main.js';

/**
 * The post step (./steps/post.ts), loaded with import() when it runs: the main step loads this
 * module too, and reads nothing of the post step's before its first request.
 */
export const runPostStep = async (): Promise<void> => (await import('./steps/post.js')).runPostStep();
export { runSubActionStep } from './steps/main.js';
