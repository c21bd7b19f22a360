// A manifest's checks that need no cloud, which reconcile and report share: the file parsed, or
// the stop at every problem's line, before any sign-in (core/output/stopped.ts says it). Pure.
import { parseManifest } from '../manifest/parse.js';
import type { Manifest } from '../manifest/types.js';
import type { ProblemsAtLines, Stopped } from '../output/stopped.js';

/** The manifest file as the workspace gave it (github/manifest-file.ts). */
export type ManifestText = { path: string; text: string } | { path: string; unreadable: string };

/** The headline of a stop at a manifest's problems. */
export const INVALID_MANIFEST = 'invalid manifest; nothing was requested from the cloud';

/** A manifest that could not be read: one problem, at its first line. */
export const unreadableManifest = (file: { unreadable: string }) => ({
  problems: [{ line: 1, message: file.unreadable }],
});

/** The manifest the file holds, or the stop at its problems' lines (a report reads its manifests so too). */
export function parsedManifest(file: ManifestText): { stopped: Stopped } | { manifest: Manifest } {
  const parsed = 'unreadable' in file ? unreadableManifest(file) : parseManifest(file.path, file.text);
  if ('problems' in parsed) return manifestStop(file.path, parsed.problems, INVALID_MANIFEST);
  return parsed;
}

/** The step stops at the manifest's problems, each at its line, under `headline`. */
export const manifestStop = (
  file: string,
  problems: ProblemsAtLines['problems'],
  headline: string,
  /** What the plan proved before it stopped (a check that failed among them): said all the same. */
  checks?: ProblemsAtLines['checks'],
): { stopped: Stopped } => ({
  stopped: { invalid: { what: 'manifest', file, problems, headline, ...(checks?.length ? { checks } : {}) } },
});
