// The `manifest` input, which reconcile and report read: the rules its path keeps (the ownership
// marker is built on it), and the operations it may be set on.
import { printable, type InputProblem, type InputReader, type Problems } from './fields.js';

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

/** What is wrong with a manifest's path (manifestPathProblem), with `fix`; undefined when nothing is. */
export function manifestPathWrong(path: string, fix: string): InputProblem | undefined {
  const problem = manifestPathProblem(path);
  return problem ? { problem, fix } : undefined;
}

/** `manifest` on another operation would be ignored without a word: it is an error there. */
export function checkManifestOperation(problems: Problems, read: InputReader, operation: string): void {
  if (
    operation !== 'reconcile' &&
    operation !== 'report' &&
    operation !== 'review' &&
    read('manifest').trim() !== ''
  )
    problems.add(
      'manifest',
      `is read by \`operation: reconcile\` and \`operation: report\` only, not \`${operation}\``,
      'set `operation: reconcile`, or remove `manifest`',
    );
}
