// Preloaded with `node --import` into a step by bundle.test.ts, never bundled: when the step exits,
// writes every file Node loaded for it (the entry, and each module or chunk it imported) to the
// JSON file $LOADED_FILES.
import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import process from 'node:process';

const loaded = [];
registerHooks({
  resolve(specifier, context, next) {
    const result = next(specifier, context);
    if (result.url.startsWith('file:') && !loaded.includes(result.url)) loaded.push(result.url);
    return result;
  },
});
process.on('exit', () => writeFileSync(process.env.LOADED_FILES, JSON.stringify(loaded)));
