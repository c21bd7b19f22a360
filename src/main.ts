// The main step's entry (action.yml `runs.main`). The action itself is ./index.ts, a bundle of its
// own that the post step's entry loads too (scripts/release/package.ts builds it beside this file).

const { runMainStep } = await import('./index.js');

await runMainStep();
// The step is over: a request the deadline abandoned (MSAL ignores abort signals) may still hold a
// socket or a timer, and must not keep the job waiting. process.exitCode is already set.
process.exit();
