// One list of the action's local modes (scripts/emulator/local-modes.ts, which `npm run
// emulator:start` writes .emulator/<mode>.env from and prints): README.md, docs/local-run.md and
// .env.example list exactly those, examples/local/ holds one example per mode, and `npm run
// docs:modes` writes them all. Each example starts a try with inputs of your own from the mode you
// want: its inputs, with what the running emulator's files append, pass the action's checks.
import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { modeFiles, strayExamples, syncRegion } from '../../scripts/docs/sync-modes.js';
import { localModes } from '../../scripts/emulator/local-modes.js';
import { azureInputsFile, examplePath, exampleModes } from '../../scripts/emulator/mode-examples.js';
import { parseEnvLines } from '../../scripts/emulator/running.js';
import { localTarget, tokenDefaults } from '../../scripts/emulator/local-action-target.js';
import { parseInputs } from '../../src/core/inputs/index.js';

const ROOT = join(import.meta.dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

describe('the list of local modes', () => {
  it('is the same everywhere: README.md, docs/local-run.md, .env.example and examples/local/ (npm run docs:modes)', () => {
    const differ = [...modeFiles()]
      .filter(([path, text]) => !existsSync(join(ROOT, path)) || read(path) !== text)
      .map(([path]) => `${path}: run npm run docs:modes`);
    expect(differ).toEqual([]);
    expect(strayExamples()).toEqual([]);
  });

  it('names every mode emulator:start writes, in each document', () => {
    const names = localModes({}).map((m) => m.name);
    expect(names).toHaveLength(18);
    for (const doc of ['README.md', 'docs/local-run.md'])
      for (const name of names) expect(read(doc)).toContain(`.emulator/${name}.env`);
    for (const name of names) expect(read('.env.example')).toContain(`examples/local/${name}.env`);
  });

  it('is a region the generator rewrites, and the text around it is left as it was', () => {
    const text = ['before', '<!-- local-modes -->', 'old', '<!-- /local-modes -->', 'after'].join('\n');
    const synced = syncRegion('README.md', text)!;
    expect(synced.startsWith('before\n<!-- local-modes -->\n')).toBe(true);
    expect(synced.endsWith('\n<!-- /local-modes -->\nafter')).toBe(true);
    expect(synced).not.toContain('old');
    expect(syncRegion('README.md', 'no region')).toBeUndefined();
  });
});

describe("a mode's label says what its file does", () => {
  it.each(localModes({}).map((m) => [m.name, m] as const))(
    "%s: each `INPUT_DRY-RUN=` it names is its file's, but one it says to set; a dry run says so",
    (_, mode) => {
      const dryRun = mode.inputs['dry-run'] ?? 'false';
      for (const text of [mode.title, mode.does])
        for (const said of text.matchAll(/(set )?INPUT_DRY-RUN=(\w+)/g))
          if (!said[1])
            expect({ said: said[0], file: dryRun }).toEqual({
              said: `INPUT_DRY-RUN=${dryRun}`,
              file: dryRun,
            });
      expect({ title: mode.title, dryRun: /dry run/.test(mode.title) }).toEqual({
        title: mode.title,
        dryRun: dryRun === 'true',
      });
    },
  );
});

describe("a mode's example, with what the running emulator's files append", () => {
  // What .emulator/emulator.env and, for Azure, .emulator/azure-inputs.env append after it.
  const emulatorEnv = {
    EMULATOR_GITHUB_TOKEN: 'ghs_emulator',
    AWS_REGION: 'us-east-1',
  };
  const azureInputs = parseEnvLines(
    azureInputsFile({
      AZURE_AUTHORITY_HOST: 'https://127.0.0.1:40001',
      EMULATOR_ARM_ENDPOINT: 'https://127.0.0.1:40002',
      EMULATOR_GRAPH_ENDPOINT: 'https://127.0.0.1:40003',
    }),
  );

  it.each(exampleModes().map((m) => [m.name, m] as const))(
    '%s: its inputs pass the action’s checks (no refusal)',
    (_, mode) => {
      const file: Record<string, string> = {
        ...parseEnvLines(read(examplePath(mode))),
        ...emulatorEnv,
        ...(mode.inputs.cloud === 'azure' ? azureInputs : {}),
      };
      // With what local-action gives an input left to its `${{ github.token }}` default.
      const env = { ...file, ...tokenDefaults(file, localTarget(ROOT, '')) };
      expect(env.INPUT_OPERATION ?? 'assign').toBe(mode.inputs.operation ?? 'assign');
      const input = (name: string) => env[`INPUT_${name.toUpperCase()}`] ?? '';
      const config = parseInputs(input, env, {
        repository: env.GITHUB_REPOSITORY,
        repositoryId: env.GITHUB_REPOSITORY_ID,
        runId: env.GITHUB_RUN_ID,
        runAttempt: env.GITHUB_RUN_ATTEMPT,
        serverUrl: env.GITHUB_SERVER_URL,
      });
      expect(config.cloud).toBe(mode.inputs.cloud);
      expect(existsSync(join(ROOT, env.GITHUB_WORKSPACE!, 'access', 'manifest.yml'))).toBe(true);
    },
  );
});
