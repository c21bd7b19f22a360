// Tests mirror src/ one file to one file (CONTRIBUTING.md, Layout): the behaviour of
// src/engine/run/sweeper.ts is tested in __tests__/engine/run/sweeper.test.ts, so a reader who
// opens a file finds its tests at once, and a file with none shows. Checked for the engine and the
// operations, the floors most of the behaviour lives in. A file that holds only types (and the
// constants beside them) has nothing to run and is named below with why; the few files still
// waiting for tests of their own are named too, so the list can only shrink.
import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const CHECKED = ['src/engine', 'src/operations'];

/** Files with nothing to run: what one floor tells another, tested through the code that uses them. */
const TYPE_ONLY: Record<string, string> = {
  'src/engine/calls/driver.ts': 'the GrantDriver interface and its companions (emptyStats() is a literal)',
  'src/engine/calls/provision-driver.ts': 'the ProvisionDriver interface',
  'src/engine/calls/status.ts': 'the StatusSnapshot and StatusPacing interfaces, and the default pacing',
  'src/engine/run/access-reader.ts': 'the AccessReader interface (minutesAt() is one rounded division)',
  'src/engine/run/reconciler.ts': 'the Reconciler interface',
  'src/operations/step-session.ts': 'the Session a step is given, its types only',
};

/** Files whose tests are still elsewhere or to be written: each one here is a debt. */
const NOT_YET: Record<string, string> = {
  // The steps of assign, request and the post step are played end to end (__tests__/e2e/), and
  // assign's and the post step's over a recorded runner too (__tests__/steps/assign.test.ts).
  'src/operations/assign/index.ts': 'the assign step',
  'src/operations/request/index.ts': 'the request step',
  'src/operations/revoke-on-exit/index.ts': 'the post step',
  // Reconcile's check and ending, tested through its step (reconcile/index.test.ts).
  'src/operations/reconcile/reconcile-check.ts': 'reconcile check',
  'src/operations/reconcile/reconcile-ending.ts': 'reconcile ending',
};

function sourceFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { withFileTypes: true }).flatMap((entry) => {
    const path = `${folder}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Where a source file's tests are: `src/engine/run/sweeper.ts` → `__tests__/engine/run/sweeper.test.ts`. */
const mirroredTest = (file: string): string =>
  file.replace(/^src\//, '__tests__/').replace(/\.ts$/, '.test.ts');
const hasTest = (file: string): boolean => existsSync(join(ROOT, mirroredTest(file)));

describe('every file of the engine and the operations has its tests at the mirrored path', () => {
  const files = CHECKED.flatMap(sourceFiles);

  it('finds the files it checks', () => {
    expect(files).toContain('src/engine/run/sweeper.ts');
    expect(files).toContain('src/operations/runner.ts');
  });

  it('has a test file beside each source file, but the ones named with a reason', () => {
    const missing = files.filter((file) => !hasTest(file) && !(file in TYPE_ONLY) && !(file in NOT_YET));
    expect(missing.map(mirroredTest)).toEqual([]);
  });

  it('names only files that exist and still have no test of their own', () => {
    const named = [...Object.keys(TYPE_ONLY), ...Object.keys(NOT_YET)];
    expect(named.filter((file) => !files.includes(file) || hasTest(file))).toEqual([]);
  });
});
