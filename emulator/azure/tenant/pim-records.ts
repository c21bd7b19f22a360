// PIM's records and settings as the emulator keeps them: statuses, requests, schedules, and what a
// role's policy says. A leaf module: the state, the config and the handlers all read it, and it
// reads none of them.
import type { Scope } from './scope.js';

export type EnablementRule = 'MultiFactorAuthentication' | 'Justification' | 'Ticketing';
/** What a role's policy says about admin-made active assignments (AdminAssign, AdminRemove). */
export interface PimPolicySettings {
  /** Expiration_Admin_Assignment.isExpirationRequired: false allows permanent (NoExpiration) assignments. */
  isExpirationRequired: boolean;
  /**
   * Expiration_Admin_Assignment.maximumDuration (ISO 8601). Enforced only when expiration is
   * required: the portal greys out "Expire active assignments after" while permanent active
   * assignments are allowed (inference, unconfirmed for the API).
   */
  maximumDuration: string;
  /** Enablement_Admin_Assignment.enabledRules. */
  enabledRules: EnablementRule[];
  /**
   * Emulator switch: AdminAssign requests wait for an approval that never comes (PendingApproval
   * until cancelled). Shown as Approval_EndUser_Assignment's isApprovalRequired, the only approval
   * rule there is; the service applies that rule to activations, not to AdminAssign (the policy's
   * rule targets in
   * __tests__/fixtures/contracts/azure/2020-10-01/examples/GetRoleManagementPolicyByScope.json).
   */
  approvalRequired: boolean;
}

/**
 * The emulator's default policy. The facts' example policy has Expiration_Admin_Assignment
 * `isExpirationRequired: false, maximumDuration: "P90D"` (a customised policy: it also requires
 * MFA and justification); P180D ("6 months") is the maximum Microsoft's default policies show
 * (unconfirmed as the default for every tenant). No enablement rule and no approval, so the happy
 * path works.
 */
export const defaultPimPolicy = (): PimPolicySettings => ({
  isExpirationRequired: false,
  maximumDuration: 'P180D',
  enabledRules: [],
  approvalRequired: false,
});

/**
 * The `status` enum, identical for requests, schedules and instances
 * (__tests__/fixtures/contracts/azure/2020-10-01/RoleAssignmentScheduleRequest.json).
 */
export const PIM_STATUSES = [
  'Accepted',
  'PendingEvaluation',
  'Granted',
  'Denied',
  'PendingProvisioning',
  'Provisioned',
  'PendingRevocation',
  'Revoked',
  'Canceled',
  'Failed',
  'PendingApprovalProvisioning',
  'PendingApproval',
  'FailedAsResourceIsLocked',
  'PendingAdminDecision',
  'AdminApproved',
  'AdminDenied',
  'TimedOut',
  'ProvisioningStarted',
  'Invalid',
  'PendingScheduleCreation',
  'ScheduleCreated',
  'PendingExternalProvisioning',
] as const;
export type PimStatus = (typeof PIM_STATUSES)[number];

/**
 * Statuses a request does not leave: success (`Provisioned`, and `Revoked` for a removal) and the
 * failures. Which statuses are terminal is not documented; this follows terraform's pending list
 * (azurerm_pim_active_role_assignment's delete cancels a request still `PendingApproval`,
 * `PendingApprovalProvisioning`, `PendingEvaluation`, `Granted`, `PendingProvisioning` or
 * `PendingAdminDecision`) and takes the other failures for terminal (inference, unconfirmed).
 * Only the others can be cancelled.
 */
export const TERMINAL_STATUSES: ReadonlySet<PimStatus> = new Set<PimStatus>([
  'Provisioned',
  'Revoked',
  'Canceled',
  'Denied',
  'Failed',
  'FailedAsResourceIsLocked',
  'AdminDenied',
  'TimedOut',
  'Invalid',
]);

export type ExpirationType = 'AfterDuration' | 'AfterDateTime' | 'NoExpiration';

export interface PimRequestRecord {
  /** The GUID name, lower case. */
  name: string;
  scope: Scope;
  roleGuid: string;
  principalId: string;
  principalType: string;
  /** SelfActivate: a person's activation of their eligibility, staged (activation-api.ts). */
  requestType: 'AdminAssign' | 'AdminRemove' | 'SelfActivate';
  scheduleInfo: {
    startDateTime: string;
    expiration: { type: ExpirationType; endDateTime: string | null; duration: string | null };
  } | null;
  justification: string | null;
  ticketInfo: { ticketNumber: string | null; ticketSystem: string | null };
  condition: string | null;
  conditionVersion: string | null;
  /** The caller's object ID. */
  requestorId: string;
  createdOn: string;
  status: PimStatus;
  /** While `Accepted`: when it takes `outcome`. */
  dueAt?: number;
  outcome?: PimStatus;
  approvalId: string | null;
  /** AdminAssign: the schedule it creates; AdminRemove: the one it ends (or the permanent assignment's name). */
  targetScheduleName: string | null;
  targetInstanceName: string | null;
  /** AdminAssign: the window of the schedule it creates (endMs null: no expiration). */
  startMs?: number;
  endMs?: number | null;
  /** AdminRemove: what it ends. */
  removes?: { kind: 'schedule' | 'assignment'; name: string };
  /** SelfActivate: the eligibility schedule it activates (`linkedRoleEligibilityScheduleId`). */
  linkedEligibilityScheduleName?: string;
}

export interface PimScheduleRecord {
  /** The GUID name, lower case. */
  name: string;
  scope: Scope;
  roleGuid: string;
  principalId: string;
  principalType: string;
  requestName: string | null;
  requestorId: string | null;
  startMs: number;
  endMs: number | null;
  /** When the request was provisioned: nothing is active before. */
  provisionedAt: number;
  condition: string | null;
  conditionVersion: string | null;
  /** The plain role assignment (and instance) it makes. */
  assignmentName: string;
  /** Its role assignment has been added to state.assignments. */
  materialized: boolean;
  /** When an AdminRemove (or a DELETE of its role assignment) ended it. */
  removedAt?: number;
}
