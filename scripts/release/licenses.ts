// The bundle's licence file, licenses.txt: which packages went into the bundle, each with its
// licence and licence text, and ncc's own file completed with those it left out. Apart from
// ./package.ts, which builds the bundle: this file only reads the packages' own files.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

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
  const entries = missing.map(entryOf);
  return sameTextsOnce([nccText.trimEnd(), ...entries].filter(Boolean).join('\n\n') + '\n', packages);
}

const entryOf = (p: BundledPackage) => `${p.name}\n${p.license}\n${p.text}`;

/**
 * The file with each licence text written once: a package whose text is, word for word, that of a
 * package above it says so, by that package's name, in place of the text. Most AWS SDK packages
 * carry the same Apache-2.0 file (about 11 KB): written out for each, they were most of the file
 * and a tenth of the bundle. White space is no part of a text's words (some packages' copies are
 * indented or wrapped otherwise: 22 KB written twice); copyright lines are, so texts that differ in
 * them stay whole.
 */
function sameTextsOnce(file: string, packages: BundledPackage[]): string {
  // An entry starts a line: `\n` before it, so one package's name never matches inside another's.
  const lined = `\n${file}`;
  const placed = packages
    .map((p) => ({ p, at: lined.indexOf(`\n${entryOf(p)}\n`) }))
    .filter(({ at }) => at >= 0)
    .sort((a, b) => a.at - b.at);
  const firstWith = new Map<string, string>();
  const words = (text: string) => text.split(/\s+/).filter(Boolean).join(' ');
  let out = lined;
  for (const { p } of placed) {
    const first = firstWith.get(words(p.text));
    if (first === undefined) firstWith.set(words(p.text), p.name);
    else
      out = out.replace(
        `\n${entryOf(p)}\n`,
        `\n${p.name}\n${p.license}\n(the licence text of ${first}, above)\n`,
      );
  }
  return out.slice(1);
}
