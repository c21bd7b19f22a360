// The RBAC action each ARM operation the action calls needs, by the operation name ARM gives it:
// what an AuthorizationFailed explanation names (./arm-errors.ts) and the permissions docs/ lists.
// A table of its own: a kind of access that calls ARM operations of its own adds them here.
/** The RBAC action an operation needs: what an AuthorizationFailed message should name. */
export function permissionFor(operation: string): string {
  switch (operation) {
    case 'RoleAssignments_Create':
      return 'Microsoft.Authorization/roleAssignments/write';
    case 'RoleAssignments_Delete':
      return 'Microsoft.Authorization/roleAssignments/delete';
    case 'RoleDefinitions_List':
      return 'Microsoft.Authorization/roleDefinitions/read';
    // PIM (`duration`): ARM checks each operation's own action at the scope.
    case 'RoleAssignmentScheduleRequests_Create':
      return 'Microsoft.Authorization/roleAssignmentScheduleRequests/write';
    case 'RoleAssignmentScheduleRequests_Cancel':
      return 'Microsoft.Authorization/roleAssignmentScheduleRequests/cancel/action';
    case 'RoleAssignmentScheduleRequests_Get':
    case 'RoleAssignmentScheduleRequests_ListForScope':
      return 'Microsoft.Authorization/roleAssignmentScheduleRequests/read';
    case 'RoleAssignmentScheduleInstances_ListForScope':
      return 'Microsoft.Authorization/roleAssignmentScheduleInstances/read';
    case 'RoleAssignmentSchedules_ListForScope':
      return 'Microsoft.Authorization/roleAssignmentSchedules/read';
    case 'RoleEligibilityScheduleRequests_Create':
      return 'Microsoft.Authorization/roleEligibilityScheduleRequests/write';
    case 'RoleEligibilityScheduleRequests_Cancel':
      return 'Microsoft.Authorization/roleEligibilityScheduleRequests/cancel/action';
    case 'RoleEligibilityScheduleRequests_Get':
      return 'Microsoft.Authorization/roleEligibilityScheduleRequests/read';
    case 'RoleEligibilitySchedules_ListForScope':
      return 'Microsoft.Authorization/roleEligibilitySchedules/read';
    case 'RoleManagementPolicyAssignments_ListForScope':
      return 'Microsoft.Authorization/roleManagementPolicyAssignments/read';
    case 'RoleManagementPolicies_ListForScope':
    case 'RoleManagementPolicies_Get':
      return 'Microsoft.Authorization/roleManagementPolicies/read';
    default:
      return 'Microsoft.Authorization/roleAssignments/read';
  }
}

/**
 * What PIM checks on top of a schedule request operation's own action: "you must have access to
 * Microsoft.Authorization/roleAssignments/write" to assign or remove, and roleAssignments/read to
 * list (https://learn.microsoft.com/rest/api/authorization/privileged-role-assignment-rest-sample).
 * A 403 does not say which of the two was missing, so both are named.
 */
export function pimAlsoNeeds(operation: string): string | undefined {
  if (!/^Role(AssignmentSchedule|EligibilitySchedule|ManagementPolic)/.test(operation)) return undefined;
  return /_(Create|Cancel)$/.test(operation)
    ? 'Microsoft.Authorization/roleAssignments/write'
    : 'Microsoft.Authorization/roleAssignments/read';
}

/** `` `action` ``, or `` `action` or `roleAssignments/…` (PIM needs both) `` for a PIM operation. */
export function deniedPermissionText(operation: string): string {
  const own = permissionFor(operation);
  const also = pimAlsoNeeds(operation);
  return also ? `\`${own}\` or \`${also}\` (Azure PIM needs both)` : `\`${own}\``;
}
