// What an effect input is (./effect-inputs.ts lists every one): the operations and clouds that
// read it, its default as action.yml gives it, how the step's inputs are read into the options a
// config holds (`O`), and those options handed on to the adapter's settings. Types only.
import type { Cloud } from '../types.js';
import type { InputReader, Problems } from './fields.js';
import type { StepOperation } from './step-operation.js';

export interface EffectInput<O extends object = object> {
  /** Its name, as action.yml declares it. */
  name: string;
  operations: readonly StepOperation[];
  clouds: readonly Cloud[];
  default: string;
  /** Its options, read from the step's inputs (its cloud's section reads it). */
  read(problems: Problems, read: InputReader): O;
  /** Its options as a config hands them to its adapter, every key present. */
  optionsOf(config: O): { [K in keyof Required<O>]: O[K] };
}
