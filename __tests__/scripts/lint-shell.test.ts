// `npm run lint:shell` runs ShellCheck over every shell script of the repository; .ci/run installs
// ShellCheck and runs it. What it finds (scripts/lint/shell-files.ts): every `*.sh` or `*.bash`,
// and every file whose first line runs a shell, tracked or new, never node_modules or what git
// ignores. These tests need no ShellCheck.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isShellScript, shellFiles } from '../../scripts/lint/shell-files.js';

const ROOT = join(import.meta.dirname, '..', '..');

describe('the shell scripts lint:shell checks', () => {
  it.each([
    ['run', '#!/usr/bin/env bash', true],
    ['run', '#!/bin/sh', true],
    ['run', '#!/bin/bash -e', true],
    ['run', '#! /usr/bin/env -S bash -eu', true],
    ['setup/cloud-access.sh', '', true],
    ['lib.bash', '# sourced', true],
    ['tool', '#!/usr/bin/env node', false],
    ['tool', '#!/usr/bin/env zsh', false],
    ['tool', '#!/usr/bin/env bashful', false],
    ['notes.md', '#!/bin/sh', true],
    ['notes.md', '# #!/bin/sh', false],
  ])('%s starting %j is a shell script: %s', (path, firstLine, expected) => {
    expect(isShellScript(path, firstLine)).toBe(expected);
  });

  it("are, in this repository, CI's script and the Azure set-up script", () => {
    expect(shellFiles(ROOT)).toEqual(
      expect.arrayContaining(['.ci/run', 'examples/setup/azure/cloud-access.sh']),
    );
    expect(shellFiles(ROOT).filter((path) => path.includes('node_modules'))).toEqual([]);
  });

  it('is wired into npm run lint:shell and .ci/run, which installs ShellCheck when it is missing', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts['lint:shell']).toBe('tsx scripts/lint/lint-shell.ts');
    const ci = readFileSync(join(ROOT, '.ci', 'run'), 'utf8');
    expect(ci).toContain('apt-get install -y -qq shellcheck');
    expect(ci).toMatch(/^\s*npm run lint:shell( &&)?$/m);
  });

  describe('in a work tree', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'cloud-access-shell-files-'));
      const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
      git('init', '-q');
      const files: Record<string, string> = {
        '.gitignore': 'build/\n',
        'tracked.sh': 'echo tracked\n',
        'bin/tool': '#!/usr/bin/env bash\necho tool\n',
        'bin/other': '#!/usr/bin/env python3\nprint(1)\n',
        'node_modules/pkg/install.sh': 'echo dependency\n',
        'build/out.sh': 'echo ignored\n',
        'new.bash': 'echo not yet added\n',
      };
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(join(dir, path, '..'), { recursive: true });
        writeFileSync(join(dir, path), text);
      }
      git('add', '.gitignore', 'tracked.sh', 'bin');
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('are the tracked and new ones, never node_modules or what git ignores', () => {
      expect(shellFiles(dir)).toEqual(['bin/tool', 'new.bash', 'tracked.sh']);
    });
  });
});
