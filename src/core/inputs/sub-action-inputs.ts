// A sub-action's inputs: what the runner gave its step, read with its operation fixed, and every
// input it does not declare refused, naming the sub-action that reads it. Apart from the table it
// reads (./operation-inputs.ts), as it is the one rule a sub-action's step applies to its inputs
// before any is parsed. Pure.
import { printable } from './fields.js';
import {
  INPUT_READERS,
  inputsOfOperation,
  reaches,
  SUB_ACTIONS,
  type SubAction,
} from './operation-inputs.js';

/** An input a sub-action does not declare, refused: its name, what is wrong, and the fix. */
export interface UndeclaredInput {
  input: string;
  message: string;
  fix: string;
}

/** The sub-action named in a fix: its `uses:` path, without a ref. */
const usesOf = (name: SubAction) => `\`cloud-access/cloud-access/${name}\``;

/**
 * The inputs the runner gave the step, by their `INPUT_<NAME>` variables: every input its
 * action.yml declares (with its default) and every other the workflow's `with:` names, which the
 * runner passes with no more than an "Unexpected input" warning.
 */
export function givenInputs(env: NodeJS.ProcessEnv): string[] {
  return Object.keys(env)
    .filter((key) => key.startsWith('INPUT_') && key.length > 'INPUT_'.length)
    .map((key) => key.slice('INPUT_'.length).toLowerCase());
}

/**
 * The inputs as `name`'s step reads them: its operation fixed, whatever `operation` says, and
 * every input it does not declare hidden from it. `given` are the names the runner passed
 * (`givenInputs`): each one set that `name` does not declare is `undeclared`, refused by one rule,
 * whatever reads it elsewhere, so the step never runs another operation than its `uses:` line
 * names nor ignores an input. Its fix names the sub-actions that read it, never the root action's
 * `operation`, which every sub-action refuses.
 */
export function subActionInputs(
  read: (input: string) => string,
  name: SubAction,
  given: readonly string[],
): { read: (input: string) => string; undeclared: UndeclaredInput[] } {
  const operation = SUB_ACTIONS[name];
  const declared = new Set(inputsOfOperation(operation, Object.keys(INPUT_READERS)));
  const fixed = (input: string) =>
    input === 'operation' ? operation : declared.has(input) ? read(input) : '';
  const set = (input: string) => read(input).trim() !== '';
  const known = Object.keys(INPUT_READERS).filter((input) => given.includes(input));
  const unknown = [...new Set(given)].filter((input) => !(input in INPUT_READERS)).sort();
  const undeclared = [
    ...known.filter((input) => !declared.has(input) && set(input)).map((input) => knownInput(input, name)),
    ...unknown.filter(set).map((input) => {
      const shown = printable(input);
      return {
        input: shown,
        message: `is not an input of the \`${name}\` action, nor of any cloud-access action`,
        fix: `remove \`${shown}\` (the \`${name}\` action's inputs: docs/inputs-and-outputs.md)`,
      };
    }),
  ].filter((problem): problem is UndeclaredInput => problem !== undefined);
  return { read: fixed, undeclared };

  /** An input of another operation, or an `operation` other than `name`'s. */
  function knownInput(input: string, action: SubAction): UndeclaredInput | undefined {
    if (input === 'operation') {
      const asked = read('operation').trim().toLowerCase();
      if (asked === operation) return undefined;
      const other = (Object.keys(SUB_ACTIONS) as SubAction[]).find((sub) => SUB_ACTIONS[sub] === asked);
      return {
        input,
        message: `is not an input of the \`${action}\` action, which runs \`operation: ${operation}\` only`,
        fix: other ? `remove \`operation\`, or use ${usesOf(other)} for \`${asked}\`` : 'remove `operation`',
      };
    }
    const readers = (Object.keys(SUB_ACTIONS) as SubAction[]).filter((sub) =>
      reaches(INPUT_READERS[input]!, SUB_ACTIONS[sub]),
    );
    // An input nearly every sub-action reads (a sign-in input on `provision`, AWS only) is simply
    // not this one's: a list of the others would say nothing.
    const named = readers.length <= 3 ? readers : [];
    return {
      input,
      message: `is not an input of the \`${action}\` action`,
      fix: named.length
        ? `use ${named.map(usesOf).join(' or ')}, which read${named.length === 1 ? 's' : ''} it, or remove \`${input}\``
        : `remove \`${input}\``,
    };
  }
}
