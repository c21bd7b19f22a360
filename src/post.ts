import { runPostStep } from './steps/post.js';

await runPostStep();
