// Every package the action's source imports is declared in package.json: what the bundle needs at
// run time under `dependencies`, and packages imported for their types alone at least under
// `devDependencies`. A package reached only through another's dependencies could change or vanish
// with that package's next release.
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** `@scope/name` or `name` of a bare specifier, without its subpath. */
const packageOf = (specifier: string) =>
  specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;

/** Every bare specifier under src/, with whether one of its imports loads code (not `import type`). */
function sourceImports(): Map<string, boolean> {
  const found = new Map<string, boolean>();
  const files = readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' }).filter((f) =>
    f.endsWith('.ts'),
  );
  for (const file of files) {
    const text = readFileSync(join(ROOT, 'src', file), 'utf8');
    const statements = /\bimport\s+(type\s+)?[^'";]*?\bfrom\s+'([^']+)'|\bimport\(\s*'([^']+)'\s*\)/g;
    for (const [, typeOnly, from, dynamic] of text.matchAll(statements)) {
      const specifier = from ?? dynamic!;
      if (specifier.startsWith('.') || specifier.startsWith('node:') || builtinModules.includes(specifier))
        continue;
      const name = packageOf(specifier);
      found.set(name, (found.get(name) ?? false) || !typeOnly);
    }
  }
  return found;
}

describe('package.json declares what src/ imports', () => {
  const imports = sourceImports();

  it('finds the SDKs the action is built on', () => {
    expect([...imports.keys()]).toEqual(
      expect.arrayContaining(['@aws-sdk/client-sso-admin', '@azure/identity', '@actions/github']),
    );
  });

  it.each([...imports])('%s', (name, loadsCode) => {
    if (loadsCode) expect([name, pkg.dependencies[name]]).toEqual([name, expect.any(String)]);
    else
      expect([name, pkg.dependencies[name] ?? pkg.devDependencies[name]]).toEqual([name, expect.any(String)]);
  });
});
