// jest transform: the tests' TypeScript to JavaScript with esbuild (a devDependency already: the
// build, scripts/release/package.ts, bundles with it), one file at a time, types dropped. ts-jest,
// here before, did the same (tsconfig.json's isolatedModules made it transpile each file alone, with
// no type-check: types are `npm run lint`'s, tsc -p tsconfig.all.json), but through TypeScript's
// transpiler, loaded into each worker: on a fresh clone, as .ci/run runs, the unit suites took about
// a quarter more CPU with it (__tests__/aws: 78.6 CPU-s against 58.5).
// The code needs no types to compile (isolatedModules says so: no const enum, no namespace merging);
// class fields keep the define semantics of tsconfig.json's ES2023 target.
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
/** This file's text, in the cache key: a change here compiles every file again. */
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
