// A group's PIM policy as Graph v1.0 shows it (`GET /policies/roleManagementPolicyAssignments?$filter=
// scopeId eq '{groupId}' and scopeType eq 'Group'`, optionally `&$expand=policy($expand=rules)`): one
// assignment per accessId (member, owner) of a group PIM manages, none of a group it does not, with
// the rules of the documented example; and the rules an admin's request breaks, named as PIM names
// them in `The following policy rules failed: [...]`.
import { createHash } from 'node:crypto';
import { parseIsoDuration } from '../pim/iso-duration.js';
import type { AzureState } from '../tenant/state.js';
import type { GroupAccess, GroupPimKind, GroupPolicySettings } from '../tenant/pim-groups-records.js';
import { GraphFailure, matchesAll, parseGraphFilter } from './query.js';

const ACCESS: GroupAccess[] = ['member', 'owner'];

/** The list's body for `params`: 400 without `scopeId` and `scopeType` ("requires the $filter (eq)"). */
export function policyAssignments(state: AzureState, graph: string, params: URLSearchParams): unknown {
  const filter = params.get('$filter') ?? '';
  const terms = parseGraphFilter(
    filter,
    ['scopeId', 'scopeType', 'roleDefinitionId', 'id', 'policyId'],
    false,
  );
  const named = new Set(terms.filter((t) => t.op === 'eq').map((t) => t.property));
  if (!named.has('scopeId') || !named.has('scopeType'))
    throw new GraphFailure(
      400,
      'BadRequest',
      "This method requires the $filter (eq) query parameter on scopeId and scopeType, e.g. scopeId eq '{groupId}' and scopeType eq 'Group'.",
    );
  const expand = /policy\(\$expand=rules\)/i.test(params.get('$expand') ?? '');
  const all = [...state.groupPim.onboarded].flatMap((groupId) =>
    ACCESS.map((accessId) => assignmentOf(state, groupId, accessId, expand)),
  );
  return {
    '@odata.context': `${graph}/v1.0/$metadata#policies/roleManagementPolicyAssignments${expand ? '(policy(rules()))' : ''}`,
    value: all.filter((a) => matchesAll(a, terms)),
  };
}

/** A GUID that stays the same for the same text (a policy's ID, per group and accessId). */
function stableGuid(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function assignmentOf(state: AzureState, groupId: string, accessId: GroupAccess, expand: boolean) {
  const policyId = `Group_${groupId}_${stableGuid(`${groupId}:${accessId}`)}`;
  const base: Record<string, unknown> = {
    id: `${policyId}_${accessId}`,
    policyId,
    scopeId: groupId,
    scopeType: 'Group',
    roleDefinitionId: accessId,
  };
  if (!expand) return base;
  return {
    ...base,
    policy: {
      id: policyId,
      displayName: 'Group',
      description: 'Group',
      isOrganizationDefault: false,
      scopeId: groupId,
      scopeType: 'Group',
      lastModifiedDateTime: null,
      lastModifiedBy: { displayName: null, id: null },
      rules: rulesOf(state.groupPim.policyOf(groupId, accessId)),
    },
  };
}

const target = (caller: string, level: string) => ({
  caller,
  operations: ['All'],
  level,
  inheritableSettings: [],
  enforcedSettings: [],
});
const RULE = '#microsoft.graph.unifiedRoleManagementPolicy';
const expiration = (id: string, required: boolean, max: string, caller: string, level: string) => ({
  '@odata.type': `${RULE}ExpirationRule`,
  id,
  isExpirationRequired: required,
  maximumDuration: max,
  target: target(caller, level),
});
const enablement = (id: string, rules: string[], caller: string, level: string) => ({
  '@odata.type': `${RULE}EnablementRule`,
  id,
  enabledRules: rules,
  target: target(caller, level),
});
const notifications = (caller: string, level: string, by: string) =>
  ['Admin', 'Requestor', 'Approver'].map((recipient) => ({
    '@odata.type': `${RULE}NotificationRule`,
    id: `Notification_${recipient}_${by}_${level}`,
    notificationType: 'Email',
    recipientType: recipient,
    notificationLevel: 'All',
    isDefaultRecipientsEnabled: true,
    notificationRecipients: [],
    target: target(caller, level),
  }));

/** The example's rules, the admin's expirations and justification as the settings say. */
function rulesOf(p: GroupPolicySettings): unknown[] {
  const justification = p.justificationRequired ? ['Justification'] : [];
  return [
    expiration(
      'Expiration_Admin_Eligibility',
      p.eligibilityExpirationRequired,
      p.eligibilityMaximumDuration,
      'Admin',
      'Eligibility',
    ),
    enablement('Enablement_Admin_Eligibility', [], 'Admin', 'Eligibility'),
    ...notifications('Admin', 'Eligibility', 'Admin'),
    expiration(
      'Expiration_Admin_Assignment',
      p.assignmentExpirationRequired,
      p.assignmentMaximumDuration,
      'Admin',
      'Assignment',
    ),
    enablement('Enablement_Admin_Assignment', justification, 'Admin', 'Assignment'),
    ...notifications('Admin', 'Assignment', 'Admin'),
    expiration('Expiration_EndUser_Assignment', true, 'PT8H', 'EndUser', 'Assignment'),
    enablement('Enablement_EndUser_Assignment', ['Justification'], 'EndUser', 'Assignment'),
    {
      '@odata.type': `${RULE}ApprovalRule`,
      id: 'Approval_EndUser_Assignment',
      target: target('EndUser', 'Assignment'),
      setting: {
        isApprovalRequired: false,
        isApprovalRequiredForExtension: false,
        isRequestorJustificationRequired: true,
        approvalMode: 'SingleStage',
        approvalStages: [
          {
            approvalStageTimeOutInDays: 1,
            isApproverJustificationRequired: true,
            escalationTimeInMinutes: 0,
            isEscalationEnabled: false,
            primaryApprovers: [],
            escalationApprovers: [],
          },
        ],
      },
    },
    {
      '@odata.type': `${RULE}AuthenticationContextRule`,
      id: 'AuthenticationContext_EndUser_Assignment',
      isEnabled: false,
      claimValue: null,
      target: target('EndUser', 'Assignment'),
    },
    ...notifications('EndUser', 'Assignment', 'EndUser'),
  ];
}

/**
 * The rules an adminAssign of `kind` for `durationMs` (null: no end) breaks: ExpirationRule, where
 * the policy requires an end, without one or past the maximum (azuread#1450: 400
 * RoleAssignmentRequestPolicyValidationFailed), JustificationRule without a justification.
 */
export function failedGroupRules(
  p: GroupPolicySettings,
  kind: GroupPimKind,
  durationMs: number | null,
  justification: string | null,
): string[] {
  const [required, max] =
    kind === 'assignment'
      ? [p.assignmentExpirationRequired, p.assignmentMaximumDuration]
      : [p.eligibilityExpirationRequired, p.eligibilityMaximumDuration];
  const maxMs = parseIsoDuration(max) ?? Number.POSITIVE_INFINITY;
  const failed: string[] = [];
  if (required && (durationMs === null || durationMs > maxMs)) failed.push('ExpirationRule');
  if (kind === 'assignment' && p.justificationRequired && !justification?.trim())
    failed.push('JustificationRule');
  return failed;
}
