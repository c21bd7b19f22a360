// PIM role management policies (Microsoft.Authorization 2020-10-01): one per role per scope, with
// the rules of the examples GetRoleManagementPolicyByScope /
// GetRoleManagementPolicyAssignmentByScope
// (__tests__/fixtures/contracts/azure/2020-10-01/examples). The emulator lets tests set the rules
// that decide an admin's active assignment: Expiration_Admin_Assignment,
// Enablement_Admin_Assignment, and an approval switch. Every other rule is rendered with fixed
// values, for the shape only.
import { createHash } from 'node:crypto';
import type { AzureConfig } from '../tenant/config.js';
import { parseIsoDuration } from './iso-duration.js';
import type { RoleDefinitionRecord } from '../tenant/roles.js';
import type { Scope } from '../tenant/scope.js';
import type { PimPolicySettings } from '../tenant/pim-records.js';
import type { EligibilityPolicySettings } from '../tenant/eligibility-records.js';
import { parseScope } from '../tenant/scope.js';
import { roleGuidFrom } from '../tenant/role-assignments.js';

/** config.pimPolicy, overridden by config.pimPolicies[role GUID] or [role name] (case-insensitive). */
export function policySettings(config: AzureConfig, role: RoleDefinitionRecord): PimPolicySettings {
  const byKey = Object.entries(config.pimPolicies).filter(
    ([key]) => key.toLowerCase() === role.guid || key.toLowerCase() === role.roleName.toLowerCase(),
  );
  return Object.assign({ ...config.pimPolicy }, ...byKey.map(([, value]) => value)) as PimPolicySettings;
}

/**
 * Expiration_Admin_Eligibility of a role at a scope: config.eligibilityPolicy, overridden by each
 * entry of config.eligibilityPolicies whose scope (exactly: PIM's role settings are per resource)
 * and role (GUID, role definition ID or name) match, in order.
 */
export function eligibilitySettings(
  config: AzureConfig,
  scope: Scope,
  role: RoleDefinitionRecord,
): EligibilityPolicySettings {
  const matching = config.eligibilityPolicies.filter(
    (o) =>
      (o.scope === undefined || parseScope(o.scope).key === scope.key) &&
      (o.role === undefined ||
        roleGuidFrom(o.role) === role.guid ||
        o.role.toLowerCase() === role.roleName.toLowerCase()),
  );
  const settings = { ...config.eligibilityPolicy };
  for (const { isExpirationRequired, maximumDuration } of matching) {
    if (isExpirationRequired !== undefined) settings.isExpirationRequired = isExpirationRequired;
    if (maximumDuration !== undefined) settings.maximumDuration = maximumDuration;
  }
  return settings;
}

/**
 * Whether an eligibility of `durationMs` (null: no end) breaks Expiration_Admin_Eligibility: then
 * ARM answers `The following policy rules failed: ["ExpirationRule"]` (azurerm#22766).
 */
export function breaksEligibilityExpiration(settings: EligibilityPolicySettings, durationMs: number | null) {
  if (!settings.isExpirationRequired) return false;
  const max = parseIsoDuration(settings.maximumDuration) ?? Number.POSITIVE_INFINITY;
  return durationMs === null || durationMs > max;
}

/** What a request offers the policy. */
export interface PolicyCheck {
  requestType: 'AdminAssign' | 'AdminRemove';
  /** Length of the requested window; null for NoExpiration. Absent for AdminRemove. */
  durationMs?: number | null;
  justification: string | null;
  ticketNumber: string | null;
  ticketSystem: string | null;
  /** The caller signed in with MFA: a user token with `amr` "mfa"; never a service principal. */
  callerHasMfa: boolean;
}

/**
 * The rules the request breaks, named as the service names them in
 * `The following policy rules failed: [...]` (rest-sample common errors), sorted as in the one
 * multi-rule message seen, `["EligibilityRule","ExpirationRule"]`. Enablement rules target the
 * operations "All", so they apply to AdminRemove too (terraform sends a justification with it).
 */
export function failedRules(settings: PimPolicySettings, check: PolicyCheck): string[] {
  const failed: string[] = [];
  if (check.requestType === 'AdminAssign' && settings.isExpirationRequired) {
    const max = parseIsoDuration(settings.maximumDuration) ?? Number.POSITIVE_INFINITY;
    if (check.durationMs === null || check.durationMs === undefined || check.durationMs > max)
      failed.push('ExpirationRule');
  }
  const enabled = new Set(settings.enabledRules);
  if (enabled.has('Justification') && !check.justification?.trim()) failed.push('JustificationRule');
  if (enabled.has('Ticketing') && (!check.ticketNumber?.trim() || !check.ticketSystem?.trim()))
    failed.push('TicketingRule');
  if (enabled.has('MultiFactorAuthentication') && !check.callerHasMfa) failed.push('MfaRule');
  return failed.sort();
}

// ---- how ARM shows policies ----

const PROVIDER = '/providers/Microsoft.Authorization';
const prefix = (scope: Scope) => (scope.path === '/' ? '' : scope.path);

/** A GUID derived from the text: stable across reads, new when the settings change. */
function derivedGuid(text: string): string {
  const h = createHash('sha1').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * The policy's name: a GUID that "changes each time the policy is updated" (terraform's
 * FindRoleManagementPolicyId comment), so it is derived from the scope, the role and the settings.
 */
export const policyName = (scope: Scope, role: RoleDefinitionRecord, settings: PolicyView) =>
  derivedGuid(`${scope.key}|${role.guid}|${JSON.stringify(settings)}`);

/** A role's policy at a scope as ARM shows it: the active assignments' rules and the eligibilities'. */
export interface PolicyView extends PimPolicySettings {
  eligibility: EligibilityPolicySettings;
}

export const roleDefinitionIdAt = (scope: Scope, roleGuid: string) =>
  `${scope.subscriptionId ? `/subscriptions/${scope.subscriptionId}` : ''}${PROVIDER}/roleDefinitions/${roleGuid}`;

/** `expandedProperties.scope` / `policyProperties.scope`: id, display name, type ("subscription" in the examples). */
export function scopeDetails(scope: Scope) {
  const segments = scope.path.split('/').filter(Boolean);
  const type = {
    root: 'tenant',
    managementGroup: 'managementgroup',
    subscription: 'subscription',
    resourceGroup: 'resourcegroup',
    resource: 'resource',
  }[scope.kind];
  return { id: scope.path, displayName: segments.at(-1) ?? 'Tenant Root Group', type };
}

const target = (caller: 'Admin' | 'EndUser', level: 'Eligibility' | 'Assignment') => ({
  caller,
  operations: ['All'],
  level,
  targetObjects: null,
  inheritableSettings: null,
  enforcedSettings: null,
});

const notifications = (caller: 'Admin' | 'EndUser', level: 'Eligibility' | 'Assignment') =>
  (['Admin', 'Requestor', 'Approver'] as const).map((recipientType) => ({
    notificationType: 'Email',
    recipientType,
    isDefaultRecipientsEnabled: true,
    notificationLevel: 'All',
    notificationRecipients: [] as string[],
    id: `Notification_${recipientType}_${caller}_${level}`,
    ruleType: 'RoleManagementPolicyNotificationRule',
    target: target(caller, level),
  }));

/** The 17 rules, in the examples' order. */
export function policyRules(settings: PolicyView): Record<string, unknown>[] {
  return [
    {
      enabledRules: [],
      id: 'Enablement_Admin_Eligibility',
      ruleType: 'RoleManagementPolicyEnablementRule',
      target: target('Admin', 'Eligibility'),
    },
    {
      isExpirationRequired: settings.eligibility.isExpirationRequired,
      maximumDuration: settings.eligibility.maximumDuration,
      id: 'Expiration_Admin_Eligibility',
      ruleType: 'RoleManagementPolicyExpirationRule',
      target: target('Admin', 'Eligibility'),
    },
    ...notifications('Admin', 'Eligibility'),
    {
      enabledRules: [...settings.enabledRules],
      id: 'Enablement_Admin_Assignment',
      ruleType: 'RoleManagementPolicyEnablementRule',
      target: target('Admin', 'Assignment'),
    },
    {
      isExpirationRequired: settings.isExpirationRequired,
      maximumDuration: settings.maximumDuration,
      id: 'Expiration_Admin_Assignment',
      ruleType: 'RoleManagementPolicyExpirationRule',
      target: target('Admin', 'Assignment'),
    },
    ...notifications('Admin', 'Assignment'),
    {
      setting: {
        isApprovalRequired: settings.approvalRequired,
        isApprovalRequiredForExtension: false,
        isRequestorJustificationRequired: true,
        approvalMode: 'SingleStage',
        approvalStages: [
          {
            approvalStageTimeOutInDays: 1,
            isApproverJustificationRequired: true,
            escalationTimeInMinutes: 0,
            primaryApprovers: [],
            isEscalationEnabled: false,
            escalationApprovers: null,
          },
        ],
      },
      id: 'Approval_EndUser_Assignment',
      ruleType: 'RoleManagementPolicyApprovalRule',
      target: target('EndUser', 'Assignment'),
    },
    {
      isEnabled: false,
      claimValue: '',
      id: 'AuthenticationContext_EndUser_Assignment',
      ruleType: 'RoleManagementPolicyAuthenticationContextRule',
      target: target('EndUser', 'Assignment'),
    },
    {
      enabledRules: ['Justification'],
      id: 'Enablement_EndUser_Assignment',
      ruleType: 'RoleManagementPolicyEnablementRule',
      target: target('EndUser', 'Assignment'),
    },
    {
      isExpirationRequired: true,
      maximumDuration: 'PT8H',
      id: 'Expiration_EndUser_Assignment',
      ruleType: 'RoleManagementPolicyExpirationRule',
      target: target('EndUser', 'Assignment'),
    },
    ...notifications('EndUser', 'Assignment'),
  ];
}

const LAST_MODIFIED_BY = { id: null, displayName: 'Admin', type: null, email: null };

/** A roleManagementPolicies resource, as in GetRoleManagementPolicyByScope. */
export function policyResource(scope: Scope, role: RoleDefinitionRecord, settings: PolicyView) {
  const name = policyName(scope, role, settings);
  const rules = policyRules(settings);
  return {
    properties: {
      scope: scope.path,
      displayName: null,
      description: null,
      isOrganizationDefault: false,
      lastModifiedDateTime: null,
      lastModifiedBy: LAST_MODIFIED_BY,
      rules,
      effectiveRules: rules,
      policyProperties: { scope: scopeDetails(scope) },
    },
    name,
    id: `${prefix(scope)}${PROVIDER}/roleManagementPolicies/${name}`,
    type: 'Microsoft.Authorization/RoleManagementPolicies',
  };
}

/**
 * A roleManagementPolicyAssignments resource: name `{policyGuid}_{roleDefGuid}`, and, as in the
 * example GetRoleManagementPolicyAssignmentByScope (Microsoft.Authorization 2020-10-01 in
 * https://github.com/Azure/azure-rest-api-specs), an id with the singular
 * `roleManagementPolicyAssignment` and the type `Microsoft.Authorization/RoleManagementPolicyAssignment`.
 */
export function policyAssignmentResource(scope: Scope, role: RoleDefinitionRecord, settings: PolicyView) {
  const policy = policyResource(scope, role, settings);
  const name = `${policy.name}_${role.guid}`;
  const roleDefinitionId = roleDefinitionIdAt(scope, role.guid);
  return {
    properties: {
      scope: scope.path,
      roleDefinitionId,
      policyId: policy.id,
      effectiveRules: policy.properties.effectiveRules,
      policyAssignmentProperties: {
        scope: scopeDetails(scope),
        roleDefinition: { id: roleDefinitionId, displayName: role.roleName, type: role.type },
        policy: { id: policy.id, lastModifiedBy: LAST_MODIFIED_BY, lastModifiedDateTime: null },
      },
    },
    name,
    id: `${prefix(scope)}${PROVIDER}/roleManagementPolicyAssignment/${name}`,
    type: 'Microsoft.Authorization/RoleManagementPolicyAssignment',
  };
}
