// The main step's entry (action.yml `runs.main`). The action itself is ./index.ts, a bundle of its
// own that the post step's entry loads too (scripts/release/package.ts builds it beside this file).
// The step ends the process once its log has reached the runner, and no error escapes it as a
// crash (./github/step-end.ts says why it ends the process rather than wait for its handles).

const { mainStepToTheEnd } = await import('./index.js');

await mainStepToTheEnd();
