// The first stage of `operation: reconcile`: every check that needs no cloud, before any sign-in.
// The manifest, on every event (what the event makes of the step is decided before it,
// core/check/events.ts reconcileEventOf: one that may not write makes the step a dry run, so a pull
// request's file is read only to be planned): its text, its section for this cloud, the instance it
// names against the input, and a fork's plan that cannot sign in, which on an event refused
// outright stays the event's refusal. Each stop is data (core/output/stopped.ts), which the step says at its end
// with everything else. Every inline policy a permission set names is read and checked here too,
// with the manifest's other problems, so all of them come in one run. Pure, but for the files' reads.
import type { ReconcileEvent } from '../../core/check/events.js';
import {
  INVALID_MANIFEST,
  manifestStop,
  unreadableManifest,
  type ManifestText,
} from '../../core/check/manifest.js';
import { CloudAccessError } from '../../core/errors.js';
import type { ConfigOf } from '../../core/inputs/index.js';
import { inputsConflict } from '../../core/manifest/aws.js';
import { parseManifest, type ManifestProblem, type ManifestResult } from '../../core/manifest/parse.js';
import type { AwsManifestSection, AzureManifestSection, Manifest } from '../../core/manifest/types.js';
import {
  definitionsContextOf,
  readDefinitionFiles,
  type DefinitionsContext,
  type ReadDefinitionFile,
  DEFINITIONS_REFUSED,
} from '../../core/manifest/definitions.js';
import type { Stopped } from '../../core/output/stopped.js';
import { reconcileMarkerOf } from '../../core/state/manifest-marker.js';

/** The manifest's section for the step's cloud. */
export type ManifestSection = AwsManifestSection | AzureManifestSection;

/** The manifest ready for the cloud (its section for the step's cloud), or where the step stops. */
export type Checked =
  | {
      stopped: Stopped;
      /** Said before the stop: the section's warnings, when its definitions are what stopped it. */
      warnings?: ManifestProblem[];
    }
  | {
      manifest: Manifest;
      section: ManifestSection;
      marker: string;
      /**
       * What the section defines besides its assignments is planned in: the files it names, as
       * read, and the value that marks what this manifest made. None: it defines nothing.
       */
      definitions?: DefinitionsContext;
      /** What is worth a look but no stop (more policies than IAM allows a role by default), at its line. */
      warnings: ManifestProblem[];
    };

/** The workspace's files: the manifest, and each file its permission sets' inline policies name. */
export interface CheckedFiles {
  readManifest(path: string): Promise<ManifestText>;
  /** Absent: a step that cannot read them (each is then a problem at its line). */
  readPolicyFile?: ReadDefinitionFile;
}

/** The manifest (read from the workspace with its policy files), on the run's `event`. */
export async function checkReconcile(
  config: ConfigOf<'reconcile'>,
  event: ReconcileEvent,
  files: CheckedFiles,
): Promise<Checked> {
  const file = await files.readManifest(config.reconcile.manifest);
  const result: ManifestResult =
    'text' in file ? parseManifest(file.path, file.text) : unreadableManifest(file);
  // Every inline policy is read and checked whatever else the manifest gets wrong: all of its
  // errors come in one run, each at its line.
  const policies = await readDefinitionFiles(
    'problems' in result ? result.partial : result.manifest,
    files.readPolicyFile,
  );
  if ('problems' in result)
    return manifestStop(
      file.path,
      [...result.problems, ...policies.problems].sort((a, b) => a.line - b.line),
      INVALID_MANIFEST,
    );
  const { manifest } = result;
  if (policies.problems.length > 0) return manifestStop(file.path, policies.problems, DEFINITIONS_REFUSED);
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
  // A file or value the definitions cannot take is a problem at its line, before any sign-in.
  const definitions = definitionsContextOf(
    section,
    { repository: config.run.repository, manifest: config.reconcile.manifest },
    policies.files,
  );
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
  // A refused event stays a failure when its plan cannot be read either.
  if (event.skipped && event.refused) return { stopped: event.refused };
  // Not a failure: a fork's pull request is checked as far as it can be, and says so.
  if (event.skipped) return { stopped: { skipped: event.skipped } };
  const warnings = 'permissionSets' in section ? (section.permissionSets?.warnings ?? []) : [];
  if (definitions && 'problems' in definitions)
    return {
      ...manifestStop(config.reconcile.manifest, definitions.problems, DEFINITIONS_REFUSED),
      warnings,
    };
  const marker = reconcileMarkerOf(config.cloud, config.run.repository, manifest.path);
  return {
    manifest,
    section,
    marker,
    ...(definitions ? { definitions: definitions.context } : {}),
    warnings,
  };
}
