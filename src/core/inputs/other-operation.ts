// Inputs that only some operations read (a sweep's `fail-on-stuck`, a request's `policy`…). On
// another operation's step they would be ignored without a word, so each is an error there. Checked
// whatever the operation, these checks stay apart from the operations' own parsers, which the step
// loads only for its operation (steps/input-parsers.ts).
import { DEFAULT_LOOKBACK } from './claim-inputs.js';
import type { InputReader, Problems } from './fields.js';
import { inputsOnlyOf } from './operation-inputs.js';

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
  if (operation === 'sweep' || operation === 'report' || operation === 'reconcile') return;
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
 * The inputs only a request reads (`rule`, `policy`, `justification`: ./operation-inputs.ts) say
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
