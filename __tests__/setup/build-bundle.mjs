// jest globalSetup: builds the action from the current source into a temporary folder, once per
// jest run, so the end-to-end tests run what the source builds to now rather than the committed
// dist/ (which `npm run package` refreshes). Same ncc flags as `npm run package`, main and post in
// parallel. The folder is passed on in CLOUD_ACCESS_BUNDLE_DIR, which scripts/action-runner.ts
// reads; remove-bundle.mjs (the globalTeardown) deletes it. When the caller already set
// CLOUD_ACCESS_BUNDLE_DIR (e.g. `CLOUD_ACCESS_BUNDLE_DIR=dist npm test` to test the committed
// bundle), nothing is built and that bundle is used.
// Should the source not build (a type error, say), the run goes on: ncc's errors are left in the
// folder's build-error.txt, and every step the e2e tests run fails with them, while the other
// tests run as they would.
// A plain .mjs, as jest loads global setup files without the ts-jest transform the tests get.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';

export const BUNDLE_DIR = 'CLOUD_ACCESS_BUNDLE_DIR';
/** In the bundle folder when the source did not build: ncc's errors (scripts/action-runner.ts reads it). */
export const BUILD_ERROR = 'build-error.txt';
/** Where the globalSetup keeps the folder it built, for the globalTeardown (jest shares globalThis between them). */
export const BUILT = Symbol.for('cloud-access.built-bundle');

const ROOT = join(import.meta.dirname, '..', '..');
const NCC = createRequire(import.meta.url).resolve('@vercel/ncc/dist/ncc/cli.js');

/** `ncc build src/<step>.ts -o <dir>/<step> --license licenses.txt`, quietly; rejects with ncc's output. */
function build(step, dir) {
  const args = ['build', `src/${step}.ts`, '-o', join(dir, step), '--license', 'licenses.txt', '--quiet'];
  return new Promise((resolve, reject) => {
    // process.execPath: the Node that runs jest (Node 24 under `npm test`), not whatever `node` is.
    const child = spawn(process.execPath, [NCC, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const failure = `ncc build src/${step}.ts failed (${signal ?? `exit code ${code}`})`;
      if (code === 0) resolve();
      else reject(new Error(`${failure}:\n${output}`));
    });
  });
}

export default async function buildBundle() {
  if (process.env[BUNDLE_DIR]) return;
  const dir = mkdtempSync(join(tmpdir(), 'cloud-access-bundle-'));
  // Should jest exit without running the teardown (e.g. interrupted), the folder still goes.
  const remove = () => rmSync(dir, { recursive: true, force: true });
  process.once('exit', remove);
  globalThis[BUILT] = { dir, remove };
  process.env[BUNDLE_DIR] = dir;
  const builds = await Promise.allSettled([build('main', dir), build('post', dir)]);
  const errors = builds
    .filter((b) => b.status === 'rejected')
    .map((b) => String(b.reason?.message ?? b.reason));
  if (errors.length > 0) {
    writeFileSync(join(dir, BUILD_ERROR), errors.join('\n'));
    process.stderr.write(
      '\nThe source does not build (ncc failed): the end-to-end tests will fail with its errors.\n',
    );
  }
}
