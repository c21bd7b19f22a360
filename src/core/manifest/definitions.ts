// What a manifest's section defines besides its assignments (AWS: `aws.permission-sets`, the sets'
// content), as a reconcile checks it before any sign-in: the files its definitions name (read from
// the workspace beside the manifest), their problems at their lines, and the value that marks
// what this manifest makes. The door an operation goes through: it names no kind of definition,
// and the kind's own rooms (core/permission-sets/) say what each check is. Pure.
import {
  desiredContents,
  inlinePolicyFiles,
  inlinePolicyProblems,
  inlinePolicyRefs,
  type InlinePolicyRef,
  type LineProblem,
  type PolicyFiles,
} from '../permission-sets/definition.js';
import { ownershipValue } from '../permission-sets/fields.js';
import type { ManifestProblem } from './nodes.js';
import type { AwsManifestSection, AzureManifestSection, Manifest } from './types.js';

/** The files the definitions name, as read: each one's text, or why it could not be read. */
export type DefinitionFiles = PolicyFiles;
/** A file one definition names, at its line. */
export type DefinitionFileRef = InlinePolicyRef;

/** What the step says when the definitions stop it, above their problems. */
export const DEFINITIONS_REFUSED =
  'the manifest’s permission sets cannot be written as they are; nothing was requested from the cloud';

/** The files a manifest's definitions name, each at its line. */
export const definitionFileRefs = (manifest: Manifest): DefinitionFileRef[] =>
  inlinePolicyRefs(manifest.aws?.permissionSets?.definitions ?? []);

/** The paths to read, once each. */
export const definitionFilePaths = (refs: readonly DefinitionFileRef[]): string[] => inlinePolicyFiles(refs);

/** What the files as read contradict (missing, unreadable, not a policy), at the lines that name them. */
export const definitionFileProblems = (
  refs: readonly DefinitionFileRef[],
  files: DefinitionFiles,
): LineProblem[] => inlinePolicyProblems(refs, files);

/** What a section's definitions are planned with: the files they name, and this manifest's owner value. */
export interface DefinitionsContext {
  files: DefinitionFiles;
  owner: string;
}

/**
 * The context a section's definitions are planned in, or the problems that stop the step before
 * any sign-in (a value the definitions cannot take, at its line); undefined when the section
 * defines nothing. What this manifest makes is marked `<owner>/<repo>:<manifest path>`: without
 * the repository, no value could tell this manifest's definitions from another repository's of
 * the same path.
 */
export function definitionsContextOf(
  section: AwsManifestSection | AzureManifestSection,
  run: { repository: string | undefined; manifest: string },
  files: DefinitionFiles,
): { context: DefinitionsContext } | { problems: ManifestProblem[] } | undefined {
  // An Azure section's memberships of groups (`azure.groups`, `manages.groups`) are planned beside
  // its assignments as what it defines; its marker names the manifest, so they need no owner value.
  if ('groups' in section && (section.groups.length > 0 || section.manages.groups.length > 0))
    return { context: { files, owner: '' } };
  if (!('permissionSets' in section) || !section.permissionSets) return undefined;
  const { definitions, line } = section.permissionSets;
  const owner = run.repository
    ? ownershipValue(run.repository, run.manifest)
    : {
        ok: false as const,
        message:
          '`aws.permission-sets`: the repository is not known (GITHUB_REPOSITORY is empty), so the sets this manifest makes could not be marked as its own',
        fix: 'run the step in a GitHub Actions job, which sets GITHUB_REPOSITORY',
      };
  if (!owner.ok)
    return { problems: [{ line, message: owner.message, ...(owner.fix ? { fix: owner.fix } : {}) }] };
  const { problems } = desiredContents(definitions, files, owner.value);
  return problems.length > 0 ? { problems } : { context: { files, owner: owner.value } };
}
