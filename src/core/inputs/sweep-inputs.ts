// The inputs of `operation: sweep`: whose grants count (`created-by`), how the sweep learns
// whether a run has finished (`github-token`), how far back it reads (`lookback`), and how many
// revokes a run may make. The grants come from the runs that made them, so `principal` and `role`
// are not taken; on Azure `target` names the scopes swept. Pure.
import type { AzureScope } from '../azure-scope.js';
import { CLOUDTRAIL_HISTORY_MS, parseDuration } from '../duration.js';
import { unique } from '../lists.js';
import { GUID, IAM_ROLE_ARN } from '../patterns.js';
import type { Cloud } from '../types.js';
import { scopes } from './azure.js';
import type { SweepRequest } from './config.js';
import { booleanInput, listInput, printable, type InputReader, type Problems } from './fields.js';
import type { ListInputs } from './grants.js';
import { maxDeletions } from './reconcile-inputs.js';

/**
 * action.yml's default `lookback`: 35 days, the longest a GitHub workflow run lasts, approvals and
 * waits included (core/duration.ts), so the claim of a run that may still be going never leaves it.
 */
export const DEFAULT_LOOKBACK = '35d';

/** The assignment's own properties on Azure: a sweep writes no assignment, so none applies. */
const AZURE_ASSIGNMENT_INPUTS = [
  'assignment-name',
  'description',
  'condition',
  'condition-version',
  'delegated-managed-identity-resource-id',
];

export function parseSweepInputs(
  problems: Problems,
  read: InputReader,
  lists: ListInputs,
  cloud: Cloud | undefined,
): SweepRequest {
  for (const [input, values] of [
    ['principal', lists.principals],
    ['role', lists.roles],
  ] as const)
    if (values.length > 0)
      problems.add(
        input,
        'is not used by `operation: sweep`: the sweep ends the grants ephemeral steps made, whoever and whatever they granted',
        `remove \`${input}\``,
      );
  if (cloud === 'aws' && lists.targets.length > 0)
    problems.add(
      'target',
      "is not used by `operation: sweep` on AWS: the sweep finds the grants in the CloudTrail events of the Identity Center instance's Region",
      'remove `target`',
    );
  if (cloud === 'azure' && lists.targets.length === 0)
    problems.add(
      'target',
      'is required for `operation: sweep` on Azure: it names the scopes swept (each one and every scope under it)',
      'give the scopes your ephemeral steps grant at, e.g. `target: /subscriptions/{id}`',
    );
  if (read('duration').trim() !== '')
    problems.add(
      'duration',
      'does not apply to `operation: sweep`: it is how long the grants of an `assign` step last',
      'remove `duration`',
    );
  if (cloud === 'azure')
    for (const input of AZURE_ASSIGNMENT_INPUTS)
      if (read(input).trim() !== '')
        problems.add(
          input,
          'is not used by `operation: sweep`: a sweep creates no assignment',
          `remove \`${input}\``,
        );
  const swept: AzureScope[] =
    cloud === 'azure'
      ? unique(
          scopes(problems, lists.targets).map((s) => s.value),
          (s) => s.scope,
        )
      : [];
  return {
    createdBy: createdBy(problems, read, cloud, true),
    githubToken: githubToken(problems, read),
    lookbackSeconds: lookbackSeconds(problems, read, cloud),
    maxDeletions: maxDeletions(problems, read),
    failOnStuck: booleanInput(problems, read, 'fail-on-stuck', true),
    scopes: swept,
  };
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
    for (const value of values)
      if (!IAM_ROLE_ARN.test(value))
        problems.add(
          'created-by',
          `\`${printable(value)}\` is not an IAM role ARN`,
          /^arn:[\w-]+:sts::\d{12}:assumed-role\//.test(value)
            ? 'give the role, `arn:<partition>:iam::<12-digit account>:role/<name>`, not one session of it'
            : 'use `arn:<partition>:iam::<12-digit account>:role/<name>`: the `role-to-assume` of the steps that grant',
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

function githubToken(problems: Problems, read: InputReader): string {
  const token = read('github-token').trim();
  if (token === '')
    problems.add(
      'github-token',
      'is empty: the sweep reads through the GitHub REST API whether the run that made each grant has finished',
      "leave `github-token` unset (its default is the job's `github.token`) and give the job `permissions: actions: read`; for runs of other repositories, pass a GitHub App installation token that may read their Actions",
    );
  // Never shown: only that it cannot be sent as a header.
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
  if (operation === 'sweep' || operation === 'report') return;
  const lookback = read('lookback').trim();
  for (const [input, set] of [
    ['created-by', read('created-by').trim() !== ''],
    ['lookback', lookback !== '' && lookback.toLowerCase() !== DEFAULT_LOOKBACK],
  ] as const)
    if (set)
      problems.add(
        input,
        `is read by \`operation: sweep\` and \`operation: report\` only, not \`${operation}\``,
        `set \`operation: sweep\`, or remove \`${input}\``,
      );
}
