// jest globalSetup: builds the action from the current source into a temporary folder, once per
// jest run, so the end-to-end tests run what the source builds to now rather than the committed
// dist/. It runs the build `npm run package` runs (scripts/release/package.ts), into that folder. The
// folder is passed on in CLOUD_ACCESS_BUNDLE_DIR, which harness/action-runner.ts reads;
// remove-bundle.mjs (the globalTeardown) deletes it. When the caller already set
// CLOUD_ACCESS_BUNDLE_DIR (e.g. `CLOUD_ACCESS_BUNDLE_DIR=dist npm test` to test the committed
// bundle), nothing is built and that bundle is used.
// Should the source not build (an import that does not resolve, say; types are the lint's to check),
// the run goes on: the build's errors are left in the folder's build-error.txt, and every step the
// e2e tests run fails with them, while the other tests run as they would.
// A plain .mjs, as jest loads global setup files without the transform the tests get (esbuild-transform.mjs).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';

export const BUNDLE_DIR = 'CLOUD_ACCESS_BUNDLE_DIR';
/**
 * In the bundle folder when the source did not build: the build's errors (the step runner,
 * harness/action-runner.ts, reads it).
 */
export const BUILD_ERROR = 'build-error.txt';
/** Where the globalSetup keeps the folder it built, for the globalTeardown (jest shares globalThis between them). */
export const BUILT = Symbol.for('cloud-access.built-bundle');

const ROOT = join(import.meta.dirname, '..', '..');

/** `scripts/release/package.ts <dir>`, as `npm run package` runs it; rejects with its output. */
function build(dir) {
  return new Promise((resolve, reject) => {
    // process.execPath: the Node that runs jest (Node 24 under `npm test`), not whatever `node` is.
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join('scripts', 'release', 'package.ts'), dir],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(new Error(`scripts/release/package.ts failed (${signal ?? `exit code ${code}`}):\n${output}`));
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
  try {
    await build(dir);
  } catch (error) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, BUILD_ERROR), String(error?.message ?? error));
    process.stderr.write(
      '\nThe source does not build (scripts/release/package.ts failed): the end-to-end tests will fail with its errors.\n',
    );
  }
}
