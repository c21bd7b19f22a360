// `npm run docs:reference`: the reference of every input and output, and of each sub-action's, in
// docs/inputs-and-outputs.md written from action.yml, src/core/inputs/operation-inputs.ts and
// scripts/docs/reference/uses.ts (./reference/render.ts, ./reference/sub-actions.ts), and
// formatted as `npm run format` would. __tests__/docs/reference.test.ts fails, naming this
// command, when the page differs from what it writes.
//
//   npm run docs:reference            # rewrite the page's reference
//   npm run docs:reference -- --check # only say whether it differs; exit 1 if it does
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { renderReference, withReference } from './reference/render.js';
import { INPUT_USES, OUTPUT_USES } from './reference/uses.js';

const ROOT = join(import.meta.dirname, '..', '..');
export const REFERENCE_PAGE = join(ROOT, 'docs', 'inputs-and-outputs.md');

/** The page as the command writes it. */
export async function referencePage(): Promise<string> {
  const reference = renderReference(readFileSync(join(ROOT, 'action.yml'), 'utf8'), INPUT_USES, OUTPUT_USES);
  const page = withReference(readFileSync(REFERENCE_PAGE, 'utf8'), reference);
  const config = (await resolveConfig(REFERENCE_PAGE)) ?? {};
  return format(page, { ...config, filepath: REFERENCE_PAGE });
}

if (process.argv[1] === import.meta.filename) {
  const written = await referencePage();
  const current = readFileSync(REFERENCE_PAGE, 'utf8');
  if (process.argv.includes('--check')) {
    if (written !== current) {
      console.error('docs/inputs-and-outputs.md differs from action.yml: run `npm run docs:reference`');
      process.exit(1);
    }
    console.log('docs/inputs-and-outputs.md: the reference is up to date');
  } else {
    if (written !== current) writeFileSync(REFERENCE_PAGE, written);
    console.log(
      `docs/inputs-and-outputs.md: ${written === current ? 'up to date' : 'rewrote the reference'}`,
    );
  }
}
