// The knobs of the Azure emulator: service behaviour (config) and injected faults.
import { takeHtmlPage, type HtmlPage, type TransportFaults } from '../../common/http.js';
import { defaultPimPolicy, type PimPolicySettings, type PimStatus } from './pim-records.js';
import {
  defaultEligibilityPolicy,
  type EligibilityPolicyOverride,
  type EligibilityPolicySettings,
} from './eligibility-records.js';

export interface TokenBucketConfig {
  capacity: number;
  refillPerSecond: number;
}

export interface AzureConfig {
  /** Lifetime of the Entra access tokens (`expires_in`). */
  accessTokenLifetimeSeconds: number;
  /**
   * A principal created less than this long ago is not in the directory yet for ARM: creating a
   * role assignment for it answers PrincipalNotFound ("… might be related to a replication delay").
   */
  principalReplicationDelayMs: number;
  /**
   * Real ARM skips the directory lookup when the request names a principalType (the reason
   * PrincipalNotFound's message tells you to set it). Off by default so tests can exercise the
   * replication window with the action, which always sends principalType.
   */
  principalTypeSkipsReplicationCheck: boolean;
  /** A new assignment is invisible to GET and list (and a deleted one still visible) for this long. */
  readAfterWriteDelayMs: number;
  /** Page size of the list operations (`nextLink` beyond it). */
  pageSize: number;
  /** "Subscription writes: bucket 200, refill 10 per second" (ARM request limits, token bucket model). */
  writes: TokenBucketConfig;
  deletes: TokenBucketConfig;
  /** "Subscription reads: bucket 250, refill 25 per second." */
  reads: TokenBucketConfig;
  /** The global (cross-region) buckets are this many times the regional ones. */
  globalMultiplier: number;
  /** "Azure supports up to 4000 role assignments per subscription" (RBAC troubleshooting). */
  maxAssignmentsPerSubscription: number;
  /** "500 role assignments per management group." */
  maxAssignmentsPerManagementGroup: number;
  /** Retry-After (seconds) sent with an injected (fault) 429. */
  faultRetryAfterSeconds: number;

  // ---- Microsoft Graph ----
  /**
   * The application permissions (app roles) an admin consented for the app: the `roles` claim of
   * the Graph tokens Entra issues. Empty: a fresh federated app, refused with 403 by every route.
   */
  graphRoles: string[];
  /** Graph's default page size (`$top` overrides, up to 999). */
  graphPageSize: number;
  /** Retry-After (seconds) of a throttled (fault) Graph answer. */
  graphRetryAfterSeconds: number;

  // ---- PIM (roleAssignmentSchedule*, roleManagementPolic*, api-version 2020-10-01) ----
  /**
   * The tenant has an Entra ID P2 / Governance licence. Without it every PIM call answers 400
   * AadPremiumLicenseRequired "The tenant needs an AAD Premium 2 license."
   * (JulianHayward/Azure-MG-Sub-Governance-Reporting#114; PIM's licence:
   * https://learn.microsoft.com/entra/id-governance/licensing-fundamentals).
   */
  pimLicense: boolean;
  /**
   * A schedule request is `Accepted` for this long, then takes its outcome (`Provisioned`, …),
   * as GET shows it. 0 answers the PUT with the outcome, as the swagger examples show.
   */
  pimProvisioningDelayMs: number;
  /**
   * AdminRemove within this long of the assignment's start answers 400 ActiveDurationTooShort:
   * "Can't be removed within five minutes of it being assigned" (entra-docs).
   */
  pimMinimumActiveMs: number;
  /** AdminAssign for a shorter window answers 400: "Can't be assigned for a duration of less than five minutes". */
  pimMinimumDurationMs: number;
  /** Every role's policy (`setPimPolicy(settings)`). */
  pimPolicy: PimPolicySettings;
  /** Per role, by role GUID or name: overrides of pimPolicy (`setPimPolicy(settings, role)`). */
  pimPolicies: Record<string, Partial<PimPolicySettings>>;
  /** Expiration_Admin_Eligibility of every role at every scope (`setEligibilityPolicy(settings)`). */
  eligibilityPolicy: EligibilityPolicySettings;
  /** Per scope and role: overrides of eligibilityPolicy, later ones winning (`setEligibilityPolicy(settings, at)`). */
  eligibilityPolicies: EligibilityPolicyOverride[];
  /**
   * Eligibility requests older than this are no longer returned (GET 404, absent from lists) while
   * the schedules they made stay: "Requests … expire after 45 days, so after this time we can only
   * partially populate the resource attributes from the Schedule" (terraform-provider-azurerm's
   * pim_eligible_role_assignment_resource.go Read comment; no Microsoft page states the number).
   */
  eligibilityRequestRetentionMs: number;
  /**
   * Role assignment schedule requests (an activation's SelfActivate among them) older than this
   * are no longer returned (GET 404, absent from lists): "Request records expire after 45 days"
   * (terraform-provider-azurerm's pim_active_role_assignment_resource.go Read comment; no
   * Microsoft page states the number).
   */
  assignmentRequestRetentionMs: number;
  /**
   * A PIM-for-groups request is `PendingProvisioning` for this long, then takes its outcome
   * (`Provisioned`; `Revoked` for an adminRemove), as GET shows it. 0 answers the POST with the
   * outcome, as Graph's examples show.
   */
  groupPimProvisioningDelayMs: number;
  /**
   * The schedule instance of what a PIM-for-groups request provisions appears in
   * `…ScheduleInstances` this long after the request is `Provisioned` (the schedule is listed at
   * once): PIM puts it in force a moment after it reports the request done.
   */
  groupPimInstanceDelayMs: number;
}

/**
 * An ARM error answer injected for matching requests: `method` (any when absent) and a path that
 * contains `pathIncludes` (case-insensitive; any when absent), `times` times (unlimited when
 * absent; each answer counts it down).
 */
export interface InjectedArmFailure {
  method?: string;
  pathIncludes?: string;
  /** Only requests without a `$filter` (a list of everything, not a lookup). */
  unfiltered?: boolean;
  status: number;
  /** `error.code` of the body, e.g. `InvalidRoleAssignment`. */
  code: string;
  message: string;
  times?: number;
}

export interface AzureFaults extends TransportFaults {
  /** Probability (0..1) that an ARM request is answered 429 (with Retry-After unless the next flag is set). */
  throttleRate: number;
  /** The injected 429s carry no Retry-After (Azure's own pipeline does not retry those). */
  throttleWithoutRetryAfter: boolean;
  /** Probability (0..1) that an ARM request is answered 500 or 503. */
  serverErrorRate: number;
  /** RBAC actions (`Microsoft.Authorization/roleAssignments/write`, `*` globs) answered 403 AuthorizationFailed whatever the caller's roles. */
  authorizationFailed: string[];
  /** The next N Entra token requests are answered 500 / 503 (alternately, 503 first). */
  entraServerErrors: number;
  /** Authenticated ARM requests answered `{ error: { code, message } }` (the first entry that matches). */
  armFailures: InjectedArmFailure[];
  /**
   * Matching ARM requests get no answer: the connection is reset after `afterMs` (a write whose
   * answer the client never hears). Not applied, unless `applied` (the write took effect, and only
   * its answer was lost on the way back). `times` counts down (once when absent).
   */
  armLostAnswers: {
    method?: string;
    pathIncludes?: string;
    afterMs: number;
    times?: number;
    applied?: boolean;
    /** Set once a request matched (not applied): resets its connection now, before `afterMs`. */
    resetNow?: () => void;
  }[];
  /**
   * Role assignment PUTs (whose path contains `pathIncludes`, when given) are held until `together`
   * of them wait or `maxHoldMs` has passed since the first, then applied in the order they came:
   * concurrent writers of one description, each writing what it read (arm/held-writes.ts). null: off.
   */
  armHeldWrites: { pathIncludes?: string; together: number; maxHoldMs: number; batches?: number } | null;
  /**
   * Reads of roleManagementPolicies and roleManagementPolicyAssignments answer 403
   * AuthorizationFailed, while PIM writes work: a caller allowed to assign who may not read policies.
   */
  pimDenyPolicyRead: boolean;
  /**
   * New schedule requests end with this status instead of their own outcome (`Denied`, `Failed`,
   * `TimedOut`, `AdminDenied`, `FailedAsResourceIsLocked`, or a pending one such as
   * `PendingApproval`, where they stay): nothing is assigned or removed. null: off.
   */
  pimRequestOutcome: PimStatus | null;
  /**
   * ARM or Graph requests (`method`, any when absent; a path containing `pathIncludes`,
   * case-insensitive, any when absent) answered with an HTML page in place of the service's answer,
   * before the service sees them: a proxy's or a wrong endpoint's.
   */
  htmlPages: (HtmlPage & { service: 'arm' | 'graph'; method?: string; pathIncludes?: string })[];
  /** The next N Graph requests (a `$batch` item counts as one; the envelope does not) answer 429 with Retry-After. */
  graphThrottled: number;
  /**
   * New PIM-for-groups requests end with this status instead of their own outcome (`Failed`,
   * `Denied`, `Canceled`, or a pending one such as `PendingApproval`, where they stay): nothing is
   * assigned or removed. null: off.
   */
  groupPimRequestOutcome: string | null;
}

export const defaultAzureConfig = (): AzureConfig => ({
  accessTokenLifetimeSeconds: 3600,
  principalReplicationDelayMs: 0,
  principalTypeSkipsReplicationCheck: false,
  readAfterWriteDelayMs: 0,
  pageSize: 100,
  writes: { capacity: 200, refillPerSecond: 10 },
  deletes: { capacity: 200, refillPerSecond: 10 },
  reads: { capacity: 250, refillPerSecond: 25 },
  globalMultiplier: 15,
  maxAssignmentsPerSubscription: 4000,
  maxAssignmentsPerManagementGroup: 500,
  faultRetryAfterSeconds: 1,
  // What docs/azure-setup.md has an admin consent: the name lookups, and PIM for groups.
  graphRoles: [
    'User.Read.All',
    'GroupMember.Read.All',
    'Application.Read.All',
    'PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup',
    'PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup',
    'RoleManagementPolicy.Read.AzureADGroup',
  ],
  graphPageSize: 100,
  graphRetryAfterSeconds: 1,
  pimLicense: true,
  // Like the other write delays the tests use: long enough to see the request pending.
  pimProvisioningDelayMs: 300,
  pimMinimumActiveMs: 5 * 60_000,
  pimMinimumDurationMs: 5 * 60_000,
  pimPolicy: defaultPimPolicy(),
  pimPolicies: {},
  eligibilityPolicy: defaultEligibilityPolicy(),
  eligibilityPolicies: [],
  eligibilityRequestRetentionMs: 45 * 86_400_000,
  assignmentRequestRetentionMs: 45 * 86_400_000,
  groupPimProvisioningDelayMs: 0,
  groupPimInstanceDelayMs: 300,
});

export const defaultAzureFaults = (): AzureFaults => ({
  latencyMs: 0,
  resetRate: 0,
  hangRate: 0,
  throttleRate: 0,
  throttleWithoutRetryAfter: false,
  serverErrorRate: 0,
  authorizationFailed: [],
  entraServerErrors: 0,
  armFailures: [],
  armLostAnswers: [],
  armHeldWrites: null,
  pimDenyPolicyRead: false,
  pimRequestOutcome: null,
  graphThrottled: 0,
  htmlPages: [],
  groupPimRequestOutcome: null,
});

/** The page of `faults.htmlPages` that answers this request in place of `service`, counted down. */
export function htmlPageFor(
  faults: AzureFaults,
  service: 'arm' | 'graph',
  method: string,
  url: URL,
): HtmlPage | undefined {
  return takeHtmlPage(
    faults.htmlPages,
    (p) =>
      p.service === service &&
      (p.method === undefined || p.method.toUpperCase() === method) &&
      (p.pathIncludes === undefined || url.pathname.toLowerCase().includes(p.pathIncludes.toLowerCase())),
  );
}
