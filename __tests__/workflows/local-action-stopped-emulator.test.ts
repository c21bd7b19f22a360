// A mode's .env outlives its emulator: after `npm run emulator:stop`, `npm run local-action --
// .emulator/<mode>.env` says the emulator is not running and how to start it, before it runs the
// action (which would otherwise fail on an endpoint nothing answers, saying nothing of the emulator).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
let dir: string;

const tsx = (script: string, args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'emulator', script), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    // NODE_COMPILE_CACHE: Node's cache of compiled code the tests keep (jest.config.js), nothing more.
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...(process.env.NODE_COMPILE_CACHE ? { NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE } : {}),
    },
  });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cloud-access-stopped-'));
  const envFile = join(dir, 'emulator.env');
  expect(tsx('start.ts', ['--write-env', envFile, '--log', join(dir, 'emulator.log')]).status).toBe(0);
  expect(tsx('stop.ts', ['--write-env', envFile]).status).toBe(0);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run local-action with the .env of an emulator that has stopped', () => {
  it.each(['aws-assign', 'azure-assign'])(
    '%s: exits 1 at once, saying the emulator is not running and how to start it',
    (mode) => {
      const run = tsx('local-action.ts', [join(dir, `${mode}.env`)]);
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/^local-action: the emulator is not running: `npm run emulator:start` \(/m);
      // The action never ran: no step output, no endpoint error.
      expect(run.stdout).not.toMatch(/::error::/);
    },
    60_000,
  );
});
