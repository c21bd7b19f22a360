// examples/local/<mode>.env: one example per mode of the action (./local-modes.ts), to start from
// with inputs of your own. Each holds what is the mode's (the runner's variables, paths relative to
// the repository, and the action's inputs) and none of what changes with every start of the
// emulator: its environment (.emulator/emulator.env) and, for Azure, its endpoints as the action's
// inputs (.emulator/azure-inputs.env), both appended after it:
//
//   cat examples/local/report-aws.env .emulator/emulator.env > .env && npm run local-action
//
// `npm run docs:modes` writes them (scripts/docs/sync-modes.ts), and __tests__/docs/modes.test.ts
// checks that they are what it writes and that each one's inputs pass the action's checks.
import { SEED } from '../../emulator/azure/tenant/state.js';
import { azureEndpointInputs, localModes, type LocalMode } from './local-modes.js';
import { inputLines, runnerVariables } from './mode-env-file.js';

/** Where the examples are, from the repository's root. */
export const MODE_EXAMPLES_DIR = 'examples/local';

/** The file emulator:start writes beside its environment: the Azure endpoints, as the action's inputs. */
export const AZURE_INPUTS_FILE = 'azure-inputs.env';

/** The emulator's environment as far as it is the same at every start: the seeded Azure IDs. */
const FIXED_ENV = {
  AZURE_CLIENT_ID: SEED.clientId,
  AZURE_TENANT_ID: SEED.tenantId,
  AZURE_SUBSCRIPTION_ID: SEED.subscriptionId,
};

/** Every mode, with the inputs an example holds: the emulator's endpoints left to its files. */
export function exampleModes(): LocalMode[] {
  const fromEmulator = new Set(Object.keys(azureEndpointInputs({})));
  return localModes(FIXED_ENV).map((mode) => ({
    ...mode,
    inputs: Object.fromEntries(Object.entries(mode.inputs).filter(([name]) => !fromEmulator.has(name))),
  }));
}

/** The path of a mode's example, from the repository's root. */
export const examplePath = (mode: Pick<LocalMode, 'name'>): string => `${MODE_EXAMPLES_DIR}/${mode.name}.env`;

/** The command that makes .env from a mode's example and the running emulator's files. */
export function ownInputsCommand(mode: LocalMode): string {
  const azure = mode.inputs.cloud === 'azure' ? ` .emulator/${AZURE_INPUTS_FILE}` : '';
  return `cat ${examplePath(mode)} .emulator/emulator.env${azure} > .env`;
}

/** Words as `# ` comment lines of at most 100 characters. */
function commentLines(text: string): string[] {
  const lines: string[] = [];
  let line = '#';
  for (const word of text.split(' ')) {
    if (line.length > 1 && line.length + 1 + word.length > 100) {
      lines.push(line);
      line = '#';
    }
    line += ` ${word}`;
  }
  return [...lines, line];
}

/** The text of examples/local/<mode>.env. */
export function modeExampleFile(mode: LocalMode): string {
  const azure = mode.inputs.cloud === 'azure';
  return [
    `# ${examplePath(mode)}: ${mode.title}.`,
    ...commentLines(`${mode.does} (as examples/workflows/${mode.example} does).`),
    '#',
    '# With inputs of your own: change the inputs below (in a copy, or here), then',
    '#',
    '#   npm run emulator:start     # once: the emulator in the background, its files in .emulator/',
    `#   ${ownInputsCommand(mode)}`,
    '#   npm run local-action       # runs .env: main step, post step; exits 1 when the action failed',
    '#',
    ...(mode.first || mode.then
      ? ['# The control calls below name $EMULATOR_URL: source .emulator/emulator.env sets it.', '#']
      : []),
    ...(mode.first
      ? [
          '# For something to show, before local-action (the emulator running):',
          '#',
          `#   ${mode.first}`,
          '#',
        ]
      : []),
    ...(mode.refusals
      ? [
          '# To see the step refuse, stage one of these instead, then run it again:',
          '#',
          ...mode.refusals.map((r) => `#   ${r.command}   # ${r.shows}`),
          '#',
        ]
      : []),
    ...(mode.next
      ? [
          '# Then stage these, and run it again:',
          '#',
          ...mode.next.map((n) => `#   ${n.command}   # ${n.shows}`),
          '#',
        ]
      : []),
    ...(mode.then ? ['# Then read what it wrote:', '#', `#   ${mode.then}`, '#'] : []),
    ...commentLines(
      `The emulator's environment comes last: its ports and CA change with every start, and its job token (EMULATOR_GITHUB_TOKEN) is what an input left to its \`\${{ github.token }}\` default gets, as on the runner.${azure ? " So do its endpoints, as the action's inputs authority-host, resource-manager-endpoint and graph-endpoint (.emulator/azure-inputs.env)." : ''} ACTIONS_STEP_DEBUG=true adds every call and retry. Written by npm run docs:modes from scripts/emulator/local-modes.ts, as emulator:start writes .emulator/<mode>.env.`,
    ),
    '',
    '# the runner',
    ...Object.entries(
      runnerVariables(mode, {
        workspace: 'examples',
        summary: `.emulator/out/${mode.name}.summary.md`,
        temp: '.emulator/out',
      }),
    ).map(([key, value]) => `${key}=${value}`),
    '',
    "# the action's inputs: INPUT_ and the input's name in capitals, hyphens kept",
    ...inputLines(mode.inputs),
    '',
  ].join('\n');
}

/** .emulator/azure-inputs.env: the running emulator's Azure endpoints, as the action's inputs. */
export function azureInputsFile(env: Record<string, string>): string {
  return [
    "# The running emulator's Azure endpoints as the action's inputs, for an Azure example of",
    `# ${MODE_EXAMPLES_DIR}/ (written by npm run emulator:start: the ports change with every start).`,
    ...inputLines(azureEndpointInputs(env)),
    '',
  ].join('\n');
}
