// Temporary files stay under the repository's scratch folder (.scratch/, which git ignores): the
// tests' (os.tmpdir() there: jest.config.js) and those of the commands people
// run here (scripts/emulator/scratch.ts), never the machine's temporary folder.
import { describe, expect, it } from '@jest/globals';
import { ESLint } from 'eslint';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCRATCH, scratchFolder } from '../../scripts/emulator/scratch.js';

const ROOT = join(import.meta.dirname, '..', '..');

describe("temporary files stay under the repository's scratch folder", () => {
  it("a test's temporary folder is .scratch/tmp, and git ignores .scratch/", () => {
    expect(tmpdir()).toBe(join(ROOT, '.scratch', 'tmp'));
    expect(SCRATCH).toBe(join(ROOT, '.scratch'));
    expect(readFileSync(join(ROOT, '.gitignore'), 'utf8').split('\n')).toContain('.scratch/');
  });

  it("the commands people run (local-action, the demo) make theirs there, not in the machine's", () => {
    const folder = join(ROOT, 'scripts', 'emulator');
    const naming = readdirSync(folder)
      .filter((name) => name.endsWith('.ts'))
      .filter((name) => /\btmpdir\(\)/.test(readFileSync(join(folder, name), 'utf8')));
    expect(naming).toEqual([]);
    const made = scratchFolder('cloud-access-test-');
    rmSync(made, { recursive: true });
    expect(made.startsWith(`${SCRATCH}/cloud-access-test-`)).toBe(true);
  });

  it("eslint . leaves out what the tests and the emulator's commands make (.scratch/, .emulator/), which .ci/run lints beside them", async () => {
    const eslint = new ESLint({ cwd: ROOT });
    for (const made of ['.scratch/tmp/cloud-access-x/step.ts', '.emulator/out/main.js'])
      expect(await eslint.isPathIgnored(join(ROOT, made))).toBe(true);
    expect(await eslint.isPathIgnored(join(ROOT, 'src', 'main.ts'))).toBe(false);
  });
});
