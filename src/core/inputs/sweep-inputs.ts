// The inputs of `operation: sweep`: whose grants count (`created-by`), how the sweep learns
// whether a run has finished (`github-token`), how far back it reads (`lookback`), and how many
// revokes a run may make. The grants come from the runs that made them, so `principal` and `role`
// are not taken; on Azure `target` names the scopes swept. Pure.
import type { Cloud } from '../types.js';
import { readTargets } from './azure.js';
import type { SweepRequest } from './config.js';
import { createdBy, githubToken, lookbackSeconds } from './claim-inputs.js';
import { booleanInput, type InputReader, type Problems } from './fields.js';
import type { ListInputs } from './grants.js';
import { maxDeletions } from './max-deletions.js';

/** The assignment's own properties on Azure: a sweep writes no assignment, so none applies. */
const AZURE_ASSIGNMENT_INPUTS = [
  'assignment-name',
  'description',
  'condition',
  'condition-version',
  'delegated-managed-identity-resource-id',
];

/** Why a sweep's `github-token` may not be empty, and the fix. */
const SWEEP_READS_RUNS = {
  problem:
    'is empty: the sweep reads through the GitHub REST API whether the run that made each grant has finished',
  fix: "leave `github-token` unset (its default is the job's `github.token`) and give the job `permissions: actions: read`; for runs of other repositories, pass a GitHub App installation token that may read their Actions",
};

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
  // A `group:` target sweeps that group's memberships; a scope sweeps no group.
  const { scopes: swept, groups } =
    cloud === 'azure' ? readTargets(problems, lists.targets) : { scopes: [], groups: [] };
  return {
    createdBy: createdBy(problems, read, cloud, true),
    githubToken: githubToken(problems, read, SWEEP_READS_RUNS),
    lookbackSeconds: lookbackSeconds(problems, read, cloud),
    maxDeletions: maxDeletions(problems, read),
    failOnStuck: booleanInput(problems, read, 'fail-on-stuck', true),
    scopes: swept,
    ...(groups.length > 0 ? { groups } : {}),
  };
}
