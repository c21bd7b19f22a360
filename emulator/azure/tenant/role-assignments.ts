// Role assignments as the emulated ARM keeps them (a record with its visibility window, the PIM
// schedule that made it) and as it answers them (api-version 2022-04-01), and the role definition
// IDs they name. ./state.ts holds the records.
import { isGuid, type Scope } from './scope.js';

/** A role assignment as ARM returns it (api-version 2022-04-01). */
export interface RoleAssignment {
  id: string;
  name: string;
  type: 'Microsoft.Authorization/roleAssignments';
  properties: {
    roleDefinitionId: string;
    principalId: string;
    principalType: string;
    scope: string;
    condition: string | null;
    conditionVersion: string | null;
    createdOn: string;
    updatedOn: string;
    createdBy: string | null;
    updatedBy: string | null;
    delegatedManagedIdentityResourceId: string | null;
    description: string | null;
  };
}

export interface AssignmentRecord {
  /** The GUID name, lower case. */
  name: string;
  scope: Scope;
  roleGuid: string;
  principalId: string;
  principalType: string;
  description: string | null;
  condition: string | null;
  conditionVersion: string | null;
  delegatedManagedIdentityResourceId: string | null;
  createdOn: string;
  updatedOn: string;
  createdBy: string | null;
  updatedBy: string | null;
  /** Reads (GET, list) see it from this time on. */
  visibleFrom: number;
  /** GETs and lists that would show it and do not yet: each one counts it down (addRoleAssignment `hiddenForReads`). */
  hiddenReads?: number;
  /** Deleted at this time; reads still see it until deletedAt + readAfterWriteDelayMs. */
  deletedAt?: number;
  hiddenFrom?: number;
  /** Made by this PIM schedule, which ends it at its endDateTime (pim/schedules.ts). */
  pimSchedule?: string;
}

export const ROLE_ASSIGNMENTS = '/providers/Microsoft.Authorization/roleAssignments/';
export const ROLE_DEFINITIONS = '/providers/Microsoft.Authorization/roleDefinitions/';

export function toAssignment(record: AssignmentRecord): RoleAssignment {
  return {
    id: `${record.scope.path === '/' ? '' : record.scope.path}${ROLE_ASSIGNMENTS}${record.name}`,
    name: record.name,
    type: 'Microsoft.Authorization/roleAssignments',
    properties: {
      // ARM echoes the tenant-level form whatever form was sent
      // (__tests__/fixtures/contracts/azure/stable-2022-04-01/examples).
      roleDefinitionId: `${ROLE_DEFINITIONS}${record.roleGuid}`,
      principalId: record.principalId,
      principalType: record.principalType,
      scope: record.scope.path,
      condition: record.condition,
      conditionVersion: record.conditionVersion,
      createdOn: record.createdOn,
      updatedOn: record.updatedOn,
      createdBy: record.createdBy,
      updatedBy: record.updatedBy,
      delegatedManagedIdentityResourceId: record.delegatedManagedIdentityResourceId,
      description: record.description,
    },
  };
}

/** The role GUID from a GUID or a role definition ID, lower case; undefined when it is neither. */
export function roleGuidFrom(roleDefinitionId: string): string | undefined {
  const guid = roleDefinitionId.slice(roleDefinitionId.lastIndexOf('/') + 1);
  if (!isGuid(guid)) return undefined;
  if (
    guid.length !== roleDefinitionId.length &&
    !/\/providers\/Microsoft\.Authorization\/roleDefinitions\/[^/]+$/i.test(roleDefinitionId)
  ) {
    return undefined;
  }
  return guid.toLowerCase();
}
