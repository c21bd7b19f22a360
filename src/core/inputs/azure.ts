// The Azure inputs: the principal, scope and role lists (parsed once into the typed values the
// adapter takes as they are, by ./azure-values.ts) and the assignment's own properties; the cloud
// and sign-in are ./azure-sign-in.ts's.
import { parseAzureScope, scopeKey, type AzureScope } from '../azure-scope.js';
import { parseDuration, PIM_LONGEST_MS, PIM_MINIMUM_MS, type Duration } from '../duration.js';
import { GUID } from '../patterns.js';
import { principalKey, type AzurePrincipalRef } from '../principal-forms.js';
import { kindOf } from '../kinds/index.js';
import type { AssignmentType, AzureGrant, AzureRoleRef } from '../types.js';
import { azureDescription, relianceRunsToken, runMarkOf } from './azure-description.js';
import { assignmentTypeOf } from './azure-eligible.js';
import type { AzureConfig, CommonConfig, OperationRequest } from './config.js';
import { DEFAULT_AUDIENCE } from './endpoints.js';
import { oneOf, printable, type InputReader, type Problems } from './fields.js';
import { notTheClientId, principalForms } from './azure-principals.js';
import { azureEndpointsOf, azureSignIn } from './azure-sign-in.js';
import { abacCondition, roleRefs, scopes } from './azure-values.js';
import { crossProduct, type ListInputs, type ParsedLists } from './grants.js';
import { unique } from '../lists.js';
import { GROUP_TARGET_PREFIX, groupRefs, isGroupTarget, type AzureGroupRef } from './azure-group-refs.js';
import {
  GROUP_TARGET_OPERATIONS,
  groupGrants,
  pimOnboardWithoutTargets,
  requestedMemberships,
  targetsGroups,
} from './azure-groups.js';

const PRINCIPAL_TYPES = ['User', 'Group', 'ServicePrincipal', 'ForeignGroup', 'Device'] as const;

export function parseAzureInputs(
  problems: Problems,
  read: InputReader,
  env: NodeJS.ProcessEnv,
  common: CommonConfig & ListInputs,
  request: OperationRequest,
): AzureConfig {
  const principalType =
    oneOf(problems, 'principal-type', read('principal-type').trim() || 'User', PRINCIPAL_TYPES, true) ??
    'User';
  const principals = principalForms(problems, common.principals);
  // `group:` targets (assign and revoke): memberships of groups, not role assignments at scopes.
  const groupTargets = GROUP_TARGET_OPERATIONS.includes(common.operation) && targetsGroups(common.targets);
  const targets = groupTargets ? [] : scopes(problems, common.targets);
  const roles = groupTargets ? [] : roleRefs(problems, common.roles);
  const endpoints = azureEndpointsOf(problems, read);
  const { clientId, tenantId } = azureSignIn(problems, read, env);
  if (clientId) notTheClientId(problems, common.principals, clientId);

  const assignmentName = read('assignment-name').trim() || undefined;
  if (assignmentName && !GUID.test(assignmentName))
    problems.add('assignment-name', `\`${printable(assignmentName)}\` is not a GUID`);
  if (assignmentName && common.principals.length * common.targets.length * common.roles.length > 1) {
    problems.add(
      'assignment-name',
      'names a single role assignment, but the lists make several',
      'omit it to use deterministic names',
    );
  }
  const { condition, conditionVersion } = abacCondition(problems, read);
  const delegated = read('delegated-managed-identity-resource-id').trim() || undefined;
  if (delegated) {
    const parsed = parseAzureScope(delegated);
    if (typeof parsed === 'string' || parsed.kind !== 'resource') {
      problems.add(
        'delegated-managed-identity-resource-id',
        `\`${printable(delegated)}\` is not a managed identity resource ID${typeof parsed === 'string' ? `: ${parsed}` : ''}`,
      );
    }
  }
  // A sweep's `duration` is refused with the sweep's inputs (./sweep-inputs.ts).
  const duration =
    common.operation === 'sweep' || common.operation === 'report' || common.operation === 'review'
      ? undefined
      : timeBound(problems, read, { assignmentName, delegated });
  // `assignment-type`, and what its word cannot go with.
  const kind = assignmentTypeOf(problems, read, common, { duration, assignmentName, delegated, condition });
  const assignments = () =>
    azureGrants(problems, { principals, targets, roles }, azureKindOf(kind, duration));
  const grants = groupTargets
    ? groupGrants(problems, read, { ...common, principals }, kind.assignmentType ?? 'active', common)
    : { grants: assignments(), ...pimOnboardWithoutTargets(problems, read, common) };
  // Ephemeral: the post step ends it, and the sweep if the post step never ran; not a `duration`
  // assignment (PIM ends it), nor a membership (its own run marker: ./azure-groups.ts).
  const ephemeral = common.revokeOnExit && !duration && !groupTargets;
  // A name the workflow chose may be shared (that is what it is for): a create under it is
  // answered 200 over another step's assignment and rewrites its description. A run's marker
  // there would make another's grant this run's in the sweep's eyes, so none is written, and the
  // sweep never sees this step's grants (as a user-set `role-session-name` on AWS).
  const endsWithRun = ephemeral && !assignmentName;
  const description = azureDescription(problems, read, common.run, endsWithRun);
  const warnings =
    ephemeral && assignmentName
      ? [
          "`assignment-name` is set, so this step's assignment carries no run marker and is left out of every `operation: sweep` (a create under a shared name would rewrite another step's description): if the job ends before its post step, nothing ends it. Leave `assignment-name` unset",
        ]
      : [];

  return {
    ...common,
    ...request,
    cloud: 'azure',
    ...grants,
    principalType: principalType as AzureConfig['principalType'],
    audience: read('audience').trim() || DEFAULT_AUDIENCE.azure,
    clientId,
    tenantId,
    ...endpoints,
    assignmentName,
    condition,
    conditionVersion,
    description,
    delegatedManagedIdentityResourceId: delegated,
    duration,
    relianceMark: runMarkOf(common.run, endsWithRun),
    relianceRunsToken: relianceRunsToken(problems, read, endsWithRun),
    ...kind,
    ...(warnings.length > 0 ? { warnings: [...(common.warnings ?? []), ...warnings] } : {}),
  };
}

/**
 * An allowed request's grants (./request-grant.ts), as an assign's inputs make them: memberships
 * of Entra groups for a rule of `group:` targets (PIM for groups), else role assignments at scopes.
 */
export function azureRequestedGrants(
  problems: Problems,
  plan: Omit<AzureConfig, 'operation'>,
  lists: ListInputs,
): Pick<AzureConfig, 'grants' | 'groups'> {
  const principals = principalForms(problems, lists.principals);
  if (plan.clientId) notTheClientId(problems, lists.principals, plan.clientId);
  if (targetsGroups(lists.targets)) return requestedMemberships(problems, plan, { ...lists, principals });
  const targets = scopes(problems, lists.targets);
  const roles = roleRefs(problems, lists.roles);
  return { grants: azureGrants(problems, { principals, targets, roles }, azureKindOf(plan, plan.duration)) };
}

/**
 * The kind of an Azure step's grants: its cloud's of its word (`assignment-type`) whose
 * `duration` rule fits (core/kinds/).
 */
export const azureKindOf = (
  chosen: { assignmentType?: AssignmentType },
  duration: Duration | undefined,
): AzureGrant['kind'] => kindOf('azure', chosen.assignmentType ?? 'active', duration !== undefined);

/** Every principal × scope × role, each parsed, as the Azure adapter takes them, of one kind. */
export function azureGrants(
  problems: Problems,
  lists: ParsedLists<AzurePrincipalRef, AzureScope, AzureRoleRef>,
  kind: AzureGrant['kind'],
): AzureGrant[] {
  return crossProduct(problems, lists, (written, principal, scope, role) => ({
    cloud: 'azure' as const,
    kind,
    written,
    principal,
    scope,
    role,
  }));
}

/**
 * `duration`: a time-bound assignment made through a PIM schedule request, which Azure itself ends.
 * PIM names the assignment itself and its request has no delegated identity, so the inputs that
 * set those on a plain role assignment cannot go with it.
 */
function timeBound(
  problems: Problems,
  read: InputReader,
  plain: { assignmentName: string | undefined; delegated: string | undefined },
): Duration | undefined {
  const text = read('duration').trim();
  if (text === '') return undefined;
  const parsed = parseDuration(text);
  if (typeof parsed === 'string') {
    problems.add('duration', `\`${printable(text)}\` ${parsed}`);
    return undefined;
  }
  if (parsed.ms < PIM_MINIMUM_MS)
    problems.add(
      'duration',
      `\`${printable(text)}\` is shorter than 5 minutes, the shortest assignment Azure PIM makes`,
      'use `PT5M` or more',
    );
  else if (parsed.ms > PIM_LONGEST_MS)
    problems.add(
      'duration',
      `\`${printable(text)}\` is longer than a year, the longest assignment a PIM policy allows`,
      'use `P365D` or less, or leave `duration` empty for a permanent assignment',
    );
  if (plain.assignmentName)
    problems.add(
      'assignment-name',
      'cannot be used with `duration`: Azure PIM names a time-bound assignment itself',
      'remove `assignment-name`',
    );
  if (plain.delegated)
    problems.add(
      'delegated-managed-identity-resource-id',
      'cannot be used with `duration`: a PIM schedule request has no delegated managed identity',
      'remove it, or leave `duration` empty for a permanent assignment',
    );
  return parsed;
}

/**
 * The targets a read names (a report's, a sweep's), by form, each once: the scopes, and the
 * `group:` targets, whose PIM-for-groups memberships are read (a scope reads no group).
 */
export function readTargets(
  problems: Problems,
  targets: string[],
): { scopes: AzureScope[]; groups: AzureGroupRef[] } {
  const ofGroups = targets.filter(isGroupTarget).map((t) => t.trim().slice(GROUP_TARGET_PREFIX.length));
  return {
    scopes: unique(
      scopes(
        problems,
        targets.filter((t) => !isGroupTarget(t)),
      ).map((s) => s.value),
      (s) => scopeKey(s.scope),
    ),
    groups: unique(
      groupRefs(problems, ofGroups, 'target').map((g) => g.value),
      principalKey,
    ),
  };
}
