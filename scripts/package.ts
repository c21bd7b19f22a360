// `npm run package [-- outDir]`: bundles the action into `dist/` (or `outDir`), from an empty folder.
// The end-to-end tests bundle the source with it too (__tests__/setup/build-bundle.mjs).
//
//   index.js, <id>.index.js   the action (src/index.ts): both steps, with each cloud's SDK in chunks
//                             of its own that a step loads with import(), so main and post share them
//   main.js, post.js          the entries action.yml names (src/main.ts, src/post.ts), one file each:
//                             they load index.js (the post step only when it has something to revoke)
//   licenses.txt              every bundled package's licence
//   package.json              {"type": "module"}
//
// ncc bundles each of the three; the entries' import of ./index.js is left to Node (webpackIgnore).
// Every JavaScript file is then compacted (see compact()): what a step holds in memory is mostly
// the code it loads, kept whole by V8 as the script's source.
import { transformSync } from 'esbuild';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Files ncc would copy beside the bundle for code that reads them at run time, and which the action
 * never reads. `xdg-open` is the `open` package's script for opening a browser on Linux: only
 * @azure/identity's interactive sign-in (InteractiveBrowserCredential, brokered sign-in) calls
 * `open`, and the action signs in with ClientAssertionCredential or DefaultAzureCredential, which
 * never do. Were it called, `open` would use the system's xdg-open, as it does whenever its own
 * copy is missing.
 */
const NEVER_READ = [/\/node_modules\/open\/xdg-open$/];

/** ncc's hook for such a file: false leaves the code's reference to it as is, and copies nothing. */
const customEmit = (path: string): false | undefined =>
  NEVER_READ.some((pattern) => pattern.test(path.replace(/\\/g, '/'))) ? false : undefined;

interface NccAsset {
  source: string | Buffer;
  permissions?: number;
}
interface NccModule {
  nameForCondition?: string;
  modules?: NccModule[];
}
interface NccOutput {
  code: string;
  assets: Record<string, NccAsset>;
  stats: { toJson(options: object): { modules?: NccModule[] } };
}
type Ncc = (entry: string, options: object) => Promise<NccOutput>;

/** Builds `entry` (relative to the repository) with ncc, quietly. */
function bundle(entry: string, options: object = {}): Promise<NccOutput> {
  const ncc = createRequire(import.meta.url)('@vercel/ncc') as Ncc;
  return ncc(join(ROOT, entry), { quiet: true, customEmit, filterAssetBase: ROOT, ...options });
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

export interface BundledPackage {
  name: string;
  license: string;
  /** The package's licence file, or a line saying it has none. */
  text: string;
}

/** The package (the innermost under node_modules) each file belongs to, once per name, by name. */
export function bundledPackages(files: string[]): BundledPackage[] {
  const dirs = new Map<string, string>();
  for (const file of files) {
    const match = /^(.*\/node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(file.replace(/\\/g, '/'));
    if (!match) continue;
    const dir = match[1]!;
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
    if (pkg.name && !dirs.has(pkg.name)) dirs.set(pkg.name, dir);
  }
  return [...dirs]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, dir]) => {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { license?: unknown };
      const license = typeof pkg.license === 'string' ? pkg.license : 'UNKNOWN';
      const file = readdirSync(dir)
        .filter((f) => /^(licen[cs]e|copying)([.-].*)?$/i.test(f))
        .sort()[0];
      const text = file
        ? readFileSync(join(dir, file), 'utf8').trimEnd()
        : `(no licence file in the package; its package.json says ${license})`;
      return { name, license, text };
    });
}

/**
 * ncc's licence file, completed. ncc (license-webpack-plugin) leaves out the packages in the entry
 * chunk whenever a build also has import() chunks, as this one has; whatever it missed is added
 * in its format (name, licence, text), from the package's own licence file.
 */
export function completeLicenses(nccText: string, packages: BundledPackage[]): string {
  const named = new Set(nccText.split('\n'));
  const missing = packages.filter((p) => !named.has(p.name));
  const entries = missing.map((p) => `${p.name}\n${p.license}\n${p.text}`);
  return [nccText.trimEnd(), ...entries].filter(Boolean).join('\n\n') + '\n';
}

/**
 * A bundle file as the step loads it: without comments (licences stay, inline, and all of them are
 * in licenses.txt) or indentation, and in ASCII. V8 keeps every script's source for as long as the
 * process runs, as one byte a character, or two for the whole file if one character is outside
 * Latin-1 (an em dash in a comment is enough): the Azure chunk held 4 MB that way. esbuild prints
 * the same program back (no syntax is lowered, no name is changed, imports and exports stay as
 * they are), with every non-ASCII character escaped (`\u2014`, equal in strings, templates and
 * regular expressions).
 */
export function compact(code: string): string {
  return transformSync(code, {
    loader: 'js',
    charset: 'ascii',
    minifyWhitespace: true,
    legalComments: 'inline',
  }).code;
}

/** Writes a build's assets; only JavaScript, package.json and the licence file are expected. */
function writeAssets(outDir: string, output: NccOutput, entry: string): void {
  for (const [name, asset] of Object.entries(output.assets)) {
    if (!/^([\w.-]+\.js|package\.json|licenses\.txt)$/.test(name))
      throw new Error(`${entry} bundled an unexpected file, ${name}: keep it out (see NEVER_READ)`);
    const path = join(outDir, name);
    mkdirSync(dirname(path), { recursive: true });
    const source = name.endsWith('.js') ? compact(asset.source.toString()) : asset.source;
    writeFileSync(path, source, { mode: asset.permissions ?? 0o644 });
  }
}

export async function packageAction(outDir: string): Promise<void> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });

  const action = await bundle('src/index.ts', { license: 'licenses.txt' });
  writeFileSync(join(outDir, 'index.js'), compact(action.code));
  writeAssets(outDir, action, 'src/index.ts');

  const files = bundledFiles(action);
  for (const step of ['main', 'post']) {
    const entry = await bundle(`src/${step}.ts`);
    const extra = Object.keys(entry.assets).filter((name) => name !== 'package.json');
    if (extra.length > 0)
      throw new Error(`src/${step}.ts must bundle into one file, but made ${extra.join(', ')} too`);
    writeFileSync(join(outDir, `${step}.js`), compact(entry.code));
    files.push(...bundledFiles(entry));
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
    // The message alone: ncc's (type errors, unresolved imports) say what and where.
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
