// The repository's own files, as the tests that hold its rules read them (comments' paths, mirrored
// tests, import circles, a kind's footprint).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The repository's root. */
export const ROOT = join(import.meta.dirname, '..', '..');

/** Every file under `folder` (a path from the root) whose name matches `pattern`, as a path from the root. */
export function sourceFiles(folder: string, pattern = /\.(ts|mjs)$/): string[] {
  return readdirSync(join(ROOT, folder), { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path, pattern);
    return pattern.test(entry.name) ? [path] : [];
  });
}
