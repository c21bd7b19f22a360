// The post step's entry (action.yml `runs.post`). It runs in every job that uses the action, and
// most have nothing to revoke: that is decided from the environment first, and said in one debug
// line. Only a post step that may have work loads the action (./index.ts, the bundle the main
// step's entry loads too: scripts/release/package.ts builds it beside this file, not into it).
import { debug } from './github/log.js';
import { whyNothingToRevoke } from './steps/post-gate.js';

const idleBecause = whyNothingToRevoke(process.env);
if (idleBecause !== undefined) {
  debug(idleBecause);
} else {
  // As in the main step: the process ends once the log has reached the runner, and no error
  // escapes as a crash (./github/step-end.ts).
  const { postStepToTheEnd } = await import('./index.js');
  await postStepToTheEnd();
}
