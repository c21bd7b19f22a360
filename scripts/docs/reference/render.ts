// The reference part of docs/inputs-and-outputs.md, from action.yml (names, defaults,
// descriptions), src/core/inputs/operation-inputs.ts (operations and clouds, the sub-actions) and
// ./uses.ts (what an empty value means, ranges). Pure: the text in, the text out; ../reference.ts
// reads and writes the files.
import { parse } from 'yaml';
import { INPUT_READERS, OUTPUT_SETTERS, type Reach } from '../../../src/core/inputs/operation-inputs.js';
import { subActionsReference } from './sub-actions.js';
import { cloudsText, defaultText, operationsText, type ActionYml } from './text.js';
import type { InputUse, OutputUse } from './use.js';

export const START =
  '<!-- reference: `npm run docs:reference` writes what follows from action.yml and scripts/docs/reference/uses.ts -->';
export const END = '<!-- end of the reference -->';

/** Every input and output action.yml declares that `uses` has no entry for, each with the fix. */
export function missingUses(
  action: ActionYml,
  inputs: Record<string, InputUse>,
  outputs: Record<string, OutputUse>,
): string[] {
  const fix = (kind: string, name: string) =>
    `${kind} \`${name}\` is in action.yml but not in scripts/docs/reference/uses.ts: add its entry to ${kind === 'input' ? 'INPUT_USES' : 'OUTPUT_USES'} (for an input what empty means and what it accepts)`;
  const unreached = (kind: string, name: string) =>
    `${kind} \`${name}\` is in action.yml but not in src/core/inputs/operation-inputs.ts: add its entry to ${kind === 'input' ? 'INPUT_READERS (the operations and clouds that read it)' : 'OUTPUT_SETTERS (the operations and clouds that set it)'}`;
  return [
    ...Object.keys(action.inputs)
      .filter((name) => !INPUT_READERS[name])
      .map((name) => unreached('input', name)),
    ...Object.keys(action.outputs)
      .filter((name) => !OUTPUT_SETTERS[name])
      .map((name) => unreached('output', name)),
    ...[...Object.keys(INPUT_READERS).filter((name) => !action.inputs[name])]
      .concat(Object.keys(OUTPUT_SETTERS).filter((name) => !action.outputs[name]))
      .map(
        (name) => `\`${name}\` is in src/core/inputs/operation-inputs.ts but not in action.yml: remove it`,
      ),
    ...Object.keys(action.inputs)
      .filter((name) => !inputs[name])
      .map((name) => fix('input', name)),
    ...Object.keys(action.outputs)
      .filter((name) => !outputs[name])
      .map((name) => fix('output', name)),
    ...Object.keys(inputs)
      .filter((name) => !action.inputs[name])
      .map(
        (name) => `input \`${name}\` is in scripts/docs/reference/uses.ts but not in action.yml: remove it`,
      ),
    ...Object.keys(outputs)
      .filter((name) => !action.outputs[name])
      .map(
        (name) => `output \`${name}\` is in scripts/docs/reference/uses.ts but not in action.yml: remove it`,
      ),
  ];
}

/** A description as one paragraph: action.yml folds some over lines. */
const paragraph = (text: string) => text.replace(/\s+/g, ' ').trim();

/** A link from docs/ to what `more` names: a page of docs/, a heading of this page, or a file beside. */
function moreLink(more: string): string {
  const label = more.startsWith('#') ? more.slice(1) : more.replace(/^\.\.\//, '').replace(/#.*$/, '');
  return `[${label}](${more})`;
}

function inputSection(
  name: string,
  input: ActionYml['inputs'][string],
  use: InputUse,
  readers: Reach,
): string {
  return [
    `### \`${name}\``,
    '',
    paragraph(input.description),
    ...(use.note ? ['', use.note] : []),
    '',
    `- Default: ${defaultText(input, use)}`,
    ...(use.accepts ? [`- Takes: ${use.accepts}`] : []),
    `- Read by: ${operationsText(readers.operations)}; ${cloudsText(readers.clouds)}`,
    ...(use.more ? [`- More: ${moreLink(use.more)}`] : []),
    '',
  ].join('\n');
}

function outputSection(
  name: string,
  output: ActionYml['outputs'][string],
  use: OutputUse,
  setters: Reach,
): string {
  return [
    `### \`${name}\``,
    '',
    paragraph(output.description),
    '',
    `- Set by: ${operationsText(setters.operations)}; ${cloudsText(setters.clouds)}`,
    ...(use.more ? [`- More: ${moreLink(use.more)}`] : []),
    '',
  ].join('\n');
}

/** The reference, between START and END, unformatted (the caller runs prettier over the page). */
export function renderReference(
  actionText: string,
  inputs: Record<string, InputUse>,
  outputs: Record<string, OutputUse>,
): string {
  const action = parse(actionText) as ActionYml;
  const missing = missingUses(action, inputs, outputs);
  if (missing.length > 0) throw new Error(missing.join('\n'));
  const inputNames = Object.keys(action.inputs);
  const outputNames = Object.keys(action.outputs);
  return [
    START,
    '',
    '## Every input',
    '',
    '| input | default | read by | clouds |',
    '| --- | --- | --- | --- |',
    ...inputNames.map((name) => {
      const readers = INPUT_READERS[name]!;
      return `| \`${name}\` | ${defaultText(action.inputs[name]!, inputs[name]!)} | ${operationsText(readers.operations)} | ${cloudsText(readers.clouds)} |`;
    }),
    '',
    ...inputNames.map((name) =>
      inputSection(name, action.inputs[name]!, inputs[name]!, INPUT_READERS[name]!),
    ),
    '## Every output',
    '',
    ...outputNames.map((name) =>
      outputSection(name, action.outputs[name]!, outputs[name]!, OUTPUT_SETTERS[name]!),
    ),
    subActionsReference(actionText, inputs),
    END,
  ].join('\n');
}

/** The page with its reference part replaced (or added at its end). */
export function withReference(page: string, reference: string): string {
  const start = page.indexOf(START);
  const end = page.indexOf(END);
  if (start < 0 || end < start) return `${page.trimEnd()}\n\n${reference}\n`;
  return `${page.slice(0, start)}${reference}${page.slice(end + END.length)}`;
}
