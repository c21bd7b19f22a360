// PIM for groups' own input, `pim-onboard`, as the inputs kinds and effects own are listed
// (./effect-inputs.ts): who reads it and its default. Its value is read with the group targets it
// applies to (./azure-groups.ts, pimOnboardWithoutTargets).
import type { EffectInput } from './effect-input.js';

export const PIM_ONBOARD: EffectInput<Record<never, never>> = {
  name: 'pim-onboard',
  // An assign's first request to a group onboards it, or a reconcile's to a manifest's group.
  operations: ['assign', 'reconcile'],
  clouds: ['azure'],
  default: 'false',
};
