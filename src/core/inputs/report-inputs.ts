// The inputs of `operation: report`: what is read (AWS: the `role` permission sets in the `target`
// accounts and OUs, or the whole instance; Azure: every assignment at or under each `target`
// scope), how each grant is told apart (the `manifest` files, the `created-by` identities and, on
// AWS, how far back CloudTrail is read), whether groups are expanded, and the previous report to
// compare with. A report writes nothing, so the inputs that shape a write are refused. Pure.
import type { AzureRoleRef, Cloud, PermissionSetRef } from '../types.js';
import { unique } from '../lists.js';
import { awsTargets, permissionSetRefs } from './aws.js';
import { readTargets } from './azure.js';
import { roleRefs } from './azure-values.js';
import type { ReportRequest } from './config.js';
import { booleanInput, checkValue, listInput, printable, type InputReader, type Problems } from './fields.js';
import type { ListInputs } from './grants.js';
import { manifestPathWrong } from './manifest-input.js';
import { createdBy, githubToken, lookbackSeconds } from './claim-inputs.js';
import { parseSnapshotInputs } from './snapshot-inputs.js';
import { parseUsageInputs } from './usage-inputs.js';
import { parsePruneInputs } from './prune-inputs.js';

/** CloudTrail's whole event history: an access review asks since when, as far back as it is kept. */
export const REPORT_LOOKBACK = '90d';
/** More manifests than this in one report is a list gone wrong, not a repository's layout. */
const MAX_MANIFESTS = 20;

/**
 * The inputs that shape a write, which a report makes none of (Azure's own are other-cloud.ts's on
 * AWS; `max-deletions` has a default the runner always passes, so it is left alone).
 */
const WRITE_INPUTS = ['duration'];
const AZURE_WRITE_INPUTS = [
  'assignment-name',
  'description',
  'condition',
  'condition-version',
  'delegated-managed-identity-resource-id',
];

export function parseReportInputs(
  problems: Problems,
  read: InputReader,
  lists: ListInputs,
  cloud: Cloud | undefined,
): ReportRequest {
  if (lists.principals.length > 0)
    problems.add(
      'principal',
      'is not used by `operation: report`: the report lists every principal that holds access where it reads',
      'remove `principal`; narrow the report with `target` and `role`',
    );
  if (cloud === 'azure' && lists.targets.length === 0)
    problems.add(
      'target',
      'is required for `operation: report` on Azure: it names the scopes read (each one and every scope under it)',
      'give the scopes to review, e.g. `target: /subscriptions/{id}`',
    );
  for (const input of [...WRITE_INPUTS, ...(cloud === 'azure' ? AZURE_WRITE_INPUTS : [])])
    if (read(input).trim() !== '')
      problems.add(
        input,
        'is not used by `operation: report`: a report writes nothing',
        `remove \`${input}\``,
      );
  if (cloud === 'azure' && read('lookback').trim() !== '')
    problems.add(
      'lookback',
      'is read on AWS only (how far back CloudTrail is read): on Azure the assignments carry their own marks',
      'remove `lookback`',
    );
  const manifests = unique(listInput(problems, read, 'manifest', false));
  for (const manifest of manifests)
    checkValue(problems, 'manifest', manifest, (path) =>
      manifestPathWrong(path, 'give paths relative to the workspace, e.g. `access/manifest.yml`'),
    );
  if (manifests.length > MAX_MANIFESTS)
    problems.add('manifest', `lists ${manifests.length} files; a report reads at most ${MAX_MANIFESTS}`);
  const request: ReportRequest = {
    manifests,
    expandGroups: booleanInput(problems, read, 'expand-groups', false),
    compareTo: compareTo(problems, read),
    createdBy: createdBy(problems, read, cloud, false),
    githubToken: githubToken(problems, read),
    lookbackSeconds: cloud === 'aws' ? lookbackSeconds(problems, read, cloud, REPORT_LOOKBACK) : 0,
    ...parseSnapshotInputs(problems, read, cloud),
    ...parseUsageInputs(problems, read, cloud),
    ...(cloud === 'aws'
      ? {
          awsTargets: awsTargets(problems, lists.targets, false),
          permissionSets: unique(
            permissionSetRefs(problems, lists.roles, false) as { written: string; value: PermissionSetRef }[],
            (p) => p.written,
          ).map((p) => p.value),
        }
      : {}),
    ...(cloud === 'azure'
      ? {
          // A `group:` target reads that group's memberships; a scope reads no group.
          ...readTargets(problems, lists.targets),
          roles: unique(roleRefs(problems, lists.roles) as { written: string; value: AzureRoleRef }[], (r) =>
            r.written.toLowerCase(),
          ).map((r) => r.value),
        }
      : {}),
  };
  const { usage, githubToken: token = '' } = request;
  return {
    ...request,
    ...parsePruneInputs(problems, read, { lastUsed: !!usage, manifests, githubToken: token }),
  };
}

/** `compare-to`: a previous report's JSON, a path inside the workspace (read by the step, never outside it). */
function compareTo(problems: Problems, read: InputReader): string | undefined {
  const path = read('compare-to').trim();
  if (path === '') return undefined;
  const wrong = workspacePathProblem(path);
  if (wrong) {
    problems.add(
      'compare-to',
      `\`${printable(path)}\` ${wrong}`,
      "give the path of the previous report's JSON inside the workspace, e.g. `previous/access-report.json` (download the last run's artifact there first)",
    );
    return undefined;
  }
  return path;
}

/** Why a path is not one inside the workspace, or undefined. */
export function workspacePathProblem(path: string): string | undefined {
  if (/[\p{Cc}\p{Cf}]/u.test(path)) return 'contains control characters';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path) || path.startsWith('\\')) return 'is an absolute path';
  if (path.split(/[/\\]/).some((s) => s === '..')) return 'leaves the workspace (`..`)';
  if (path.length > 1024) return 'is longer than 1024 characters';
  if (!/\.json$/i.test(path)) return 'is not a `.json` file';
  return undefined;
}
