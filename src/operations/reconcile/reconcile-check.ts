// The first stage of `operation: reconcile`: every check that needs no cloud, before any sign-in.
// The event first (code from a pull request must not choose what is deleted), then the manifest:
// its text, its section for this cloud, the instance it names against the input, and a fork's
// plan that cannot sign in. Each stop is a StepReport naming the lines and the fix. Pure.
import { forkPlanSkipped, stoppedBeforeReading, type RunEvent } from '../../core/check/events.js';
import { parsedManifest, stoppedAtLines, type ManifestText } from '../../core/check/manifest.js';
import { CloudAccessError } from '../../core/errors.js';
import { escapeHtmlWithCode } from '../../core/inert.js';
import { signsInWithToken, type StepConfig } from '../../core/inputs/index.js';
import { instanceArnConflict } from '../../core/manifest/aws.js';
import type { AwsManifestSection, AzureManifestSection, Manifest } from '../../core/manifest/types.js';
import { runHeaderHtml } from '../../core/report/run-header.js';
import { headerOf, stepTitle, type StepReport } from '../../core/report/step.js';
import { manifestMarkerOf } from '../../core/state/manifest-marker.js';

/** The manifest's section for the step's cloud. */
export type ManifestSection = AwsManifestSection | AzureManifestSection;

/** The manifest ready for the cloud (its section for the step's cloud), or the report the step stops with. */
export type Checked = { stop: StepReport } | { manifest: Manifest; section: ManifestSection; marker: string };

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
