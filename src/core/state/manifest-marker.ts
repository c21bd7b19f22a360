// The marker that makes an Azure role assignment a manifest's own under `mode: ownedOnly`:
// `cloud-access:<owner>/<repo>:<manifest path>`, written in brackets at the end of the
// description of every assignment the manifest creates. A reconcile deletes only assignments that
// carry its marker, so one marker must name one manifest and nothing else: the path is written one
// way only (inputs/reconcile-inputs.ts refuses `\`, brackets, `:`, spaces, empty and `.` segments), and a
// description carries a marker only when it ends with exactly that marker in brackets, so another
// marker that merely starts like it (`…/prod.yml)old.yml`, `…/prod.yml old.yml`) is not it. Pure.
import { CloudAccessError } from '../errors.js';
import { manifestPathProblem } from '../inputs/manifest-input.js';
import type { Cloud } from '../types.js';

/**
 * The marker a reconcile on `cloud` writes its grants under: Azure's, in each assignment's
 * description; none on AWS, whose session name marks them.
 */
export const reconcileMarkerOf = (
  cloud: Cloud,
  repository: string | undefined,
  manifestPath: string,
): string => (cloud === 'azure' ? manifestMarkerOf(repository, manifestPath) : '');

/** `cloud-access:<owner>/<repo>:<manifest path>`, the path as the `manifest` input gives it, less a leading `./`. */
export function manifestMarkerOf(repository: string | undefined, manifestPath: string): string {
  if (!repository)
    throw new CloudAccessError(
      'the repository is not known (GITHUB_REPOSITORY), and Azure ownership is marked with it',
      { fix: 'run the step in a GitHub Actions job' },
    );
  // The input was checked already; a path that reads two ways must never become a marker.
  const problem = manifestPathProblem(manifestPath);
  if (problem) throw new CloudAccessError(`the manifest path ${problem}`, { input: 'manifest' });
  return `cloud-access:${repository}:${manifestPath.replace(/^\.\//, '')}`;
}

/** What the description of an assignment the manifest creates ends with. */
export const markerSuffix = (marker: string): string => `[${marker}]`;

/** The description ends with exactly this marker in brackets (as the manifest's creates write it), white space aside. */
export function carriesMarker(description: string, marker: string): boolean {
  return description.trimEnd().endsWith(markerSuffix(marker));
}

const MANIFEST_MARKER = /\[cloud-access:([A-Za-z0-9][\w.-]*\/[\w.-]+):([A-Za-z0-9._/-]+)\]$/;

/**
 * The manifest whose marker a description ends with, whichever it is (a report reads every one):
 * its repository and path, or undefined. A run's marker (`…:run:…`) is not one: a path holds no `:`.
 */
export function manifestMarkOf(description: string): { repository: string; path: string } | undefined {
  const match = MANIFEST_MARKER.exec(description.trimEnd());
  if (!match || manifestPathProblem(match[2]!)) return undefined;
  return { repository: match[1]!, path: match[2]! };
}
