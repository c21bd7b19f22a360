// The manifest (and a previous report, for `compare-to`) from the job's workspace: a regular file inside it (a link out of it, or into a
// `.git` folder, is refused), of a bounded size, or why it cannot be read; when it is missing, a
// file beside it with a close name. Parsing is core/manifest's.
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { closestNames } from '../core/lists.js';
import type { ManifestText } from '../core/check/manifest.js';

/**
 * A reader of one kind of workspace file (`what` names it in the size's message), from the job's
 * workspace unless told another folder.
 */
function workspaceFileReader(limit: { maxBytes: number; what: string }) {
  return (
    path: string,
    workspaceDir: string = process.env.GITHUB_WORKSPACE || process.cwd(),
  ): Promise<ManifestText> => readWorkspaceFile(path, limit, workspaceDir);
}

/** The manifest, of at most 1 MiB: far more than any real one, and a bound on what is parsed. */
export const readManifestFile = workspaceFileReader({ maxBytes: 1024 * 1024, what: 'a manifest' });

/**
 * A file a manifest names beside it (a permission set's inline policy), workspace-relative, read
 * as the manifest is: inside the workspace, a regular file, not in `.git`, bounded: IAM takes
 * 32,768 characters, and a few times that is read (and refused by its check).
 */
export const readPolicyFile = workspaceFileReader({ maxBytes: 128 * 1024, what: 'a policy file' });

/**
 * A previous report's JSON (`compare-to`), read as a manifest is: inside the workspace, a regular
 * file, bounded (a report of tens of thousands of rows is a few megabytes).
 */
export const readPreviousReport = workspaceFileReader({ maxBytes: 64 * 1024 * 1024, what: 'a report' });

/** A file of the workspace, or why it cannot be read (`what` names it in the size's message). */
async function readWorkspaceFile(
  path: string,
  limit: { maxBytes: number; what: string },
  workspaceDir: string,
): Promise<ManifestText> {
  const workspace = resolve(workspaceDir);
  const file = join(workspace, path);
  // Why it could not be read: a sentence about the path, e.g. `is not a file`.
  const fail = (unreadable: string) => ({ path, unreadable });
  try {
    const [root, real] = await Promise.all([realpath(workspace), realpath(file)]);
    if (!real.startsWith(root + sep)) return fail(`is outside the workspace (a link to ${real})`);
    // Git's own files are never a manifest, and actions/checkout keeps the job's token in
    // .git/config: a pull request's manifest linked there must not have it echoed in its problems.
    if (
      real
        .slice(root.length + 1)
        .split(sep)
        .includes('.git')
    )
      return fail(
        `is in a \`.git\` folder (git’s own files, with the checkout’s credentials), not ${limit.what}`,
      );
    const info = await stat(real);
    if (!info.isFile()) return fail('is not a file');
    if (info.size > limit.maxBytes)
      return fail(`is ${info.size} bytes; ${limit.what} may hold at most ${limit.maxBytes}`);
    return { path, text: await readFile(real, 'utf8') };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') return fail(`could not be read (${code ?? 'error'})`);
    const similar = await similarFile(workspace, path);
    return fail(
      `was not found in the workspace (${workspace}): ${similar ? `did you mean \`${similar}\`? Or` : 'or'} check out the repository first (actions/checkout)`,
    );
  }
}

/**
 * A file beside the missing manifest with a close name (`access/manifest.yaml` for
 * `access/manifest.yml`, another case), as a path like the one written. Only the folder the path
 * names is read, and only when it is inside the workspace.
 */
async function similarFile(workspace: string, path: string): Promise<string | undefined> {
  try {
    const [root, folder] = await Promise.all([realpath(workspace), realpath(dirname(join(workspace, path)))]);
    if (folder !== root && !folder.startsWith(root + sep)) return undefined;
    const files = (await readdir(folder, { withFileTypes: true })).filter((f) => f.isFile());
    const [close] = closestNames(
      basename(path),
      files.map((f) => f.name),
      1,
    );
    return close === undefined ? undefined : join(dirname(path), close);
  } catch {
    // No such folder, or one that cannot be read: nothing to suggest.
    return undefined;
  }
}
