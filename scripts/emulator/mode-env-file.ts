// A local mode's files (./local-modes.ts): the runner's variables it reads, its inputs as the
// runner passes them, and the complete .env file `npm run emulator:start` writes for it.
import { join } from 'node:path';
import { withEmulatorUrl, type LocalMode } from './local-modes.js';

/** Where a mode's runner files go: absolute for the files emulator:start writes, relative to the repository for examples/local/. */
export interface RunnerPaths {
  workspace: string;
  summary: string;
  temp: string;
}

/** The runner's variables the mode reads. */
export function runnerVariables(mode: LocalMode, paths: RunnerPaths): Record<string, string> {
  return {
    GITHUB_WORKSPACE: paths.workspace,
    GITHUB_STEP_SUMMARY: paths.summary,
    RUNNER_TEMP: paths.temp,
    GITHUB_REPOSITORY: 'octo-org/octo-repo',
    GITHUB_REPOSITORY_ID: '123456789',
    GITHUB_RUN_ID: '1234567890',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_EVENT_NAME: mode.event,
    GITHUB_ACTOR: 'octocat',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_WORKFLOW_REF: `octo-org/octo-repo/.github/workflows/${mode.example ?? 'local.yml'}@refs/heads/main`,
    GITHUB_SERVER_URL: 'https://github.com',
  };
}

/** `INPUT_` and the input's name in capitals, hyphens kept, as the runner passes it. */
export const inputLines = (inputs: Record<string, string>): string[] =>
  Object.entries(inputs).map(([name, value]) => `INPUT_${name.toUpperCase()}=${value}`);

/** The mode's .env file: written to `dir`, its summary to `dir`/out/<mode>.summary.md. */
export function modeEnvFile(mode: LocalMode, env: Record<string, string>, dir: string, root: string): string {
  const runner: Record<string, string> = {
    ...runnerVariables(mode, {
      workspace: join(root, 'examples'),
      summary: join(dir, 'out', `${mode.name}.summary.md`),
      temp: join(dir, 'out'),
    }),
    GITHUB_API_URL: env.GITHUB_API_URL ?? '',
  };
  const url = (command: string) => withEmulatorUrl(command, env);
  const lines = [
    `# npm run local-action -- ${join(dir, `${mode.name}.env`)}`,
    `# ${mode.does} (as examples/workflows/${mode.example} does).`,
    ...(mode.first ? [`# First: ${url(mode.first)}`] : []),
    ...(mode.then ? [`# Then read what it wrote: ${url(mode.then)}`] : []),
    ...(mode.refusals
      ? [
          '# To see the step refuse, stage one of these instead, then run it again:',
          ...mode.refusals.map((r) => `#   ${url(r.command)}   # ${r.shows}`),
        ]
      : []),
    ...(mode.next
      ? [
          '# Then stage these, and run it again:',
          ...mode.next.map((n) => `#   ${url(n.command)}   # ${n.shows}`),
        ]
      : []),
    '# Written by npm run emulator:start for this run of the emulator: its ports and CA change with',
    '# every start. ACTIONS_STEP_DEBUG=true adds every call and retry. To change its inputs, start',
    `# from examples/local/${mode.name}.env instead, which says how. An input left to its`,
    "# `${{ github.token }}` default gets the emulator's job token (EMULATOR_GITHUB_TOKEN).",
    '',
    '# the emulator',
    ...Object.entries(env)
      .filter(([key]) => key !== 'GITHUB_API_URL')
      .map(([key, value]) => `${key}=${value}`),
    '',
    '# the runner',
    ...Object.entries(runner).map(([key, value]) => `${key}=${value}`),
    '',
    "# the action's inputs",
    ...inputLines(mode.inputs),
    '',
  ];
  return lines.join('\n');
}
