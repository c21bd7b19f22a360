// The inputs of `operation: reconcile`: the manifest's path in the workspace, and how many deletes
// a run may make. The grants come from the manifest, so the list inputs must be empty.
import { FALSE_INPUT } from '../patterns.js';
import { printable, type InputReader, type Problems } from './fields.js';
import type { ListInputs } from './grants.js';
import type { ReconcileRequest } from './config.js';
import { createdBy, githubToken, lookbackSeconds } from './claim-inputs.js';
import { parseSnapshotInputs } from './snapshot-inputs.js';

export const DEFAULT_MAX_DELETIONS = 10;
const MAX_DELETIONS_LIMIT = 100_000;

export function parseReconcileInputs(
  problems: Problems,
  read: InputReader,
  lists: ListInputs,
  cloud: 'aws' | 'azure' | undefined,
): ReconcileRequest {
  const manifest = read('manifest').trim();
  if (manifest === '')
    problems.add(
      'manifest',
      'is required for `operation: reconcile`',
      'give the path of the manifest in the repository, e.g. `access/manifest.yml`',
    );
  else {
    const wrong = manifestPathProblem(manifest);
    if (wrong)
      problems.add(
        'manifest',
        `\`${printable(manifest)}\` ${wrong}`,
        'give a path relative to the workspace, e.g. `access/manifest.yml`',
      );
  }
  for (const [input, values] of [
    ['principal', lists.principals],
    ['target', lists.targets],
    ['role', lists.roles],
  ] as const) {
    if (values.length > 0)
      problems.add(
        input,
        'is not used by `operation: reconcile`: the manifest lists the assignments',
        `remove \`${input}\`, and write the assignment in the manifest`,
      );
  }
  // Azure writes what each manifest entry says (description, condition); a reconcile keeps
  // permanent assignments under names of its own.
  for (const input of ['duration', 'assignment-name', 'description', 'condition', 'condition-version'])
    if (cloud === 'azure' && read(input).trim() !== '')
      problems.add(
        input,
        'is not used by `operation: reconcile`',
        input === 'description' || input.startsWith('condition')
          ? `write \`${input}\` on the manifest's entries`
          : `remove \`${input}\``,
      );
  if (FALSE_INPUT.test(read('wait').trim()))
    problems.add(
      'wait',
      'cannot be `false` for `operation: reconcile`: every create is followed to its end before any delete, so a change of role never leaves a gap',
      'remove `wait`',
    );
  return {
    manifest,
    maxDeletions: maxDeletions(problems, read),
    // A claim on what the plan would delete leaves it in place (core/claims/); without a token, a
    // claim that ends with its run cannot be told live, and the grant is drift as before.
    createdBy: createdBy(problems, read, cloud, false),
    githubToken: githubToken(problems, read, false),
    lookbackSeconds: lookbackSeconds(problems, read, cloud),
    ...parseSnapshotInputs(problems, read, cloud),
  };
}

/**
 * Why the path cannot name the manifest, or undefined: it must stay inside the workspace (relative,
 * no `..`) and be written one way only, since it is part of the marker Azure assignments carry
 * (core/state/manifest-marker.ts): letters, digits, `.`, `_`, `-` and `/`, without empty or `.`
 * segments. Otherwise two paths could share a marker (`access\prod.yml` and `access/prod.yml`), one
 * marker could hold another's brackets (`access/prod.yml]x.yml`), or a `:` could make it read as a
 * run's marker (`cloud-access:<owner>/<repo>:run:…`).
 */
export function manifestPathProblem(path: string): string | undefined {
  if (/[\p{Cc}\p{Cf}\s]/u.test(path)) return 'contains spaces or control characters';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path) || path.startsWith('\\')) return 'is an absolute path';
  if (path.split(/[/\\]/).some((s) => s === '..')) return 'leaves the workspace (`..`)';
  if (path.length > 256) return 'is longer than 256 characters';
  const other = /[^A-Za-z0-9._/-]/.exec(path)?.[0];
  if (other !== undefined)
    return `holds \`${printable(other)}\`: a manifest path is letters, digits, \`.\`, \`_\`, \`-\` and \`/\` (it names the manifest in the ownership marker of Azure assignments, which must name one path only)`;
  if (
    path
      .replace(/^\.\//, '')
      .split('/')
      .some((s) => s === '' || s === '.')
  )
    return 'has an empty or `.` segment: write it as one plain path (`access/manifest.yml`), so that it has one ownership marker';
  if (!/\.(ya?ml|json)$/i.test(path)) return 'is not a `.yml`, `.yaml` or `.json` file';
  return undefined;
}

/** `max-deletions`, which reconcile and sweep share: 0 to MAX_DELETIONS_LIMIT, default 10. */
export function maxDeletions(problems: Problems, read: InputReader): number {
  const text = read('max-deletions').trim();
  if (text === '') return DEFAULT_MAX_DELETIONS;
  if (!/^\d+$/.test(text) || Number(text) > MAX_DELETIONS_LIMIT) {
    problems.add(
      'max-deletions',
      `\`${printable(text)}\` is not a whole number from 0 to ${MAX_DELETIONS_LIMIT}`,
    );
    return DEFAULT_MAX_DELETIONS;
  }
  return Number(text);
}

/** `manifest` on another operation would be ignored without a word: it is an error there. */
export function checkManifestOperation(problems: Problems, read: InputReader, operation: string): void {
  if (operation !== 'reconcile' && operation !== 'report' && read('manifest').trim() !== '')
    problems.add(
      'manifest',
      `is read by \`operation: reconcile\` and \`operation: report\` only, not \`${operation}\``,
      'set `operation: reconcile`, or remove `manifest`',
    );
}
