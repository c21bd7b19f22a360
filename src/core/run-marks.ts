// What a grant carries of the run that made it, so that `operation: sweep` can later end it without
// a server: on AWS the role session name the step signs in with (CloudTrail records it with every
// write), on Azure a marker appended to the assignment's description. Both say which run made the
// grant and whether it is ephemeral: `e` ends with the run, `e<unix seconds>` at that time (or with
// the run, whichever comes first). Written by the main step, read by the sweep; the reader accepts
// exactly what the writer writes and nothing else, so a name or description that merely looks
// similar is never taken for a claim. Pure.

/** The run a grant belongs to and when it ends. */
export interface RunMark {
  /** Decimal digits. */
  runId: string;
  /** Decimal digits. */
  attempt: string;
  /** The grant ends with the run (or at `expiresAt`); false for a permanent grant. */
  ephemeral: boolean;
  /** Unix seconds: the grant's `duration` ends then. Only when ephemeral. */
  expiresAt?: number | undefined;
}

/** An AWS run mark: the repository by its numeric ID (GITHUB_REPOSITORY_ID), which a rename keeps. */
export interface AwsRunMark extends RunMark {
  repositoryId: string;
}

/** An Azure run mark: the repository by `owner/repo`, as the reconcile markers name it. */
export interface AzureRunMark extends RunMark {
  repository: string;
}

/** AWS role session names: 2–64 characters of `[A-Za-z0-9_+=,.@-]`. */
export const SESSION_NAME_MAX = 64;

const DIGITS = '[1-9][0-9]{0,19}';
const SESSION_NAME = new RegExp(`^cloud-access-(${DIGITS})-(${DIGITS})-(${DIGITS})(?:-e(${DIGITS})?)?$`);
/** `owner/repo` as core/run-context.ts accepts it. */
const REPOSITORY = '[A-Za-z0-9][A-Za-z0-9_-]{0,59}/[A-Za-z0-9._-]{1,100}';
const AZURE_MARKER = new RegExp(
  `\\[cloud-access:(${REPOSITORY}):run:(${DIGITS}):(${DIGITS}):e(${DIGITS})?\\]$`,
);

/**
 * `cloud-access-<repository id>-<run id>-<attempt>`, then `-e` (ends with the run) or
 * `-e<expiry>` (with `duration`) when the step's grants are ephemeral. At most 64 characters for
 * any real IDs (20 digits each would be 81: GitHub's IDs are far shorter); undefined when longer.
 */
export function sessionNameOf(mark: AwsRunMark): string | undefined {
  const name = `cloud-access-${mark.repositoryId}-${mark.runId}-${mark.attempt}${ephemeralSuffix('-', mark)}`;
  return name.length <= SESSION_NAME_MAX && runMarkOfSessionName(name) ? name : undefined;
}

/** The run mark a session name carries, or undefined when it is not exactly a cloud-access name. */
export function runMarkOfSessionName(name: string): AwsRunMark | undefined {
  const match = SESSION_NAME.exec(name);
  if (!match) return undefined;
  const [, repositoryId, runId, attempt, expiry] = match;
  const ephemeral = name.endsWith('-e') || expiry !== undefined;
  return { repositoryId: repositoryId!, runId: runId!, attempt: attempt!, ephemeral, ...expiryOf(expiry) };
}

/** `cloud-access:<owner>/<repo>:run:<run id>:<attempt>:e[<expiry>]`, for an ephemeral grant only. */
export function azureRunMarkerOf(mark: AzureRunMark): string {
  if (!mark.ephemeral) throw new Error('only ephemeral grants carry a run marker');
  return `cloud-access:${mark.repository}:run:${mark.runId}:${mark.attempt}${ephemeralSuffix(':', mark)}`;
}

/** The description with the run's marker appended in brackets, as reconcile appends its own. */
export function describedWithRunMarker(description: string, mark: AzureRunMark): string {
  const marker = `[${azureRunMarkerOf(mark)}]`;
  return description ? `${description} ${marker}` : marker;
}

/** The run mark at the end of a description, or undefined when it does not end with exactly one. */
export function azureRunMarkOf(description: string): AzureRunMark | undefined {
  const match = AZURE_MARKER.exec(description);
  if (!match) return undefined;
  const [, repository, runId, attempt, expiry] = match;
  return { repository: repository!, runId: runId!, attempt: attempt!, ephemeral: true, ...expiryOf(expiry) };
}

function ephemeralSuffix(separator: string, mark: RunMark): string {
  if (!mark.ephemeral) return '';
  return `${separator}e${mark.expiresAt !== undefined ? String(Math.floor(mark.expiresAt)) : ''}`;
}

function expiryOf(expiry: string | undefined): { expiresAt?: number } {
  if (expiry === undefined) return {};
  const seconds = Number(expiry);
  return Number.isSafeInteger(seconds) ? { expiresAt: seconds } : {};
}
