// `npm run lint:shell`: ShellCheck over every shell script of the repository (./shell-files.ts),
// the set-up script users run against their tenant among them. ShellCheck is not an npm package:
// .ci/run installs Debian's `shellcheck` when it is missing; elsewhere, install it first.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { shellFiles } from './shell-files.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SHELLCHECK = process.env.SHELLCHECK_BIN ?? 'shellcheck';

const files = shellFiles(ROOT);
const version = spawnSync(SHELLCHECK, ['--version'], { encoding: 'utf8' });
if (version.error || version.status !== 0) {
  console.error(
    `lint:shell: ${SHELLCHECK} is not installed: install ShellCheck (Debian and Ubuntu: apt-get install shellcheck; macOS: brew install shellcheck), then run npm run lint:shell again`,
  );
  process.exit(1);
}
const checked = spawnSync(SHELLCHECK, ['--external-sources', ...files], { cwd: ROOT, stdio: 'inherit' });
if (checked.status !== 0) process.exit(checked.status ?? 1);
console.log(`lint:shell: ${files.length} shell scripts, no problems (${files.join(', ')})`);
