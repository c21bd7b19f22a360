// The one npm command @github/local-action runs before each action (commands/run.ts): `npm ls
// @actions/artifact @actions/cache @actions/core @actions/github --json --long`, to find where the
// packages it stands in for are installed. npm answers it by reading the whole dependency tree,
// about 2.5 s of CPU a run; the answer is only where each is installed at the repository's top
// level (no @actions package here is nested), so an `npm` first on the child's PATH answers that
// one command from node_modules, in npm's shape, and hands every other npm command to the real npm.
import { chmodSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The folder of an `npm` that answers local-action's `npm ls`, written in `dir`: put it first on PATH. */
export function npmAnsweringLs(dir: string, root: string): string {
  // CommonJS by its extension, whatever package.json says of the folders above it.
  const answer = join(dir, 'npm-ls.cjs');
  writeFileSync(answer, script(root));
  const npm = join(dir, 'npm');
  writeFileSync(npm, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(answer)} "$@"\n`);
  chmodSync(npm, 0o755);
  return dir;
}

/** `PATH` with `folder` first. */
export const pathWithFirst = (folder: string, path: string | undefined): string =>
  [folder, ...(path ? [path] : [])].join(delimiter);

const script = (
  root: string,
) => `// Written by scripts/emulator/npm-ls-answer.ts for one local-action run, and removed with it.
const { existsSync } = require('node:fs');
const { delimiter, dirname, join } = require('node:path');
const { spawnSync } = require('node:child_process');
const args = process.argv.slice(2);
const names = args.slice(1).filter((a) => !a.startsWith('-'));
if (args[0] === 'ls' && args.includes('--json') && args.includes('--long') && names.every((n) => n.startsWith('@actions/'))) {
  const root = ${JSON.stringify(root)};
  const dependencies = {};
  for (const name of names) {
    const path = join(root, 'node_modules', name);
    if (existsSync(join(path, 'package.json'))) dependencies[name] = { path };
  }
  process.stdout.write(JSON.stringify({ path: root, dependencies }));
} else {
  const here = dirname(__filename);
  const PATH = (process.env.PATH || '').split(delimiter).filter((p) => p !== here).join(delimiter);
  const run = spawnSync('npm', args, { stdio: 'inherit', env: { ...process.env, PATH } });
  process.exit(run.status === null ? 1 : run.status);
}
`;
