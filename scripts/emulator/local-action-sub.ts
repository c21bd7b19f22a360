// The main step of a sub-action (grant/action.yml's `runs.main`, dist/grant.js, and the others'),
// as `npm run local-action -- grant` (./local-action.ts) gives it @github/local-action: its `run`,
// the step src/sub-action.ts runs in the bundle, from the source. The sub-action is named by
// CLOUD_ACCESS_LOCAL_SUB_ACTION, since local-action gives an entry no argument. Unlike
// src/sub-action.ts, it does not end the process: local-action runs the post step after it, in
// the same process (./local-action-post.ts), and then lists the outputs. A sub-action without a
// post step (CLOUD_ACCESS_LOCAL_NO_POST) gets none, so the outcome is recorded here.
import { recordOutcome } from './local-action-post.js';
import { SUB_ACTIONS, type SubAction } from '../../src/core/inputs/operation-inputs.js';

export async function run(): Promise<void> {
  const name = process.env.CLOUD_ACCESS_LOCAL_SUB_ACTION ?? '';
  if (!Object.hasOwn(SUB_ACTIONS, name))
    throw new Error(`CLOUD_ACCESS_LOCAL_SUB_ACTION names no sub-action: ${JSON.stringify(name)}`);
  // Loaded here, after local-action has put its stand-in for @actions/core in place.
  const { runSubActionStep } = await import('../../src/index.js');
  await runSubActionStep(name as SubAction);
  if (process.env.CLOUD_ACCESS_LOCAL_NO_POST) recordOutcome({ mainFailed: Boolean(process.exitCode) });
}
