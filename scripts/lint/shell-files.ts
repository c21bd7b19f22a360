// The repository's shell scripts, for `npm run lint:shell` (./lint-shell.ts): every file git
// tracks or would add (node_modules and the other ignored paths left out) that is `*.sh` or
// `*.bash`, or whose first line runs sh, bash, dash or ksh, as .ci/run's does. The shell of a
// workflow's `run:` steps is not here: actionlint checks the workflows.
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** A shebang that runs a shell ShellCheck reads: directly, or through `env` (with its options). */
const SHELL_SHEBANG = /^#!\s*(?:\S*\/)?(?:env\s+(?:-\S+\s+)*)?(?:sh|bash|dash|ksh)(?:\s|$)/;

/** Whether a file, by its name or its first line, is a shell script. */
export function isShellScript(path: string, firstLine: string): boolean {
  return /\.(?:sh|bash)$/.test(path) || SHELL_SHEBANG.test(firstLine);
}

function firstLineOf(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(128);
    const read = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, read).toString('utf8').split('\n')[0] ?? '';
  } finally {
    closeSync(fd);
  }
}

/** The shell scripts under `root` (a git work tree), as paths relative to it, sorted. */
export function shellFiles(root: string): string[] {
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (listed.status !== 0)
    throw new Error(`git ls-files failed in ${root}: ${listed.stderr || listed.error?.message || ''}`.trim());
  return [...new Set(listed.stdout.split('\0').filter(Boolean))]
    .filter((path) => !path.split('/').includes('node_modules'))
    .filter((path) => {
      const full = join(root, path);
      // A tracked file deleted in the work tree, or a submodule, is no script to check.
      const stat = statSync(full, { throwIfNoEntry: false });
      return stat?.isFile() === true && isShellScript(path, firstLineOf(full));
    })
    .sort();
}
