// What an input a kind or an effect owns is (./effect-inputs.ts lists every one): the operations
// and clouds that read it, its default as action.yml gives it and, for an effect's, how the step's
// inputs are read into the options a config holds (`O`), and those options handed on to the
// adapter's settings. Types only.
import type { Cloud } from '../types.js';
import type { InputReader, Problems } from './fields.js';
import type { StepOperation } from './step-operation.js';

export interface EffectInput<O extends object = object> {
  /** Its name, as action.yml declares it. */
  name: string;
  operations: readonly StepOperation[];
  clouds: readonly Cloud[];
  default: string;
  /** An effect's options, read from the step's inputs (its cloud's section reads them); a kind reads its own. */
  read?(problems: Problems, read: InputReader): O;
  /** An effect's options as a config hands them to its adapter, every key present. */
  optionsOf?(config: O): { [K in keyof Required<O>]: O[K] };
}
