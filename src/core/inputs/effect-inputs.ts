// The inputs a kind or a kind's effect owns, each declared in its own module and listed here once:
// the session fence's `end-sessions` (./end-sessions.ts), PIM for groups' `pim-onboard`
// (./azure-group-onboard.ts). The tables of every input (who reads each: ./operation-inputs.ts; the
// defaults action.yml gives: ./other-operation.ts, ./other-cloud.ts), the AWS section's read of the
// effects' (./aws.ts) and a session's settings (./settings.ts) loop over this list, and name none.
// A second effect's or kind's input is a module and a line here.
import type { Cloud } from '../types.js';
import type { InputReader, Problems } from './fields.js';
import type { EffectInput } from './effect-input.js';
import { END_SESSIONS, type EndSessionsOptions } from './end-sessions.js';
import { PIM_ONBOARD } from './azure-group-onboard.js';

/** What a config, and the settings its adapter is given, hold of the effect inputs: every effect's options. */
export type EffectOptions = EndSessionsOptions;

/** Every input a kind or an effect owns (a kind's reads no options of the effects': it is read in its own module). */
const EFFECTS: readonly EffectInput<EffectOptions>[] = [
  END_SESSIONS,
  PIM_ONBOARD as EffectInput<EffectOptions>,
];

/** Each effect input by its name: the operations and clouds that read it, and its default. */
export const EFFECT_INPUTS: Readonly<Record<string, EffectInput<EffectOptions>>> = Object.fromEntries(
  EFFECTS.map((input) => [input.name, input]),
);

/** The effect inputs `cloud` reads (every cloud's, without one), each with its default. */
export function effectInputDefaults(cloud?: Cloud): Record<string, string> {
  return Object.fromEntries(
    EFFECTS.filter((input) => cloud === undefined || input.clouds.includes(cloud)).map((input) => [
      input.name,
      input.default,
    ]),
  );
}

/** The AWS section's effect options, read from the step's inputs. */
export function readAwsEffectOptions(problems: Problems, read: InputReader): EffectOptions {
  return Object.assign(
    {},
    ...EFFECTS.filter((input) => input.clouds.includes('aws')).map((input) => input.read?.(problems, read)),
  ) as EffectOptions;
}

/** The effect options a config hands its adapter, every key present. */
export const effectOptionsOf = (
  config: EffectOptions,
): { [K in keyof Required<EffectOptions>]: EffectOptions[K] } =>
  Object.assign({}, ...EFFECTS.map((input) => input.optionsOf?.(config))) as {
    [K in keyof Required<EffectOptions>]: EffectOptions[K];
  };
