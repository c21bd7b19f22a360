// The run this step belongs to, read by @actions/github's Context from the runner's GITHUB_*
// variables (GITHUB_REPOSITORY_ID, which Context does not read, directly), and kept only in
// GitHub's shapes (core/run-context.ts).
//
// Context is imported from its own module, without the package's main module: that one also
// builds an Octokit client over undici at load, which the action never calls (measured with the
// main module: index.js 153 KB → 1.32 MB, start-up ×1.9, peak RSS +8.9 MiB; this way: +4.5 KB,
// start-up and RSS unchanged within noise). @actions/github 6 is the
// last major whose package lets a bundler import `lib/context` on its own: 7 and later are ES
// modules whose exports map offers only the main module. The version is therefore pinned, and
// dependabot is told so (.github/dependabot.yml); Context reads the same variables in all of them.
import { Context } from '@actions/github/lib/context.js';
import { runContextFrom, type WorkflowContext } from '../core/run-context.js';

export function workflowContext(): WorkflowContext {
  const context = contextWithoutEventPayload();
  return runContextFrom({
    repository: repositoryOf(context),
    repositoryId: process.env.GITHUB_REPOSITORY_ID,
    workflow: context.workflow,
    runId: exactly(context.runId, process.env.GITHUB_RUN_ID),
    runAttempt: exactly(context.runAttempt, process.env.GITHUB_RUN_ATTEMPT),
    serverUrl: context.serverUrl,
    actor: context.actor,
    ref: context.ref,
    eventName: context.eventName,
  });
}

/**
 * Context's constructor also reads and parses the whole event payload (GITHUB_EVENT_PATH, up to
 * 25 MB for a webhook), throws when it is not JSON, and prints the path to stdout when the file is
 * missing, where the runner would obey a workflow command planted in it. The action uses none of
 * the payload, so the variable is hidden while the constructor runs (synchronously: nothing else
 * runs meanwhile) and put back.
 */
function contextWithoutEventPayload(): Context {
  const eventPath = process.env.GITHUB_EVENT_PATH;
  delete process.env.GITHUB_EVENT_PATH;
  try {
    return new Context();
  } finally {
    if (eventPath !== undefined) process.env.GITHUB_EVENT_PATH = eventPath;
  }
}

/**
 * `owner/repo` from GITHUB_REPOSITORY, when Context read it whole: it keeps the first two parts of
 * whatever the variable holds (`a/b/../c` reads as `a/b`, `a` as `a/undefined`), and throws when it
 * is absent (a local run).
 */
function repositoryOf(context: Context): string | undefined {
  try {
    const { owner, repo } = context.repo;
    const repository = `${owner}/${repo}`;
    return repository === process.env.GITHUB_REPOSITORY ? repository : undefined;
  } catch {
    return undefined;
  }
}

/** Context's number when it is the variable's whole value: parseInt reads `12abc` as 12, `1e9` as 1. */
function exactly(parsed: number, raw: string | undefined): number {
  return raw !== undefined && String(parsed) === raw ? parsed : NaN;
}
