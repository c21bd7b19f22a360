// A manifest's checks that need no cloud, which reconcile and report share: the file parsed, or
// every problem as an annotation on its line before any sign-in. Pure.
import type { StepConfig } from '../inputs/index.js';
import type { ManifestProblem } from '../manifest/nodes.js';
import { parseManifest } from '../manifest/parse.js';
import type { Manifest } from '../manifest/types.js';
import { headerOf, stepTitle, stoppedBeforeAnyGrant, type StepReport } from '../report/step.js';

/** The manifest file as the workspace gave it (github/manifest-file.ts). */
export type ManifestText = { path: string; text: string } | { path: string; unreadable: string };

/** The manifest the file holds, or the stop at its problems' lines (a report reads its manifests so too). */
export function parsedManifest(
  config: StepConfig,
  file: ManifestText,
): { stop: StepReport } | { manifest: Manifest } {
  const parsed =
    'unreadable' in file
      ? { problems: [{ line: 1, message: file.unreadable }] }
      : parseManifest(file.path, file.text);
  if ('problems' in parsed)
    return {
      stop: stoppedAtLines(
        file.path,
        parsed.problems,
        'invalid manifest; nothing was requested from the cloud',
        config,
      ),
    };
  return parsed;
}

/** Every problem as an annotation on its line, then the step's failure, before any write. */
export function stoppedAtLines(
  file: string,
  problems: ManifestProblem[],
  headline: string,
  config: StepConfig,
): StepReport {
  const described = problems.map((p) => `${file}:${p.line}: ${p.message}${p.fix ? `: ${p.fix}` : ''}`);
  return {
    annotations: problems.map((p, i) => ({
      level: 'error',
      message: described[i]!,
      at: { file, line: p.line },
    })),
    ...stoppedBeforeAnyGrant(
      described,
      `${problems.length} problem(s) in the manifest: ${headline}`,
      headerOf(config, `${stepTitle(config)}: invalid manifest`),
    ),
  };
}
