// A comment that names a file points a reader at it: the file must be there. Paths are named three
// ways in the code's comments: from the repository's root (`src/core/types.ts`, `docs/sweep.md`),
// from src/ (`core/state/saved-state.ts`: a floor and on down), from a folder above the commenting
// file (`sdk/errors.ts` in src/azure/pim/), and from its own folder (`./follow.ts`,
// `../calls/driver.ts`; a `.js` specifier names its `.ts`). A path in a user's repository
// (`access/prod.yml`) starts none of these ways, and is not checked.
import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, normalize, relative } from 'node:path';
import { ROOT, sourceFiles } from './source-files.js';

/** The programs whose comments are checked. */
const PROGRAMS = ['src', 'emulator', 'scripts', 'harness'];
const FROM_ROOT = [
  'src',
  'emulator',
  'scripts',
  'harness',
  'docs',
  '__tests__',
  'examples',
  '.github',
  '.ci',
];
const FLOORS = ['core', 'engine', 'github', 'aws', 'azure', 'operations', 'steps'];

/** The comments of a source text, each with the line it starts on (a `//` inside a string is no comment). */
function comments(text: string): { line: number; text: string }[] {
  return [...text.matchAll(/(?<=^|[\s;,({])(\/\/[^\n]*|\/\*[\s\S]*?\*\/)/g)].map((m) => ({
    line: text.slice(0, m.index).split('\n').length,
    text: m[0],
  }));
}

const PATH = /(?<![\w@./:-])((?:\.\.?\/)*(?:[\w.-]+\/)+[\w.-]+\.(?:ts|mjs|js|md|json|ya?ml|sh))(?![\w/])/g;

/** Where a named path should be, or undefined when it is not one the repository holds. */
function whereNamed(path: string, file: string): string[] | undefined {
  const top = path.split('/')[0]!;
  if (top === '.' || top === '..') {
    const at = normalize(join(dirname(file), path));
    return [at, at.replace(/\.js$/, '.ts'), join('dist', path)];
  }
  if (FROM_ROOT.includes(top)) return [path];
  if (FLOORS.includes(top) && file.startsWith('src/')) return [join('src', path)];
  // From a folder above the file that holds a folder of that name (`sdk/errors.ts` in src/azure/pim/).
  const above = ancestors(dirname(file)).filter((folder) => existsSync(join(ROOT, folder, top)));
  return above.length > 0 ? above.map((folder) => join(folder, path)) : undefined;
}

const ancestors = (folder: string): string[] =>
  folder === '.' || folder === '' ? [] : [folder, ...ancestors(dirname(folder))];

/** Every path a comment of `PROGRAMS` names that the repository does not hold, as `file:line path`. */
function missingPaths(): string[] {
  const missing: string[] = [];
  for (const file of PROGRAMS.flatMap((program) => sourceFiles(program))) {
    const shown = relative(ROOT, join(ROOT, file));
    for (const comment of comments(readFileSync(join(ROOT, file), 'utf8')))
      for (const [, path] of comment.text.matchAll(PATH)) {
        const places = whereNamed(path!, shown);
        if (places && !places.some((p) => existsSync(join(ROOT, p))))
          missing.push(`${shown}:${comment.line} ${path}`);
      }
  }
  return missing;
}

const THIS_FILE = '__tests__/docs/comment-paths.test.ts';

/** The programs whose comments may name no document outside the repository: the code and its tests. */
const CITING = [...PROGRAMS, '__tests__'];

/** The names of the repository's documents (`README.md` names any of its READMEs). */
const DOCUMENTS = new Set(
  ['.', 'docs', 'examples', 'emulator', '__tests__']
    .flatMap((folder) => sourceFiles(folder === '.' ? '' : folder, /\.md$/).filter(notInstalled))
    .map((file) => basename(file)),
);
function notInstalled(file: string): boolean {
  return !file.split('/').includes('node_modules') && !file.startsWith('.') && !file.startsWith('dist');
}

/** A document's name in a comment, bare or by a path, but not inside a URL (`https://…/x.md`). */
const DOCUMENT = /(?<![\w@./:-])((?:\.\.?\/|[\w.-]+\/)*[\w-]+\.md)(?![\w/])/g;
/** An outside fact sheet cited by its section: `facts §3`, `facts A5`, `the facts' inference (§3)`. */
const FACT = /\bfacts\b[^\n§]{0,40}?(§\s*\d+|\bA\d+\b)/g;

/** What the comments cite that is not a document here: a bare name none of ours has, a path not held, a fact sheet. */
function documentsNotHere(found: { line: number; text: string }[], file: string): string[] {
  return found.flatMap(({ text }) => [
    ...[...text.matchAll(DOCUMENT)]
      .map((m) => m[1]!)
      .filter((name) =>
        name.includes('/')
          ? !(whereNamed(name, file) ?? [name]).some((p) => existsSync(join(ROOT, p)))
          : !DOCUMENTS.has(name),
      ),
    ...[...text.matchAll(FACT)].map((m) => `facts ${m[1]!.replace(/\s+/g, '')}`),
  ]);
}

/** Every document a comment of `CITING` names that the repository does not hold, as `file:line name` (this file names them as what it looks for). */
function missingDocuments(): string[] {
  const citing = CITING.flatMap((program) => sourceFiles(program)).filter((file) => file !== THIS_FILE);
  return citing.flatMap((file) =>
    comments(readFileSync(join(ROOT, file), 'utf8')).flatMap((comment) =>
      documentsNotHere([comment], file).map((name) => `${file}:${comment.line} ${name}`),
    ),
  );
}

describe('the paths comments name', () => {
  it('exist in the repository', () => {
    expect(missingPaths()).toEqual([]);
  });

  it('cite no document that lives outside the repository ("facts §N"): a source is a URL or a file here', () => {
    const cited = [...PROGRAMS.flatMap((program) => sourceFiles(program)), 'emulator/README.md'].filter(
      (file) =>
        // `facts §3`, and `the facts' inference (§3)` too.
        /\bfacts\b[^\n§]{0,40}§\s*\d/.test(readFileSync(join(ROOT, file), 'utf8')),
    );
    expect(cited).toEqual([]);
  });

  it('name no document the repository does not hold (`product.md`, `../notes/style.md`, `facts A5`): say the rule, or cite a URL or a file here', () => {
    expect(missingDocuments()).toEqual([]);
  });

  it('find a document named bare, by a path, or as an outside fact sheet, but not inside a URL', () => {
    const named = (text: string, file = 'src/engine/run/sweeper.ts'): string[] =>
      documentsNotHere([{ line: 1, text }], file);
    expect(named('// (product.md, "Shared grants")')).toEqual(['product.md']);
    expect(named('// see ../notes/style.md')).toEqual(['../notes/style.md']);
    expect(named('// as in json-batching.md')).toEqual(['json-batching.md']);
    expect(named('// (facts A5: terraform)')).toEqual(['facts A5']);
    expect(named("// (the facts' inference, §3)")).toEqual(['facts §3']);
    expect(named('// docs/sweep.md and CONTRIBUTING.md, README.md')).toEqual([]);
    expect(named('// https://learn.microsoft.com/graph/json-batching.md')).toEqual([]);
  });

  it('are found in every form a comment names them in', () => {
    expect(whereNamed('src/core/types.ts', 'src/aws/index.ts')).toEqual(['src/core/types.ts']);
    expect(whereNamed('core/types.ts', 'src/aws/index.ts')).toEqual(['src/core/types.ts']);
    expect(whereNamed('./driver.js', 'src/engine/calls/status.ts')).toContain('src/engine/calls/driver.ts');
    expect(whereNamed('sdk/errors.ts', 'src/azure/pim/remove.ts')).toEqual(['src/azure/sdk/errors.ts']);
    expect(whereNamed('access/prod.yml', 'src/core/inputs/reconcile-inputs.ts')).toBeUndefined();
    expect(comments('const url = "https://x/y.ts"; // see ./a.ts\n').map((c) => c.text)).toEqual([
      '// see ./a.ts',
    ]);
  });
});
