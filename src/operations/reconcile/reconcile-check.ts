// The first stage of `operation: reconcile`: every check that needs no cloud, before any sign-in.
// The manifest, on every event (one that may not write makes the step a dry run that writes
// nothing, core/check/events.ts planOnlyOn, so a pull request's file is read only to be planned):
// its text, its section for this cloud, the instance it names against the input, and a fork's plan
// that cannot sign in, which on an event refused outright stays the event's refusal. Each stop is data (core/output/stopped.ts), which the step says at its end
// with everything else. Pure, but for the file's read.
import { forkPlanSkipped, refusedEvent, type PlanOnly, type RunEvent } from '../../core/check/events.js';
import { parsedManifest, type ManifestText } from '../../core/check/manifest.js';
import { CloudAccessError } from '../../core/errors.js';
import { signsInWithToken, type ConfigOf } from '../../core/inputs/index.js';
import { inputsConflict } from '../../core/manifest/aws.js';
import type { AwsManifestSection, AzureManifestSection, Manifest } from '../../core/manifest/types.js';
import type { Stopped } from '../../core/output/stopped.js';
import { reconcileMarkerOf } from '../../core/state/manifest-marker.js';

/** The manifest's section for the step's cloud. */
export type ManifestSection = AwsManifestSection | AzureManifestSection;

/** The manifest ready for the cloud (its section for the step's cloud), or where the step stops. */
export type Checked = { stopped: Stopped } | { manifest: Manifest; section: ManifestSection; marker: string };

/** The manifest (`readManifest` reads the workspace's file); `planOnly`: planOnlyOn, for `config` and `run`. */
export async function checkReconcile(
  config: ConfigOf<'reconcile'>,
  run: RunEvent,
  planOnly: PlanOnly | undefined,
  readManifest: (path: string) => Promise<ManifestText>,
): Promise<Checked> {
  const file = await readManifest(config.reconcile.manifest);
  const parsed = parsedManifest(file);
  if ('stopped' in parsed) return parsed;
  const { manifest } = parsed;
  const section = manifest[config.cloud];
  if (!section)
    return {
      stopped: {
        refused: [
          new CloudAccessError(`the manifest ${file.path} has no \`${config.cloud}\` section`, {
            input: 'manifest',
            fix: `add an \`${config.cloud}:\` section, or set \`cloud\` to the section it has`,
          }),
        ],
      },
    };
  const conflict = inputsConflict(section, config);
  if (conflict)
    return {
      stopped: {
        invalid: {
          what: 'manifest',
          file: file.path,
          problems: [conflict],
          headline: 'the manifest and the inputs name two instances; nothing was requested from the cloud',
        },
      },
    };
  const dryRun = config.dryRun || planOnly !== undefined;
  const skipped = forkPlanSkipped(run.eventName, dryRun, run.tokenEndpoint, signsInWithToken(config));
  // A refused event stays a failure when its plan cannot be read either.
  const refused = planOnly && 'refused' in planOnly ? refusedEvent(config, run) : undefined;
  if (skipped && refused) return { stopped: refused };
  // Not a failure: a fork's pull request is checked as far as it can be, and says so.
  if (skipped) return { stopped: { skipped } };
  const marker = reconcileMarkerOf(config.cloud, config.run.repository, manifest.path);
  return { manifest, section, marker };
}
