// `npm run package [-- outDir]`: bundles the action into `dist/` (or `outDir`), from an empty folder.
// The end-to-end tests bundle the source with it too (__tests__/setup/build-bundle.mjs).
//
//   index.js, <id>.index.js   the action (src/index.ts): both steps, with each cloud's SDK in chunks
//                             of its own that a step loads with import(), so main and post share them
//   actions-core.js           @actions/core, with only the functions the action calls
//   main.js, post.js          the entries action.yml names (src/main.ts, src/post.ts), one file each:
//                             they load index.js (the post step only when it has something to revoke)
//   grant.js, report.js, …    each sub-action's main entry (<name>/action.yml, src/sub-action.ts):
//                             a few lines that load index.js with the operation fixed
//   licenses.txt              every bundled package's licence (./licenses.ts completes ncc's)
//   package.json              {"type": "module"}
//
// ncc bundles the action (src/ compiled file by file first: transpiledSource), and leaves its
// imports of @actions/core to Node, as `./actions-core.js`.
// esbuild bundles that file and the two entries (whose import of ./index.js it leaves to Node):
// unlike webpack (in ncc), it keeps of a package only the modules the code it keeps needs, once
// told which packages do nothing on import (see neverCalledHaveNoSideEffects). Every JavaScript
// file is then compacted (see compact()): what a step holds in memory is mostly the code it loads,
// kept whole by V8 as the script's source.
import { build, transformSync, type BuildOptions, type Plugin } from 'esbuild';
import { builtinModules, createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SubAction } from '../../src/core/inputs/operation-inputs.js';
import { SUB_ACTION_NAMES, subActionEntry } from '../actions/sub-actions.js';
import { bundledPackages, completeLicenses } from './licenses.js';
import { transpiledSource } from './transpile.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Packages an SDK loads only with import(), for what the action never does, each with the reason:
 * the bundle leaves them out (255 KB of apache-arrow and its flatbuffers, 10 KB of `open` and its
 * helpers, with their licences). `apache-arrow`: @azure/storage-blob parses a blob listing in the
 * Apache Arrow format with it; the action only uploads blobs (src/azure/audit-blob.ts). `open`:
 * @azure/identity opens a browser with it for its interactive sign-in (InteractiveBrowserCredential,
 * brokered sign-in); the action signs in with ClientAssertionCredential or DefaultAzureCredential,
 * which never do (nor is `open`'s xdg-open script copied beside the bundle any more). ncc makes each
 * an external; neverImportedLeftOut() checks that only import() reaches it and puts a stand-in in
 * its place, which throws the reason were the SDK ever to load it.
 */
const NEVER_IMPORTED: Record<string, string> = {
  'apache-arrow': 'the action never lists blobs in the Apache Arrow format',
  open: 'the action never signs in to Azure interactively',
};

interface NccAsset {
  source: string | Buffer;
  permissions?: number;
}
interface NccModule {
  name?: string;
  nameForCondition?: string;
  usedExports?: string[] | boolean | null;
  modules?: NccModule[];
  reasons?: { type?: string | null; moduleName?: string | null }[];
}
interface NccOutput {
  code: string;
  assets: Record<string, NccAsset>;
  stats: { toJson(options: object): { modules?: NccModule[] } };
}
type Ncc = (entry: string, options: object) => Promise<NccOutput>;

/** Where the action imports @actions/core from, beside it (ncc leaves the import to Node). */
const ACTIONS_CORE = './actions-core.js';

/**
 * How a bundle file reaches Node's own modules: `process.getBuiltinModule(name)`, which returns the
 * module's exports as `require` would. An ES module's `import … from 'fs'` makes Node build the
 * module's ES namespace first, and that reads every export, lazy ones included: `fs.promises`
 * (fs/promises, streams, readline), `crypto.webcrypto` (WebCrypto and its algorithms), `module`'s
 * source maps. A step loaded all of them before its first request, about 3 ms it never needed.
 */
const BUILTIN = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/**
 * ncc's bundle asks for each built-in module through `createRequire(import.meta.url)`, imported
 * from `module` (webpack's externals in an ES module): each becomes `process.getBuiltinModule`.
 * Throws if the bundle reaches anything else that way, which the rewrite would turn into undefined.
 */
export function builtinsOnUse(code: string): string {
  const importLine = 'import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";\n';
  if (!code.includes(importLine)) return code;
  const rewritten = code
    .replace(importLine, '')
    .replace(/__WEBPACK_EXTERNAL_createRequire\(import\.meta\.url\)\(("[^"]+")\)/g, (call, name: string) => {
      if (!BUILTIN.has(JSON.parse(name) as string))
        throw new Error(`the bundle requires ${name}, which is not one of Node's modules: ${call}`);
      return `process.getBuiltinModule(${name})`;
    });
  if (rewritten.includes('__WEBPACK_EXTERNAL_createRequire'))
    throw new Error("the bundle uses webpack's createRequire other than to require a module by name");
  return rewritten;
}

/**
 * The same for esbuild's files: each built-in module imported becomes a module of the bundle that
 * gets it from `process.getBuiltinModule` and exports each of its names, read from it as the file
 * loads. Each read is marked pure, so esbuild keeps only the names the bundle uses: no copy of the
 * whole module (as CommonJS interop would make), and a lazy export nobody imports (fs.promises,
 * crypto.webcrypto) is never read. The names are the module's as this build's Node has them.
 */
const builtinsOnUseInEsbuild: Plugin = {
  name: 'builtins-on-use',
  setup(build) {
    build.onResolve({ filter: /^[\w:/]+$/ }, ({ path }) =>
      BUILTIN.has(path)
        ? { path: path.replace(/^node:/, ''), namespace: 'node-builtin', sideEffects: false }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'node-builtin' }, ({ path }) => ({
      contents: builtinModuleSource(path),
      loader: 'js',
    }));
  },
};

/** A built-in module as an ES module of the bundle: see builtinsOnUseInEsbuild. */
function builtinModuleSource(name: string): string {
  const module = process.getBuiltinModule(`node:${name}`) as Record<string, unknown>;
  const names = Object.keys(module).filter((key) => /^[A-Za-z_$][\w$]*$/.test(key) && key !== 'default');
  return [
    `const module = /* @__PURE__ */ process.getBuiltinModule(${JSON.stringify(`node:${name}`)});`,
    'export default module;',
    ...names.map((key) => `export const ${key} = /* @__PURE__ */ (() => module.${key})();`),
  ].join('\n');
}

/**
 * Builds src/index.ts with ncc, quietly, leaving @actions/core out: from src/ compiled file by file
 * (./transpile.ts) into a scratch folder under the repository, where node_modules and
 * package.json's `"type": "module"` are found as from src/.
 */
async function bundleAction(): Promise<NccOutput> {
  const ncc = createRequire(import.meta.url)('@vercel/ncc') as Ncc;
  const source = transpiledSource(
    join(ROOT, 'src'),
    join(ROOT, '.scratch', `package-src-${process.pid}`),
    join(ROOT, 'tsconfig.json'),
  );
  // Webpack names each module by its path from the working directory, and the bundle's module and
  // chunk IDs are hashes of those names: from inside the folder, whatever its name, every build of
  // one source gives the same bundle.
  const from = process.cwd();
  process.chdir(source);
  try {
    return await ncc(join(source, 'index.js'), {
      quiet: true,
      // No webpack cache (ncc keeps one per machine, in ~/.cache/ncc): a build restored from it, or
      // from one another checkout was writing at the same time, lost the external's usage in its
      // stats once here (actionsCoreNamesUsed), and CI starts without one anyway.
      cache: false,
      filterAssetBase: ROOT,
      license: 'licenses.txt',
      externals: {
        '@actions/core': ACTIONS_CORE,
        ...Object.fromEntries(Object.keys(NEVER_IMPORTED).map((name) => [name, name])),
      },
    });
  } finally {
    process.chdir(from);
    rmSync(source, { recursive: true, force: true });
  }
}

/** What the action imports from @actions/core: the names webpack found used. */
export function actionsCoreNamesUsed(output: NccOutput): string[] {
  const { modules = [] } = output.stats.toJson({
    all: false,
    modules: true,
    nestedModules: true,
    usedExports: true,
  });
  // The external may sit inside a module webpack concatenated with others: looked for at every depth.
  const flat = (list: NccModule[]): NccModule[] => list.flatMap((m) => [m, ...flat(m.modules ?? [])]);
  const core = flat(modules).find((m) => m.name === `external "${ACTIONS_CORE}"`);
  if (!core) throw new Error(`the bundle does not import ${ACTIONS_CORE}: webpack's module names changed`);
  if (!Array.isArray(core.usedExports))
    throw new Error(
      `webpack could not tell which @actions/core functions the action uses (${String(core.usedExports)}): import them by name`,
    );
  return core.usedExports;
}

/** The build's modules, those webpack concatenated into others included, with what reached each. */
export function modulesOf(output: NccOutput): NccModule[] {
  const { modules = [] } = output.stats.toJson({
    all: false,
    modules: true,
    nestedModules: true,
    reasons: true,
  });
  const flat = (list: NccModule[]): NccModule[] => list.flatMap((m) => [m, ...flat(m.modules ?? [])]);
  return flat(modules);
}

/**
 * index.js's code (ncc's build of it, whose `modules` are given) with NEVER_IMPORTED's packages
 * left out. Webpack imports every external at the top of index.js, even one the code reaches only
 * with import(), which would load it at every start (or fail there, the package being absent):
 * each such import becomes a stand-in that throws the package's reason on its first read, which
 * only that import() makes. Throws if anything but an import() reaches one of them (an SDK that
 * imports it at its top: it must be bundled then), or if nothing does any more.
 */
export function neverImportedLeftOut(code: string, modules: NccModule[]): string {
  let rewritten = code;
  for (const [name, why] of Object.entries(NEVER_IMPORTED)) {
    const external = modules.find((m) => m.name === `external ${JSON.stringify(name)}`);
    if (!external) throw new Error(`no SDK imports ${name} any more: take it out of NEVER_IMPORTED`);
    const eager = (external.reasons ?? []).find((reason) => reason.type !== 'import()');
    if (eager)
      throw new Error(
        `${eager.moduleName ?? 'the action'} loads ${name} other than with import() (${eager.type}): bundle it (take it out of NEVER_IMPORTED)`,
      );
    const importLine = new RegExp(`^import \\* as ([\\w$]+) from ${JSON.stringify(name)};\n`, 'm').exec(
      rewritten,
    );
    if (!importLine)
      throw new Error(`index.js does not import ${name} as webpack imports an external: see NEVER_IMPORTED`);
    const message = JSON.stringify(`${name} is not bundled with cloud-access: ${why}`);
    rewritten = rewritten.replace(
      importLine[0],
      `const ${importLine[1]} = new Proxy({}, { get() { throw new Error(${message}); } });\n`,
    );
  }
  return rewritten;
}

/**
 * The packages of @actions/core that the action never calls: its OIDC client (`getIDToken`, over
 * @actions/http-client, which loads undici and tunnel: a megabyte, evaluated at every start; the
 * action asks for its token itself, src/github/oidc.ts) and its platform details (@actions/exec).
 * Importing them does nothing, but neither package says so in its package.json, and a bundler keeps
 * every module a kept module imports unless told (webpack, in ncc, cannot be told): told here,
 * esbuild leaves them out unless a function the action calls needs them.
 */
const NEVER_CALLED = /^@actions\/(http-client|exec)(\/|$)/;
const neverCalledHaveNoSideEffects: Plugin = {
  name: 'never-called-have-no-side-effects',
  setup(build) {
    build.onResolve({ filter: NEVER_CALLED }, async ({ path, kind, importer, resolveDir, pluginData }) => {
      if (pluginData === NEVER_CALLED) return undefined;
      const resolved = await build.resolve(path, { kind, importer, resolveDir, pluginData: NEVER_CALLED });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      return { path: resolved.path, external: resolved.external, sideEffects: false };
    });
  },
};

/** One file built by esbuild from `options` (an entry or stdin), and the source files it took. */
async function esbuildOne(options: BuildOptions): Promise<{ code: string; files: string[] }> {
  const result = await build({
    ...options,
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [neverCalledHaveNoSideEffects, builtinsOnUseInEsbuild],
  });
  const [output] = Object.values(result.metafile.outputs);
  const files = Object.keys(output?.inputs ?? {})
    .filter((file) => file !== '<stdin>')
    .map((file) => resolve(ROOT, file));
  const uncalled = files.filter((file) =>
    /\/node_modules\/(@actions\/(http-client|exec)|undici|tunnel)\//.test(file),
  );
  if (uncalled.length > 0)
    throw new Error(
      `${options.entryPoints ? String(options.entryPoints) : ACTIONS_CORE} would load @actions/core's OIDC client or platform details (${uncalled[0]}, …) at every start`,
    );
  return { code: result.outputFiles[0]!.text, files };
}

/** actions-core.js: @actions/core's `names` and what they need, from the package as installed. */
export function bundleActionsCore(names: string[]): Promise<{ code: string; files: string[] }> {
  return esbuildOne({
    stdin: { contents: `export { ${names.join(', ')} } from '@actions/core';`, resolveDir: ROOT },
  });
}

/**
 * An entry action.yml names, in one file, with the action (./index.js) left to Node: the post
 * entry, which runs in every job, inlines the one function of @actions/core it calls (its debug
 * line) rather than load actions-core.js, whose output and state functions load node:crypto.
 */
function bundleEntry(entry: string): Promise<{ code: string; files: string[] }> {
  return esbuildOne({ entryPoints: [join(ROOT, entry)], external: ['./index.js'] });
}

/**
 * A sub-action's entry (<name>/action.yml's `runs.main`): src/sub-action.ts called with its name,
 * in one file of a few lines, with the action (./index.js) left to Node as in the root's entries.
 */
function bundleSubActionEntry(name: SubAction): Promise<{ code: string; files: string[] }> {
  return esbuildOne({
    stdin: {
      contents: `import { runSubAction } from './src/sub-action.ts';\nawait runSubAction(${JSON.stringify(name)});\n`,
      resolveDir: ROOT,
      sourcefile: `${name}.js`,
    },
    external: ['./index.js'],
  });
}

/** Every source file that went into a build, concatenated modules included. */
function bundledFiles(output: NccOutput): string[] {
  const files: string[] = [];
  const walk = (modules: NccModule[] = []) => {
    for (const m of modules) {
      if (m.nameForCondition) files.push(m.nameForCondition);
      walk(m.modules);
    }
  };
  walk(output.stats.toJson({ all: false, modules: true, nestedModules: true }).modules);
  return files;
}

/**
 * A bundle file as the step loads it: minified, with its functions' and classes' names kept
 * (`keepNames`: stack traces and `error.name` read as in the source), without comments (licences
 * stay, inline, and all of them are in licenses.txt), and in ASCII. V8 keeps every script's source
 * for as long as the process runs, as one byte a character, or two for the whole file if one
 * character is outside Latin-1 (an em dash in a comment is enough): the Azure chunk held 4 MB that
 * way. Local names shortened take the S3 and Blob SDKs' weight off every step (5.07 MB of dist/
 * became 3.60 MB); property names, imports and exports stay as they are, and every non-ASCII
 * character is escaped (`\u2014`, equal in strings, templates and regular expressions).
 */
export function compact(code: string): string {
  return withoutRepeatedNames(
    transformSync(code, {
      loader: 'js',
      // Every file is an ES module (dist/package.json): its top-level names are its own to shorten,
      // even in a file that neither imports nor exports (an entry that only loads ./index.js).
      format: 'esm',
      charset: 'ascii',
      minifyWhitespace: true,
      minifySyntax: true,
      minifyIdentifiers: true,
      keepNames: true,
      legalComments: 'inline',
    }).code,
  );
}

/**
 * keepNames names a function through a call as the file loads (`__name(fn, "name")`), even where
 * the language names it already: a function that is an object literal's property value takes its
 * key as its name. Webpack's export tables are such literals, a getter per export
 * (`{jO: __name(() => T, "jO")}`): some 220 calls in the main chunk, run before the step's first
 * request. Those getters are left as `{jO: () => T}`, which names them the same.
 */
function withoutRepeatedNames(code: string): string {
  // esbuild's own prologue: `var d=Object.defineProperty;var e=(n,o)=>d(n,"name",{value:o,…});`.
  const helper =
    /^var ([\w$]+)=Object\.defineProperty;var ([\w$]+)=\(([\w$]+),([\w$]+)\)=>\1\(\3,"name",/.exec(code)?.[2];
  if (!helper) return code;
  const name = helper.replace(/\$/g, '\\$');
  const getter = new RegExp(`([{,])([\\w$]+):${name}\\(\\(\\)=>([\\w$.]+),"\\2"\\)`, 'g');
  return code.replace(getter, '$1$2:()=>$3');
}

/** Writes a build's assets; only JavaScript, package.json and the licence file are expected. */
function writeAssets(outDir: string, output: NccOutput, entry: string): void {
  for (const [name, asset] of Object.entries(output.assets)) {
    if (!/^([\w.-]+\.js|package\.json|licenses\.txt)$/.test(name))
      throw new Error(`${entry} bundled an unexpected file, ${name}: keep it out (see NEVER_IMPORTED)`);
    const path = join(outDir, name);
    mkdirSync(dirname(path), { recursive: true });
    const source = name.endsWith('.js') ? compact(asset.source.toString()) : asset.source;
    writeFileSync(path, source, { mode: asset.permissions ?? 0o644 });
  }
}

export async function packageAction(outDir: string): Promise<void> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });

  const action = await bundleAction();
  writeFileSync(
    join(outDir, 'index.js'),
    compact(builtinsOnUse(neverImportedLeftOut(action.code, modulesOf(action)))),
  );
  writeAssets(outDir, action, 'src/index.ts');
  const files = bundledFiles(action);

  const core = await bundleActionsCore(actionsCoreNamesUsed(action).sort());
  writeFileSync(join(outDir, ACTIONS_CORE), compact(core.code));
  files.push(...core.files);

  for (const step of ['main', 'post']) {
    const entry = await bundleEntry(`src/${step}.ts`);
    writeFileSync(join(outDir, `${step}.js`), compact(entry.code));
    files.push(...entry.files);
  }
  for (const name of SUB_ACTION_NAMES) {
    const entry = await bundleSubActionEntry(name);
    writeFileSync(join(outDir, subActionEntry(name)), compact(entry.code));
    files.push(...entry.files);
  }

  const licenses = join(outDir, 'licenses.txt');
  const nccLicenses = existsSync(licenses) ? readFileSync(licenses, 'utf8') : '';
  writeFileSync(licenses, completeLicenses(nccLicenses, bundledPackages(files)));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outDir = resolve(process.argv[2] ?? join(ROOT, 'dist'));
  try {
    await packageAction(outDir);
    console.log(`bundled the action into ${relative(process.cwd(), outDir) || '.'}`);
  } catch (error) {
    // The message alone: ncc's (unresolved imports, syntax) say what and where. Types are checked by
    // `npm run lint`, not here (transpiledSource).
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
