// The action: both steps, in the one bundle that the main and post entries (main.ts, post.ts)
// load, so that they share its code and its chunks (each cloud's SDK, loaded with import()).
export { runMainStep } from './steps/main.js';
/** The main step as `npm run local-action` (`local-action . src/index.ts .env`) runs it: the module's `run`. */
export { runMainStep as run } from './steps/main.js';
export { runPostStep } from './steps/post.js';
export { runSubActionStep } from './steps/main.js';
