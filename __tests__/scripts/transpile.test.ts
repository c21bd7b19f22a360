// The build's first stage (scripts/release/transpile.ts): the source compiled file by file into a
// folder ncc bundles. What the bundle depends on: ES modules with the repository's compiler
// options, comments kept (webpack weighs them when it splits chunks), other files copied, and a
// file that does not parse stopping the build rather than bundled as TypeScript's guess at it.
import { afterEach, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { transpiledSource } from '../../scripts/release/transpile.js';

const TSCONFIG = join(process.cwd(), 'tsconfig.json');
let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A source folder of `files` (path: text), and the folder it compiles into. */
function source(files: Record<string, string>): { src: string; out: string } {
  dir = mkdtempSync(join(tmpdir(), 'cloud-access-transpile-'));
  const src = join(dir, 'src');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(src, path)), { recursive: true });
    writeFileSync(join(src, path), text);
  }
  return { src, out: join(dir, 'out') };
}

describe('the source compiled file by file for the bundle', () => {
  it('writes each file as an ES module with its types gone and its comments kept, in the same folders', () => {
    const { src, out } = source({
      'core/limits.ts': [
        "import type { Duration } from './duration.js';",
        "import { ms } from './duration.js';",
        '// Why two minutes: the runner kills a step 7.5 s after SIGINT.',
        'export const CAP: Duration = ms(120_000);',
      ].join('\n'),
      'core/duration.ts': 'export type Duration = number;\nexport const ms = (n: number): Duration => n;\n',
    });
    transpiledSource(src, out, TSCONFIG);
    const limits = readFileSync(join(out, 'core/limits.js'), 'utf8');
    expect(limits).toContain("import { ms } from './duration.js';");
    expect(limits).not.toContain('import type');
    expect(limits).toContain('// Why two minutes: the runner kills a step 7.5 s after SIGINT.');
    expect(limits).toContain('export const CAP = ms(120_000);');
    expect(readFileSync(join(out, 'core/duration.js'), 'utf8')).toContain('export const ms = (n) => n;');
  });

  it('keeps the language level tsconfig.json names: template literals and optional chaining stay as written', () => {
    const { src, out } = source({ 'a.ts': 'export const f = (o?: { n: string }) => `n=${o?.n ?? ""}`;\n' });
    transpiledSource(src, out, TSCONFIG);
    expect(readFileSync(join(out, 'a.js'), 'utf8')).toContain('`n=${o?.n ?? ""}`');
  });

  it('copies a file that is not TypeScript as it is, and leaves declaration files out', () => {
    const { src, out } = source({
      'data/regions.json': '["us-east-1"]\n',
      'types.d.ts': 'declare const x: 1;\n',
    });
    transpiledSource(src, out, TSCONFIG);
    expect(readFileSync(join(out, 'data/regions.json'), 'utf8')).toBe('["us-east-1"]\n');
    expect(existsSync(join(out, 'types.js'))).toBe(false);
    expect(existsSync(join(out, 'types.d.js'))).toBe(false);
  });

  it('stops at a file that does not parse, naming it and its line, and leaves no folder to bundle', () => {
    const { src, out } = source({
      'ok.ts': 'export const a = 1;\n',
      'steps/broken.ts': 'export function f() {\n  return [1, 2;\n}\n',
    });
    expect(() => transpiledSource(src, out, TSCONFIG)).toThrow(/steps\/broken\.ts\(2,\d+\): error TS\d+/);
    expect(existsSync(out)).toBe(false);
  });
});
