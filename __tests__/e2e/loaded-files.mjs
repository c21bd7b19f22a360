// Preloaded with `node --import` into a step by bundle.test.ts, never bundled: when the step exits,
// writes every file Node loaded for it (the entry, and each module or chunk it imported) to the
// JSON file $LOADED_FILES, and those it had loaded when it opened its first connection (its first
// request, the GitHub OIDC token's, in a main step that signs in) beside them, with Node's own
// modules loaded by then (process.moduleLoadList's `NativeModule` entries).
import { subscribe } from 'node:diagnostics_channel';
import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import process from 'node:process';

const loaded = [];
let beforeFirstConnection;
let builtinsBeforeFirstConnection;
registerHooks({
  resolve(specifier, context, next) {
    const result = next(specifier, context);
    if (result.url.startsWith('file:') && !loaded.includes(result.url)) loaded.push(result.url);
    return result;
  },
});
subscribe('net.client.socket', () => {
  beforeFirstConnection ??= [...loaded];
  builtinsBeforeFirstConnection ??= process.moduleLoadList
    .filter((entry) => entry.startsWith('NativeModule '))
    .map((entry) => entry.slice('NativeModule '.length));
});
process.on('exit', () =>
  writeFileSync(
    process.env.LOADED_FILES,
    JSON.stringify({ loaded, beforeFirstConnection, builtinsBeforeFirstConnection }),
  ),
);
