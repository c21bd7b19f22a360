// The workflow run a step belongs to (repository, workflow, run ID and attempt, server, actor, ref),
// which names the AWS role session, writes the Azure description and links the job summary to its
// run. The values come from the job's environment (through @actions/github's Context, see
// github/run-context.ts), which a workflow can set to anything: each is kept only in the shape
// GitHub gives it, so a planted value can neither break the session name nor point the summary's
// link somewhere else. Pure.

/** The run, each field present only when the runner's value has GitHub's shape. */
export interface WorkflowContext {
  /** `owner/repo`. */
  repository?: string | undefined;
  /** The workflow's name, printable and at most WORKFLOW_NAME_MAX characters. */
  workflow?: string | undefined;
  /** Decimal digits. */
  runId?: string | undefined;
  runAttempt?: string | undefined;
  /** `https://github.com` or a GitHub Enterprise Server's origin. */
  serverUrl?: string | undefined;
  /** The login that started the run. */
  actor?: string | undefined;
  /** `refs/heads/main`, `refs/pull/7/merge` … */
  ref?: string | undefined;
}

/** What @actions/github's Context holds: numbers are NaN when the variable is absent. */
export interface RunMetadata {
  repository: string | undefined;
  workflow: string | undefined;
  runId: number;
  runAttempt: number;
  serverUrl: string | undefined;
  actor: string | undefined;
  ref: string | undefined;
}

/** GitHub logins (39 characters at most, letters, digits and inner hyphens), and apps' `name[bot]`. */
const ACTOR = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/;
/** An account's login, then a repository's name (letters, digits, `.`, `_`, `-`, up to 100). */
const REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
/** A git ref, printable and without spaces (git refuses them in ref names). */
const REF = /^refs\/[^\s\p{Cc}\p{Cf}\p{Zl}\p{Zp}]{1,250}$/u;
/** Long enough for any real workflow name, short enough for a description Azure keeps whole. */
const WORKFLOW_NAME_MAX = 100;

export function runContextFrom(run: RunMetadata): WorkflowContext {
  return {
    repository: matching(run.repository, REPOSITORY),
    workflow: workflowName(run.workflow),
    runId: positiveInteger(run.runId),
    runAttempt: positiveInteger(run.runAttempt),
    serverUrl: serverOrigin(run.serverUrl),
    actor: matching(run.actor, ACTOR),
    ref: matching(run.ref, REF),
  };
}

/** The run's page (its attempt when known), when the server, repository and run ID are known. */
export function runUrlOf(context: WorkflowContext): string | undefined {
  const { serverUrl, repository, runId, runAttempt } = context;
  if (!serverUrl || !repository || !runId) return undefined;
  return `${serverUrl}/${repository}/actions/runs/${runId}${runAttempt ? `/attempts/${runAttempt}` : ''}`;
}

function matching(value: string | undefined, pattern: RegExp): string | undefined {
  return value !== undefined && pattern.test(value) ? value : undefined;
}

function positiveInteger(value: number): string | undefined {
  return Number.isSafeInteger(value) && value > 0 ? String(value) : undefined;
}

/** The workflow's name with control and invisible characters dropped, cut to a readable length. */
function workflowName(value: string | undefined): string | undefined {
  const shown = value
    ?.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '')
    .replace(/"/g, "'")
    .trim();
  if (!shown) return undefined;
  return shown.length > WORKFLOW_NAME_MAX ? `${shown.slice(0, WORKFLOW_NAME_MAX - 1)}…` : shown;
}

/**
 * The server's origin when it is one: http(s), no credentials, path, query or fragment. A GitHub
 * Enterprise Server may answer on plain http, so http stays allowed.
 */
function serverOrigin(value: string | undefined): string | undefined {
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  const bare = url.username === '' && url.password === '' && url.search === '' && url.hash === '';
  if (!bare || !['https:', 'http:'].includes(url.protocol) || !['', '/'].includes(url.pathname))
    return undefined;
  return url.origin;
}
