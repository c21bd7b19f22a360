// `npm run actions:generate`: each sub-action's action.yml (./sub-actions.ts), written from the
// root action.yml and src/core/inputs/operation-inputs.ts and formatted as `npm run format` would.
// __tests__/scripts/sub-actions.test.ts fails, naming this command, when a committed one differs.
//
//   npm run actions:generate            # rewrite the sub-actions' action.yml files
//   npm run actions:generate -- --check # only say which differ; exit 1 if any does
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { SUB_ACTION_NAMES, subActionYml } from './sub-actions.js';
import type { SubAction } from '../../src/core/inputs/operation-inputs.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** Where `name`'s action.yml is: a folder of its own at the repository's root. */
export const subActionFile = (name: SubAction): string => join(ROOT, name, 'action.yml');

/** `name`'s action.yml as the command writes it. */
export async function generatedSubAction(name: SubAction): Promise<string> {
  const file = subActionFile(name);
  const text = subActionYml(readFileSync(join(ROOT, 'action.yml'), 'utf8'), name);
  const config = (await resolveConfig(file)) ?? {};
  return format(text, { ...config, filepath: file });
}

if (process.argv[1] === import.meta.filename) {
  const check = process.argv.includes('--check');
  const differing: string[] = [];
  for (const name of SUB_ACTION_NAMES) {
    const file = subActionFile(name);
    const written = await generatedSubAction(name);
    const current = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    if (written === current) continue;
    differing.push(relative(ROOT, file));
    if (!check) {
      mkdirSync(join(ROOT, name), { recursive: true });
      writeFileSync(file, written);
    }
  }
  if (check && differing.length > 0) {
    console.error(`${differing.join(', ')}: differ from action.yml: run \`npm run actions:generate\``);
    process.exit(1);
  }
  console.log(
    differing.length === 0
      ? `${SUB_ACTION_NAMES.length} sub-actions: up to date`
      : `${check ? 'would rewrite' : 'rewrote'} ${differing.join(', ')}`,
  );
}
