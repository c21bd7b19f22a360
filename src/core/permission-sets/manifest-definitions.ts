// The permission sets a manifest defines (`aws.permission-sets`), as a reconcile checks them before
// any sign-in: the files their inline policies name, what those files contradict at the lines that
// name them, and the value that marks what this manifest makes. The manifest's door
// (core/manifest/definitions.ts) reaches it through what the AWS section says it defines
// (core/manifest/aws.ts AWS_DEFINED), as it would another kind a section defines. Pure.
import {
  desiredContents,
  inlinePolicyFiles,
  inlinePolicyProblems,
  type LineProblem,
  type PermissionSetsSection,
  type PolicyFiles,
} from './definition.js';
import { ownershipValue } from './fields.js';

/** A manifest, as far as its permission sets go (one with problems included: all are checked at once). */
interface DefiningSets {
  aws?: { permissionSets?: PermissionSetsSection | undefined } | undefined;
}

/** Every entry's inline policy, its entry valid or not. */
const refsOf = (manifest: DefiningSets) => manifest.aws?.permissionSets?.inlinePolicies ?? [];

export const permissionSetDefinitions = {
  /** The files the definitions' inline policies name, once each. */
  filesNamed: (manifest: DefiningSets): string[] => inlinePolicyFiles(refsOf(manifest)),

  /** What the files as read contradict (missing, unreadable, not a policy), at the lines that name them. */
  fileProblems: (manifest: DefiningSets, files: PolicyFiles): LineProblem[] =>
    inlinePolicyProblems(refsOf(manifest), files),

  /**
   * The value that marks what this manifest makes, or the problems that stop the step before any
   * sign-in (a value the definitions cannot take, at its line); undefined when the section defines
   * no set. Marked `<owner>/<repo>:<manifest path>`: without the repository, no value could tell
   * this manifest's sets from another repository's of the same path.
   */
  ownerOf(
    section: object,
    run: { repository: string | undefined; manifest: string },
    files: PolicyFiles,
  ): { owner: string } | { problems: LineProblem[] } | undefined {
    const sets =
      'permissionSets' in section ? (section.permissionSets as PermissionSetsSection | undefined) : undefined;
    if (!sets) return undefined;
    const owner = run.repository
      ? ownershipValue(run.repository, run.manifest)
      : {
          ok: false as const,
          message:
            '`aws.permission-sets`: the repository is not known (GITHUB_REPOSITORY is empty), so the sets this manifest makes could not be marked as its own',
          fix: 'run the step in a GitHub Actions job, which sets GITHUB_REPOSITORY',
        };
    if (!owner.ok)
      return {
        problems: [{ line: sets.line, message: owner.message, ...(owner.fix ? { fix: owner.fix } : {}) }],
      };
    const { problems } = desiredContents(sets.definitions, files, owner.value);
    return problems.length > 0 ? { problems } : { owner: owner.value };
  },
};
