// The first stage of `operation: reconcile`: every check that needs no cloud, before any sign-in.
// The event first (code from a pull request must not choose what is deleted), then the manifest:
// its text, its section for this cloud, the instance it names against the input, and a fork's
// plan that cannot sign in. Each stop is a StepReport naming the lines and the fix. Pure.
import { CloudAccessError } from '../errors.js';
import { signsInWithToken, type StepConfig } from '../inputs/index.js';
import { instanceArnConflict } from '../manifest/aws.js';
import type { ManifestProblem } from '../manifest/nodes.js';
import { parseManifest } from '../manifest/parse.js';
import type { AwsManifestSection, AzureManifestSection, Manifest } from '../manifest/types.js';
import { manifestMarkerOf } from '../state/ownership-marker.js';
import { escapeHtmlWithCode } from '../inert.js';
import { forkPlanSkipped } from '../../operations/reconcile/reconcile-report.js';
import { runHeaderHtml } from '../report/run-header.js';
import { headerOf, stepTitle, stoppedBeforeAnyGrant, type StepReport } from '../report/step.js';
import { stoppedBeforeReading, type RunEvent } from './events.js';

/** The manifest file as the workspace gave it (github/manifest-file.ts). */
export type ManifestText = { path: string; text: string } | { path: string; unreadable: string };

/** The manifest's section for the step's cloud. */
export type ManifestSection = AwsManifestSection | AzureManifestSection;

/** The manifest ready for the cloud (its section for the step's cloud), or the report the step stops with. */
export type Checked = { stop: StepReport } | { manifest: Manifest; section: ManifestSection; marker: string };

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

export function checkManifest(config: StepConfig, file: ManifestText, run: RunEvent): Checked {
  const parsed = parsedManifest(config, file);
  if ('stop' in parsed) return parsed;
  const { manifest } = parsed;
  const section = manifest[config.cloud];
  if (!section)
    return {
      stop: stoppedBeforeReading(
        [
          new CloudAccessError(`the manifest ${file.path} has no \`${config.cloud}\` section`, {
            input: 'manifest',
            fix: `add an \`${config.cloud}:\` section, or set \`cloud\` to the section it has`,
          }),
        ],
        config,
      ),
    };
  const conflict =
    config.cloud === 'aws' && section.cloud === 'aws'
      ? instanceArnConflict(section, config.instanceArn)
      : undefined;
  if (conflict)
    return {
      stop: stoppedAtLines(
        file.path,
        [conflict],
        'the manifest and the inputs name two instances; nothing was requested from the cloud',
        config,
      ),
    };
  const skipped = forkPlanSkipped(run.eventName, config.dryRun, run.tokenEndpoint, signsInWithToken(config));
  // Not a failure: a fork's pull request is checked as far as it can be, and says so.
  if (skipped)
    return {
      stop: {
        annotations: [{ level: 'notice', message: skipped }],
        summaryHtml: `${runHeaderHtml(headerOf(config, `${stepTitle(config)}: plan skipped`))}\n<p>${escapeHtmlWithCode(skipped)}.</p>\n`,
      },
    };
  const marker = config.cloud === 'azure' ? manifestMarkerOf(config.run.repository, manifest.path) : '';
  return { manifest, section, marker };
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
