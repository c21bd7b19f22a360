// What a grant carries of the run that made it, so that `operation: sweep` can later end it without
// a server: on AWS the role session name the step signs in with (CloudTrail records it with every
// write), on Azure a marker appended to the assignment's description. Both say which run made the
// grant and whether it is ephemeral: `e` ends with the run, `e<unix seconds>` at that time (or with
// the run, whichever comes first). A step that finds its ephemeral grant already there registers its
// *reliance* instead, `r` / `r<unix seconds>`: never a claim of creation, only a run the grant must
// outlive (docs/ephemeral-access.md, "Overlapping jobs"). An access request's grant outlives its run, which ends at
// once: its claim is time-bound, `t<unix seconds>` (and its reliance `tr<unix seconds>`), ended by
// the expiry alone, whatever the run's state (AWS only: Azure ends a request's grant itself). Written by the main step, read by the sweep; the reader
// accepts exactly what the writer writes and nothing else, so a name or description that merely
// looks similar is never taken for a claim. Pure.

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
  /** A reliance (`r`) on a grant the run found already there, not its creation (`e`). Only when ephemeral. */
  relies?: boolean | undefined;
  /**
   * Time-bound (`t`, `tr`): an access request's, which ends at `expiresAt` alone, whatever the run's
   * state (the request's job ends at once). Always with `expiresAt`. AWS session names only.
   */
  timeBound?: boolean | undefined;
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
const SESSION_NAME = new RegExp(
  `^cloud-access-(${DIGITS})-(${DIGITS})-(${DIGITS})(?:-([er])(${DIGITS})?|-(tr?)(${DIGITS}))?$`,
);
/** `owner/repo` as core/run-context.ts accepts it. */
const REPOSITORY = '[A-Za-z0-9][A-Za-z0-9_-]{0,59}/[A-Za-z0-9._-]{1,100}';
const AZURE_MARKER = `\\[cloud-access:(${REPOSITORY}):run:(${DIGITS}):(${DIGITS}):([er])(${DIGITS})?\\]`;
/** One marker at the end of a description, with the space the writer puts before it. */
const LAST_AZURE_MARKER = new RegExp(` ?${AZURE_MARKER}$`);

/**
 * `cloud-access-<repository id>-<run id>-<attempt>`, then `-e` (ends with the run) or
 * `-e<expiry>` (with `duration`) when the step's grants are ephemeral (`-r…` for a reliance), `-t<expiry>`
 * when they are an access request's (`-tr<expiry>` for its reliance). At most 64 characters for
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
  const [, repositoryId, runId, attempt, kind, expiry, bound, boundExpiry] = match;
  const run = { repositoryId: repositoryId!, runId: runId!, attempt: attempt! };
  if (bound !== undefined)
    return {
      ...run,
      ephemeral: true,
      timeBound: true,
      ...expiryOf(boundExpiry),
      ...(bound === 'tr' ? { relies: true } : {}),
    };
  if (kind === undefined) return { ...run, ephemeral: false };
  return { ...run, ephemeral: true, ...expiryOf(expiry), ...(kind === 'r' ? { relies: true } : {}) };
}

/** `cloud-access:<owner>/<repo>:run:<run id>:<attempt>:e[<expiry>]`, for an ephemeral grant only. */
export function azureRunMarkerOf(mark: AzureRunMark): string {
  if (!mark.ephemeral) throw new Error('only ephemeral grants carry a run marker');
  if (mark.timeBound) throw new Error('an Azure request is time-bound through PIM, never through a marker');
  return `cloud-access:${mark.repository}:run:${mark.runId}:${mark.attempt}${ephemeralSuffix(':', mark)}`;
}

/** The description with the run's marker appended in brackets, as reconcile appends its own. */
export function describedWithRunMarker(description: string, mark: AzureRunMark): string {
  const marker = `[${azureRunMarkerOf(mark)}]`;
  return description ? `${description} ${marker}` : marker;
}

/** The description with a relying run's marker (`…:r[<expiry>]`) appended after the markers it has. */
export function describedWithReliance(description: string, mark: AzureRunMark): string {
  return describedWithRunMarker(description, { ...mark, ephemeral: true, relies: true });
}

/** The run mark at the end of a description (the last of its markers), or undefined when it ends with none. */
export function azureRunMarkOf(description: string): AzureRunMark | undefined {
  return azureRunMarksOf(description).marks.at(-1);
}

/**
 * The run markers a description ends with, oldest first (the creating run's, then each relying
 * run's), and the text before them; none when it does not end with one. `written`: each marker as
 * it stands in the description, the space before it included, so a marker can be taken out of it
 * and every other character kept as written (an expiry past a safe integer would not survive being
 * written again from its number).
 */
export function azureRunMarksOf(description: string): {
  text: string;
  marks: AzureRunMark[];
  written: string[];
} {
  const marks: AzureRunMark[] = [];
  const written: string[] = [];
  let text = description;
  for (let match = LAST_AZURE_MARKER.exec(text); match; match = LAST_AZURE_MARKER.exec(text)) {
    const [whole, repository, runId, attempt, kind, expiry] = match;
    marks.unshift({
      repository: repository!,
      runId: runId!,
      attempt: attempt!,
      ephemeral: true,
      ...expiryOf(expiry),
      ...(kind === 'r' ? { relies: true } : {}),
    });
    written.unshift(whole);
    text = text.slice(0, text.length - whole.length);
  }
  return { text, marks, written };
}

/**
 * The description without the reliance markers `drop` picks (never the first marker, the creating
 * run's, nor a creation marker after it), every other character as written; and the marks taken.
 */
export function withoutRelianceMarkers(
  description: string,
  drop: (mark: AzureRunMark) => boolean,
): { description: string; removed: AzureRunMark[] } {
  const { text, marks, written } = azureRunMarksOf(description);
  const removed: AzureRunMark[] = [];
  let kept = text;
  for (const [i, mark] of marks.entries()) {
    if (i > 0 && mark.relies && drop(mark)) removed.push(mark);
    else kept += written[i]!;
  }
  return { description: kept, removed };
}

function ephemeralSuffix(separator: string, mark: RunMark): string {
  if (!mark.ephemeral) return '';
  if (mark.timeBound) {
    if (mark.expiresAt === undefined) throw new Error('a time-bound mark carries its expiry');
    return `${separator}${mark.relies ? 'tr' : 't'}${String(Math.floor(mark.expiresAt))}`;
  }
  const kind = mark.relies ? 'r' : 'e';
  return `${separator}${kind}${mark.expiresAt !== undefined ? String(Math.floor(mark.expiresAt)) : ''}`;
}

/**
 * The expiry as written. One past a safe integer is kept as it is (not dropped as if there were
 * none): the plan takes any expiry no step could write for proof of nothing.
 */
function expiryOf(expiry: string | undefined): { expiresAt?: number } {
  return expiry === undefined ? {} : { expiresAt: Number(expiry) };
}
