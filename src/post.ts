import { runPostStep } from './steps/post.js';

await runPostStep();
// As in the main step: nothing abandoned at the deadline may keep the job waiting.
process.exit();
