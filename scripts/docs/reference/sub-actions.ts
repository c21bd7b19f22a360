// The reference's part on the sub-actions: for each, its `uses:` line, and the inputs and outputs
// its action.yml declares, as `npm run actions:generate` writes it (../../actions/sub-actions.ts),
// each linked to its entry above. Pure, as ./render.ts.
import { parse } from 'yaml';
import { INPUT_READERS, OPERATION_CLOUDS, SUB_ACTIONS } from '../../../src/core/inputs/operation-inputs.js';
import { declaredBy, SUB_ACTION_NAMES, subActionYml } from '../../actions/sub-actions.js';
import { cloudsText, defaultText, type ActionYml } from './text.js';
import type { InputUse } from './use.js';

/** A link to an input's or output's entry on this page. */
const entry = (name: string) => `[\`${name}\`](#${name})`;

function subActionSection(
  actionText: string,
  name: keyof typeof SUB_ACTIONS,
  inputs: Record<string, InputUse>,
) {
  const action = parse(actionText) as ActionYml;
  const yml = subActionYml(actionText, name);
  const declared = declaredBy(yml);
  const { description } = parse(yml) as { description: string };
  const operation = SUB_ACTIONS[name];
  const clouds = OPERATION_CLOUDS[operation];
  return [
    `### \`${name}\``,
    '',
    `\`uses: cloud-access/cloud-access/${name}@v1\`: \`operation: ${operation}\`${name === 'grant' ? ', with the post step of `revoke-on-exit`' : ''}; ${cloudsText(clouds)}. ${description}`,
    '',
    '| input | default | clouds |',
    '| --- | --- | --- |',
    ...declared.inputs.map((input) => {
      const readers = INPUT_READERS[input]!.clouds.filter((cloud) => clouds.includes(cloud));
      return `| ${entry(input)} | ${defaultText(action.inputs[input]!, inputs[input]!)} | ${cloudsText(readers)} |`;
    }),
    '',
    `Outputs: ${declared.outputs.map(entry).join(', ')}.`,
    '',
  ].join('\n');
}

/** Every sub-action's section, under one heading. */
export function subActionsReference(actionText: string, inputs: Record<string, InputUse>): string {
  return [
    '## Each sub-action',
    '',
    `One action per operation, beside the root action (whose \`operation\` input chooses): each declares only the inputs its operation reads and the outputs it sets, on either cloud it runs on, with the root action's names, defaults and descriptions. A \`with:\` key it does not declare is one its operation does not read: the step refuses it (the runner only warns of it), naming the sub-action that reads it, before any cloud call.`,
    '',
    ...SUB_ACTION_NAMES.map((name) => subActionSection(actionText, name, inputs)),
  ].join('\n');
}
