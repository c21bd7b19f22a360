// The workflow run a step belongs to (repository and its ID, workflow, run ID and attempt, server,
// actor, ref), which names the AWS role session, writes the Azure description and links the job
// summary to its run. The values come from the job's environment (through @actions/github's
// Context, see github/run-context.ts), which a workflow can set to anything: each is kept only in
// the shape GitHub gives it, so a planted value can neither break the session name nor carry
// markup, commands or invisible text. A server other than github.com or a GHE.com tenant (a GitHub
// Enterprise Server, or a planted GITHUB_SERVER_URL) is named in the link's text, so where it
// leads is always shown. Pure.
import { CloudAccessError } from './errors.js';

/** The run, each field present only when the runner's value has GitHub's shape. */
export interface WorkflowContext {
  /** `owner/repo`. */
  repository?: string | undefined;
  /**
   * The repository's numeric ID (GITHUB_REPOSITORY_ID), decimal digits: the AWS session name
   * records it (core/run-marks.ts), since a rename or transfer keeps it.
   */
  repositoryId?: string | undefined;
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
  /**
   * The event that started the run (GITHUB_EVENT_NAME: `push`, `schedule`, `pull_request` …): a
   * snapshot is written only on an event that may write (core/check/events.ts).
   */
  eventName?: string | undefined;
}

/**
 * The run's repository (`owner/repo`), which `operation` reads and writes through GitHub's API; a
 * run that does not say it (no GITHUB_REPOSITORY) is not on GitHub Actions.
 */
export function runRepositoryFor(run: Pick<WorkflowContext, 'repository'>, operation: string): string {
  if (!run.repository)
    throw new CloudAccessError('the run does not say its repository (GITHUB_REPOSITORY)', {
      fix: `run the ${operation} on GitHub Actions`,
    });
  return run.repository;
}

/** What @actions/github's Context holds: numbers are NaN when the variable is absent. */
export interface RunMetadata {
  repository: string | undefined;
  /** GITHUB_REPOSITORY_ID as the runner sets it (Context does not read it). */
  repositoryId?: string | undefined;
  workflow: string | undefined;
  runId: number;
  runAttempt: number;
  serverUrl: string | undefined;
  actor: string | undefined;
  ref: string | undefined;
  eventName?: string | undefined;
}

/**
 * GitHub logins: letters, digits and inner hyphens, 39 at most; Enterprise Managed Users add
 * `_shortcode`; apps are `name[bot]`.
 */
const LOGIN = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:_[A-Za-z0-9]{1,20})?';
const ACTOR = new RegExp(`^${LOGIN}(?:\\[bot\\])?$`);
/** An account's login, then a repository's name (letters, digits, `.`, `_`, `-`, up to 100; not `.` or `..`). */
const REPOSITORY = new RegExp(`^${LOGIN}/(?!\\.\\.?$)[A-Za-z0-9._-]{1,100}$`);
/**
 * Characters that show as nothing or as blank space without being spaces: control, format and
 * separator characters, and the Hangul and Braille fillers.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Z}\u115F\u1160\u3164\uFFA0\u2800]/u;
const INVISIBLE_ALL = new RegExp(INVISIBLE.source, 'gu');
/** A repository ID: decimal digits without a leading zero, as GitHub's IDs are. */
const REPOSITORY_ID = /^[1-9][0-9]{0,19}$/;
/** A git ref, printable and without spaces (git refuses them in ref names). */
const REF = /^refs\/\S{1,250}$/u;
/** GitHub's event names: lower-case words joined by underscores. */
const EVENT_NAME = /^[a-z]+(?:_[a-z]+){0,5}$/;
/** Long enough for any real workflow name, short enough for a description Azure keeps whole. */
const WORKFLOW_NAME_MAX = 100;

export function runContextFrom(run: RunMetadata): WorkflowContext {
  return {
    repository: matching(run.repository, REPOSITORY),
    repositoryId: matching(run.repositoryId, REPOSITORY_ID),
    workflow: workflowName(run.workflow),
    runId: positiveInteger(run.runId),
    runAttempt: positiveInteger(run.runAttempt),
    serverUrl: serverOrigin(run.serverUrl),
    actor: matching(run.actor, ACTOR),
    ref: run.ref !== undefined && !INVISIBLE.test(run.ref) ? matching(run.ref, REF) : undefined,
    eventName: run.eventName && run.eventName.length <= 64 ? matching(run.eventName, EVENT_NAME) : undefined,
  };
}

/** The run's page (its attempt when known), when the server, repository and run ID are known. */
export function runUrlOf(context: WorkflowContext): string | undefined {
  const { serverUrl, repository, runId, runAttempt } = context;
  if (!serverUrl || !repository || !runId) return undefined;
  return `${serverUrl}/${repository}/actions/runs/${runId}${runAttempt ? `/attempts/${runAttempt}` : ''}`;
}

/** The server's host when a link's text must show it: any server but github.com and GHE.com tenants. */
export function serverHostToShow(context: WorkflowContext): string | undefined {
  if (!context.serverUrl) return undefined;
  const url = new URL(context.serverUrl);
  const github =
    url.protocol === 'https:' && (url.host === 'github.com' || /^[a-z0-9-]+\.ghe\.com$/.test(url.host));
  return github ? undefined : url.host;
}

function matching(value: string | undefined, pattern: RegExp): string | undefined {
  return value !== undefined && pattern.test(value) ? value : undefined;
}

function positiveInteger(value: number): string | undefined {
  return Number.isSafeInteger(value) && value > 0 ? String(value) : undefined;
}

/**
 * The workflow's name with control and invisible characters dropped (any space becomes a plain one), cut
 * to a readable length by whole characters, never half an emoji.
 */
function workflowName(value: string | undefined): string | undefined {
  const shown = value
    ?.replace(INVISIBLE_ALL, (ch) => (/\p{Zs}/u.test(ch) ? ' ' : ''))
    .replace(/"/g, "'")
    .trim();
  if (!shown) return undefined;
  const characters = Array.from(shown);
  return characters.length > WORKFLOW_NAME_MAX
    ? `${characters.slice(0, WORKFLOW_NAME_MAX - 1).join('')}…`
    : shown;
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
