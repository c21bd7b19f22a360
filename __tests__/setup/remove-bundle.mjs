// jest globalTeardown: deletes the bundle build-bundle.mjs built for this run (never a bundle the
// caller passed in CLOUD_ACCESS_BUNDLE_DIR), and unsets the variable so that the next run in
// watch mode builds the source afresh.
import process from 'node:process';
import { BUILT, BUNDLE_DIR } from './build-bundle.mjs';

export default function removeBundle() {
  const built = globalThis[BUILT];
  if (!built) return;
  built.remove();
  process.off('exit', built.remove);
  if (process.env[BUNDLE_DIR] === built.dir) delete process.env[BUNDLE_DIR];
  delete globalThis[BUILT];
}
