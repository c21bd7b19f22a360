// PIM eligibility's records (roleEligibilityScheduleRequests and the schedules they make, api-version
// 2020-10-01) and what a role's policy says of admin-made eligibilities. A leaf module beside
// ./pim-records.ts: the state, the config and the handlers read it, and it reads none of them.
import type { Scope } from './scope.js';
import type { ExpirationType, PimStatus } from './pim-records.js';

/** The request types the emulator serves for eligibility (the swagger's enum has SelfActivate and others too). */
export type EligibilityRequestType = 'AdminAssign' | 'AdminRemove' | 'AdminUpdate' | 'AdminExtend';

/** Expiration_Admin_Eligibility (RoleManagementPolicyExpirationRule, target level Eligibility). */
export interface EligibilityPolicySettings {
  /** false allows eligibilities without an end ("permanent eligible"). */
  isExpirationRequired: boolean;
  /** ISO 8601; the longest eligibility an admin may make when expiration is required. */
  maximumDuration: string;
}

/**
 * As the portal shows a role's default settings: "Maximum allowed eligible duration is 1 year(s)",
 * permanent eligibility not allowed (hashicorp/terraform-provider-azurerm#22766).
 */
export const defaultEligibilityPolicy = (): EligibilityPolicySettings => ({
  isExpirationRequired: true,
  maximumDuration: 'P365D',
});

/**
 * One role's policy at one scope (`scope` and `role` absent: every scope, every role); later
 * entries win over earlier ones (`setEligibilityPolicy`).
 */
export interface EligibilityPolicyOverride extends Partial<EligibilityPolicySettings> {
  /** A scope (`/subscriptions/…`); the policy holds there only, as PIM's role settings are per resource. */
  scope?: string;
  /** A role GUID, role definition ID or role name. */
  role?: string;
}

export interface EligibilityRequestRecord {
  /** The GUID name, lower case. */
  name: string;
  scope: Scope;
  roleGuid: string;
  principalId: string;
  principalType: string;
  requestType: EligibilityRequestType;
  scheduleInfo: {
    startDateTime: string;
    expiration: { type: ExpirationType; endDateTime: string | null; duration: string | null };
  } | null;
  justification: string | null;
  ticketInfo: { ticketNumber: string | null; ticketSystem: string | null };
  condition: string | null;
  conditionVersion: string | null;
  requestorId: string;
  /** ms since the epoch: `createdOn`, and what the request's retention counts from. */
  createdAt: number;
  status: PimStatus;
  /** AdminAssign / AdminUpdate / AdminExtend: the schedule made; AdminRemove: the one ended. */
  targetScheduleName: string | null;
  /** AdminRemove: the instance ended. */
  targetInstanceName: string | null;
}

export interface EligibilityScheduleRecord {
  /** The GUID name, lower case: new each time the eligibility is changed. */
  name: string;
  scope: Scope;
  roleGuid: string;
  principalId: string;
  principalType: string;
  /** The request that made it (its name): the last AdminAssign, AdminUpdate or AdminExtend. */
  requestName: string;
  startMs: number;
  /** null: no end. */
  endMs: number | null;
  createdAt: number;
  updatedAt: number;
  condition: string | null;
  conditionVersion: string | null;
  /** Its instance's GUID name (one instance while it is active). */
  instanceName: string;
  /** When an AdminRemove ended it, or an AdminUpdate / AdminExtend replaced it. */
  endedAt?: number;
}

/** PIM eligibility's data, kept in AzureState. */
export class EligibilityStore {
  /** Every request, however old: reads stop showing them after config.eligibilityRequestRetentionMs. */
  readonly requests: EligibilityRequestRecord[] = [];
  /** Every schedule, ended and replaced ones included (reads show current and future ones). */
  readonly schedules: EligibilityScheduleRecord[] = [];
}
