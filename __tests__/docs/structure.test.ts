// The house's structure, as CONTRIBUTING.md's layout promises it: no module imports one that imports
// it back (a circle, type-only imports and import() included, makes the floors meaningless), and the
// floors above the adapters (steps, operations, the engine and src/*.ts) leave a particular cloud's
// facts to core's per-cloud tables (src/core/kinds/index.ts, src/core/inputs/audit-log.ts) and to
// the adapters (src/steps/cloud-adapters.ts, one row per cloud) instead of branching on it.
import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { ROOT, sourceFiles } from './source-files.js';

/** The programs whose imports are read. */
const PROGRAMS = ['src', 'scripts', 'emulator', 'harness'];

/** What an import or export names: `{ a, type B }`, `* as x`, `x`, `x, { y }`, `type { Z }`. */
const CLAUSE = String.raw`(?:type\s+)?(?:\{[^}]*\}|\*(?:\s+as\s+\w+)?|\w+(?:\s*,\s*(?:\{[^}]*\}|\*\s+as\s+\w+))?)`;
/** `import … from '…'`, `export … from '…'` and `import '…'`, each at the start of a line. */
const STATEMENT = new RegExp(
  String.raw`^\s*(?:(?:import|export)\s+${CLAUSE}\s+from\s+|import\s+)['"]([^'"]+)['"]`,
  'gm',
);

/** `import('…')`: a module loaded when it is needed, or a type named by its module's path. */
const LOADED = /\bimport\s*\(\s*['"]([^'"]+)['"]/g;

/** The specifiers a source text imports, however (a circle through a late load is still one). */
const importsIn = (text: string): string[] =>
  [...text.matchAll(STATEMENT), ...text.matchAll(LOADED)].map((m) => m[1]!);

/** The files of ours a file imports (relative specifiers; a `.js` names its `.ts`). */
function importsOf(file: string): string[] {
  return importsIn(readFileSync(join(ROOT, file), 'utf8'))
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => normalize(join(dirname(file), specifier)))
    .map((path) => [path, path.replace(/\.js$/, '.ts')].find((p) => existsSync(join(ROOT, p))) ?? path);
}

/** Tarjan's strongly connected components of more than one file (or a file importing itself). */
function circles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(file, Math.min(low.get(file)!, index.get(next)!));
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || graph.get(file)!.includes(file)) found.push(component);
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return found;
}

/** A component named by one circle through it, from its first file and back (`a.ts → b.ts → a.ts`), and its files. */
function circleThrough(component: string[], graph: Map<string, string[]>): string {
  const files = [...component].sort();
  return `${oneCircle(component, graph)} (the circles join ${files.length} files: ${files.join(', ')})`;
}

function oneCircle(component: string[], graph: Map<string, string[]>): string {
  const members = new Set(component);
  const start = [...component].sort()[0]!;
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const next of graph.get(file)!.filter((n) => members.has(n))) {
      if (next === start) {
        const path = [start];
        for (let at = file; at !== start; at = cameFrom.get(at)!) path.splice(1, 0, at);
        return [...path, start].join(' → ');
      }
      if (!cameFrom.has(next)) {
        cameFrom.set(next, file);
        queue.push(next);
      }
    }
  }
  return component.join(', ');
}

describe('the source has no import circle', () => {
  const graph = new Map(
    PROGRAMS.flatMap((program) => sourceFiles(program)).map((file) => [file, importsOf(file)]),
  );

  it('reads the imports of every program (a reader that finds none would hold nothing)', () => {
    expect(graph.get('src/steps/main.ts')).toContain('src/steps/sessions.ts');
    expect(graph.get('src/core/inputs/config.ts')?.length).toBeGreaterThan(0);
    for (const program of ['src', 'scripts', 'emulator'])
      expect([...graph].some(([file, imports]) => file.startsWith(program) && imports.length > 0)).toBe(true);
    expect(graph.has('harness/action-runner.ts')).toBe(true);
  });

  it('reads an import() as an import: a module loaded late, or a type named by its path, is still imported', () => {
    // steps/cloud-adapters.ts loads each adapter with import() only.
    expect(graph.get('src/steps/cloud-adapters.ts')).toContain('src/aws/index.ts');
    expect(importsIn("type T = import('./b.js').T;\nconst m = await import(\n  '../c.js'\n);")).toEqual([
      './b.js',
      '../c.js',
    ]);
  });

  it('reads every form of a static import or export, over several lines too', () => {
    const text = [
      "export * from './a.js';",
      "export * as b from './b.js';",
      "export type { C } from './c.js';",
      'import {',
      '  d,',
      '  type D,',
      "} from './d.js';",
      "import e, { f } from './e.js';",
      "import './g.js';",
    ].join('\n');
    expect(importsIn(text)).toEqual(['./a.js', './b.js', './c.js', './d.js', './e.js', './g.js']);
  });

  it('no file imports, through any others, a file that imports it (type-only imports included)', () => {
    expect(circles(graph).map((component) => circleThrough(component, graph))).toEqual([]);
  });
});

/** The folders above the adapters: a cloud's facts there come from core's tables or the adapter. */
const ABOVE_ADAPTERS = [
  ...['src/steps', 'src/operations', 'src/engine'].flatMap((folder) => sourceFiles(folder, /\.ts$/)),
  ...readdirSync(join(ROOT, 'src'))
    .filter((name) => name.endsWith('.ts'))
    .map((name) => join('src', name)),
];
/** A cloud's name in quotes of any kind, and a value that is a cloud (`cloud`, `x.cloud`, `targetCloud`). */
const [NAME, VALUE] = [String.raw`['"\`](?:aws|azure)['"\`]`, String.raw`(?:[\w.?]+\.)?\w*cloud\b`];
/**
 * A branch on one particular cloud: `cloud === 'aws'`, `'aws' === x.cloud`, `switch (x.cloud)` (its
 * cases are particular clouds), `['aws', …].includes(cloud)`.
 */
const BRANCH = new RegExp(
  [
    String.raw`\b\w*cloud\s*[!=]==?\s*${NAME}`,
    String.raw`${NAME}\s*[!=]==?\s*${VALUE}`,
    String.raw`\bswitch\s*\(\s*${VALUE}\s*\)`,
    String.raw`${NAME}[^\]\n]*\]\s*(?:as\s+const\s*\)?\s*)?\.includes\(\s*${VALUE}`,
  ].join('|'),
  'gi',
);

/** Each branch on a particular cloud in a source text, as `line: code`; comment lines skipped. */
const branchesIn = (text: string): string[] =>
  text
    .split('\n')
    .flatMap((line, i) =>
      /^\s*(\/\/|\*)/.test(line) ? [] : [...line.matchAll(BRANCH)].map((m) => `${i + 1}: ${m[0]}`),
    );

describe('steps, operations and the engine branch on a particular cloud nowhere', () => {
  it("compares no cloud against 'aws' or 'azure': each cloud's facts are core's per-cloud tables' or its adapter's", () => {
    expect(ABOVE_ADAPTERS).toContain('src/steps/cloud-adapters.ts');
    expect(ABOVE_ADAPTERS).toContain('src/main.ts');
    const places = ABOVE_ADAPTERS.flatMap((file) =>
      branchesIn(readFileSync(join(ROOT, file), 'utf8')).map((b) => `${file}:${b}`),
    );
    // Two values' clouds compared (`rule.cloud !== asked.cloud`) branch on no particular cloud.
    expect(places).toEqual([]);
  });

  it('finds a branch on a cloud however it is written: a switch on it, or a list of clouds it is looked up in', () => {
    expect(branchesIn("switch (settings.cloud) {\n  case 'aws':\n    return 1;\n}")).not.toEqual([]);
    expect(branchesIn("if (['azure'].includes(config.cloud)) return;")).not.toEqual([]);
    expect(branchesIn('if (cloud === `aws`) return;')).not.toEqual([]);
    expect(branchesIn('if (rule.cloud !== asked.cloud) return;')).toEqual([]);
  });
});

/** The operations a file or folder can be named for. */
const OPERATIONS = ['report', 'reconcile', 'sweep', 'request', 'provision', 'revoke'];
/** The operations a file's path names, in any folder or its own name (`src/azure/report/kinds.ts`: report). */
const operationsOf = (file: string): string[] =>
  file
    .replace(/^src\//, '')
    .replace(/\.ts$/, '')
    .split(/[/.-]/)
    .filter((word) => OPERATIONS.includes(word));

/** Each import from a file named for one operation into one named only for others, as `from → into`. */
function acrossOperations(graph: Map<string, string[]>): string[] {
  return [...graph].flatMap(([file, imports]) => {
    const own = operationsOf(file);
    if (own.length === 0) return [];
    return imports
      .filter((into) => {
        const theirs = operationsOf(into);
        return theirs.length > 0 && !theirs.some((operation) => own.includes(operation));
      })
      .map((into) => `${file} → ${into}`);
  });
}

/**
 * What two operations share lives in a room named for what it is (core/output/, src/aws/reads/,
 * src/azure/arm/assignment-reads.ts), not for one of them: a file named for one operation that imports
 * one named for another reads as if one operation were built on the other. The count may only go down.
 */
const ACROSS_OPERATIONS_AT_MOST = 0;

describe('a file named for one operation imports few named for another', () => {
  const graph = new Map(sourceFiles('src', /\.ts$/).map((file) => [file, importsOf(file)]));

  it(`holds at most ${ACROSS_OPERATIONS_AT_MOST} such imports (lower this when one goes)`, () => {
    expect(acrossOperations(graph).length).toBeLessThanOrEqual(ACROSS_OPERATIONS_AT_MOST);
  });

  it('counts an import into another operation, not into its own, a shared room or a file named for none', () => {
    const example = new Map([
      ['src/aws/report.ts', ['src/aws/reconcile.ts', 'src/aws/reads/names.ts', 'src/core/types.ts']],
      ['src/operations/reconcile/reconcile-report.ts', ['src/core/output/step.ts', 'src/aws/report.ts']],
      ['src/operations/revoke-on-exit/index.ts', ['src/core/report/step.ts']],
      ['src/core/types.ts', ['src/aws/report.ts']],
    ]);
    expect(acrossOperations(example)).toEqual([
      'src/aws/report.ts → src/aws/reconcile.ts',
      'src/operations/revoke-on-exit/index.ts → src/core/report/step.ts',
    ]);
  });
});
