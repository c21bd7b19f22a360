// The repository's scratch folder, `.scratch/` (which git ignores): where the commands people run
// here (`npm run local-action`, `npm run demo`) and the tests (jest.config.js)
// keep their temporary files, each removed when done, so that nothing is left in the machine's
// temporary folder and everything a run wrote is in one place to look at or delete.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';

export const SCRATCH = join(import.meta.dirname, '..', '..', '.scratch');

/** A new folder under the scratch folder, its name `prefix` and random characters. */
export function scratchFolder(prefix: string): string {
  mkdirSync(SCRATCH, { recursive: true });
  return mkdtempSync(join(SCRATCH, prefix));
}
