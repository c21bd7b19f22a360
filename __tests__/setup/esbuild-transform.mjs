// jest transform: TypeScript to JavaScript with esbuild, one file at a time, as tsx runs the
// scripts and as scripts/release/package.ts builds the action. Type-checking is `npm run lint`'s
// (tsc -p tsconfig.all.json), not the tests': ts-jest, here before, compiled each file with
// TypeScript's own transpiler in each worker (isolatedModules, so without types either), and
// loaded TypeScript into each of them, a few seconds of CPU a worker on a fresh clone.
// The code has nothing that needs types to compile (tsconfig.json's isolatedModules says so: no
// const enum, no namespace merging); class fields keep the define semantics of its ES2023 target.
// A plain .mjs, as jest loads its transformers without a transform of their own.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { transformSync, version } from 'esbuild';

const OPTIONS = {
  loader: 'ts',
  format: 'esm',
  target: 'node24',
  sourcemap: 'external',
  sourcesContent: false,
  tsconfigRaw: { compilerOptions: { target: 'ES2023', useDefineForClassFields: true } },
};
const SELF = readFileSync(import.meta.filename, 'utf8');

function transform(sourceText, sourcePath) {
  const { code, map } = transformSync(sourceText, { ...OPTIONS, sourcefile: sourcePath });
  return { code, map };
}

export default {
  canInstrument: false,
  getCacheKey(sourceText, sourcePath) {
    return createHash('sha256')
      .update(SELF)
      .update(version)
      .update(sourcePath)
      .update('\0')
      .update(sourceText)
      .digest('hex');
  },
  getCacheKeyAsync(sourceText, sourcePath) {
    return Promise.resolve(this.getCacheKey(sourceText, sourcePath));
  },
  process: transform,
  processAsync: (sourceText, sourcePath) => Promise.resolve(transform(sourceText, sourcePath)),
};
