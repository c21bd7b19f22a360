// The words the reference's two parts share (./render.ts: each input and output; ./sub-actions.ts:
// each sub-action's): an input's default, the operations and the clouds, as the page says them.
import { CLOUDS, OPERATIONS, type Cloud, type InputUse, type Operation } from './use.js';

export interface ActionYml {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string }>;
}

const CLOUD_NAMES: Record<Cloud, string> = { aws: 'AWS', azure: 'Azure' };

export function operationsText(operations: readonly Operation[]): string {
  return operations.length === OPERATIONS.length
    ? 'every operation'
    : operations.map((o) => `\`${o}\``).join(', ');
}

export function cloudsText(clouds: readonly Cloud[]): string {
  return clouds.length === CLOUDS.length ? 'AWS, Azure' : clouds.map((c) => CLOUD_NAMES[c]).join(', ');
}

export function defaultText(input: ActionYml['inputs'][string], use: InputUse): string {
  if (input.required) return 'required';
  if (input.default !== undefined && input.default !== '') return `\`${input.default}\``;
  return use.whenEmpty ?? 'none';
}
