// The inputs every operation that reads claims (core/claims/) takes alike: whose creates count
// (`created-by`), how it learns whether a run has finished (`github-token`), and how far back it
// reads (`lookback`). The sweep, the report and the reconcile parse them here. Pure.
import { CLOUDTRAIL_HISTORY_MS, parseDuration } from '../duration.js';
import { unique } from '../lists.js';
import { GUID, IAM_ROLE_ARN } from '../patterns.js';
import type { Cloud } from '../types.js';
import { listInput, printable, type InputProblem, type InputReader, type Problems } from './fields.js';

/**
 * action.yml's default `lookback`: 35 days, the longest a GitHub workflow run lasts, approvals and
 * waits included (core/duration.ts), so the claim of a run that may still be going never leaves it.
 */
export const DEFAULT_LOOKBACK = '35d';

/**
 * Each of `input`'s values that is not an IAM role ARN, a problem: one session's ARN of a role
 * (`…:assumed-role/…`) is told to give the role; any other gets `fix`.
 */
export function roleArnProblems(
  problems: Problems,
  input: string,
  values: readonly string[],
  fix: string,
): void {
  for (const value of values)
    if (!IAM_ROLE_ARN.test(value))
      problems.add(
        input,
        `\`${printable(value)}\` is not an IAM role ARN`,
        /^arn:[\w-]+:sts::\d{12}:assumed-role\//.test(value)
          ? 'give the role, `arn:<partition>:iam::<12-digit account>:role/<name>`, not one session of it'
          : fix,
      );
}

/**
 * Whose creates count: IAM role ARNs on AWS, Entra object IDs on Azure. `required`: on AWS without
 * `role-to-assume`, an empty list is a problem (the sweep would end nothing it could prove).
 */
export function createdBy(
  problems: Problems,
  read: InputReader,
  cloud: Cloud | undefined,
  required: boolean,
): string[] {
  const values = listInput(problems, read, 'created-by', false);
  if (cloud === 'aws') {
    roleArnProblems(
      problems,
      'created-by',
      values,
      'use `arn:<partition>:iam::<12-digit account>:role/<name>`: the `role-to-assume` of the steps that grant',
    );
    // With the ambient credentials the sweep's own identity is not a role it was given.
    if (required && values.length === 0 && read('role-to-assume').trim() === '')
      problems.add(
        'created-by',
        'is required for `operation: sweep` without `role-to-assume` (the ambient AWS credentials): the sweep ends only grants created by sessions of the roles it is given',
        'list the IAM role ARNs your ephemeral steps assume (their `role-to-assume`), or set `role-to-assume` to that role',
      );
    return unique(values);
  }
  if (cloud === 'azure') {
    for (const value of values)
      if (!GUID.test(value))
        problems.add(
          'created-by',
          `\`${printable(value)}\` is not an Entra object ID (a GUID)`,
          'give the object ID of the service principal or managed identity your ephemeral steps sign in as (the `createdBy` of their assignments)',
        );
    return unique(values.map((v) => v.toLowerCase()));
  }
  return values;
}

/**
 * The `github-token` input, never shown (only that it cannot be sent as a header). `whenEmpty`: why
 * an empty one is a problem, and its fix; none, it may be empty.
 */
export function githubToken(
  problems: Problems,
  read: InputReader,
  whenEmpty?: Required<InputProblem>,
): string {
  const token = read('github-token').trim();
  if (token === '' && whenEmpty) problems.add('github-token', whenEmpty.problem, whenEmpty.fix);
  else if (/[\s\p{Cc}]/u.test(token))
    problems.add('github-token', 'contains spaces or control characters', 'pass the token alone');
  return token;
}

export function lookbackSeconds(
  problems: Problems,
  read: InputReader,
  cloud: Cloud | undefined,
  byDefault = DEFAULT_LOOKBACK,
): number {
  const text = read('lookback').trim() || byDefault;
  const fallback = parseDuration(byDefault) as { ms: number };
  const parsed = parseDuration(text);
  if (typeof parsed === 'string') {
    problems.add('lookback', `\`${printable(text)}\` ${parsed}`);
    return fallback.ms / 1000;
  }
  if (parsed.ms < 60_000)
    problems.add(
      'lookback',
      `\`${printable(text)}\` is shorter than a minute`,
      'use e.g. `35d` (the default)',
    );
  else if (cloud === 'aws' && parsed.ms > CLOUDTRAIL_HISTORY_MS)
    problems.add(
      'lookback',
      `\`${printable(text)}\` is longer than 90 days, all that CloudTrail's event history keeps`,
      'use `90d` or less',
    );
  return Math.floor(parsed.ms / 1000);
}
