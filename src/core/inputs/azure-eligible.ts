// `assignment-type`: whether an Azure step's grants are assigned (`active`, the default) or made
// eligible through PIM (`eligible`), and what an eligibility cannot go with. Pure.
import type { Duration } from '../duration.js';
import { ASSIGNMENT_TYPES, type AssignmentType } from '../types.js';
import type { CommonConfig } from './config.js';
import { oneOf, type InputReader, type Problems } from './fields.js';

/**
 * `assignment-type: eligible`: the principals are made eligible (PIM eligibility schedule
 * requests), for an assign or a revoke; a reconcile says it per entry, and a sweep and a report
 * read both kinds. Its requests are named after the repository, and a name (or a condition, or
 * a delegated identity) chosen by the workflow has no place in them. Ended by the post step, an
 * eligibility needs `duration`, so that Azure ends it if the job is lost.
 */
export function assignmentTypeOf(
  problems: Problems,
  read: InputReader,
  common: CommonConfig,
  chosen: { duration: Duration | undefined; assignmentName?: string; delegated?: string; condition?: string },
): { assignmentType?: AssignmentType; requestOwner?: string } {
  const text = read('assignment-type').trim().toLowerCase() || 'active';
  const type = oneOf(problems, 'assignment-type', text, ASSIGNMENT_TYPES);
  if (type !== 'eligible') return {};
  const { operation, run } = common;
  if (operation !== 'assign' && operation !== 'revoke') {
    problems.add(
      'assignment-type',
      `applies to \`operation: assign\` and \`revoke\` only, not \`${operation}\``,
      operation === 'reconcile'
        ? 'give the manifest entry `type: eligible` instead'
        : 'remove `assignment-type`: this operation reads active and eligible assignments alike',
    );
    return {};
  }
  if (common.revokeOnExit && !chosen.duration)
    problems.add(
      'revoke-on-exit',
      'with `assignment-type: eligible` needs `duration`, so that Azure ends the eligibility itself if the job is lost before its post step',
      'set `duration` (e.g. `PT8H`), or remove `revoke-on-exit`',
    );
  for (const [input, value] of [
    ['assignment-name', chosen.assignmentName],
    ['delegated-managed-identity-resource-id', chosen.delegated],
    ['condition', chosen.condition],
  ] as const)
    if (value && !(chosen.duration && input !== 'condition'))
      problems.add(input, 'cannot be used with `assignment-type: eligible`', `remove \`${input}\``);
  const owner = run.repositoryId ?? run.repository;
  if (!owner && operation === 'assign')
    problems.add(
      'assignment-type',
      'eligible names its requests after the repository, and this run does not say which (GITHUB_REPOSITORY_ID)',
      'run it in a GitHub Actions workflow, or set GITHUB_REPOSITORY_ID',
    );
  return { assignmentType: 'eligible', ...(owner ? { requestOwner: `github:${owner}` } : {}) };
}
