// The action's inputs as a test gives them, and what the parser refuses of them: each problem as
// the step says it (the input, what is wrong, the fix), none when they are accepted.
import { InputErrors } from '../../src/core/errors.js';
import { parseInputs } from '../../src/core/inputs/index.js';

/** Inputs by name, read as the runner reads them (an input not given is empty). */
export const reader =
  (inputs: Record<string, string>) =>
  (name: string): string =>
    inputs[name] ?? '';

/** What `parse` refuses, each problem described; none when it accepts. */
export function refusalsOf(parse: () => unknown): string[] {
  try {
    parse();
  } catch (error) {
    if (error instanceof InputErrors) return error.problems.map((p) => p.describe());
    throw error;
  }
  return [];
}

type ParseRest = Parameters<typeof parseInputs> extends [unknown, ...infer Rest] ? Rest : never;

/** What parseInputs refuses of `inputs` (with the environment, run and clock given, if any). */
export const inputProblems = (inputs: Record<string, string>, ...rest: ParseRest): string[] =>
  refusalsOf(() => parseInputs(reader(inputs), ...rest));
