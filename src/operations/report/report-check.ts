// The first stage of `operation: report`: what needs no cloud, before any sign-in. Each manifest
// is parsed as a reconcile parses it (its section for this cloud kept; a manifest without one is
// said and skipped), and the previous report (`compare-to`) is read back. A report writes nothing,
// so no event is refused; a fork's pull request, which gets no OIDC token, is checked this far and
// says so. Each stop is a StepReport naming the file and the fix. Pure.
import { CloudAccessError } from '../../core/errors.js';
import { signsInWithToken, type StepConfig } from '../../core/inputs/index.js';
import type { Manifest } from '../../core/manifest/types.js';
import { previousRows, type PreviousReport } from './access-compare.js';
import { headerOf, type StepReport } from '../../core/output/step.js';
import { stoppedBeforeReading, stoppedReport } from '../../core/output/stopped.js';
import { forkPlanSkipped, type RunEvent } from '../../core/check/events.js';
import { parsedManifest, type ManifestText } from '../../core/check/manifest.js';

export interface CheckedReport {
  /** Each manifest with a section for the step's cloud. */
  manifests: { path: string; section: NonNullable<Manifest['aws'] | Manifest['azure']> }[];
  /** Lines for the log: manifests without this cloud's section. */
  notes: string[];
  /** The previous report (`compare-to`), as far as it can be read. */
  previous?: PreviousReport | undefined;
}

export function checkReport(
  config: StepConfig,
  manifests: ManifestText[],
  previous: ManifestText | undefined,
  run: RunEvent,
): { stop: StepReport } | CheckedReport {
  const checked: CheckedReport = { manifests: [], notes: [] };
  for (const file of manifests) {
    const parsed = parsedManifest(file);
    if ('stopped' in parsed) return { stop: stoppedReport(parsed.stopped, headerOf(config)) };
    const section = parsed.manifest[config.cloud];
    if (section) checked.manifests.push({ path: file.path, section });
    else
      checked.notes.push(
        `${file.path} has no \`${config.cloud}\` section: none of its assignments are in this report`,
      );
  }
  if (previous) {
    const rows =
      'unreadable' in previous ? { problem: previous.unreadable } : previousRows(previous.text, config.cloud);
    if ('problem' in rows)
      return {
        stop: stoppedBeforeReading(
          [
            new CloudAccessError(`input \`compare-to\`: \`${previous.path}\` ${rows.problem}`, {
              input: 'compare-to',
              fix: 'give the JSON file a previous report of this cloud wrote (its `report-json` output), downloaded into the workspace; or remove `compare-to`',
            }),
          ],
          headerOf(config),
        ),
      };
    checked.previous = rows;
  }
  // Not a failure: a fork's pull request is checked as far as it can be, and says so.
  const skipped = forkPlanSkipped(run.eventName, true, run.tokenEndpoint, signsInWithToken(config));
  if (skipped)
    return {
      stop: {
        annotations: [
          { level: 'notice', message: skipped.replace('the plan against the cloud', 'the report') },
        ],
      },
    };
  return checked;
}
