// `npm run package`'s licence file: ncc's, completed with every bundled package it left out (its
// licence plugin drops the entry chunk's packages whenever a build also has import() chunks), each
// licence text written once; how it compacts each file of the bundle; and how it leaves out the
// packages an SDK loads only with import(), for what the action never does.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { bundledPackages, completeLicenses } from '../../scripts/release/licenses.js';
import { builtinsOnUse, compact, neverImportedLeftOut } from '../../scripts/release/package.js';

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

  it('writes each licence text once: a later package with the very same text names the package above', () => {
    const apache = 'Apache License\nVersion 2.0, January 2004\n(the whole text)';
    const packages = [
      { name: '@aws-sdk/client-sso-admin', license: 'Apache-2.0', text: apache },
      { name: '@smithy/core', license: 'Apache-2.0', text: apache },
      { name: 'core', license: 'Apache-2.0', text: apache },
      { name: 'undici', license: 'MIT', text: 'MIT License\n\nCopyright (c) Matteo Collina' },
    ];
    const ncc = [packages[0]!, packages[1]!].map((p) => `${p.name}\n${p.license}\n${p.text}`).join('\n\n');
    const text = completeLicenses(`${ncc}\n`, packages);
    expect(text).toBe(
      [
        `@aws-sdk/client-sso-admin\nApache-2.0\n${apache}`,
        '@smithy/core\nApache-2.0\n(the licence text of @aws-sdk/client-sso-admin, above)',
        'core\nApache-2.0\n(the licence text of @aws-sdk/client-sso-admin, above)',
        'undici\nMIT\nMIT License\n\nCopyright (c) Matteo Collina\n',
      ].join('\n\n'),
    );
  });

  it('finds an entry where it starts a line: `core` is not taken for the end of `@smithy/core`', () => {
    const apache = 'Apache License\nVersion 2.0, January 2004\n(the whole text)';
    const text = completeLicenses(`@smithy/core\nApache-2.0\n${apache}\n`, [
      { name: '@smithy/core', license: 'Apache-2.0', text: apache },
      { name: 'core', license: 'Apache-2.0', text: apache },
    ]);
    expect(text).toBe(
      `@smithy/core\nApache-2.0\n${apache}\n\ncore\nApache-2.0\n(the licence text of @smithy/core, above)\n`,
    );
  });

  it('writes once a text that differs only in its white space (a copy indented or wrapped otherwise)', () => {
    const apache = 'Apache License\nVersion 2.0, January 2004\n(the whole text)';
    const rewrapped = '\n   Apache License\n   Version 2.0,\tJanuary 2004\n\n(the whole   text)';
    const text = completeLicenses('', [
      { name: 'a', license: 'Apache-2.0', text: apache },
      { name: 'b', license: 'Apache-2.0', text: rewrapped },
    ]);
    expect(text).toBe(`a\nApache-2.0\n${apache}\n\nb\nApache-2.0\n(the licence text of a, above)\n`);
  });

  it('keeps whole a text that differs in its copyright line', () => {
    const mit = (who: string) => `MIT License\n\nCopyright (c) ${who}`;
    const text = completeLicenses('', [
      { name: 'a', license: 'MIT', text: mit('Ann') },
      { name: 'b', license: 'MIT', text: mit('Bo') },
    ]);
    expect(text).toBe(`a\nMIT\n${mit('Ann')}\n\nb\nMIT\n${mit('Bo')}\n`);
  });
});

describe('a bundle file as the step loads it (compact)', () => {
  // A module's export table as webpack (in ncc) writes it: a getter per export, named by its key.
  const exportTable = `(() => {
    const T = 1, h = 2;
    const define = (o, getters) => { for (const k in getters) Object.defineProperty(o, k, { enumerable: true, get: getters[k] }); };
    const exported = {};
    define(exported, { jO: () => (T), Zx: () => (h) });
    globalThis.exported = exported;
    globalThis.getters = { jO: () => T, failed: () => h };
    globalThis.named = function namedHere() { return T; };
  })();`;

  it("names an object literal's getters by their keys alone, as the language does, without a call at load that names them again", () => {
    const code = compact(exportTable);
    expect(code).not.toMatch(/"jO"|"Zx"|"failed"/);
    const context: Record<string, unknown> = {};
    runInNewContext(code, context);
    const { getters, exported, named } = context as {
      getters: Record<string, () => number>;
      exported: Record<string, number>;
      named: () => number;
    };
    expect(Object.entries(getters).map(([key, get]) => [key, get.name, get()])).toEqual([
      ['jO', 'jO', 1],
      ['failed', 'failed', 2],
    ]);
    expect(exported).toEqual({ jO: 1, Zx: 2 });
    // Any other function keeps its name through minification, as before.
    expect(named.name).toBe('namedHere');
  });
});

describe("ncc's bundle reaching Node's modules (builtinsOnUse)", () => {
  const webpackImport = 'import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";\n';

  it('reaches each built-in module through process.getBuiltinModule, with no import of node:module', () => {
    const code = `${webpackImport}module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");\nconst v8 = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("v8");\n`;
    expect(builtinsOnUse(code)).toBe(
      'module.exports = process.getBuiltinModule("node:fs");\nconst v8 = process.getBuiltinModule("v8");\n',
    );
  });

  it('refuses to build a bundle that requires a file or package that way, which the rewrite would make undefined', () => {
    const code = `${webpackImport}module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("./addon.node");\n`;
    expect(() => builtinsOnUse(code)).toThrow(/"\.\/addon\.node", which is not one of Node's modules/);
    const other = `${webpackImport}const req = __WEBPACK_EXTERNAL_createRequire(import.meta.url);\n`;
    expect(() => builtinsOnUse(other)).toThrow(/other than to require a module by name/);
  });
});

describe('packages an SDK loads only with import(), for what the action never does (neverImportedLeftOut)', () => {
  // index.js's top as webpack (in ncc) writes it for those externals, and the SDKs' reads of them.
  const hoisted =
    'import * as __WEBPACK_EXTERNAL_MODULE_apache_arrow_c15a7582__ from "apache-arrow";\n' +
    'import * as __WEBPACK_EXTERNAL_MODULE_open__ from "open";\n';
  const reads =
    'globalThis.listArrow = () => __WEBPACK_EXTERNAL_MODULE_apache_arrow_c15a7582__.tableFromIPC;\n' +
    'globalThis.openBrowser = () => __WEBPACK_EXTERNAL_MODULE_open__.default;\n';
  const reached = (name: string, type = 'import()') => ({
    name: `external "${name}"`,
    reasons: [{ type, moduleName: '../node_modules/@azure/some-sdk/index.js' }],
  });

  it('imports neither as the file loads: each becomes a stand-in that throws, on the read its import() makes, why the bundle leaves it out', () => {
    const code = neverImportedLeftOut(`${hoisted}${reads}`, [reached('apache-arrow'), reached('open')]);
    expect(code).not.toMatch(/\bimport\b/);
    const context: Record<string, () => unknown> = {};
    runInNewContext(code, context);
    expect(() => context.listArrow!()).toThrow(
      'apache-arrow is not bundled with cloud-access: the action never lists blobs in the Apache Arrow format',
    );
    expect(() => context.openBrowser!()).toThrow(
      'open is not bundled with cloud-access: the action never signs in to Azure interactively',
    );
  });

  it('refuses to leave out a package an SDK loads as it loads itself, or one no SDK imports any more', () => {
    expect(() =>
      neverImportedLeftOut(`${hoisted}${reads}`, [
        reached('apache-arrow'),
        reached('open', 'harmony side effect evaluation'),
      ]),
    ).toThrow(
      /@azure\/some-sdk\/index\.js loads open other than with import\(\) \(harmony side effect evaluation\): bundle it/,
    );
    expect(() => neverImportedLeftOut(`${hoisted}${reads}`, [reached('open')])).toThrow(
      'no SDK imports apache-arrow any more: take it out of NEVER_IMPORTED',
    );
  });
});
