// jest runtime (jest.config.js's `runtime`): jest's own, with V8's code cache kept across the test
// files a worker runs. Jest compiles every module again for each test file, in that file's own
// context: the file's source modules (vm.SourceTextModule), the packages they require, and jest's
// own expect and circus, about 110 CommonJS and 130 ES modules a unit file. Compiling is mostly V8
// parsing the whole source, which its code cache skips: a module compiled once in a worker keeps
// the cache V8 made of it, keyed by its file and its exact code, and the next file's compile of
// the same code starts from it. What a module does is unchanged: each file still gets its own
// module instances, evaluated in its own context; only the parse is shared. Measured on
// __tests__/operations in one worker: jest's own CPU 25.8 s → 18.8 s of 48 s.
// It wraps two things of jest-runtime 30 that are not its API: the ModuleExecutor's compile (the
// CommonJS modules) and the vm module's SourceTextModule (the ES modules). When jest-runtime no
// longer has them as this file expects, it says so and stops, rather than run on without the cache.
// An ES module that jest-runner's require() loads (Node 24 requires ES modules), whose
// `module.exports` is the runtime; a plain .mjs, as jest loads it without the tests' transform.
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import v8 from 'node:v8';
import vm from 'node:vm';
import Runtime from 'jest-runtime';

/** The code cache of one module's code in `filename`: its key. */
const keyOf = (filename, code) =>
  createHash('sha1').update(filename).update('\0').update(code).digest('base64');

/**
 * V8's young generation growing as in a process just started (its default factor, 2), set again as
 * each test file starts. A step of the action held it (src/steps/young-generation.ts), and V8 keeps
 * a flag for the whole process: every later file in the worker would collect a space held at its
 * first size, dozens of times over as jest loads its modules. (That flag does not make V8 refuse
 * the caches: counted over 40 files, 8 of them e2e, none was refused.)
 */
const youngGenerationAsAtStart = () => v8.setFlagsFromString('--semi-space-growth-factor=2');

/** Code caches by keyOf, for this worker's life. */
const caches = new Map();
/**
 * A cache as V8 gave it, copied into a buffer of this worker's own realm: V8 makes it in the test
 * file's context, and kept as it came it would keep that file's whole context (its modules, its
 * emulator, the bundle) alive for the worker's life, for every later garbage collection to mark.
 */
const kept = (data) => Buffer.from(data);

const unlike = (what) =>
  new Error(
    `__tests__/setup/code-cache-runtime.mjs: jest-runtime no longer has ${what} as this file wraps it; ` +
      "update the file to jest-runtime's new shape, or take `runtime` out of jest.config.js to run without it",
  );

const SourceTextModule = vm.SourceTextModule;
if (typeof SourceTextModule !== 'function')
  throw unlike('vm.SourceTextModule (run jest with --experimental-vm-modules)');
/**
 * The ES modules: jest constructs each with `new vm.SourceTextModule(code, options)`, `identifier`
 * its file URL, in the file's context. A function that returns the module it made, so that it can
 * make it again when V8 refuses the cache: `new` gives back what it returns, and instanceof holds.
 */
function CodeCachedSourceTextModule(code, options = {}) {
  const key = options.identifier ? keyOf(options.identifier, code) : undefined;
  const cached = key ? caches.get(key) : undefined;
  if (cached)
    try {
      return new SourceTextModule(code, { ...options, cachedData: cached });
    } catch {
      // V8 refuses a cache made under flags that bear on the code it compiles, other than its
      // own now. Compiled again below, and cached anew.
    }
  const module = new SourceTextModule(code, options);
  // Made before the module is evaluated, as V8 requires: the parse, none of the module's state.
  if (key) caches.set(key, kept(module.createCachedData()));
  return module;
}
CodeCachedSourceTextModule.prototype = SourceTextModule.prototype;
Object.setPrototypeOf(CodeCachedSourceTextModule, SourceTextModule);
vm.SourceTextModule = CodeCachedSourceTextModule;

class CodeCacheRuntime extends Runtime {
  constructor(...args) {
    super(...args);
    youngGenerationAsAtStart();
    const executor = this.executor;
    if (
      typeof executor?.compile !== 'function' ||
      typeof executor.dynamicImport !== 'function' ||
      typeof executor.environment?.getVmContext !== 'function' ||
      typeof executor.resolution?.isCoreModule !== 'function' ||
      !Array.isArray(executor.injectedModuleParameters)
    )
      throw unlike('an executor (compile, dynamicImport, environment, resolution, injectedModuleParameters)');
    const compile = executor.compile.bind(executor);
    /** The CommonJS modules: compiled as jest compiles them, with the code cache. */
    executor.compile = (code, filename) => {
      const context = executor.environment.getVmContext();
      // Node's own modules, and a disposed environment: as jest does.
      if (context == null || executor.resolution.isCoreModule(filename)) return compile(code, filename);
      const key = keyOf(filename, code);
      const cached = caches.get(key);
      let compiled;
      try {
        compiled = vm.compileFunction(code, executor.injectedModuleParameters, {
          filename,
          importModuleDynamically: (specifier, _function, attributes, phase) =>
            executor.dynamicImport(specifier, filename, context, attributes, phase),
          parsingContext: context,
          ...(cached ? { cachedData: cached } : { produceCachedData: true }),
        });
      } catch {
        // A syntax error: jest's compile throws it with jest's own message.
        return compile(code, filename);
      }
      // A cache V8 refused (see CodeCachedSourceTextModule) is made anew next time.
      if (!cached && compiled.cachedData) caches.set(key, kept(compiled.cachedData));
      else if (cached && compiled.cachedDataRejected) caches.delete(key);
      return compiled;
    };
  }
}

export { CodeCacheRuntime as 'module.exports' };
