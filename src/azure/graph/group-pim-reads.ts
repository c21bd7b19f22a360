// What PIM for groups holds, read through Graph v1.0: the memberships of groups (their schedule
// instances, or their schedules with the request that made each, `createdUsing`), one query per
// group (Graph requires the `groupId eq` filter) sent in `$batch` requests of at most 20; and a
// group's PIM policy (`policies/roleManagementPolicyAssignments` with `scopeType eq 'Group'`): whether
// PIM manages the group at all, and its admins' maximum durations, which bound `duration`.
import { heldDirectly as heldByItself } from '../sdk/member-type.js';
import { describeDuration, parseServiceDuration, type Duration } from '../../core/duration.js';
import type { GraphError } from './client.js';
import {
  COLLECTION,
  objectIdOf,
  GROUP_PIM_BASE,
  type GroupAccess,
  type GroupMembershipKind,
  type GroupPim,
} from './group-pim.js';

/** One membership as a group's schedule instance (or schedule) shows it. */
export interface GroupMembershipRecord {
  /** The instance's (or schedule's) ID. */
  id: string;
  kind: GroupMembershipKind;
  groupId: string;
  principalId: string;
  access: GroupAccess;
  start: string | undefined;
  end: string | undefined;
  /** An instance's schedule (`assignmentScheduleId` / `eligibilityScheduleId`); a schedule's own ID. */
  scheduleId: string | undefined;
  /** A schedule's: the ID of the request that made it. */
  createdUsing: string | undefined;
  /**
   * How the principal holds it, in lower case: `direct`, or `group` for a membership held through
   * another group (Graph's privilegedAccessGroupMemberType writes `direct` / `group`; compared
   * without regard to case all the same).
   */
  memberType: string | undefined;
  /** The `accessId` Graph sent when it is neither `member` nor `owner`: what it is is not known. */
  accessUnknown?: string;
}

export type GroupMembershipsAnswer =
  { ok: true; memberships: GroupMembershipRecord[] } | { ok: false; failure: GraphError };

/**
 * Every membership of `kind` in each group, by group ID: what is in force now (`instances`), or
 * with the schedules the request that made each (`schedules`). One query per group, batched.
 */
export async function readGroupMemberships(
  pim: GroupPim,
  groupIds: readonly string[],
  kind: GroupMembershipKind,
  what: 'instances' | 'schedules' = 'instances',
): Promise<Map<string, GroupMembershipsAnswer>> {
  const ids = [...new Set(groupIds.map((g) => objectIdOf(g, 'group')))];
  const collection = `${COLLECTION[kind]}Schedule${what === 'instances' ? 'Instances' : 's'}`;
  const queries = ids.map((id, i) => ({
    id: String(i),
    path: `${GROUP_PIM_BASE}/${collection}?$filter=${encodeURIComponent(`groupId eq '${id}'`)}`,
  }));
  const answers = await pim.calls.run(queries);
  const byGroup = new Map<string, GroupMembershipsAnswer>();
  ids.forEach((id, i) => {
    const answer = answers.get(String(i))!;
    byGroup.set(
      id,
      answer.ok
        ? {
            ok: true,
            // Only the group asked about: an item Graph says is of another group is not this one's
            // (nor proof of that one's: its own read says what it holds).
            memberships: answer.items
              .map((item) => membershipOf(item, kind))
              .filter((m) => m.groupId === id.toLowerCase()),
          }
        : answer,
    );
  });
  return byGroup;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * A membership the principal holds itself: `memberType` `direct`, or none said. One held through
 * another group (`group`) is that group's; any other value is not known to be the principal's own.
 */
export const heldDirectly = (m: Pick<GroupMembershipRecord, 'memberType'>): boolean =>
  heldByItself(m.memberType);

/** One instance (or schedule) as Graph lists it. */
export function membershipOf(
  item: Record<string, unknown>,
  kind: GroupMembershipKind,
): GroupMembershipRecord {
  const schedule = (item.scheduleInfo ?? {}) as { startDateTime?: unknown };
  const isSchedule = item.scheduleInfo !== undefined;
  // Graph writes its enums' values as its metadata names them (`member`, `owner`, `direct`,
  // `group`); read without regard to case, as a value Graph documents in one case may come in another.
  const accessId = str(item.accessId);
  const access = accessId?.toLowerCase();
  return {
    ...(access === 'owner' || access === 'member' ? {} : { accessUnknown: accessId ?? '(none)' }),
    id: str(item.id) ?? '',
    kind,
    groupId: (str(item.groupId) ?? '').toLowerCase(),
    principalId: (str(item.principalId) ?? '').toLowerCase(),
    access: access === 'owner' ? 'owner' : 'member',
    start: str(item.startDateTime) ?? str(schedule.startDateTime),
    end: str(item.endDateTime),
    scheduleId: isSchedule
      ? str(item.id)
      : (str(item.assignmentScheduleId) ?? str(item.eligibilityScheduleId)),
    createdUsing: str(item.createdUsing),
    memberType: str(item.memberType)?.toLowerCase(),
  };
}

/** An admin's expiration rule of a group's policy: whether an end is required, and the longest. */
export interface GroupExpirationRule {
  required: boolean;
  /** As the policy states it (`P180D`). */
  maximum: string | undefined;
  maximumMs: number | undefined;
}

/** A group's PIM policy, per accessId: its admins' expiration rules (active and eligible). */
export interface GroupPimPolicy {
  groupId: string;
  /** PIM manages the group: its policy assignments exist. A group's first PIM request onboards it, for good. */
  onboarded: boolean;
  rules: Partial<Record<GroupAccess, Record<GroupMembershipKind, GroupExpirationRule | undefined>>>;
}

/** The group's policy, read once (the caller keeps it for the step). */
export async function readGroupPolicy(pim: GroupPim, groupId: string): Promise<GroupPimPolicy> {
  const id = objectIdOf(groupId, 'group');
  const filter = encodeURIComponent(`scopeId eq '${id}' and scopeType eq 'Group'`);
  const path = `/v1.0/policies/roleManagementPolicyAssignments?$filter=${filter}&$expand=${encodeURIComponent('policy($expand=rules)')}`;
  const answer = (await pim.calls.get('Graph_RoleManagementPolicyAssignments_List', path)) as {
    value?: { roleDefinitionId?: unknown; policy?: { rules?: Record<string, unknown>[] } }[];
  };
  const rules: GroupPimPolicy['rules'] = {};
  for (const assignment of answer?.value ?? []) {
    const access = str(assignment.roleDefinitionId);
    if (access !== 'member' && access !== 'owner') continue;
    const ruleOf = (ruleId: string) => expirationRule(assignment.policy?.rules?.find((r) => r.id === ruleId));
    rules[access] = {
      active: ruleOf('Expiration_Admin_Assignment'),
      eligible: ruleOf('Expiration_Admin_Eligibility'),
    };
  }
  return { groupId: id, onboarded: (answer?.value ?? []).length > 0, rules };
}

function expirationRule(rule: Record<string, unknown> | undefined): GroupExpirationRule | undefined {
  if (!rule) return undefined;
  const maximum = str(rule.maximumDuration);
  return { required: rule.isExpirationRequired === true, maximum, maximumMs: parseServiceDuration(maximum) };
}

/**
 * Why the group's policy refuses a membership of `kind` and `access` for `duration` (absent: no
 * end), in words naming the policy's maximum; undefined when it allows it or the rule is unknown.
 */
export function policyRefusal(
  policy: GroupPimPolicy,
  access: GroupAccess,
  kind: GroupMembershipKind,
  duration: Duration | undefined,
): string | undefined {
  const rule = policy.rules[access]?.[kind];
  if (!rule?.required) return undefined;
  const max =
    rule.maximumMs === undefined ? '' : ` of at most ${rule.maximum} (${describeDuration(rule.maximumMs)})`;
  const what = `${kind} ${access} memberships of group ${policy.groupId}`;
  if (!duration) return `the group's PIM policy requires an end${max} for ${what}: set \`duration\``;
  if (rule.maximumMs !== undefined && duration.ms > rule.maximumMs)
    return `\`duration\` ${duration.iso} is longer than the group's PIM policy allows for ${what}${max}`;
  return undefined;
}
