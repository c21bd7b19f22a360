// PIM for groups (Microsoft Graph v1.0 `identityGovernance/privilegedAccess/group/…`): the records
// of its schedule requests and schedules, which groups PIM manages (onboarded by their first
// request), and each group's policy as the tests set it. What Graph answers of them: ../graph/pim-groups*.ts.

/** `accessId`: "The possible values are: `owner`, `member`" (privilegedAccessGroupRelationships). */
export type GroupAccess = 'member' | 'owner';
/** An active membership (assignmentSchedule…) or an eligible one (eligibilitySchedule…). */
export type GroupPimKind = 'assignment' | 'eligibility';

export interface GroupExpiration {
  type: 'noExpiration' | 'afterDuration' | 'afterDateTime';
  endDateTime: string | null;
  duration: string | null;
}

export interface GroupRequestRecord {
  id: string;
  kind: GroupPimKind;
  /** `selfActivate`: a person's activation of their eligible membership, as staged (../pim-groups-api.ts). */
  action: 'adminAssign' | 'adminRemove' | 'selfActivate';
  accessId: GroupAccess;
  principalId: string;
  groupId: string;
  /** Its status until `settleAt`; then `outcome`. */
  status: string;
  outcome: string;
  settleAt: number;
  /**
   * When the schedule instance of what it provisions appears in …ScheduleInstances:
   * config.groupPimInstanceDelayMs after `settleAt`.
   */
  instanceAt: number;
  createdAt: number;
  completedAt: number | null;
  startDateTime: string;
  expiration: GroupExpiration;
  /** afterDuration's length (ms), as parsed when the request came; null otherwise. */
  durationMs: number | null;
  justification: string | null;
  ticketNumber: string | null;
  ticketSystem: string | null;
  /**
   * Who sent it, an identitySet: an application's token (no `scp`) or a user's, by object ID; the
   * other member null.
   */
  createdBy: {
    application: { id: string } | null;
    user: { id: string; displayName?: string | null } | null;
  };
  targetScheduleId: string;
}

export interface GroupScheduleRecord {
  id: string;
  /** The ID of its instance (Graph's instances have IDs of their own). */
  instanceId: string;
  /** When its instance appears (its request's `instanceAt`): until then only the schedule is listed. */
  instanceAt: number;
  kind: GroupPimKind;
  accessId: GroupAccess;
  principalId: string;
  groupId: string;
  start: number;
  /** null: no end. */
  end: number | null;
  expiration: GroupExpiration;
  /** The request that made it (Graph's `createdUsing`). */
  createdUsing: string;
  createdAt: number;
  modifiedAt: number;
  /** When an adminRemove ended it. */
  removedAt?: number;
}

/**
 * The rules of a group's policy the emulator enforces on an admin's requests, per `accessId`:
 * Expiration_Admin_Assignment, Expiration_Admin_Eligibility and Enablement_Admin_Assignment's
 * Justification. The defaults are those of the documented example (policyroot-list-
 * rolemanagementpolicyassignments, Example 4): both expirations required, P180D and P365D.
 */
export interface GroupPolicySettings {
  assignmentExpirationRequired: boolean;
  assignmentMaximumDuration: string;
  eligibilityExpirationRequired: boolean;
  eligibilityMaximumDuration: string;
  justificationRequired: boolean;
}

export const defaultGroupPolicy = (): GroupPolicySettings => ({
  assignmentExpirationRequired: true,
  assignmentMaximumDuration: 'P180D',
  eligibilityExpirationRequired: true,
  eligibilityMaximumDuration: 'P365D',
  justificationRequired: true,
});

export class GroupPimStore {
  readonly requests: GroupRequestRecord[] = [];
  readonly schedules: GroupScheduleRecord[] = [];
  /** Groups PIM manages (lower-case IDs): onboarded by a test, or by the first request for them. */
  readonly onboarded = new Set<string>();
  /** Overrides of the default policy, by `<groupId>:<accessId>` (either part `*`: any). */
  readonly policies = new Map<string, Partial<GroupPolicySettings>>();

  policyOf(groupId: string, accessId: GroupAccess): GroupPolicySettings {
    const g = groupId.toLowerCase();
    return Object.assign(
      defaultGroupPolicy(),
      this.policies.get('*:*'),
      this.policies.get(`${g}:*`),
      this.policies.get(`*:${accessId}`),
      this.policies.get(`${g}:${accessId}`),
    ) as GroupPolicySettings;
  }

  /** The schedules in force at `now` (started or not: Graph's schedules show future ones too). */
  current(now: number): GroupScheduleRecord[] {
    return this.schedules.filter((s) => s.removedAt === undefined && (s.end === null || s.end > now));
  }

  /**
   * The schedules whose instance is listed at `now`: started, and past their `instanceAt` (an
   * instance follows its request's provisioning by config.groupPimInstanceDelayMs).
   */
  withInstances(now: number): GroupScheduleRecord[] {
    return this.current(now).filter((s) => s.start <= now && s.instanceAt <= now);
  }
}
