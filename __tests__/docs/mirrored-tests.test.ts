// Tests mirror src/ one file to one file (CONTRIBUTING.md, Layout): the behaviour of
// src/engine/run/sweeper.ts is tested in __tests__/engine/run/sweeper.test.ts, so a reader who
// opens a file finds its tests at once, and a file with none shows. Checked for the engine and the
// operations, the floors most of the behaviour lives in. A file that holds only types (and the
// constants beside them) has nothing to run and is named below with why; every other file has
// tests of its own, so a new file without them fails here.
import { describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, sourceFiles } from './source-files.js';

const CHECKED = ['src/engine', 'src/operations'];

/** Files with nothing to run: what one floor tells another, tested through the code that uses them. */
const TYPE_ONLY: Record<string, string> = {
  'src/engine/calls/driver.ts': 'the GrantDriver interface and its companions (emptyStats() is a literal)',
  'src/engine/calls/ownership-proofs.ts':
    'the words a driver says whose an assignment is in (Ownership, OwnCreate, CreateProof…)',
  'src/engine/calls/status.ts': 'the StatusSnapshot and StatusPacing interfaces, and the default pacing',
  'src/engine/run/access-reader.ts': 'the AccessReader interface (minutesAt() is one rounded division)',
  'src/engine/run/reconciler.ts': 'the Reconciler interface',
  'src/operations/step-session.ts': 'the Session a step is given, its types only',
};

/** Where a source file's tests are: `src/engine/run/sweeper.ts` → `__tests__/engine/run/sweeper.test.ts`. */
const mirroredTest = (file: string): string =>
  file.replace(/^src\//, '__tests__/').replace(/\.ts$/, '.test.ts');
const hasTest = (file: string): boolean => existsSync(join(ROOT, mirroredTest(file)));

describe('every file of the engine and the operations has its tests at the mirrored path', () => {
  const files = CHECKED.flatMap((folder) => sourceFiles(folder, /\.ts$/));

  it('finds the files it checks', () => {
    expect(files).toContain('src/engine/run/sweeper.ts');
    expect(files).toContain('src/operations/runner.ts');
  });

  it('has a test file beside each source file, but the ones that hold only types', () => {
    const missing = files.filter((file) => !hasTest(file) && !(file in TYPE_ONLY));
    expect(missing.map(mirroredTest)).toEqual([]);
  });

  it('names only files that exist and still have no test of their own', () => {
    const named = Object.keys(TYPE_ONLY);
    expect(named.filter((file) => !files.includes(file) || hasTest(file))).toEqual([]);
  });
});
