import { runMainStep } from './steps/main.js';

await runMainStep();
// The step is over: a request the deadline abandoned (MSAL ignores abort signals) may still hold a
// socket or a timer, and must not keep the job waiting. process.exitCode is already set.
process.exit();
