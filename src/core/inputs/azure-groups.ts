// `target: group:<display name or object ID>`: the grants are memberships of Entra groups through
// PIM for groups (core/kinds/azure-pim-group.ts), `role: member` or `owner`, and `pim-onboard`,
// which alone lets a step's first request onboard a group PIM does not manage yet. Checked before
// any request, every problem at once. Pure.
import { unsafePathReason } from '../azure-scope.js';
import { GROUP_ACCESS } from '../kinds/azure-pim-group.js';
import { groupKindOf } from '../kinds/index.js';
import { GUID } from '../patterns.js';
import type { AzurePrincipalRef } from '../principal-forms.js';
import type { AssignmentType, AzureGroupGrant, AzureGroupRef, GroupAccess } from '../types.js';
import type { AzureConfig, CommonConfig, GroupWriteOptions } from './config.js';
import { booleanInput, printable, type InputReader, type Problems } from './fields.js';
import { crossProduct, type Parsed } from './grants.js';

export const GROUP_PREFIX = 'group:';

/** Whether the step's targets name groups (any of them does: then all must). */
export const targetsGroups = (targets: readonly string[]): boolean =>
  targets.some((t) => t.trim().toLowerCase().startsWith(GROUP_PREFIX));

/** A group's display name: Entra allows up to 256 characters; no control or invisible characters. */
function groupRef(problems: Problems, text: string): Parsed<AzureGroupRef> | undefined {
  if (!text.trim().toLowerCase().startsWith(GROUP_PREFIX)) {
    problems.add(
      'target',
      `\`${printable(text)}\` is not a group, and the other targets are: one step grants memberships of groups or role assignments at scopes, not both`,
      'split the targets over two steps',
    );
    return undefined;
  }
  const name = text.trim().slice(GROUP_PREFIX.length).trim();
  if (GUID.test(name))
    return { written: `group:${name.toLowerCase()}`, value: { kind: 'id', id: name.toLowerCase() } };
  const unsafe = name.length === 0 ? 'it names no group' : unsafePathReason(name.replaceAll('/', '_'));
  if (unsafe || name.length > 256) {
    problems.add(
      'target',
      `\`${printable(text)}\` is not a group: ${unsafe ?? 'a group display name has at most 256 characters'}`,
      'write `group:` followed by the group’s display name or object ID',
    );
    return undefined;
  }
  return { written: `group:${name}`, value: { kind: 'name', name } };
}

/**
 * An access policy rule's `group:` targets (core/manifest/access-policy.ts), checked as a step's
 * are, each problem at its line: an Azure rule's only, every target a group, each role `member`
 * or `owner`. A rule without group targets is left to the request's own checks.
 */
export function groupTargetProblems(
  at: (line: number, message: string, fix?: string) => undefined,
  cloud: string | undefined,
  targets: readonly { text: string; line: number }[],
  roles: readonly { text: string; line: number }[],
): void {
  const first = targets.find((t) => targetsGroups([t.text]));
  if (!first) return;
  if (cloud !== 'azure') {
    at(
      first.line,
      `\`target\` \`${printable(first.text)}\` is an Entra group, which only an Azure rule grants`,
      'set `cloud: azure` on the rule, or name accounts and OUs',
    );
    return;
  }
  const atLine = (line: number): Problems => ({
    list: [],
    add: (input, message, fix) => at(line, `\`${input}\` ${message}`, fix),
  });
  for (const t of targets) groupRef(atLine(t.line), t.text);
  for (const r of roles) groupAccess(atLine(r.line), [r.text]);
}

/** `role` of a membership: `member` or `owner` (Graph's `accessId`). */
function groupAccess(problems: Problems, roles: readonly string[]): Parsed<GroupAccess>[] {
  return roles.flatMap((role) => {
    const word = role.trim().toLowerCase();
    if ((GROUP_ACCESS as readonly string[]).includes(word))
      return [{ written: word, value: word as GroupAccess }];
    problems.add(
      'role',
      `\`${printable(role)}\` is not a role of a group membership: with \`target: group:…\` the role is \`member\` or \`owner\``,
      'set `role: member` (or `owner`), or target a scope for an Azure role',
    );
    return [];
  });
}

/** What a role assignment takes and a membership of a group cannot: each set is refused, naming it. */
const ASSIGNMENT_ONLY = [
  'assignment-name',
  'condition',
  'condition-version',
  'delegated-managed-identity-resource-id',
] as const;

/** The operations whose `target` may name groups: a reconcile's come from its manifest. */
export const GROUP_TARGET_OPERATIONS: readonly string[] = ['assign', 'revoke', 'request'];

type GroupLists = {
  principals: Parsed<AzurePrincipalRef>[];
  targets: readonly string[];
  roles: readonly string[];
};

/**
 * The memberships a step's group targets make (every principal × group × role), of the kind of its
 * word (`assignment-type`), with `pim-onboard`; problems for each input that cannot go with them.
 * A request's `pim-onboard` is refused: what a request may onboard is the policy's, not the asker's.
 */
export function groupGrants(
  problems: Problems,
  read: InputReader,
  lists: GroupLists,
  type: AssignmentType,
  common: Pick<CommonConfig, 'run' | 'revokeOnExit' | 'operation'>,
): { grants: AzureGroupGrant[]; groups: GroupWriteOptions } {
  assignmentOnly(problems, (input) => read(input).trim() !== '');
  const pimOnboard =
    common.operation === 'request'
      ? (checkPimOnboardUnused(problems, read, REQUEST_ONBOARDS_NOTHING), false)
      : booleanInput(problems, read, 'pim-onboard', false);
  return { grants: memberships(problems, lists, type), groups: groupWriteOptions(common, pimOnboard) };
}

/**
 * An allowed request's memberships (core/inputs/request-grant.ts): the policy's person × the rule's
 * (or the asked) groups and roles, written with the run's marker; a request never onboards a group.
 */
export function requestedMemberships(
  problems: Problems,
  config: Pick<AzureConfig, 'run' | 'assignmentType' | 'assignmentName' | 'condition'> & {
    delegatedManagedIdentityResourceId?: string | undefined;
  },
  lists: GroupLists,
): { grants: AzureGroupGrant[]; groups: GroupWriteOptions } {
  const set: Record<(typeof ASSIGNMENT_ONLY)[number], unknown> = {
    'assignment-name': config.assignmentName,
    condition: config.condition,
    'condition-version': undefined,
    'delegated-managed-identity-resource-id': config.delegatedManagedIdentityResourceId,
  };
  assignmentOnly(problems, (input) => set[input] !== undefined);
  const grants = memberships(problems, lists, config.assignmentType ?? 'active');
  return { grants, groups: groupWriteOptions({ run: config.run, revokeOnExit: false }, false) };
}

function assignmentOnly(
  problems: Problems,
  isSet: (input: (typeof ASSIGNMENT_ONLY)[number]) => boolean,
): void {
  for (const input of ASSIGNMENT_ONLY)
    if (isSet(input))
      problems.add(
        input,
        'cannot be used with `target: group:…`: a group membership has none',
        `remove \`${input}\``,
      );
}

function memberships(problems: Problems, lists: GroupLists, type: AssignmentType): AzureGroupGrant[] {
  const targets = lists.targets.flatMap((t) => groupRef(problems, t) ?? []);
  const roles = groupAccess(problems, lists.roles);
  const kind = groupKindOf(type);
  return crossProduct(
    problems,
    { principals: lists.principals, targets, roles },
    (written, principal, group, access): AzureGroupGrant => ({
      cloud: 'azure',
      kind,
      written,
      principal,
      group,
      access,
    }),
  );
}

/** The run each request's justification and ticketInfo name; none outside a run. */
function groupWriteOptions(
  common: Pick<CommonConfig, 'run' | 'revokeOnExit'>,
  pimOnboard: boolean,
): GroupWriteOptions {
  const { repository, runId, runAttempt } = common.run;
  const inRun = repository && runId && runAttempt;
  const runUrl = runPageOf(common.run);
  return {
    pimOnboard,
    ...(inRun ? { mark: { repository, runId, attempt: runAttempt, ephemeral: common.revokeOnExit } } : {}),
    ...(runUrl ? { runUrl } : {}),
  };
}

/** The run's page, which each membership request's `ticketInfo` names; none outside a run. */
function runPageOf({ repository, runId, serverUrl }: CommonConfig['run']): string | undefined {
  return repository && runId
    ? `${serverUrl ?? 'https://github.com'}/${repository}/actions/runs/${runId}`
    : undefined;
}

/**
 * `pim-onboard` in a step without group targets: a reconcile's memberships (its manifest's
 * `azure.groups`) take it, as an assign's do; elsewhere it onboards nothing and is refused.
 */
export function pimOnboardWithoutTargets(
  problems: Problems,
  read: InputReader,
  common: Pick<CommonConfig, 'operation' | 'run'>,
): { groups?: GroupWriteOptions } {
  if (common.operation === 'reconcile') {
    const runUrl = runPageOf(common.run);
    return {
      groups: {
        pimOnboard: booleanInput(problems, read, 'pim-onboard', false),
        ...(runUrl ? { runUrl } : {}),
      },
    };
  }
  checkPimOnboardUnused(problems, read);
  return {};
}

const ONBOARDS_NOTHING = {
  problem: 'applies to `target: group:…` only: it lets the first PIM request onboard a group',
  fix: 'remove `pim-onboard`',
};
const REQUEST_ONBOARDS_NOTHING = {
  problem:
    "is not an input of `operation: request`: a request never onboards a group to PIM (an assign's `pim-onboard: true` does, once)",
  fix: 'remove `pim-onboard`',
};

/** `pim-onboard` where it onboards nothing: refused rather than ignored. */
function checkPimOnboardUnused(
  problems: Problems,
  read: InputReader,
  why: { problem: string; fix: string } = ONBOARDS_NOTHING,
): void {
  const value = read('pim-onboard').trim().toLowerCase();
  if (value !== '' && value !== 'false') problems.add('pim-onboard', why.problem, why.fix);
}
