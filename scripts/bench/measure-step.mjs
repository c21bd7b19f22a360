// Preloaded with `node --import` into a step by the benchmarks only (never into the runs they
// time): records the step's peak RSS and the modules it loaded, to check that each cloud loads
// only its own SDK and which bundle files a step needs. The action's code is unchanged; this file
// is never bundled.
import { registerHooks } from 'node:module';
import { writeFileSync } from 'node:fs';
import process from 'node:process';

const loaded = new Set();
registerHooks({
  resolve(specifier, context, next) {
    const result = next(specifier, context);
    loaded.add(result.url);
    return result;
  },
});
process.on('exit', () => {
  const out = process.env.CLOUD_ACCESS_MEASURE_FILE;
  if (out)
    writeFileSync(out, JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS, modules: [...loaded] }));
});
