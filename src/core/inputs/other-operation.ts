// Inputs that only some operations read (a sweep's `fail-on-stuck`, a request's `rule`…). On
// another operation's step they would be ignored without a word, so each is an error there. Checked
// whatever the operation, these checks stay apart from the operations' own parsers, which the step
// loads only for its operation (steps/input-parsers.ts).
import { DEFAULT_LOOKBACK } from './claim-inputs.js';
import { effectInputDefaults } from './effect-inputs.js';
import type { InputReader, Problems } from './fields.js';
import { INPUT_READERS, inputsOnlyOf } from './operation-inputs.js';
import type { StepOperation } from './step-operation.js';

/**
 * `created-by` and `lookback` on another operation would be ignored without a word: errors there.
 * A report reads them too (who made each grant), and parses them itself (./report-inputs.ts).
 * `fail-on-stuck` other than its default, on anything but a sweep, likewise.
 */
export function checkSweepOnlyInputs(problems: Problems, read: InputReader, operation: string): void {
  const failOnStuck = read('fail-on-stuck').trim();
  if (operation !== 'sweep' && failOnStuck !== '' && failOnStuck.toLowerCase() !== 'true')
    problems.add(
      'fail-on-stuck',
      `is read by \`operation: sweep\` only, not \`${operation}\``,
      'set `operation: sweep`, or remove `fail-on-stuck`',
    );
  if (['sweep', 'report', 'reconcile', 'review'].includes(operation)) return;
  const lookback = read('lookback').trim();
  for (const [input, set] of [
    ['created-by', read('created-by').trim() !== ''],
    ['lookback', lookback !== '' && lookback.toLowerCase() !== DEFAULT_LOOKBACK],
  ] as const)
    if (set)
      problems.add(
        input,
        `is read by \`operation: sweep\`, \`operation: report\` and \`operation: reconcile\` only, not \`${operation}\``,
        `set \`operation: sweep\`, or remove \`${input}\``,
      );
}

/**
 * The inputs only a request reads (`rule`, `justification`: ./operation-inputs.ts) say
 * nothing to another operation: set there, they are a mistake.
 */
export function checkRequestOnlyInputs(problems: Problems, read: InputReader, operation: string): void {
  if (operation === 'request') return;
  for (const input of inputsOnlyOf('request'))
    if (read(input).trim() !== '')
      problems.add(
        input,
        `is read by \`operation: request\` only, not \`${operation}\``,
        `set \`operation: request\`, or remove \`${input}\``,
      );
}

/**
 * The root action's non-empty defaults (action.yml's, checked equal by the tests): the runner passes
 * every input with its default, so a value equal to it is no more than the input left unset.
 * `github-token`'s default is an expression the step cannot tell from the token itself: never
 * refused.
 */
export const ROOT_DEFAULTS: Readonly<Record<string, string>> = {
  operation: 'assign',
  'principal-type': 'USER',
  wait: 'true',
  'timeout-seconds': '300',
  'revoke-on-exit': 'false',
  'post-timeout-seconds': '300',
  'assignment-type': 'active',
  'dry-run': 'false',
  'only-outdated': 'true',
  ...effectInputDefaults(),
  environment: 'AzureCloud',
  'max-deletions': '10',
  'policy-checks': 'on',
  'fail-on-stuck': 'true',
  'expand-groups': 'false',
  'last-used': 'false',
  'full-read-every': '7d',
};
/** `github-token`, and the inputs the checks above decide, with their own words and defaults. */
const NEVER_REFUSED = new Set([
  'github-token',
  'fail-on-stuck',
  'created-by',
  'lookback',
  ...inputsOnlyOf('request'),
]);

/**
 * Every input `operation` does not read, set to other than its default, is an error there, as a
 * sub-action refuses an input it does not declare (./sub-action-inputs.ts, `subActionInputs`): the
 * root action declares every input, so the runner would pass it to a step that ignores it. Run
 * last: an input another check refused (`manifest`, `revoke-on-exit`, another cloud's:
 * ./other-cloud.ts) is not refused twice.
 */
export function checkUnreadInputs(problems: Problems, read: InputReader, operation: StepOperation): void {
  const refused = new Set(problems.list.map((problem) => problem.input));
  for (const [input, readers] of Object.entries(INPUT_READERS)) {
    if (readers.operations.includes(operation) || NEVER_REFUSED.has(input) || refused.has(input)) continue;
    const value = read(input).trim();
    if (value === '' || value.toLowerCase() === ROOT_DEFAULTS[input]?.toLowerCase()) continue;
    const readBy = readers.operations.map((op) => `\`${op}\``).join(', ');
    problems.add(
      input,
      `is not read by \`operation: ${operation}\`, which would ignore it`,
      `remove \`${input}\`, or set \`operation\` to one that reads it (${readBy})`,
    );
  }
}
