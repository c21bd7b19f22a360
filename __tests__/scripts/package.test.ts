// `npm run package`'s licence file: ncc's, completed with every bundled package it left out (its
// licence plugin drops the entry chunk's packages whenever a build also has import() chunks).
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundledPackages, completeLicenses } from '../../scripts/release/licenses.js';

const modules = join(process.cwd(), 'node_modules');

describe('licenses.txt', () => {
  it('names each bundled package once, with the licence its package.json gives and its licence file', () => {
    const packages = bundledPackages([
      join(modules, '@actions/core/lib/core.js'),
      join(modules, '@actions/core/lib/summary.js'),
      join(modules, 'tunnel/lib/tunnel.js'),
      join(process.cwd(), 'src/index.ts'),
    ]);
    expect(packages.map((p) => [p.name, p.license])).toEqual([
      ['@actions/core', 'MIT'],
      ['tunnel', 'MIT'],
    ]);
    expect(packages[0]!.text).toBe(readFileSync(join(modules, '@actions/core/LICENSE.md'), 'utf8').trimEnd());
  });

  it("keeps ncc's entries and adds, in its format, the packages it left out", () => {
    const ncc = 'tslib\n0BSD\nCopyright (c) Microsoft Corporation.\n';
    const text = completeLicenses(ncc, [
      { name: 'tslib', license: '0BSD', text: 'Copyright (c) Microsoft Corporation.' },
      { name: 'undici', license: 'MIT', text: 'MIT License\n\nCopyright (c) Matteo Collina' },
    ]);
    expect(text).toBe(
      'tslib\n0BSD\nCopyright (c) Microsoft Corporation.\n\nundici\nMIT\nMIT License\n\nCopyright (c) Matteo Collina\n',
    );
  });
});
