// What a manifest's section defines besides its assignments (AWS: `aws.permission-sets`, the sets'
// content), as a reconcile checks it before any sign-in: the files its definitions name (read from
// the workspace beside the manifest), their problems at their lines, and the value that marks
// what this manifest makes. The door an operation goes through: it names no kind of definition;
// each kind a manifest section defines says its own checks (./aws.ts AWS_DEFINED). Pure, but for
// the files' reads through the reader it is given.
import { AWS_DEFINED } from './aws.js';
import type { ManifestProblem } from './nodes.js';
import type { AwsManifestSection, AzureManifestSection, Manifest } from './types.js';

/** The files the definitions name, as read: each one's text, or why it could not be read. */
export type DefinitionFiles = ReadonlyMap<string, { text: string } | { error: string }>;

/** What the step says when the definitions stop it, above their problems. */
export const DEFINITIONS_REFUSED =
  'the manifest’s permission sets cannot be written as they are; nothing was requested from the cloud';

/** The files a manifest's definitions name (its problems or not), once each: the paths to read. */
export const definitionFilePaths = (manifest: Manifest): string[] => [
  ...new Set(AWS_DEFINED.flatMap((kind) => kind.filesNamed(manifest))),
];

/** What the files as read contradict (missing, unreadable, not a policy), at the lines that name them. */
export const definitionFileProblems = (manifest: Manifest, files: DefinitionFiles): ManifestProblem[] =>
  AWS_DEFINED.flatMap((kind) => kind.fileProblems(manifest, files));

/** A file beside the manifest as the workspace gave it: its text, or why it could not be read. */
export type ReadDefinitionFile = (
  path: string,
) => Promise<{ path: string; text: string } | { path: string; unreadable: string }>;

/**
 * Every file the manifest's definitions name (`manifest`: as far as it parsed), read through `read`
 * (absent: a step that cannot read them), and what they contradict at the lines that name them:
 * read whatever else the manifest gets wrong, so all of its errors come in one run.
 */
export async function readDefinitionFiles(
  manifest: Manifest | undefined,
  read: ReadDefinitionFile | undefined,
): Promise<{ files: DefinitionFiles; problems: ManifestProblem[] }> {
  const paths = manifest ? definitionFilePaths(manifest) : [];
  const files: DefinitionFiles = new Map(
    await Promise.all(
      paths.map(async (path) => {
        const file = read ? await read(path) : { path, unreadable: 'cannot be read by this step' };
        return [
          path,
          'text' in file ? { text: file.text } : { error: `${path} ${file.unreadable}` },
        ] as const;
      }),
    ),
  );
  return { files, problems: manifest ? definitionFileProblems(manifest, files) : [] };
}

/** What a section's definitions are planned with: the files they name, and this manifest's owner value. */
export interface DefinitionsContext {
  files: DefinitionFiles;
  owner: string;
}

/**
 * The context a section's definitions are planned in, or the problems that stop the step before
 * any sign-in (a value the definitions cannot take, at its line); undefined when the section
 * defines nothing.
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
  for (const kind of AWS_DEFINED) {
    const owned = kind.ownerOf(section, run, files);
    if (owned) return 'problems' in owned ? owned : { context: { files, owner: owned.owner } };
  }
  return undefined;
}
