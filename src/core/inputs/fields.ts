// Reading one input: the problem collector every check reports to, and the readers that turn a
// raw input into a typed value or a problem naming the input and its fix.
import { CloudAccessError } from '../errors.js';
import { didYouMean, parseList } from '../lists.js';
import { FALSE_INPUT, PRINTABLE, TRUE_INPUT } from '../patterns.js';

/** Reads one input as the runner passes it (`INPUT_<NAME>`), '' when absent. */
export type InputReader = (name: string) => string;

/** `timeout-seconds` and `post-timeout-seconds` at most: a GitHub-hosted job runs at most 6 hours. */
export const MAX_TIMEOUT_SECONDS = 6 * 60 * 60;

/** Every problem found, so a user fixes a workflow in one round trip. */
export class Problems {
  readonly list: CloudAccessError[] = [];

  add(input: string, message: string, fix?: string): undefined {
    this.list.push(
      new CloudAccessError(`input \`${input}\`: ${message}`, { input, ...(fix ? { fix } : {}) }),
    );
    return undefined;
  }
}

/** Shows a rejected value without letting it forge log lines or workflow commands. */
export function printable(value: string): string {
  const shown = value.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '?');
  return shown.length > 80 ? `${shown.slice(0, 80)}…` : shown;
}

/**
 * An optional input that must match `pattern`: undefined when empty; when it does not match, the
 * problem reads "`value` <mustBe>" with `fix`.
 */
export function optionalMatching(
  problems: Problems,
  read: InputReader,
  input: string,
  pattern: RegExp,
  mustBe: string,
  fix?: string,
): string | undefined {
  const value = read(input).trim() || undefined;
  if (value && !pattern.test(value)) problems.add(input, `\`${printable(value)}\` ${mustBe}`, fix);
  return value;
}

/** A problem with an input's value: its words (after the value, when the value is shown) and the fix. */
export interface InputProblem {
  problem: string;
  fix?: string;
}

/** Adds the problem `wrong` finds with `value`, the input `input` as read: "`value` <problem>". */
export function checkValue(
  problems: Problems,
  input: string,
  value: string,
  wrong: (value: string) => InputProblem | undefined,
): void {
  const found = wrong(value);
  if (found) problems.add(input, `\`${printable(value)}\` ${found.problem}`, found.fix);
}

/**
 * `value`, the input `input` as read, which must not be empty (else `missing` is the problem), and
 * whose other problems `wrong` finds.
 */
export function requiredInput(
  problems: Problems,
  input: string,
  value: string,
  missing: Required<InputProblem>,
  wrong: (value: string) => InputProblem | undefined,
): string {
  if (value === '') problems.add(input, missing.problem, missing.fix);
  else checkValue(problems, input, value, wrong);
  return value;
}

export function oneOf<T extends string>(
  problems: Problems,
  input: string,
  value: string,
  allowed: readonly T[],
  caseInsensitive = false,
): T | undefined {
  const found = allowed.find((a) =>
    caseInsensitive ? a.toLowerCase() === value.toLowerCase() : a === value,
  );
  return (
    found ??
    problems.add(
      input,
      `\`${printable(value)}\` is not one of ${allowed.map((a) => `\`${a}\``).join(', ')}`,
      didYouMean(value, [...allowed], 1),
    )
  );
}

/**
 * The input `input` as `parse` reads it, or `fallback` when it is empty or `parse` finds a problem
 * with it (which reads "`value` <problem>").
 */
function parsedOr<T extends boolean | number>(
  problems: Problems,
  read: InputReader,
  input: string,
  fallback: T,
  parse: (value: string) => T | InputProblem,
): T {
  const value = read(input).trim();
  if (value === '') return fallback;
  const parsed = parse(value);
  // T is a boolean or a number: an object is a problem.
  if (typeof parsed !== 'object') return parsed;
  checkValue(problems, input, value, () => parsed);
  return fallback;
}

export function booleanInput(
  problems: Problems,
  read: InputReader,
  input: string,
  fallback: boolean,
): boolean {
  return parsedOr<boolean>(problems, read, input, fallback, (value) => {
    if (TRUE_INPUT.test(value)) return true;
    if (FALSE_INPUT.test(value)) return false;
    return {
      problem: 'is not a boolean',
      fix: didYouMean(value, ['true', 'false'], 1) ?? 'use `true` or `false`',
    };
  });
}

export function integerInput(
  problems: Problems,
  read: InputReader,
  input: string,
  fallback: number,
  max: number,
): number {
  return parsedOr<number>(problems, read, input, fallback, (value) =>
    /^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= max
      ? Number(value)
      : { problem: `is not a whole number from 1 to ${max}` },
  );
}

/** A plain https URL (origin and path, no trailing slash), or undefined with a problem. */
export function httpsUrl(problems: Problems, input: string, value: string): string | undefined {
  try {
    const url = new URL(value);
    if (url.protocol !== 'https:') return problems.add(input, `\`${value}\` must be an https URL`);
    if (url.username || url.password || url.search || url.hash) {
      return problems.add(
        input,
        `\`${value}\` must be a plain https URL without credentials, query or fragment`,
      );
    }
    return url.origin + url.pathname.replace(/\/+$/, '');
  } catch {
    return problems.add(input, `\`${value}\` is not a URL`);
  }
}

/**
 * A file of the repository the step reads from GitHub (a policy, a reviewers file): the input's
 * path, or `byDefault`; one that is absolute, climbs out with `..`, or holds white space, control
 * characters, `?` or `#` (which would end the API's URL path) is a problem.
 */
export function repositoryPathInput(
  problems: Problems,
  read: InputReader,
  input: string,
  byDefault: string,
): string {
  const path = read(input).trim() || byDefault;
  if (path.startsWith('/') || path.split('/').includes('..') || /[\s\p{Cc}?#]/u.test(path))
    problems.add(
      input,
      `\`${printable(path)}\` is not a path in the repository`,
      `write a path such as \`${byDefault}\``,
    );
  return path;
}

/** A list input (newlines or commas), each value printable and at most 2048 characters. */
export function listInput(problems: Problems, read: InputReader, input: string, required: boolean): string[] {
  const raw = read(input);
  const values = parseList(raw);
  if (values.length === 0 && required) {
    problems.add(
      input,
      raw.trim() === '' ? 'is required' : 'holds no values',
      'give one or more values, separated by newlines or commas',
    );
  }
  for (const value of values) {
    if (!PRINTABLE.test(value) || value.length > 2048)
      problems.add(input, `\`${printable(value)}\` contains control characters or is too long`);
  }
  return values;
}

/**
 * The fix for a list value that holds several values written in another list syntax than the one
 * the action reads (newlines or commas): separated by spaces, or a JSON or YAML flow array, which
 * reaches the step as text. undefined when `value` does not look like one. `example` is two values
 * as the input takes them.
 */
export function listSyntaxFix(input: string, value: string, example: string): string | undefined {
  const bracketsOrQuotes = /^[["']|[\]"']$/.test(value);
  const spaces = /\S\s+\S/.test(value);
  if (!bracketsOrQuotes && !spaces) return undefined;
  return `separate the values of a list with commas or newlines, e.g. \`${input}: ${example}\` (one value a line under \`${input}: |\` works too), not ${bracketsOrQuotes ? 'as a JSON or YAML array, nor in quotes' : 'with spaces'}`;
}
