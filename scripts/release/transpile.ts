// The action's source as JavaScript, for ncc to bundle (./package.ts): each file compiled alone by
// TypeScript, as tsconfig.json's isolatedModules says every file compiles the same. ncc would
// compile the TypeScript itself, checking its types on the way: that check is `npm run lint`'s,
// which CI runs beside the build, and in ncc it took about two thirds of the build's CPU. Apart from
// ./package.ts, which bundles what this writes: this file only compiles.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';

/**
 * The files of `srcDir` compiled into `outdir` (made anew), with `tsconfig`'s options but as ES
 * modules: each `.ts` becomes a `.js` with its comments kept, as webpack weighs them when it splits
 * the chunks (without them, more of the modules two chunks share fell under its 20 KB floor and
 * were written into both: 16 KB more bundle); any other file is copied. Throws, naming the file and
 * line, if one does not parse: TypeScript would emit its guess at it. Returns `outdir`.
 */
export function transpiledSource(srcDir: string, outdir: string, tsconfig: string): string {
  rmSync(outdir, { recursive: true, force: true });
  const config = ts.readConfigFile(tsconfig, ts.sys.readFile).config as { compilerOptions: object };
  const { options: fromConfig } = ts.convertCompilerOptionsFromJson(
    config.compilerOptions,
    dirname(tsconfig),
  );
  // NodeNext's module kind follows package.json, which a file compiled alone cannot see: said here.
  const options = {
    ...fromConfig,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    noEmit: false,
    declaration: false,
  };
  for (const file of readdirSync(srcDir, { recursive: true, encoding: 'utf8' })) {
    const from = join(srcDir, file);
    if (!statSync(from).isFile() || file.endsWith('.d.ts')) continue;
    const out = join(outdir, file.replace(/\.ts$/, '.js'));
    mkdirSync(dirname(out), { recursive: true });
    if (!file.endsWith('.ts')) {
      writeFileSync(out, readFileSync(from));
      continue;
    }
    const { outputText, diagnostics = [] } = ts.transpileModule(readFileSync(from, 'utf8'), {
      compilerOptions: options,
      fileName: file,
      reportDiagnostics: true,
    });
    if (diagnostics.length > 0) {
      rmSync(outdir, { recursive: true, force: true });
      throw new Error(
        ts.formatDiagnostics(diagnostics, {
          getCanonicalFileName: (name) => name,
          getCurrentDirectory: () => srcDir,
          getNewLine: () => '\n',
        }),
      );
    }
    writeFileSync(out, outputText);
  }
  return outdir;
}
